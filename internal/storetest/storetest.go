// Package storetest is the behaviour every geotag.ReportService and
// geotag.TokenService backend must have, as tests that run against any of
// them: filters checked against a full-scan oracle (oracle.go), keyset
// pagination while others write, concurrent updates of one version,
// idempotent external ids, counts and histograms. The bbolt store's and
// the PostgreSQL store's tests call Run and RunTokens.
package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// Run runs the report service contract on fresh services made by open
// (each call must give an empty store; open registers its own cleanup).
func Run(t *testing.T, open func(t *testing.T) geotag.ReportService) {
	tests := []struct {
		name string
		fn   func(*testing.T, geotag.ReportService)
	}{
		{"CreateFind", testCreateFind},
		{"Invalid", testInvalid},
		{"ExternalID", testExternalID},
		{"ExternalIDConcurrent", testExternalIDConcurrent},
		{"Update", testUpdate},
		{"UpdateOneVersion", testUpdateOneVersion},
		{"Delete", testDelete},
		{"Filters", testFilters},
		{"PagingWhileWriting", testPagingWhileWriting},
		{"Each", testEach},
		{"Cells", testCells},
		{"Histogram", testHistogram},
		{"Tags", testTags},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var ctx = context.Background()

func wantCode(t *testing.T, err error, code, what string) {
	t.Helper()
	if geotag.ErrorCode(err) != code {
		t.Fatalf("%s: got %v (code %q), want code %q", what, err, geotag.ErrorCode(err), code)
	}
}

func testCreateFind(t *testing.T, s geotag.ReportService) {
	rs := seed(t, s, 20)
	for _, r := range rs {
		if r.ID == "" || r.Created.IsZero() || !r.Updated.Equal(r.Created) || r.Status == "" {
			t.Fatalf("created report lacks its ID, times or status: %+v", r)
		}
		got, err := s.FindReportByID(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != r.Title || got.Text != r.Text || !got.Time.Equal(r.Time) || got.ExternalID != r.ExternalID ||
			!slices.Equal(got.Tags, r.Tags) || len(got.Mentions) != len(r.Mentions) || (got.Location == nil) != (r.Location == nil) ||
			got.EventType != r.EventType || len(got.Actors) != len(r.Actors) {
			t.Fatalf("found %+v, stored %+v", got, r)
		}
	}
	_, err := s.FindReportByID(ctx, "01ARZ3NDEKTSV4RRFFQ69G5FAV")
	wantCode(t, err, geotag.ENOTFOUND, "unknown id")
	_, err = s.FindReportByID(ctx, "not an id'; DROP TABLE reports")
	wantCode(t, err, geotag.ENOTFOUND, "malformed id")
}

func testInvalid(t *testing.T, s geotag.ReportService) {
	wantCode(t, s.CreateReport(ctx, &geotag.Report{}), geotag.EINVALID, "empty report")
	wantCode(t, s.CreateReport(ctx, &geotag.Report{Title: "x", Status: "maybe"}), geotag.EINVALID, "unknown status")
	wantCode(t, s.CreateReport(ctx, &geotag.Report{Title: "x", Tags: []string{"a\x01"}}), geotag.EINVALID, "control character in a tag")
	for _, f := range []geotag.ReportFilter{
		{Limit: -1}, {Status: "maybe"}, {Cursor: "%%%"}, {Cursor: "AAAA"},
		{BBox: &geotag.BBox{W: 10, S: 5, E: 20, N: 1}}, {EventTypes: []string{"Picnics"}},
	} {
		_, err := s.FindReports(ctx, f)
		wantCode(t, err, geotag.EINVALID, "filter")
	}
	_, err := s.Cells(ctx, geotag.ReportFilter{}, 25)
	wantCode(t, err, geotag.EINVALID, "zoom 25")
	_, err = s.Histogram(ctx, geotag.ReportFilter{}, 0)
	wantCode(t, err, geotag.EINVALID, "0 bins")
	_, err = s.Tags(ctx, geotag.ReportFilter{}, "", 101)
	wantCode(t, err, geotag.EINVALID, "tag limit 101")
}

func testExternalID(t *testing.T, s geotag.ReportService) {
	a := &geotag.Report{Title: "first", ExternalID: "feed-1"}
	if err := s.CreateReport(ctx, a); err != nil {
		t.Fatal(err)
	}
	b := &geotag.Report{Title: "second", ExternalID: "feed-1"}
	wantCode(t, s.CreateReport(ctx, b), geotag.ECONFLICT, "second create")
	if b.ID != a.ID || b.Title != "first" {
		t.Fatalf("after a conflict the report is %+v, want the stored one %s", b, a.ID)
	}
	c := &geotag.Report{Title: "third", ExternalID: "feed-2"}
	if err := s.CreateReport(ctx, c); err != nil {
		t.Fatal(err)
	}
	_, err := s.UpdateReport(ctx, c.ID, func(r *geotag.Report) error { r.ExternalID = "feed-1"; return nil })
	wantCode(t, err, geotag.ECONFLICT, "update to a taken external id")
	page, err := s.FindReports(ctx, geotag.ReportFilter{})
	if err != nil || page.Total != 2 {
		t.Fatalf("total %d (%v), want 2", page.Total, err)
	}
}

// testExternalIDConcurrent creates one external id from many goroutines at
// once: one is stored, the others conflict with it.
func testExternalIDConcurrent(t *testing.T, s geotag.ReportService) {
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	ids := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &geotag.Report{Title: "same", ExternalID: "import-42"}
			errs[i] = s.CreateReport(ctx, r)
			ids[i] = r.ID
		}()
	}
	wg.Wait()
	created := 0
	for i, err := range errs {
		switch geotag.ErrorCode(err) {
		case "":
			created++
		case geotag.ECONFLICT:
		default:
			t.Fatalf("create %d: %v", i, err)
		}
		if ids[i] != ids[0] {
			t.Fatalf("creates answered reports %s and %s", ids[0], ids[i])
		}
	}
	if created != 1 {
		t.Fatalf("%d creates succeeded, want 1", created)
	}
}

func testUpdate(t *testing.T, s geotag.ReportService) {
	rs := seed(t, s, 3)
	r := rs[0]
	boom := errors.New("boom")
	if _, err := s.UpdateReport(ctx, r.ID, func(x *geotag.Report) error { x.Title = "changed"; return boom }); err != boom {
		t.Fatalf("fn's error: got %v", err)
	}
	if got, _ := s.FindReportByID(ctx, r.ID); got.Title != r.Title {
		t.Fatalf("a failed update stored %q", got.Title)
	}
	_, err := s.UpdateReport(ctx, "01ARZ3NDEKTSV4RRFFQ69G5FAV", func(*geotag.Report) error { return nil })
	wantCode(t, err, geotag.ENOTFOUND, "update of an unknown id")
	_, err = s.UpdateReport(ctx, r.ID, func(x *geotag.Report) error { x.Status = "maybe"; return nil })
	wantCode(t, err, geotag.EINVALID, "update to an unknown status")
	when := day0.Add(48 * time.Hour)
	up, err := s.UpdateReport(ctx, r.ID, func(x *geotag.Report) error {
		x.ID, x.Created = "other", time.Time{}
		x.Title, x.Time, x.Tags, x.Status = "changed", when, []string{"moved"}, ""
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if up.ID != r.ID || !up.Created.Equal(r.Created) || up.Status != geotag.StatusUnreviewed || up.Title != "changed" {
		t.Fatalf("updated report %+v", up)
	}
	page, err := s.FindReports(ctx, geotag.ReportFilter{Tag: "MOVED", From: &when})
	if err != nil || len(page.Reports) != 1 || page.Reports[0].ID != r.ID {
		t.Fatalf("the indexes do not follow the update: %+v, %v", page, err)
	}
}

// errStale is what an If-Match check in fn returns.
var errStale = errors.New("stale version")

// testUpdateOneVersion runs updates that each expect the version they read
// (as If-Match does) from several goroutines at once: exactly one wins.
func testUpdateOneVersion(t *testing.T, s geotag.ReportService) {
	rs := seed(t, s, 1)
	v := rs[0].Updated
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.UpdateReport(ctx, rs[0].ID, func(r *geotag.Report) error {
				if !r.Updated.Equal(v) {
					return errStale
				}
				r.Title = "winner"
				time.Sleep(5 * time.Millisecond) // hold the report while the others queue
				return nil
			})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch err {
		case nil:
			won++
		case errStale:
		default:
			t.Fatal(err)
		}
	}
	if won != 1 {
		t.Fatalf("%d updates of one version won, want 1", won)
	}
}

func testDelete(t *testing.T, s geotag.ReportService) {
	rs := seed(t, s, 5)
	if err := s.DeleteReport(ctx, rs[2].ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteReport(ctx, rs[2].ID), geotag.ENOTFOUND, "second delete")
	_, err := s.FindReportByID(ctx, rs[2].ID)
	wantCode(t, err, geotag.ENOTFOUND, "find after delete")
	page, err := s.FindReports(ctx, geotag.ReportFilter{})
	if err != nil || page.Total != 4 || slices.ContainsFunc(page.Reports, func(r *geotag.Report) bool { return r.ID == rs[2].ID }) {
		t.Fatalf("after a delete: %d reports, total %d, %v", len(page.Reports), page.Total, err)
	}
	// Its external id is free again.
	if err := s.CreateReport(ctx, &geotag.Report{Title: "again", ExternalID: rs[2].ExternalID}); err != nil {
		t.Fatal(err)
	}
}
