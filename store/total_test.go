package store_test

import (
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// Totals are exact up to store.TotalCap and flagged as a lower bound
// beyond it, on first and later pages.
func TestFindReports_TotalCap(t *testing.T) {
	db := mustOpen(t)
	g := newGen(5)
	n := 2*store.TotalCap + 300
	o := seed(t, db, g, n)
	world := &geotag.BBox{W: -180, S: -90, E: 180, N: 90}
	capped := 0
	for _, tt := range []struct {
		name string
		f    geotag.ReportFilter
	}{
		{"Everything", geotag.ReportFilter{Limit: 10}},
		{"World", geotag.ReportFilter{BBox: world, Limit: 10}},
		{"Reviewed", geotag.ReportFilter{Status: geotag.StatusReviewed, Limit: 10}},
		{"Levant", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}, Limit: 50}},
		{"Unreviewed", geotag.ReportFilter{Status: geotag.StatusUnreviewed, Limit: store.MaxLimit}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := len(o.find(tt.f))
			if want > store.TotalCap {
				capped++
			}
			page, err := db.FindReports(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			check := func(page geotag.ReportPage) {
				t.Helper()
				if want > store.TotalCap && tt.f.BBox != nil || want > store.TotalCap && tt.f.Status != "" {
					if !page.TotalCapped || page.Total != store.TotalCap {
						t.Fatalf("total %d capped %v, want %d capped (%d match)", page.Total, page.TotalCapped, store.TotalCap, want)
					}
				} else if page.TotalCapped || page.Total != want {
					t.Fatalf("total %d capped %v, want exactly %d", page.Total, page.TotalCapped, want)
				}
			}
			check(page)
			if page.Next == "" {
				return
			}
			f := tt.f
			f.Cursor = page.Next
			page, err = db.FindReports(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			check(page)
		})
	}
	if capped < 2 {
		t.Fatalf("%d filters match more than the cap: the test shows nothing", capped)
	}
}
