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
		return &geotag.Location{Lat: lat, Lon: lon, Mention: -1, Precision: rng.IntN(4)} // 0 counts as a region
	}
	eventType := func() string {
		if k := rng.IntN(len(geotag.EventTypes) + 1); k > 0 {
			return geotag.EventTypes[k-1].Name
		}
		return ""
	}
	var rs []*geotag.Report
	for i := range n {
		r := &geotag.Report{Title: fmt.Sprint(i), Time: day0.Add(time.Duration(rng.IntN(300*24*60)) * time.Minute), Location: point()}
		r.EventType = eventType()
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	for i := 0; i < n; i += 7 {
		r, err := db.UpdateReport(ctx, rs[i].ID, func(r *geotag.Report) error {
			r.Location, r.Time = point(), r.Time.Add(-40*24*time.Hour)
			r.EventType = eventType()
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
				sameCells(t, fmt.Sprintf("%+v zoom %d", f, zoom), got, want)
			}
		}
	}
}

// sameCells fails unless the cells from the counts, got, are the walk's,
// want, with the same splits by precision and type. Means are sums in
// another order (and sums that saw reports leave), so a mean on a
// square's edge may move by a rounding: it matches the cells by position,
// to a tolerance.
func sameCells(t *testing.T, view string, got, want []geotag.Cell) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d cells from the counts, %d from the walk", view, len(got), len(want))
	}
	same := func(c, w geotag.Cell) bool {
		return w.Count == c.Count && w.Precision == c.Precision && w.EventTypes == c.EventTypes &&
			math.Abs(c.Lat-w.Lat) < 1e-6 && math.Abs(c.Lon-w.Lon) < 1e-6
	}
	used := make([]bool, len(want))
	for i, c := range got {
		j := slices.IndexFunc(want, func(w geotag.Cell) bool { return same(c, w) })
		for j >= 0 && used[j] {
			k := slices.IndexFunc(want[j+1:], func(w geotag.Cell) bool { return same(c, w) })
			if k < 0 {
				j = -1
			} else {
				j += 1 + k
			}
		}
		if j < 0 || (i > 0 && c.Count > got[i-1].Count) {
			t.Fatalf("%s: cell %d %+v from the counts is not among the walk's", view, i, c)
		}
		used[j] = true
	}
}

// TestMigrateCellSplit opens a schema-4 database, whose cellday rows are
// not split by precision and type: migration 5 splits them, and the
// counts then answer as the walk does.
func TestMigrateCellSplit(t *testing.T) {
	ctx := context.Background()
	dsn := freshDSN(t)
	db, err := Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	rs := seedCells(t, db, 400)
	var want [3]int
	for _, r := range rs {
		want[geotag.PrecisionClass(r.Location.Precision)-1]++
	}
	_, err = db.pool.Exec(ctx, `ALTER TABLE reports DROP COLUMN precision_class;
		ALTER TABLE cellday DROP COLUMN p1, DROP COLUMN p2, DROP COLUMN p3, DROP COLUMN e0, DROP COLUMN e1,
			DROP COLUMN e2, DROP COLUMN e3, DROP COLUMN e4, DROP COLUMN e5, DROP COLUMN e6;
		UPDATE schema_version SET version = 4`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if db, err = Open(ctx, dsn, nil); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The precision classes filled from the records are the reports'.
	for _, min := range []int{0, -1} {
		cs, err := db.cells(ctx, geotag.ReportFilter{}, 0, min)
		if err != nil {
			t.Fatal(err)
		}
		var got [3]int
		for _, c := range cs {
			for i := range got {
				got[i] += c.Precision[i]
			}
		}
		if got != want {
			t.Fatalf("after the migration (min %d) the cells hold %v reports by precision class, the reports %v", min, got, want)
		}
	}
	from := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range []geotag.ReportFilter{{}, {From: &from}, {BBox: &geotag.BBox{W: 30, S: 30, E: 40, N: 40}}} {
		for _, zoom := range []int{0, 4, 9} {
			got, err := db.cells(ctx, f, zoom, 0)
			if err != nil {
				t.Fatal(err)
			}
			want, err := db.cells(ctx, f, zoom, -1)
			if err != nil {
				t.Fatal(err)
			}
			sameCells(t, fmt.Sprintf("%+v zoom %d", f, zoom), got, want)
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
