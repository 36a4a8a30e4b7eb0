package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// memViews is an in-memory ViewService.
type memViews struct {
	mu sync.Mutex
	vs []*geotag.View
}

func (m *memViews) CreateView(ctx context.Context, v *geotag.View) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	v.ID = fmt.Sprintf("v%d", len(m.vs)+1)
	c := *v
	m.vs = append(m.vs, &c)
	return nil
}

func (m *memViews) FindViewByID(ctx context.Context, id string) (*geotag.View, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, v := range m.vs {
		if v.ID == id {
			c, h := *v, *v.Webhook
			c.Webhook = &h
			return &c, nil
		}
	}
	return nil, geotag.Errorf(geotag.ENOTFOUND, "no view")
}

func (m *memViews) FindViews(ctx context.Context) ([]*geotag.View, error) {
	var out []*geotag.View
	for _, v := range m.vs {
		c, _ := m.FindViewByID(ctx, v.ID)
		out = append(out, c)
	}
	return out, nil
}

func (m *memViews) UpdateView(ctx context.Context, id string, fn func(*geotag.View) error) (*geotag.View, error) {
	v, err := m.FindViewByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := fn(v); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.vs {
		if m.vs[i].ID == id {
			m.vs[i] = v
		}
	}
	return v, nil
}

func (m *memViews) DeleteView(ctx context.Context, id string) error { return nil }

// memReports holds reports in the order they were created.
type memReports struct{ rs []*geotag.Report }

func (m *memReports) add(created time.Time, tag string) *geotag.Report {
	r := &geotag.Report{ID: fmt.Sprintf("r%03d", len(m.rs)+1), Title: "report " + tag, Text: "text", Created: created, Tags: []string{tag}}
	m.rs = append(m.rs, r)
	return r
}

func (m *memReports) EachReportCreated(ctx context.Context, after string, since time.Time, fn func(*geotag.Report) error) error {
	for _, r := range m.rs {
		if (after != "" && r.ID > after) || (after == "" && !r.Created.Before(since)) {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// tagFilter is a view's filter for the test: only tag= is read.
func tagFilter(v *geotag.View, now time.Time) (geotag.ReportFilter, error) {
	q, err := url.ParseQuery(v.Query)
	return geotag.ReportFilter{Tag: q.Get("tag")}, err
}

// receiver answers 500 to its first request and 200 after, and keeps the
// report IDs of each request it accepted with a valid signature.
type receiver struct {
	mu       sync.Mutex
	requests int
	got      [][]string
	bad      int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests++
	if rc.requests == 1 {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if !Verify("s3cret", body, r.Header.Get(SignatureHeader)) {
		rc.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var fc struct {
		Features []struct{ ID string } `json:"features"`
	}
	json.Unmarshal(body, &fc)
	var ids []string
	for _, f := range fc.Features {
		ids = append(ids, f.ID)
	}
	rc.got = append(rc.got, ids)
}

// waitDelivered waits until the log holds n deliveries, all delivered.
func waitDelivered(t *testing.T, log *memLog, n int) []*geotag.WebhookDelivery {
	t.Helper()
	for range 1000 {
		ds, _ := log.ListDeliveries(context.Background(), "", "", 100)
		if len(ds) == n && !slices.ContainsFunc(ds, func(d *geotag.WebhookDelivery) bool { return d.State != geotag.DeliveryDelivered }) {
			return ds
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the log never held %d delivered deliveries", n)
	return nil
}

func TestFollowerSendsAViewsNewReportsOnce(t *testing.T) {
	rc := &receiver{}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := &memLog{}
	d := New(Config{Client: &http.Client{Timeout: 5 * time.Second}, Log: log, BaseDelay: 10 * time.Millisecond})
	go d.Run(ctx)

	since := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	reports := &memReports{}
	reports.add(since.Add(-time.Minute), "watch") // before the webhook: never sent
	views := &memViews{}
	views.CreateView(ctx, &geotag.View{Name: "watched", Query: "tag=watch",
		Webhook: &geotag.Webhook{URL: srv.URL + "/hook?k=1", Secret: "s3cret", Enabled: true, Since: since}})
	views.CreateView(ctx, &geotag.View{Name: "unsigned", Query: "tag=watch",
		Webhook: &geotag.Webhook{URL: srv.URL + "/other", Enabled: true, Since: since}})
	a := reports.add(since, "watch")
	reports.add(since.Add(time.Minute), "elsewhere") // does not match the view
	b := reports.add(since.Add(2*time.Minute), "watch")
	f := NewFollower(FollowConfig{Views: views, Reports: reports, Notifier: d, Filter: tagFilter, MaxReports: 1})

	f.Round(ctx) // a (one report a notice)
	f.Round(ctx) // b
	f.Round(ctx) // nothing new
	waitDelivered(t, log, 2)
	c := reports.add(since.Add(3*time.Minute), "watch")
	f.Round(ctx)
	ds := waitDelivered(t, log, 3)

	rc.mu.Lock()
	got, requests, bad := rc.got, rc.requests, rc.bad
	rc.mu.Unlock()
	want := [][]string{{a.ID}, {b.ID}, {c.ID}}
	slices.SortFunc(got, func(x, y []string) int { return slices.Compare(x, y) })
	if fmt.Sprint(got) != fmt.Sprint(want) || bad != 0 || requests != 4 {
		t.Errorf("the receiver got %v (%d requests, %d badly signed), want %v after one refused request", got, requests, bad, want)
	}
	attempts := 0
	for _, x := range ds {
		attempts += x.Attempts
		if x.ViewID != "v1" || x.URL != srv.URL+"/hook" || x.LastStatus != http.StatusOK {
			t.Errorf("delivery %+v: want view v1, the URL without its query, last status 200", x)
		}
	}
	if attempts != 4 {
		t.Errorf("the log counts %d attempts, want 4 (one failed, then three delivered)", attempts)
	}
	v, _ := views.FindViewByID(ctx, "v1")
	if v.Webhook.After != c.ID {
		t.Errorf("the view's cursor is %q, want %q", v.Webhook.After, c.ID)
	}
}
