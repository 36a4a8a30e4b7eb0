package store_test

import (
	"bytes"
	"testing"

	"github.com/geotag/geotag"
)

// FindFeatures answers exactly the features of FindReports' page, with
// the same cursor and totals, on first and later pages.
func TestFindFeatures(t *testing.T) {
	db := mustOpen(t)
	g := newGen(3)
	seed(t, db, g, 800)
	for _, f := range []geotag.ReportFilter{
		{},
		{Limit: 7},
		{BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}, Limit: 50},
		{Status: geotag.StatusReviewed, Limit: 1000},
		{Q: "a", Limit: 20},
		{Tag: "x", Limit: 5},
		{From: ptime(g.base.AddDate(1, 0, 0)), Limit: 30},
	} {
		for pages := 0; pages < 3; pages++ {
			want, err := db.FindReports(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.FindFeatures(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var wb []byte
			for _, r := range want.Reports {
				wb = append(geotag.AppendReportFeature(wb, r), '\n')
			}
			if !bytes.Equal(got.Features, wb) || got.N != len(want.Reports) || got.Reports != nil {
				t.Fatalf("%+v: %d features (%d bytes), FindReports gives %d (%d bytes)", f, got.N, len(got.Features), len(want.Reports), len(wb))
			}
			if got.Next != want.Next || got.Total != want.Total || got.TotalCapped != want.TotalCapped {
				t.Fatalf("%+v: next %q total %d/%v, FindReports %q %d/%v", f, got.Next, got.Total, got.TotalCapped, want.Next, want.Total, want.TotalCapped)
			}
			if want.Next == "" {
				break
			}
			f.Cursor = want.Next
		}
	}
	if _, err := db.FindFeatures(ctx, geotag.ReportFilter{Cursor: "!"}); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Fatalf("bad cursor: %v", err)
	}
}
