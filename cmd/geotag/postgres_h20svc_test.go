package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
	"github.com/geotag/geotag/server"
	"github.com/geotag/geotag/webhook"
)

// hookReceiver counts, per report ID, the signed notices a webhook
// receiver got.
type hookReceiver struct {
	mu   sync.Mutex
	seen map[string]int
	bad  int
}

func newHookReceiver(t *testing.T, secret string) (*hookReceiver, string) {
	h := &hookReceiver{seen: map[string]int{}}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if !webhook.Verify(secret, body, r.Header.Get(webhook.SignatureHeader)) {
			h.bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var fc struct{ Features []struct{ ID string } }
		json.Unmarshal(body, &fc)
		for _, f := range fc.Features {
			h.seen[f.ID]++
		}
	}))
	t.Cleanup(ts.Close)
	return h, ts.URL
}

func (h *hookReceiver) count() (n, most, bad int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.seen {
		n++
		most = max(most, c)
	}
	return n, most, h.bad
}

// TestServicesOnPostgres runs two "geotag serve" on one PostgreSQL store
// and drives feeds, saved views and webhooks through their API: a feed
// added through A is polled (by one of them) into reports both list, its
// new item becomes one report, not two; a view saved through A is read
// through B, with its Atom feed; reports created through B reach the
// view's webhook once each, signed, and the delivery log lists them
// through either server.
func TestServicesOnPostgres(t *testing.T) {
	storeURL := pgTestStore(t)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	flags := append(append([]string{}, feedFlags...), "--store", storeURL, "--webhook-interval", "50ms")
	a, _ := runService(t, filepath.Join(dir, "a"), append(flags, "--admin-token-file", tokenFile)...)
	b, _ := runService(t, filepath.Join(dir, "b"), append(flags, "--admin-token-file", filepath.Join(dir, "b-token"))...)
	raw, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(raw))

	// Feeds.
	wire := newGrowingFeed(t, "Shelling reported in Aleppo", "Convoy reaches Homs")
	code, body, _ := apiDo(t, "POST", a+"/api/v1/feeds", token, `{"url":"`+wire.url+`/rss","interval":"1s","tags":["wire"]}`)
	if code != http.StatusCreated {
		t.Fatalf("POST feed through A: %d %s", code, body)
	}
	var f geotag.Feed
	json.Unmarshal(body, &f)
	if code, _, _ := apiDo(t, "POST", b+"/api/v1/feeds", token, `{"url":"`+wire.url+`/rss"}`); code != http.StatusConflict {
		t.Fatalf("the same feed through B: %d, want 409", code)
	}
	waitFor(t, "the feed's items through B", func() bool { return len(feedReports(t, b, token, "wire")) == 2 })
	wire.add("Bridge closed near Raqqa")
	waitFor(t, "the new item through A", func() bool { return len(feedReports(t, a, token, "wire")) == 3 })
	var fs struct{ Feeds []geotag.Feed }
	waitFor(t, "three polls after the new item", func() bool {
		_, body, _ := apiDo(t, "GET", b+"/api/v1/feeds", token, "")
		json.Unmarshal(body, &fs)
		return len(fs.Feeds) == 1 && fs.Feeds[0].Status.LastSuccess != nil &&
			fs.Feeds[0].Status.LastSuccess.After(time.Now().Add(-500*time.Millisecond))
	})
	if n := len(feedReports(t, b, token, "wire")); n != 3 || fs.Feeds[0].Status.ItemsStored != 3 {
		t.Fatalf("after polls by two servers: %d reports, %d items stored; want 3 and 3", n, fs.Feeds[0].Status.ItemsStored)
	}

	// Views and their webhook.
	rcv, rcvURL := newHookReceiver(t, "hook-secret")
	code, body, _ = apiDo(t, "POST", a+"/api/v1/views", token,
		`{"name":"alerts","query":"tag=alert","webhook":{"url":"`+rcvURL+`/hook","secret":"hook-secret","enabled":true}}`)
	if code != http.StatusCreated {
		t.Fatalf("POST view through A: %d %s", code, body)
	}
	var view geotag.View
	json.Unmarshal(body, &view)
	if code, body, _ := apiDo(t, "GET", b+"/api/v1/views/"+view.ID, token, ""); code != http.StatusOK || !strings.Contains(string(body), `"secret_set":true`) {
		t.Fatalf("the view through B: %d %s", code, body)
	}
	var ids []string
	for i, title := range []string{"Alert one", "Not watched", "Alert two", "Alert three"} {
		tag := "alert"
		if i == 1 {
			tag = "other"
		}
		code, body, _ := apiDo(t, "POST", b+"/api/v1/reports", token, `{"title":"`+title+`","text":"Shelling in Aleppo.","tags":["`+tag+`"]}`)
		if code != http.StatusCreated {
			t.Fatalf("POST report through B: %d %s", code, body)
		}
		var r struct{ ID string }
		json.Unmarshal(body, &r)
		if tag == "alert" {
			ids = append(ids, r.ID)
		}
	}
	waitFor(t, "the three alerts delivered", func() bool { n, _, _ := rcv.count(); return n == 3 })
	waitFor(t, "the view's cursor at the last alert", func() bool {
		_, body, _ := apiDo(t, "GET", a+"/api/v1/views/"+view.ID, token, "")
		return strings.Contains(string(body), `"after":"`+ids[2]+`"`)
	})
	if code, body, _ := apiDo(t, "GET", a+"/api/v1/views/"+view.ID+"/feed.atom", token, ""); code != http.StatusOK || strings.Count(string(body), "<entry>") != 3 {
		t.Fatalf("the view's Atom feed through A: %d, %d entries", code, strings.Count(string(body), "<entry>"))
	}
	n, most, bad := rcv.count()
	if n != 3 || most != 1 || bad != 0 {
		t.Fatalf("the receiver got %d reports, one of them %d times, %d badly signed; want 3 once each", n, most, bad)
	}
	var log struct {
		Deliveries []struct {
			ViewID  string `json:"view_id"`
			Reports []string
		}
	}
	_, body, _ = apiDo(t, "GET", a+"/api/v1/webhooks/deliveries?view="+view.ID, token, "")
	if json.Unmarshal(body, &log); len(log.Deliveries) == 0 {
		t.Fatalf("no deliveries logged: %s", body)
	}
	sent := 0
	for _, d := range log.Deliveries {
		sent += len(d.Reports)
	}
	if sent != 3 {
		t.Fatalf("the delivery log lists %d reports sent, want 3: %s", sent, body)
	}
}

