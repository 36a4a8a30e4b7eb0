package server

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// memFeeds is an in-memory FeedService that validates as the poller does.
type memFeeds struct {
	mu    sync.Mutex
	feeds []*geotag.Feed
}

func (m *memFeeds) CreateFeed(ctx context.Context, f *geotag.Feed) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f.Interval == 0 {
		f.Interval = geotag.Interval(geotag.DefaultFeedInterval)
	}
	if err := f.Validate(time.Minute, geotag.ReportLimits{}); err != nil {
		return err
	}
	for _, g := range m.feeds {
		if g.URL == f.URL {
			return geotag.FieldErrorf(geotag.ECONFLICT, "url", "taken")
		}
	}
	f.ID = "f" + string(rune('1'+len(m.feeds)))
	c := *f
	m.feeds = append(m.feeds, &c)
	return nil
}

func (m *memFeeds) find(id string) (int, error) {
	for i, f := range m.feeds {
		if f.ID == id {
			return i, nil
		}
	}
	return -1, geotag.Errorf(geotag.ENOTFOUND, "no feed")
}

func (m *memFeeds) FindFeedByID(ctx context.Context, id string) (*geotag.Feed, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, err := m.find(id)
	if err != nil {
		return nil, err
	}
	c := *m.feeds[i]
	return &c, nil
}

func (m *memFeeds) ListFeeds(ctx context.Context) ([]*geotag.Feed, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*geotag.Feed{}, m.feeds...), nil
}

func (m *memFeeds) UpdateFeed(ctx context.Context, id string, fn func(*geotag.Feed) error) (*geotag.Feed, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, err := m.find(id)
	if err != nil {
		return nil, err
	}
	c := *m.feeds[i]
	if err := fn(&c); err != nil {
		return nil, err
	}
	if err := c.Validate(time.Minute, geotag.ReportLimits{}); err != nil {
		return nil, err
	}
	m.feeds[i] = &c
	return &c, nil
}

func (m *memFeeds) DeleteFeed(ctx context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, err := m.find(id)
	if err != nil {
		return err
	}
	m.feeds = append(m.feeds[:i], m.feeds[i+1:]...)
	return nil
}

func (m *memFeeds) FeedItems(ctx context.Context, feedID string, keys []string) (map[string]geotag.FeedItemState, error) {
	return map[string]geotag.FeedItemState{}, nil
}

func (m *memFeeds) PutFeedItem(ctx context.Context, feedID, key string, st geotag.FeedItemState) error {
	return nil
}

// fakeArticles answers one article for https://news.example/story.
type fakeArticles struct{}

func (fakeArticles) FetchArticle(ctx context.Context, url string) (*geotag.Article, error) {
	if url != "https://news.example/story" {
		return nil, geotag.Errorf(geotag.EUNPROCESSABLE, "refusing to fetch from 127.0.0.1: loopback address")
	}
	t := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	return &geotag.Article{URL: url, Title: "Convoy reaches Aleppo", Text: strings.Repeat("é", 40), Published: &t}, nil
}

// fakeDeliveries is a delivery log of one entry.
type fakeDeliveries struct{}

func (fakeDeliveries) AddDelivery(ctx context.Context, d *geotag.WebhookDelivery) error { return nil }
func (fakeDeliveries) UpdateDelivery(ctx context.Context, id string, fn func(*geotag.WebhookDelivery) error) (*geotag.WebhookDelivery, error) {
	return nil, geotag.Errorf(geotag.ENOTFOUND, "no delivery")
}
func (fakeDeliveries) ListDeliveries(ctx context.Context, viewID, state string, limit int) ([]*geotag.WebhookDelivery, error) {
	if limit < 1 || limit > 1000 {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be 1…1000")
	}
	return []*geotag.WebhookDelivery{{ID: "d1", ViewID: viewID, State: geotag.DeliveryDelivered, Attempts: 3}}, nil
}

func newOutgoingEnv(t *testing.T) *env {
	return newEnv(t, func(c *Config) {
		c.Feeds = &memFeeds{}
		c.Articles = fakeArticles{}
		c.Deliveries = fakeDeliveries{}
		c.ReportLimits = geotag.ReportLimits{MaxTextBytes: 21}
	})
}

