package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// seed stores n generated reports and returns the oracle of them.
func seed(t *testing.T, db *store.DB, g *gen, n int) oracle {
	t.Helper()
	rs := make([]*geotag.Report, n)
	for i := range rs {
		rs[i] = g.report()
	}
	if _, err := db.Import(ctx, rs); err != nil {
		t.Fatal(err)
	}
	o := oracle{}
	for _, r := range rs {
		o[r.ID] = r
	}
	return o
}

func TestFindReports(t *testing.T) {
	db := mustOpen(t)
	g := newGen(4)
	o := seed(t, db, g, 1500)
	t0 := g.base
	filters := []struct {
		name string
		f    geotag.ReportFilter
	}{
		{"All", geotag.ReportFilter{}},
		{"World", geotag.ReportFilter{BBox: &geotag.BBox{W: -180, S: -90, E: 180, N: 90}}},
		{"Aleppo", geotag.ReportFilter{BBox: &geotag.BBox{W: 36.5, S: 35.5, E: 37.8, N: 36.8}}},
		{"CityTiny", geotag.ReportFilter{BBox: &geotag.BBox{W: 37.1, S: 36.1, E: 37.2, N: 36.3}}},
		{"Levant", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}}},
		{"Europe", geotag.ReportFilter{BBox: &geotag.BBox{W: -10, S: 35, E: 40, N: 60}}},
		{"Antimeridian", geotag.ReportFilter{BBox: &geotag.BBox{W: 179, S: -20, E: -179, N: -15}}},
		{"AntimeridianEast", geotag.ReportFilter{BBox: &geotag.BBox{W: 170, S: -20, E: -170, N: 0}}},
		{"AntimeridianWide", geotag.ReportFilter{BBox: &geotag.BBox{W: 10, S: -90, E: 0, N: 90}}},
		{"Empty", geotag.ReportFilter{BBox: &geotag.BBox{W: -50, S: -50, E: -40, N: -40}}},
		{"From", geotag.ReportFilter{From: ptime(t0.AddDate(2, 0, 0))}},
		{"To", geotag.ReportFilter{To: ptime(t0.AddDate(0, 6, 0))}},
		{"Window", geotag.ReportFilter{From: ptime(t0.AddDate(1, 0, 0)), To: ptime(t0.AddDate(1, 2, 0))}},
		{"EmptyWindow", geotag.ReportFilter{From: ptime(t0.AddDate(1, 0, 0)), To: ptime(t0)}},
		{"BBoxWindow", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40},
			From: ptime(t0.AddDate(0, 3, 0)), To: ptime(t0.AddDate(1, 0, 0))}},
		{"Place", geotag.ReportFilter{PlaceID: 170063}},
		{"PlaceBBox", geotag.ReportFilter{PlaceID: 250441, BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}}},
		{"PlaceTagQ", geotag.ReportFilter{PlaceID: 703448, Tag: "shelling", Q: "fighting"}},
		{"Status", geotag.ReportFilter{Status: geotag.StatusReviewed}},
		{"StatusBBox", geotag.ReportFilter{Status: geotag.StatusUnreviewed, BBox: &geotag.BBox{W: 0, S: 40, E: 10, N: 50}}},
		{"Tag", geotag.ReportFilter{Tag: "SHELLING"}},
		{"TagWindow", geotag.ReportFilter{Tag: "protest", From: ptime(t0.AddDate(1, 0, 0))}},
		{"Q", geotag.ReportFilter{Q: "heavy fighting"}},
		{"QBBox", geotag.ReportFilter{Q: "FLOODS", BBox: &geotag.BBox{W: 179, S: -20, E: -179, N: -15}}},
		{"EventType", geotag.ReportFilter{EventTypes: []string{"battles"}}},
		{"EventTypes", geotag.ReportFilter{EventTypes: []string{"Riots", "Protests", "Riots"}}},
		{"FatalitiesMin", geotag.ReportFilter{FatalitiesMin: iptr(20)}},
		{"FatalitiesKnown", geotag.ReportFilter{FatalitiesMin: iptr(0)}},
		{"EventTypeFatalitiesBBoxStatus", geotag.ReportFilter{EventTypes: []string{"Battles", "Explosions/Remote violence"},
			FatalitiesMin: iptr(5), BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}, Status: geotag.StatusUnreviewed}},
		{"Actor", geotag.ReportFilter{Actor: "wagner group"}},
		{"ActorEventWindow", geotag.ReportFilter{Actor: "HTS", EventTypes: []string{"Battles", "Riots"}, From: ptime(t0.AddDate(1, 0, 0))}},
		{"TagEventFatalities", geotag.ReportFilter{Tag: "shelling", EventTypes: []string{"Protests"}, FatalitiesMin: iptr(1)}},
		{"PlaceEvent", geotag.ReportFilter{PlaceID: 170063, EventTypes: []string{"Battles"}}},
		{"Everything", geotag.ReportFilter{BBox: &geotag.BBox{W: 0, S: 0, E: 60, N: 60}, From: ptime(t0),
			To: ptime(t0.AddDate(2, 0, 0)), PlaceID: 170063, Status: geotag.StatusUnreviewed, Tag: "airstrike", Q: "item"}},
	}
	for _, tt := range filters {
		for _, limit := range []int{0, 7, 1000} {
			t.Run(fmt.Sprintf("%s/limit%d", tt.name, limit), func(t *testing.T) {
				f := tt.f
				f.Limit = limit
				want := o.find(f)
				got, total := findAll(t, db, f)
				if total != len(want) {
					t.Errorf("total=%d, want %d", total, len(want))
				}
				if !slices.Equal(got, want) {
					t.Fatalf("got %d reports, want %d (first difference at %d)", len(got), len(want), firstDiff(got, want))
				}
			})
		}
		t.Run(tt.name+"/Each", func(t *testing.T) {
			var got []string
			err := db.EachReport(ctx, tt.f, func(r *geotag.Report) error { got = append(got, r.ID); return nil })
			if err != nil {
				t.Fatal(err)
			}
			if want := o.find(tt.f); !slices.Equal(got, want) {
				t.Fatalf("got %d reports, want %d", len(got), len(want))
			}
		})
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestFindReports_ErrInvalid(t *testing.T) {
	db := mustOpen(t)
	for _, f := range []geotag.ReportFilter{
		{Limit: -1},
		{Status: "maybe"},
		{Cursor: "!!"},
		{Cursor: "AAAA"},
		{BBox: &geotag.BBox{W: 0, S: 10, E: 1, N: 5}},
		{BBox: &geotag.BBox{W: -190, S: 0, E: 1, N: 5}},
		{EventTypes: []string{"Skirmish"}},
		{FatalitiesMin: iptr(-1)},
	} {
		if _, err := db.FindReports(ctx, f); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("%+v: err=%v, want EINVALID", f, err)
		}
	}
}

