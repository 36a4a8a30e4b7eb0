package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// Services is what a store keeps besides reports and tokens: feeds and
// their items, saved views with their webhooks, the delivery log, the
// bulk log and batch updates, the audit log (written by the desk's
// services; RestoreAudit puts entries in as another store kept them) and
// the reports by creation the webhook follower reads.
type Services interface {
	geotag.ReportService
	geotag.FeedService
	geotag.ViewService
	geotag.WebhookLog
	geotag.BulkLog
	geotag.ReportBatchUpdater
	geotag.AuditLog
	RestoreAudit(ctx context.Context, e geotag.AuditEntry) error
	EachReportCreated(ctx context.Context, after string, since time.Time, fn func(*geotag.Report) error) error
}

// RunServices runs the contract of Services on fresh stores made by open
// (each call an empty store).
func RunServices(t *testing.T, open func(t *testing.T) Services) {
	tests := []struct {
		name string
		fn   func(*testing.T, Services)
	}{
		{"Feeds", testFeeds},
		{"FeedItems", testFeedItems},
		{"Views", testViews},
		{"ViewsConcurrent", testViewsConcurrent},
		{"Deliveries", testDeliveries},
		{"Bulks", testBulks},
		{"UpdateReports", testUpdateReports},
		{"Audit", testAudit},
		{"Created", testCreated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func testFeeds(t *testing.T, s Services) {
	wantCode(t, s.CreateFeed(ctx, &geotag.Feed{}), geotag.EINVALID, "feed without a URL")
	a := &geotag.Feed{URL: "https://a.example/feed", Interval: geotag.Interval(time.Hour), Tags: []string{"x"}}
	b := &geotag.Feed{URL: "https://b.example/feed"}
	for _, f := range []*geotag.Feed{a, b} {
		if err := s.CreateFeed(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if a.ID == "" || a.ID == b.ID || a.Created.IsZero() || b.Tags == nil {
		t.Fatalf("created feeds lack an ID, times or tags: %+v %+v", a, b)
	}
	dup := &geotag.Feed{URL: a.URL}
	wantCode(t, s.CreateFeed(ctx, dup), geotag.ECONFLICT, "same URL")
	if dup.ID != a.ID {
		t.Fatalf("a conflicting create gives the stored feed, got %+v", dup)
	}
	got, err := s.FindFeedByID(ctx, a.ID)
	if err != nil || got.URL != a.URL || got.Interval != a.Interval || len(got.Tags) != 1 {
		t.Fatalf("find: %+v, %v", got, err)
	}
	_, err = s.FindFeedByID(ctx, "nope")
	wantCode(t, err, geotag.ENOTFOUND, "unknown feed")
	fs, err := s.ListFeeds(ctx)
	if err != nil || len(fs) != 2 || fs[0].ID != a.ID || fs[1].ID != b.ID {
		t.Fatalf("list, oldest first: %+v, %v", fs, err)
	}
	_, err = s.UpdateFeed(ctx, b.ID, func(f *geotag.Feed) error { f.URL = a.URL; return nil })
	wantCode(t, err, geotag.ECONFLICT, "update to another feed's URL")
	_, err = s.UpdateFeed(ctx, b.ID, func(f *geotag.Feed) error { f.Paused = true; return geotag.Errorf(geotag.EINVALID, "no") })
	wantCode(t, err, geotag.EINVALID, "fn's error")
	_, err = s.UpdateFeed(ctx, "nope", func(f *geotag.Feed) error { return nil })
	wantCode(t, err, geotag.ENOTFOUND, "update of an unknown feed")
	next := day0.Add(time.Hour)
	up, err := s.UpdateFeed(ctx, b.ID, func(f *geotag.Feed) error { f.ID, f.Status.NextFetch = "other", next; return nil })
	if err != nil || up.ID != b.ID || !up.Status.NextFetch.Equal(next) || !up.Created.Equal(b.Created) {
		t.Fatalf("update keeps ID and Created: %+v, %v", up, err)
	}
	if got, _ := s.FindFeedByID(ctx, b.ID); got.Paused || !got.Status.NextFetch.Equal(next) {
		t.Fatalf("stored after update: %+v", got)
	}
	wantCode(t, s.DeleteFeed(ctx, "nope"), geotag.ENOTFOUND, "delete of an unknown feed")
}

func testFeedItems(t *testing.T, s Services) {
	f := &geotag.Feed{URL: "https://a.example/feed"}
	if err := s.CreateFeed(ctx, f); err != nil {
		t.Fatal(err)
	}
	st := geotag.FeedItemState{ReportID: "01ARZ3NDEKTSV4RRFFQ69G5FAV", Hash: "h1", Updated: day0}
	for _, k := range []string{"guid:1", "guid:2"} {
		if err := s.PutFeedItem(ctx, f.ID, k, st); err != nil {
			t.Fatal(err)
		}
	}
	st.Hash = "h2"
	if err := s.PutFeedItem(ctx, f.ID, "guid:2", st); err != nil {
		t.Fatal(err)
	}
	got, err := s.FeedItems(ctx, f.ID, []string{"guid:1", "guid:2", "guid:3"})
	if err != nil || len(got) != 2 || got["guid:1"].Hash != "h1" || got["guid:2"].Hash != "h2" || !got["guid:1"].Updated.Equal(day0) {
		t.Fatalf("items: %+v, %v", got, err)
	}
	if got, _ := s.FeedItems(ctx, "other", []string{"guid:1"}); len(got) != 0 {
		t.Fatalf("another feed's items: %+v", got)
	}
	if err := s.DeleteFeed(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.PutFeedItem(ctx, f.ID, "guid:4", st), geotag.ENOTFOUND, "item of a deleted feed")
	g := &geotag.Feed{URL: f.URL}
	if err := s.CreateFeed(ctx, g); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FeedItems(ctx, g.ID, []string{"guid:1"}); len(got) != 0 || g.ID == f.ID {
		t.Fatalf("a deleted feed's items outlive it: %+v", got)
	}
}

func testViews(t *testing.T, s Services) {
	wantCode(t, s.CreateView(ctx, &geotag.View{Name: " "}), geotag.EINVALID, "view without a name")
	a := &geotag.View{Name: "Aleppo", Query: "tag=aleppo", By: "tok1",
		Webhook: &geotag.Webhook{URL: "https://hook.example/a", Secret: "s3cret", Enabled: true, Since: day0}}
	b := &geotag.View{Name: "World"}
	for _, v := range []*geotag.View{a, b} {
		if err := s.CreateView(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.FindViewByID(ctx, a.ID)
	if err != nil || got.Query != a.Query || got.Webhook == nil || got.Webhook.Secret != "s3cret" || !got.Webhook.SecretSet ||
		!got.Webhook.Since.Equal(day0) || got.By != "tok1" {
		t.Fatalf("find keeps the webhook and its secret: %+v, %v", got, err)
	}
	_, err = s.FindViewByID(ctx, "nope")
	wantCode(t, err, geotag.ENOTFOUND, "unknown view")
	vs, err := s.FindViews(ctx)
	if err != nil || len(vs) != 2 || vs[0].ID != a.ID || vs[1].Webhook != nil || vs[0].Webhook.Secret != "s3cret" {
		t.Fatalf("views, oldest first: %+v, %v", vs, err)
	}
	_, err = s.UpdateView(ctx, a.ID, func(v *geotag.View) error { v.Name = ""; return nil })
	wantCode(t, err, geotag.EINVALID, "update to no name")
	_, err = s.UpdateView(ctx, a.ID, func(v *geotag.View) error { v.Webhook.After = "x"; return geotag.Errorf(geotag.ECONFLICT, "no") })
	wantCode(t, err, geotag.ECONFLICT, "fn's error")
	_, err = s.UpdateView(ctx, "nope", func(v *geotag.View) error { return nil })
	wantCode(t, err, geotag.ENOTFOUND, "update of an unknown view")
	up, err := s.UpdateView(ctx, a.ID, func(v *geotag.View) error { v.Webhook.After = "01ARZ3NDEKTSV4RRFFQ69G5FAV"; return nil })
	if err != nil || up.ID != a.ID || up.Webhook.After == "" {
		t.Fatal(up, err)
	}
	if got, _ := s.FindViewByID(ctx, a.ID); got.Webhook.After != up.Webhook.After || got.Webhook.Secret != "s3cret" {
		t.Fatalf("stored cursor: %+v", got.Webhook)
	}
	if err := s.DeleteView(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteView(ctx, b.ID), geotag.ENOTFOUND, "delete twice")
}

// testViewsConcurrent: updates of one view from many goroutines each see
// the one before (read-modify-write under the store's lock).
func testViewsConcurrent(t *testing.T, s Services) {
	v := &geotag.View{Name: "n"}
	if err := s.CreateView(ctx, v); err != nil {
		t.Fatal(err)
	}
	const n = 12
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := s.UpdateView(ctx, v.ID, func(v *geotag.View) error { v.Query += "x"; return nil }); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := s.FindViewByID(ctx, v.ID)
	if err != nil || len(got.Query) != n {
		t.Fatalf("%d concurrent updates kept %d: %v", n, len(got.Query), err)
	}
}

func testDeliveries(t *testing.T, s Services) {
	var ds []*geotag.WebhookDelivery
	for i := range 5 {
		d := &geotag.WebhookDelivery{ViewID: fmt.Sprintf("v%d", i%2), URL: "https://hook.example/", Reports: []string{"r"}, State: "pending"}
		if err := s.AddDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	if ds[0].ID == "" || ds[0].ID == ds[1].ID || ds[0].Created.IsZero() {
		t.Fatalf("added deliveries lack IDs: %+v", ds[:2])
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := s.UpdateDelivery(ctx, ds[1].ID, func(d *geotag.WebhookDelivery) error { d.Attempts++; return nil })
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	up, err := s.UpdateDelivery(ctx, ds[1].ID, func(d *geotag.WebhookDelivery) error { d.State = "delivered"; return nil })
	if err != nil || up.Attempts != 8 || up.ID != ds[1].ID {
		t.Fatalf("concurrent updates: %+v, %v", up, err)
	}
	_, err = s.UpdateDelivery(ctx, "nope", func(d *geotag.WebhookDelivery) error { return nil })
	wantCode(t, err, geotag.ENOTFOUND, "unknown delivery")
	all, err := s.ListDeliveries(ctx, "", "", 1000)
	if err != nil || len(all) != 5 || all[0].ID != ds[4].ID || all[4].ID != ds[0].ID {
		t.Fatalf("newest first: %d, %v", len(all), err)
	}
	v1, _ := s.ListDeliveries(ctx, "v1", "", 10)
	done, _ := s.ListDeliveries(ctx, "", "delivered", 10)
	two, _ := s.ListDeliveries(ctx, "v0", "pending", 2)
	if len(v1) != 2 || len(done) != 1 || done[0].ID != ds[1].ID || len(two) != 2 || two[0].ID != ds[4].ID {
		t.Fatalf("filters: %d of v1, %d delivered, %d of v0 pending (limit 2)", len(v1), len(done), len(two))
	}
	_, err = s.ListDeliveries(ctx, "", "", 0)
	wantCode(t, err, geotag.EINVALID, "limit 0")
	_, err = s.ListDeliveries(ctx, "", "", 1001)
	wantCode(t, err, geotag.EINVALID, "limit 1001")
}

func testBulks(t *testing.T, s Services) {
	b := geotag.BulkRecord{ID: "b1", Kind: "correction", By: "tok", Changed: []string{"r1"}, Finished: day0,
		Progress: geotag.BulkProgress{Total: 2, Done: 2, Changed: 1, Skipped: 1}}
	if err := s.SaveBulk(ctx, b); err != nil {
		t.Fatal(err)
	}
	b.UndoneBy = "b2"
	if err := s.SaveBulk(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindBulk(ctx, "b1")
	if err != nil || got.UndoneBy != "b2" || got.Progress != b.Progress || !got.Finished.Equal(day0) || len(got.Changed) != 1 {
		t.Fatalf("find replaced bulk: %+v, %v", got, err)
	}
	_, err = s.FindBulk(ctx, "b2")
	wantCode(t, err, geotag.ENOTFOUND, "unknown bulk")
}

func testUpdateReports(t *testing.T, s Services) {
	rs := seed(t, s, 6)
	ids := []string{rs[0].ID, "01ARZ3NDEKTSV4RRFFQ69G5FAV", rs[1].ID, rs[2].ID, "not an id"}
	stored, err := s.UpdateReports(ctx, ids, func(r *geotag.Report) bool {
		if r.ID == rs[1].ID {
			return false
		}
		r.Tags = append(r.Tags, "bulk")
		if r.ID == rs[2].ID {
			r.Status = "maybe" // fails validation: left as it was
		}
		return true
	})
	if err != nil || len(stored) != 1 || stored[0] != rs[0].ID {
		t.Fatalf("stored %v, %v; want only %s", stored, err, rs[0].ID)
	}
	for i, r := range rs[:3] {
		got, err := s.FindReportByID(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		has := len(got.Tags) > 0 && got.Tags[len(got.Tags)-1] == "bulk"
		if has != (i == 0) || (i == 0 && !got.Updated.After(r.Updated) && !got.Updated.Equal(r.Updated)) || got.Status == "maybe" {
			t.Fatalf("report %d after the batch: %+v", i, got)
		}
	}
	page, err := s.FindReports(ctx, geotag.ReportFilter{Tags: []string{"bulk"}, Limit: 10})
	if err != nil || len(page.Reports) != 1 {
		t.Fatalf("the batch's change is indexed: %v, %v", page, err)
	}
}

func testAudit(t *testing.T, s Services) {
	for i := 1; i <= 6; i++ {
		kind := geotag.AuditRule
		if i%2 == 0 {
			kind = geotag.AuditDeskPlace
		}
		e := geotag.AuditEntry{Seq: uint64(i), At: day0.Add(time.Duration(i) * time.Minute), By: "tok", Kind: kind,
			ID: fmt.Sprintf("t%d", i%3), Action: "update", Before: []byte(`{"a":1}`), After: []byte(`{"a":2}`)}
		if err := s.RestoreAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	seqs := func(f geotag.AuditFilter) []uint64 {
		t.Helper()
		es, err := s.Audit(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []uint64
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	for _, c := range []struct {
		f    geotag.AuditFilter
		want string
	}{
		{geotag.AuditFilter{}, "[6 5 4 3 2 1]"},
		{geotag.AuditFilter{Limit: 2}, "[6 5]"},
		{geotag.AuditFilter{Before: 5, Limit: 2}, "[4 3]"},
		{geotag.AuditFilter{Kind: geotag.AuditRule}, "[5 3 1]"},
		{geotag.AuditFilter{Kind: geotag.AuditDeskPlace, ID: "t1"}, "[4]"},
		{geotag.AuditFilter{Kind: geotag.AuditRule, ID: "t0", Before: 3}, "[]"},
	} {
		if got := fmt.Sprint(seqs(c.f)); got != c.want && !(c.want == "[]" && got == "[]") {
			t.Errorf("audit %+v: %s, want %s", c.f, got, c.want)
		}
	}
	es, _ := s.Audit(ctx, geotag.AuditFilter{Limit: 1})
	if len(es) != 1 || string(es[0].After) != `{"a":2}` || !es[0].At.Equal(day0.Add(6*time.Minute)) || es[0].By != "tok" {
		t.Fatalf("entry: %+v", es)
	}
	_, err := s.Audit(ctx, geotag.AuditFilter{Kind: "report"})
	wantCode(t, err, geotag.EINVALID, "unknown kind")
	_, err = s.Audit(ctx, geotag.AuditFilter{Limit: 1001})
	wantCode(t, err, geotag.EINVALID, "limit 1001")
}

func testCreated(t *testing.T, s Services) {
	rs := seed(t, s, 300) // more than one chunk of a backend's walk
	var got []string
	each := func(after string, since time.Time) {
		t.Helper()
		got = got[:0]
		if err := s.EachReportCreated(ctx, after, since, func(r *geotag.Report) error {
			got = append(got, r.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	each("", time.Unix(0, 0))
	if len(got) != len(rs) || got[0] != rs[0].ID || got[len(got)-1] != rs[len(rs)-1].ID {
		t.Fatalf("every report in creation order: %d of %d", len(got), len(rs))
	}
	each(rs[100].ID, time.Unix(0, 0))
	if len(got) != 199 || got[0] != rs[101].ID {
		t.Fatalf("after the 101st: %d", len(got))
	}
	each("", rs[len(rs)-1].Created.Add(time.Millisecond))
	if len(got) != 0 {
		t.Fatalf("since after the last: %d", len(got))
	}
	wantCode(t, s.EachReportCreated(ctx, "not an id", time.Unix(0, 0), func(*geotag.Report) error { return nil }),
		geotag.EINVALID, "malformed after")
}