// slowNotifier counts the notices of each report and takes its time, so
// that two followers without a lease would both read the same cursor.
type slowNotifier struct {
	mu   sync.Mutex
	sent map[string]int
}

func (n *slowNotifier) Notify(ctx context.Context, nt geotag.WebhookNotice) (*geotag.WebhookDelivery, error) {
	time.Sleep(30 * time.Millisecond)
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, r := range nt.Reports {
		n.sent[r.ID]++
	}
	return &geotag.WebhookDelivery{ViewID: nt.ViewID, State: geotag.DeliveryPending}, nil
}

// TestFollowersShareOnePostgres runs the webhook follower of two servers
// (two stores on one database) round after round at once: each report is
// sent once, by one of them, and the view's cursor ends at the newest.
func TestFollowersShareOnePostgres(t *testing.T) {
	dsn := pgTestStore(t)
	ctx := context.Background()
	var dbs [2]*postgres.DB
	for i := range dbs {
		db, err := postgres.Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	v := &geotag.View{Name: "all", Webhook: &geotag.Webhook{URL: "https://hook.example/", Secret: "s", Enabled: true, Since: time.Now().Add(-time.Hour)}}
	if err := dbs[0].CreateView(ctx, v); err != nil {
		t.Fatal(err)
	}
	n := &slowNotifier{sent: map[string]int{}}
	var last string
	for range 6 {
		for i := range 5 {
			r := &geotag.Report{Title: "r", Text: "text", Time: time.Now()}
			if err := dbs[i%2].CreateReport(ctx, r); err != nil {
				t.Fatal(err)
			}
			last = r.ID
		}
		var wg sync.WaitGroup
		for _, db := range dbs {
			f := webhook.NewFollower(webhook.FollowConfig{Views: db, Reports: db, Notifier: n, Filter: server.ViewFilter, Claims: db})
			wg.Go(func() { f.Round(ctx) })
		}
		wg.Wait()
	}
	for range 2 { // the rounds a lease held by the other may have left for later
		for _, db := range dbs {
			webhook.NewFollower(webhook.FollowConfig{Views: db, Reports: db, Notifier: n, Filter: server.ViewFilter, Claims: db}).Round(ctx)
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.sent) != 30 {
		t.Fatalf("%d of 30 reports sent", len(n.sent))
	}
	for id, c := range n.sent {
		if c != 1 {
			t.Fatalf("report %s sent %d times", id, c)
		}
	}
	got, err := dbs[1].FindViewByID(ctx, v.ID)
	if err != nil || got.Webhook.After != last {
		t.Fatalf("cursor %q, want %q (%v)", got.Webhook.After, last, err)
	}
}
