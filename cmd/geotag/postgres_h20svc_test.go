package main

import (
	"context"
	"encoding/json"
	"fmt"
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
	"github.com/geotag/geotag/internal/storetest"
	"github.com/geotag/geotag/postgres"
	"github.com/geotag/geotag/server"
	"github.com/geotag/geotag/store"
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

// TestMigrateServicesRoundTrip copies a bbolt store holding every noun to
// PostgreSQL and back into a new bbolt store: each noun arrives as it was
// (IDs, times, the webhook's secret and cursor, item states, audit
// sequence numbers), a second run copies nothing new, and the store that
// came back answers as the first did.
func TestMigrateServicesRoundTrip(t *testing.T) {
	dsn := pgTestStore(t)
	ctx := context.Background()
	data, back := t.TempDir(), filepath.Join(t.TempDir(), "back")
	src, err := store.Open(filepath.Join(data, "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	fillAllNouns(t, src)
	want := nounsJSON(t, src)
	src.Close()

	for run := range 2 {
		var out strings.Builder
		if err := Run(ctx, []string{"migrate", "--from-data", data, "--to", dsn}, strings.NewReader(""), &out, io.Discard); err != nil {
			t.Fatalf("to postgres, run %d: %v", run, err)
		}
		for _, line := range []string{"2 feeds, 3 item states", "1 saved views", "2 webhook deliveries", "3 audit entries", "1 bulk correction records", "1 tokens"} {
			if !strings.Contains(out.String(), line) {
				t.Fatalf("to postgres, run %d: %q lacks %q", run, out.String(), line)
			}
		}
		out.Reset()
		if err := Run(ctx, []string{"migrate", "--from", dsn, "--to-data", back}, strings.NewReader(""), &out, io.Discard); err != nil {
			t.Fatalf("back, run %d: %v", run, err)
		}
		copied := []string{"4 reports copied, 0 there already", "0 reports copied, 4 there already"}[run]
		if !strings.Contains(out.String(), copied) {
			t.Fatalf("back, run %d: %q lacks %q", run, out.String(), copied)
		}
	}
	pg, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if got := nounsJSON(t, pg); got != want {
		t.Fatalf("on postgres:\n%s\nwant\n%s", got, want)
	}
	if err := pg.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	dst, err := store.Open(filepath.Join(back, "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if got := nounsJSON(t, dst); got != want {
		t.Fatalf("back on bbolt:\n%s\nwant\n%s", got, want)
	}
	if err := dst.Verify(); err != nil {
		t.Fatal(err)
	}
	page, err := dst.FindReports(ctx, geotag.ReportFilter{Tag: "moved"})
	if err != nil || page.Total != 4 {
		t.Fatalf("the indexes of the reports that came back: %d, %v", page.Total, err)
	}
}

// allNouns is what a store must have for the round trip.
type allNouns interface {
	storetest.Services
	geotag.TokenService
	EachFeedItem(ctx context.Context, feedID string, fn func([]byte, geotag.FeedItemState) error) error
	EachDelivery(ctx context.Context, fn func(*geotag.WebhookDelivery) error) error
	EachBulk(ctx context.Context, fn func(geotag.BulkRecord) error) error
}

// fillAllNouns gives s a few of every noun migrate copies.
func fillAllNouns(t *testing.T, s allNouns) {
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	for i := range 4 {
		r := &geotag.Report{Title: "r", Text: "text", Tags: []string{"Moved"}, Time: time.Date(2025, 5, 1, i, 0, 0, 0, time.UTC),
			Location: &geotag.Location{Lat: 36.2, Lon: 37.1, Mention: -1, Provenance: geotag.Provenance{Method: geotag.MethodManual}}}
		must(s.CreateReport(ctx, r))
		ids = append(ids, r.ID)
	}
	_, _, err := s.CreateToken(ctx, "desk", false)
	must(err)
	for i, u := range []string{"https://a.example/rss", "https://b.example/rss"} {
		f := &geotag.Feed{URL: u, Interval: geotag.Interval(time.Hour), Tags: []string{"wire"}}
		must(s.CreateFeed(ctx, f))
		for j := 0; j <= i; j++ {
			must(s.PutFeedItem(ctx, f.ID, u+"#"+string(rune('a'+j)), geotag.FeedItemState{ReportID: ids[j], Hash: "h", Updated: time.Now().UTC()}))
		}
	}
	v := &geotag.View{Name: "alerts", Query: "tag=moved", Webhook: &geotag.Webhook{URL: "https://hook.example/", Secret: "s3cret", Enabled: true,
		Since: time.Now().UTC()}}
	must(s.CreateView(ctx, v))
	_, err = s.UpdateView(ctx, v.ID, func(v *geotag.View) error { v.Webhook.After = ids[1]; return nil })
	must(err)
	for range 2 {
		must(s.AddDelivery(ctx, &geotag.WebhookDelivery{ViewID: v.ID, URL: v.Webhook.URL, Reports: ids[:2], State: geotag.DeliveryPending}))
	}
	for i := 1; i <= 3; i++ {
		must(s.RestoreAudit(ctx, geotag.AuditEntry{Seq: uint64(i * 10), At: time.Now().UTC(), Kind: geotag.AuditRule, ID: "rule1",
			Action: "update", After: json.RawMessage(`{"n":1}`)}))
	}
	must(s.SaveBulk(ctx, geotag.BulkRecord{ID: "bulk1", Kind: "correction", Changed: ids[:1], Finished: time.Now().UTC()}))
}

// nounsJSON is every noun of s as one JSON text, to compare two stores.
func nounsJSON(t *testing.T, s allNouns) string {
	ctx := context.Background()
	var all []any
	add := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, v)
	}
	var rs []*geotag.Report
	add(nil, s.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error { rs = append(rs, r); return nil }))
	add(rs, nil)
	ts, err := s.ListTokens(ctx)
	for _, tk := range ts {
		tk.Created = tk.Created.Truncate(time.Microsecond)
	}
	add(ts, err)
	fs, err := s.ListFeeds(ctx)
	add(fs, err)
	for _, f := range fs {
		var hs []string
		add(nil, s.EachFeedItem(ctx, f.ID, func(h []byte, st geotag.FeedItemState) error {
			hs = append(hs, string(h)+st.ReportID+st.Updated.String())
			return nil
		}))
		add(hs, nil)
	}
	vs, err := s.FindViews(ctx)
	for _, v := range vs {
		if v.Webhook != nil {
			add(v.Webhook.Secret, nil)
		}
	}
	add(vs, err)
	var ds []*geotag.WebhookDelivery
	add(nil, s.EachDelivery(ctx, func(d *geotag.WebhookDelivery) error { ds = append(ds, d); return nil }))
	add(ds, nil)
	add(s.Audit(ctx, geotag.AuditFilter{}))
	var bs []geotag.BulkRecord
	add(nil, s.EachBulk(ctx, func(b geotag.BulkRecord) error { bs = append(bs, b); return nil }))
	add(bs, nil)
	b, err := json.MarshalIndent(all, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFeedsCLIOnPostgres: geotag feeds add, list and remove work on a
// PostgreSQL store, as on bbolt.
func TestFeedsCLIOnPostgres(t *testing.T) {
	dsn := pgTestStore(t)
	ctx := context.Background()
	var out, errb strings.Builder
	if err := Run(ctx, []string{"feeds", "add", "--store", dsn, "--interval", "1h", "--tags", "cli", "https://wire.example/rss"}, nil, &out, &errb); err != nil {
		t.Fatalf("add: %v %s", err, errb.String())
	}
	if err := Run(ctx, []string{"feeds", "add", "--store", dsn, "https://wire.example/rss"}, nil, &out, &errb); geotag.ErrorCode(err) != geotag.ECONFLICT {
		t.Fatalf("add the same URL: %v", err)
	}
	db, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fs, err := db.ListFeeds(ctx)
	if err != nil || len(fs) != 1 || fs[0].Interval != geotag.Interval(time.Hour) || len(fs[0].Tags) != 1 {
		t.Fatalf("stored: %+v, %v", fs, err)
	}
	out.Reset()
	if err := Run(ctx, []string{"feeds", "list", "--store", dsn}, nil, &out, &errb); err != nil || !strings.Contains(out.String(), fs[0].ID) {
		t.Fatalf("list: %v %q", err, out.String())
	}
	if err := Run(ctx, []string{"feeds", "remove", "--store", dsn, fs[0].ID}, nil, &out, &errb); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if fs, _ := db.ListFeeds(ctx); len(fs) != 0 {
		t.Fatalf("after remove: %d feeds", len(fs))
	}
}

// TestBulkOnPostgres runs a bulk correction through one server on a
// PostgreSQL store (written in batches by UpdateReports) and undoes it
// through another: the finished job's record is in the database.
func TestBulkOnPostgres(t *testing.T) {
	storeURL := pgTestStore(t)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	flags := []string{"--store", storeURL, "--rate-ip", "-1", "--rate-token", "-1"}
	a, _ := runService(t, filepath.Join(dir, "a"), append(flags, "--admin-token-file", tokenFile)...)
	b, _ := runService(t, filepath.Join(dir, "b"), append(flags, "--admin-token-file", filepath.Join(dir, "b-token"))...)
	raw, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(raw))
	const n = 150 // more than one batch of 100
	importPalmyra(t, a, token, n)
	bulk := fmt.Sprintf(`{"words":"Palmyra","place_id":%d,"action":"pick","to_place_id":%d}`, tadmurID, palmyraMissID)
	code, body, _ := apiDo(t, "POST", a+"/api/v1/corrections/bulk", token, bulk)
	var j h19Job
	if code != http.StatusAccepted || json.Unmarshal(body, &j) != nil {
		t.Fatalf("bulk through A: %d %s", code, body)
	}
	if j = waitH19Job(t, a, j.ID); j.State != "done" || j.Progress.Changed != n {
		t.Fatalf("bulk: %+v, want %d changed", j, n)
	}
	if got := listPlace(t, b, palmyraMissID); got != n {
		t.Fatalf("through B, %d reports at the corrected place, want %d", got, n)
	}
	code, body, _ = apiDo(t, "POST", b+"/api/v1/corrections/bulk/"+j.ID+"/undo", token, "")
	var u h19Job
	if code != http.StatusAccepted || json.Unmarshal(body, &u) != nil {
		t.Fatalf("undo through B: %d %s", code, body)
	}
	if u = waitH19Job(t, b, u.ID); u.State != "done" || u.Progress.Changed != n {
		t.Fatalf("undo: %+v", u)
	}
	if got := listPlace(t, a, tadmurID); got != n {
		t.Fatalf("after the undo, through A, %d reports back at Tadmur, want %d", got, n)
	}
}
