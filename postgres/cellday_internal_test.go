package postgres

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// seedCells stores n located reports at random points (some on cell edges
// and at the map's limits) and times over 300 days, then moves some and
// deletes others, so that the counts have seen every kind of write.
func seedCells(t *testing.T, db *DB, n int) []*geotag.Report {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 5))
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	point := func() *geotag.Location {
		lat, lon := rng.Float64()*170-85, rng.Float64()*360-180
		switch rng.IntN(8) {
		case 0: // on a level-6 cell edge
			lat, lon = math.Round(lat/5.625)*5.625, math.Round(lon/5.625)*5.625
		case 1:
			lon = 180
		case 2:
			lat, lon = 36+rng.Float64(), 37+rng.Float64() // a dense spot
		}
		return &geotag.Location{Lat: lat, Lon: lon, Mention: -1}
	}
	var rs []*geotag.Report
	for i := range n {
		r := &geotag.Report{Title: fmt.Sprint(i), Time: day0.Add(time.Duration(rng.IntN(300*24*60)) * time.Minute), Location: point()}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	for i := 0; i < n; i += 7 {
		r, err := db.UpdateReport(ctx, rs[i].ID, func(r *geotag.Report) error {
			r.Location, r.Time = point(), r.Time.Add(-40*24*time.Hour)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rs[i] = r
	}
	for i := 3; i < n; i += 11 {
		if err := db.DeleteReport(ctx, rs[i].ID); err != nil {
			t.Fatal(err)
		}
		rs[i] = nil
	}
	return slices.DeleteFunc(rs, func(r *geotag.Report) bool { return r == nil })
}

// TestCellCounts checks the cell-day answer of Cells against the grouped
// walk, for world, regional, edge-aligned and antimeridian views, with and
// without whole-day windows, at every zoom the counts serve.
func TestCellCounts(t *testing.T) {
	db := openFresh(t)
	seedCells(t, db, 1500)
	ctx := context.Background()
	from, to := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 9, 3, 0, 0, 0, 0, time.UTC)
	boxes := []*geotag.BBox{nil, {W: -180, S: -90, E: 180, N: 90}, {W: 30, S: 30, E: 40, N: 40},
		{W: -11.25, S: -5.625, E: 50.625, N: 45}, {W: 150, S: -60, E: -150, N: 60}, {W: 36.5, S: 36.5, E: 36.6, N: 36.6}}
	for _, b := range boxes {
		for _, win := range [][2]*time.Time{{nil, nil}, {&from, nil}, {nil, &to}, {&from, &to}} {
			f := geotag.ReportFilter{BBox: b, From: win[0], To: win[1]}
			for zoom := 0; zoom <= 9; zoom++ {
				got, err := db.cells(ctx, f, zoom, 0)
				if err != nil {
					t.Fatal(err)
				}
				want, err := db.cells(ctx, f, zoom, -1)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("%+v zoom %d: %d cells from the counts, %d from the walk", f, zoom, len(got), len(want))
				}
				// Means are sums in another order (and sums that saw
				// reports leave), so a mean on a square's edge may move
				// by a rounding: match the cells by position, to a
				// tolerance.
				used := make([]bool, len(want))
				for i, c := range got {
					j := slices.IndexFunc(want, func(w geotag.Cell) bool {
						return w.Count == c.Count && math.Abs(c.Lat-w.Lat) < 1e-6 && math.Abs(c.Lon-w.Lon) < 1e-6
					})
					for j >= 0 && used[j] {
						k := slices.IndexFunc(want[j+1:], func(w geotag.Cell) bool {
							return w.Count == c.Count && math.Abs(c.Lat-w.Lat) < 1e-6 && math.Abs(c.Lon-w.Lon) < 1e-6
						})
						if k < 0 {
							j = -1
						} else {
							j += 1 + k
						}
					}
					if j < 0 || (i > 0 && c.Count > got[i-1].Count) {
						t.Fatalf("%+v zoom %d: cell %d %+v from the counts is not among the walk's", f, zoom, i, c)
					}
					used[j] = true
				}
			}
		}
	}
}

// TestDayHistogram checks the day bins from the counts against per-day
// counts of the reports.
func TestDayHistogram(t *testing.T) {
	db := openFresh(t)
	rs := seedCells(t, db, 1200)
	ctx := context.Background()
	from := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range []geotag.ReportFilter{
		{BBox: &geotag.BBox{W: -180, S: -90, E: 180, N: 90}},
		{BBox: &geotag.BBox{W: -20, S: -10, E: 60, N: 50}, From: &from},
		{BBox: &geotag.BBox{W: 150, S: -60, E: -150, N: 60}},
	} {
		for _, bins := range []int{10, 100} {
			h, err := db.histogram(ctx, f, bins, 0)
			if err != nil {
				t.Fatal(err)
			}
			if h.WidthSeconds%86400 != 0 || h.From.Unix()%86400 != 0 || len(h.Counts) > bins {
				t.Fatalf("%+v: bins from %v, %d s wide, %d of them: not whole days", f, h.From, h.WidthSeconds, len(h.Counts))
			}
			want := make([]int, len(h.Counts))
			total := 0
			for _, r := range rs {
				if f.BBox.Contains(r.Location.Lat, r.Location.Lon) && (f.From == nil || !r.Time.Before(*f.From)) {
					i := int((r.Time.Unix() - h.From.Unix()) / h.WidthSeconds)
					if i < 0 || i >= len(want) {
						t.Fatalf("%+v: report at %v outside the bins from %v", f, r.Time, h.From)
					}
					want[i]++
					total++
				}
			}
			if !slices.Equal(h.Counts, want) || h.Total != total {
				t.Fatalf("%+v, %d bins: %v (total %d), the reports give %v (%d)", f, bins, h.Counts, h.Total, want, total)
			}
		}
	}
}
