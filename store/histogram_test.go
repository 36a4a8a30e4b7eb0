package store_test

import (
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func TestHistogram(t *testing.T) {
	db := mustOpen(t)
	g := newGen(11)
	o := seed(t, db, g, 1500)
	for _, tt := range []struct {
		name string
		f    geotag.ReportFilter
		bins int
	}{
		{"All", geotag.ReportFilter{}, 120},
		{"OneBin", geotag.ReportFilter{}, 1},
		{"Levant", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}}, 60},
		{"ReviewedSince", geotag.ReportFilter{Status: geotag.StatusReviewed, From: ptime(g.base.AddDate(1, 0, 0))}, 7},
		{"Text", geotag.ReportFilter{Q: "a"}, 1000},
		{"EventTypes", geotag.ReportFilter{EventTypes: []string{"Battles", "Protests"}}, 100},
		{"Fatalities", geotag.ReportFilter{FatalitiesMin: iptr(10), From: ptime(g.base.AddDate(1, 0, 0))}, 30},
		{"Nothing", geotag.ReportFilter{BBox: &geotag.BBox{W: 1, S: 1, E: 1.0001, N: 1.0001}}, 50},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, err := db.Histogram(ctx, tt.f, tt.bins)
			if err != nil {
				t.Fatal(err)
			}
			ids := o.find(tt.f)
			if h.Total != len(ids) {
				t.Fatalf("total %d, want %d", h.Total, len(ids))
			}
			if len(ids) == 0 {
				if len(h.Counts) != 0 {
					t.Fatalf("%d bins for no matches", len(h.Counts))
				}
				return
			}
			if len(h.Counts) == 0 || len(h.Counts) > tt.bins {
				t.Fatalf("%d bins, want 1…%d", len(h.Counts), tt.bins)
			}
			width := time.Duration(h.WidthSeconds) * time.Second
			if width < time.Minute || width%time.Minute != 0 || (width/time.Minute)&(width/time.Minute-1) != 0 {
				t.Fatalf("width %v is not a power-of-two multiple of a minute", width)
			}
			// Each match in the bin its time falls in, by the oracle.
			want := make([]int, len(h.Counts))
			for _, id := range ids {
				tm := o[id].Time
				i := int(tm.Sub(h.From) / width)
				if tm.Before(h.From) || i >= len(want) {
					t.Fatalf("report at %v outside the bins %v + %d × %v", tm, h.From, len(want), width)
				}
				want[i]++
			}
			sum := 0
			for i := range want {
				if h.Counts[i] != want[i] {
					t.Fatalf("bin %d (%v): %d, want %d", i, h.From.Add(time.Duration(i)*width), h.Counts[i], want[i])
				}
				sum += h.Counts[i]
			}
			if sum != h.Total {
				t.Fatalf("counts sum to %d, total %d", sum, h.Total)
			}
			if h.Counts[0] == 0 || h.Counts[len(h.Counts)-1] == 0 {
				t.Errorf("the end bins are empty: %v", h.Counts)
			}
			// The narrowest width: half of it would need more bins.
			if width > time.Minute {
				first, last := o[ids[len(ids)-1]].Time, o[ids[0]].Time
				if span := last.Truncate(time.Minute).Sub(first.Truncate(time.Minute)); span < time.Duration(tt.bins-1)*(width/2) {
					t.Errorf("width %v for a span of %v in %d bins", width, span, tt.bins)
				}
			}
		})
	}
	for _, bins := range []int{0, -1, 1001} {
		if _, err := db.Histogram(ctx, geotag.ReportFilter{}, bins); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("bins %d: err=%v, want EINVALID", bins, err)
		}
	}
}