func TestFeedRoutes(t *testing.T) {
	e := newOutgoingEnv(t)
	w := e.do(t, "POST", "/api/v1/feeds", `{"url":"https://wire.example/rss","interval":"10m","country":"sy","tags":[" a ","a","b"]}`, "token")
	var f geotag.Feed
	if w.Code != 201 || json.Unmarshal(w.Body.Bytes(), &f) != nil || f.Interval != geotag.Interval(10*time.Minute) || strings.Join(f.Tags, ",") != "a,b" || w.Header().Get("Location") != "/api/v1/feeds/"+f.ID {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	for body, code := range map[string]int{
		`{"url":"https://wire.example/rss"}`:               409,
		`{"url":"ftp://x"}`:                                400,
		`{"url":"https://x.example","interval":"1s"}`:      400,
		`{"url":"https://x.example","interval":5}`:         400,
		`{"url":"https://x.example","interval":"5 weeks"}`: 400,
		`{"url":"https://x.example","bbox":"1,2"}`:         400,
	} {
		if w := e.do(t, "POST", "/api/v1/feeds", body, "token"); w.Code != code {
			t.Errorf("POST %s: %d %s, want %d", body, w.Code, w.Body, code)
		}
	}
	if w := e.do(t, "GET", "/api/v1/feeds", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"interval":"10m"`) || !strings.Contains(w.Body.String(), `"items_stored":0`) {
		t.Fatalf("list: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "PATCH", "/api/v1/feeds/"+f.ID, `{"paused":true,"tags":[]}`, "token"); w.Code != 200 || !strings.Contains(w.Body.String(), `"paused":true`) || !strings.Contains(w.Body.String(), `"tags":[]`) {
		t.Fatalf("patch: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "PATCH", "/api/v1/feeds/"+f.ID, `{"interval":"1s"}`, "token"); w.Code != 400 {
		t.Fatalf("patch to a short interval: %d", w.Code)
	}
	if w := e.do(t, "DELETE", "/api/v1/feeds/"+f.ID, "", "token"); w.Code != 204 {
		t.Fatalf("delete: %d", w.Code)
	}
	if w := e.do(t, "GET", "/api/v1/feeds/"+f.ID, ""); w.Code != 404 {
		t.Fatalf("deleted: %d", w.Code)
	}
}

func TestFetchRoute(t *testing.T) {
	e := newOutgoingEnv(t)
	w := e.do(t, "POST", "/api/v1/fetch", `{"url":"https://news.example/story"}`, "token")
	var a geotag.Article
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &a) != nil || a.Title != "Convoy reaches Aleppo" || a.Published == nil {
		t.Fatalf("fetch: %d %s", w.Code, w.Body)
	}
	// Cut to the report limit (21 bytes) at a character boundary.
	if a.Text != strings.Repeat("é", 10) || !a.Truncated {
		t.Fatalf("text %q truncated %v", a.Text, a.Truncated)
	}
	if w := e.do(t, "POST", "/api/v1/fetch", `{"url":"http://127.0.0.1/"}`, "token"); w.Code != 422 || !strings.Contains(w.Body.String(), "loopback") {
		t.Fatalf("refused address: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "POST", "/api/v1/fetch", `{"url":""}`, "token"); w.Code != 400 {
		t.Fatalf("no url: %d", w.Code)
	}
	if w := e.do(t, "POST", "/api/v1/fetch", `{"url":"https://news.example/story"}`); w.Code != 401 {
		t.Fatalf("without a token: %d", w.Code)
	}
	if w := e.do(t, "POST", "/api/v1/fetch", `{"url":"https://news.example/story"}`, "Authorization: Bearer "+readerToken); w.Code != 403 {
		t.Fatalf("read-only token: %d", w.Code)
	}
}

func TestDeliveriesRoute(t *testing.T) {
	e := newOutgoingEnv(t)
	if w := e.do(t, "GET", "/api/v1/webhooks/deliveries?view=v1&state=delivered", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"view_id":"v1"`) {
		t.Fatalf("list: %d %s", w.Code, w.Body)
	}
	for _, q := range []string{"?limit=0", "?limit=x", "?state=lost"} {
		if w := e.do(t, "GET", "/api/v1/webhooks/deliveries"+q, ""); w.Code != 400 {
			t.Errorf("%s: %d", q, w.Code)
		}
	}
}

// The outgoing routes need a write token to change anything and are in
// the API description.
func TestOutgoingRoutesAuthAndDoc(t *testing.T) {
	e := newOutgoingEnv(t)
	w := e.do(t, "GET", "/api/v1/openapi.json", "")
	var doc struct{ Paths map[string]map[string]any }
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, rt := range e.srv.Routes() {
		p, ok := strings.CutPrefix(rt.Path, "/api/v1")
		if !ok || !(strings.HasPrefix(p, "/feeds") || p == "/fetch" || strings.HasPrefix(p, "/webhooks")) {
			continue
		}
		n++
		if _, ok := doc.Paths[strings.ReplaceAll(p, ":id", "{id}")][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("%s %s is not in the OpenAPI description", rt.Method, rt.Path)
		}
		if rt.Method == "GET" {
			continue
		}
		path := strings.ReplaceAll(rt.Path, ":id", "f1")
		if w := e.do(t, rt.Method, path, `{"url":"https://a.example"}`); w.Code != 401 {
			t.Errorf("%s %s without a token: %d", rt.Method, rt.Path, w.Code)
		}
		if w := e.do(t, rt.Method, path, `{"url":"https://a.example"}`, "Authorization: Bearer "+readerToken); w.Code != 403 {
			t.Errorf("%s %s with a read-only token: %d", rt.Method, rt.Path, w.Code)
		}
	}
	if n != 7 {
		t.Errorf("%d outgoing routes, want 7", n)
	}
}
