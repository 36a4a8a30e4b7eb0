package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// TestCellTotal: the cell-day counts say a view has more matches than a
// limit only when it has (a view of bbox and whole days, counted by the
// full-scan oracle), and never for views they cannot answer.
func TestCellTotal(t *testing.T) {
	db := openFresh(t)
	ctx := context.Background()
	rs := seedCells(t, db, 240)
	day := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	off := day.Add(time.Hour)
	reviewed := geotag.StatusReviewed
	views := []geotag.ReportFilter{
		{},
		{BBox: &geotag.BBox{W: 30, S: 30, E: 45, N: 45}},
		{BBox: &geotag.BBox{W: 35.5, S: 35.5, E: 38.5, N: 38.5}, From: &day},
		{BBox: &geotag.BBox{W: 170, S: -60, E: -170, N: 60}}, // across the antimeridian
		{To: &day},
		{BBox: &geotag.BBox{W: 30, S: 30, E: 45, N: 45}, From: &off},       // not whole days
		{BBox: &geotag.BBox{W: 30, S: 30, E: 45, N: 45}, Status: reviewed}, // another filter
	}
	answered := 0
	for i, f := range views {
		c, err := compile(f)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range rs {
			if f.Match(r) {
				n++
			}
		}
		for _, limit := range []int{0, n / 4, n / 2, n - 1, n, n + 1} {
			more, err := db.cellTotal(ctx, c, limit)
			if err != nil {
				t.Fatal(err)
			}
			if more && n <= limit {
				t.Errorf("view %d: more than %d matches, says the counts; there are %d", i, limit, n)
			}
			if more {
				answered++
				if i >= 5 {
					t.Errorf("view %d: the counts cannot answer it, yet did", i)
				}
			}
		}
	}
	if answered < 8 {
		t.Errorf("the counts answered %d times: the test shows nothing", answered)
	}
}