// TestFindReports_CursorWhileAdding pages through the reports while others
// are added and deleted between pages: no report present throughout is
// skipped or repeated.
func TestFindReports_CursorWhileAdding(t *testing.T) {
	db := mustOpen(t)
	g := newGen(5)
	o := seed(t, db, g, 300)
	before := o.find(geotag.ReportFilter{})
	deleted := map[string]bool{}
	seen := map[string]int{}
	f := geotag.ReportFilter{Limit: 13}
	for i := 0; ; i++ {
		p, err := db.FindReports(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Reports {
			seen[r.ID]++
		}
		// Between pages: add reports at random times, delete one not yet seen.
		for j := 0; j < 5; j++ {
			if err := db.CreateReport(ctx, g.report()); err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range before[len(before)/2:] {
			if seen[id] == 0 && !deleted[id] && i%3 == 0 {
				if err := db.DeleteReport(ctx, id); err != nil {
					t.Fatal(err)
				}
				deleted[id] = true
				break
			}
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	for _, id := range before {
		if !deleted[id] && seen[id] != 1 {
			t.Errorf("report %s seen %d times, want once", id, seen[id])
		}
		if deleted[id] && seen[id] != 0 {
			t.Errorf("deleted report %s seen", id)
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("report %s repeated %d times", id, n)
		}
	}
}

func TestEachReport_Stop(t *testing.T) {
	db := mustOpen(t)
	seed(t, db, newGen(6), 1200)
	boom := errors.New("boom")
	n := 0
	err := db.EachReport(ctx, geotag.ReportFilter{}, func(*geotag.Report) error {
		if n++; n == 700 {
			return boom
		}
		return nil
	})
	if err != boom || n != 700 {
		t.Fatalf("err=%v after %d reports, want fn's error after 700", err, n)
	}
}

func TestCells(t *testing.T) {
	db := mustOpen(t)
	g := newGen(7)
	o := seed(t, db, g, 1000)
	for _, tt := range []struct {
		name string
		f    geotag.ReportFilter
		zoom int
	}{
		{"World", geotag.ReportFilter{}, 0},
		{"WorldZ3", geotag.ReportFilter{}, 3},
		{"Levant", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}}, 6},
		{"AntimeridianTime", geotag.ReportFilter{BBox: &geotag.BBox{W: 170, S: -30, E: -170, N: 0},
			From: ptime(g.base.AddDate(1, 0, 0))}, 9},
		{"Street", geotag.ReportFilter{Status: geotag.StatusReviewed}, 18},
		{"EventType", geotag.ReportFilter{EventTypes: []string{"Battles", "Riots"}}, 0},
		{"FatalitiesActor", geotag.ReportFilter{FatalitiesMin: iptr(3), Actor: "RSF"}, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cells, err := db.Cells(ctx, tt.f, tt.zoom)
			if err != nil {
				t.Fatal(err)
			}
			// Every located match is counted exactly once, in a cell whose
			// mean lies within the cell's square.
			want := 0
			for _, id := range o.find(tt.f) {
				if o[id].Location != nil {
					want++
				}
			}
			size := 360 / float64(uint(1)<<(tt.zoom+3))
			got := 0
			for i, c := range cells {
				got += c.Count
				if c.Count <= 0 {
					t.Errorf("cell %d: count %d", i, c.Count)
				}
				if i > 0 && cells[i-1].Count < c.Count {
					t.Errorf("cells not ordered by count")
				}
				if c.Lat < -90 || c.Lat > 90 || c.Lon < -180 || c.Lon > 180 {
					t.Errorf("cell %d at %v,%v", i, c.Lat, c.Lon)
				}
			}
			if got != want {
				t.Fatalf("cells count %d reports, want %d", got, want)
			}
			if len(cells) > 0 && tt.zoom >= 9 && len(cells) < 2 {
				t.Errorf("zoom %d gives %d cells (cell size %v°)", tt.zoom, len(cells), size)
			}
		})
	}
	if _, err := db.Cells(ctx, geotag.ReportFilter{}, -1); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Fatalf("zoom -1: err=%v, want EINVALID", err)
	}
}

func TestCells_Mean(t *testing.T) {
	db := mustOpen(t)
	for _, p := range [][2]float64{{10, 20}, {10.2, 20.2}, {-40, -100}} {
		r := &geotag.Report{Title: "p", Time: time.Now(), Location: &geotag.Location{Lat: p[0], Lon: p[1]}}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	cells, err := db.Cells(ctx, geotag.ReportFilter{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []geotag.Cell{{Lat: 10.1, Lon: 20.1, Count: 2}, {Lat: -40, Lon: -100, Count: 1, Precision: [3]int{0, 0, 1}, EventTypes: [7]int{1}}}
	if len(cells) != 2 || cells[0].Count != 2 || cells[1] != want[1] ||
		abs(cells[0].Lat-10.1) > 1e-9 || abs(cells[0].Lon-20.1) > 1e-9 {
		t.Fatalf("cells=%v, want %v", cells, want)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func iptr(n int) *int { return &n }
