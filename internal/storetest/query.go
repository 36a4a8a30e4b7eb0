package storetest

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func ptr[T any](v T) *T { return &v }

// filters are the filter language's cases the stores are checked on.
func filters(rs []*geotag.Report) []geotag.ReportFilter {
	from, to := day0.Add(-90*24*time.Hour), day0.Add(-30*24*time.Hour)
	exact := rs[7].Time // a bound on a stored report's time, nanoseconds and all
	return []geotag.ReportFilter{
		{},
		{BBox: &geotag.BBox{W: 30, S: 30, E: 40, N: 40}},
		{BBox: &geotag.BBox{W: 170, S: -30, E: -170, N: 50}},
		{BBox: &geotag.BBox{W: -1, S: -1, E: 0, N: 0}},
		{BBox: &geotag.BBox{W: 179, S: 44, E: 180, N: 45}},
		{From: &from},
		{To: &to},
		{From: &from, To: &to},
		{From: &exact},
		{To: &exact},
		{From: &to, To: &from},
		{Status: geotag.StatusReviewed},
		{Status: geotag.StatusUnreviewed, BBox: &geotag.BBox{W: -180, S: -90, E: 180, N: 90}},
		{PlaceID: 103},
		{Tag: "aid"},
		{Tag: " FRONT "},
		{Tag: "été"},
		{Q: "école"},
		{Q: "100%"},
		{Q: "a_b"},
		{Q: "%"},
		{Q: "_"},
		{Q: "REPORT 1"},
		{EventTypes: []string{"battles"}},
		{EventTypes: []string{"Protests", "Riots", " battles "}},
		{FatalitiesMin: ptr(0)},
		{FatalitiesMin: ptr(10)},
		{Actor: "GROUP A"},
		{BBox: &geotag.BBox{W: 20, S: 20, E: 60, N: 60}, From: &from, Status: geotag.StatusUnreviewed},
		{Tag: "flood", PlaceID: 101},
		{Q: "market", BBox: &geotag.BBox{W: 170, S: -30, E: -170, N: 50}},
		{Actor: "militia c", FatalitiesMin: ptr(1), To: &to},
		{FatalitiesMax: ptr(3)},
		{FatalitiesMin: ptr(2), FatalitiesMax: ptr(20)},
		{EventTypes: []string{"battles", "Riots"}, BBox: &geotag.BBox{W: 30, S: 30, E: 40, N: 40}},
		{FatalitiesMin: ptr(10), BBox: &geotag.BBox{W: 20, S: 20, E: 60, N: 60}, From: &from},
		{FatalitiesMin: ptr(4), FatalitiesMax: ptr(12), BBox: &geotag.BBox{W: 30, S: 30, E: 40, N: 40}},
		{FatalitiesMax: ptr(0), BBox: &geotag.BBox{W: 170, S: -30, E: -170, N: 50}},
		{EventTypes: []string{"Protests"}, FatalitiesMin: ptr(1), BBox: &geotag.BBox{W: -180, S: -90, E: 180, N: 90}},
		{EventTypes: []string{"Battles"}, FatalitiesMin: ptr(3), Status: geotag.StatusUnreviewed, BBox: &geotag.BBox{W: 30, S: 30, E: 40, N: 40}},
		{Tag: "aid", Tags: []string{"FLOOD", "water"}},
		{Tag: "aid", Tags: []string{"front"}, TagsAll: true},
		{Tag: "water", Tags: []string{"été"}, TagsAll: true, BBox: &geotag.BBox{W: -180, S: -90, E: 180, N: 90}},
		{Located: ptr(true)},
		{Located: ptr(false)},
		{Located: ptr(false), Tag: "aid"},
	}
}

// all pages through f with limit, returning the IDs in order and the
// first page's total.
func all(t *testing.T, s geotag.ReportService, f geotag.ReportFilter, limit int) ([]string, geotag.ReportPage) {
	t.Helper()
	var ids []string
	var first geotag.ReportPage
	f.Limit = limit
	for i := 0; ; i++ {
		page, err := s.FindReports(ctx, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		if i == 0 {
			first = page
		}
		if len(page.Reports) > limit {
			t.Fatalf("page of %d reports, limit %d", len(page.Reports), limit)
		}
		for _, r := range page.Reports {
			ids = append(ids, r.ID)
		}
		if page.Next == "" {
			return ids, first
		}
		f.Cursor = page.Next
	}
}

func testFilters(t *testing.T, s geotag.ReportService) {
	rs := seed(t, s, 300)
	for i, f := range filters(rs) {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			want := oracleFind(rs, f)
			got, first := all(t, s, f, 13)
			if !slices.Equal(got, want) {
				t.Fatalf("filter %+v: got %d reports %v…, the oracle %d %v…", f, len(got), head(got), len(want), head(want))
			}
			if first.Total != len(want) || first.TotalCapped {
				t.Fatalf("filter %+v: total %d (capped %v), want %d", f, first.Total, first.TotalCapped, len(want))
			}
		})
	}
	page, err := s.FindReports(ctx, geotag.ReportFilter{})
	if err != nil || len(page.Reports) != 100 || page.Next == "" {
		t.Fatalf("default page: %d reports, next %q, %v", len(page.Reports), page.Next, err)
	}
}

func head(ids []string) []string { return ids[:min(len(ids), 3)] }

// testPagingWhileWriting pages through the reports while others are added
// (newer and older than the cursor) and deleted: no report is repeated,
// every report stored throughout and older than the first page is seen,
// and no deleted one is.
func testPagingWhileWriting(t *testing.T, s geotag.ReportService) {
	rs := seed(t, s, 120)
	deleted := map[string]bool{}
	seen := map[string]bool{}
	f := geotag.ReportFilter{Limit: 10}
	for page := 0; ; page++ {
		p, err := s.FindReports(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Reports {
			if seen[r.ID] || deleted[r.ID] {
				t.Fatalf("page %d: report %s repeated or deleted", page, r.ID)
			}
			seen[r.ID] = true
		}
		// A report newer than everything, one older than everything, and
		// the deletion of one not yet seen.
		for _, d := range []time.Duration{time.Hour, -500 * 24 * time.Hour} {
			n := &geotag.Report{Title: "written while paging", Time: day0.Add(d + time.Duration(page)*time.Minute)}
			if err := s.CreateReport(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range rs {
			if !seen[r.ID] && !deleted[r.ID] && page%2 == 0 {
				if err := s.DeleteReport(ctx, r.ID); err != nil {
					t.Fatal(err)
				}
				deleted[r.ID] = true
				break
			}
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	for _, r := range rs {
		if !deleted[r.ID] && !seen[r.ID] {
			t.Fatalf("report %s, stored throughout, was never listed", r.ID)
		}
	}
}

func testEach(t *testing.T, s geotag.ReportService) {
	rs := seed(t, s, 1100) // more than one chunk of a chunked walk
	for _, f := range []geotag.ReportFilter{{}, {Tag: "aid", Limit: 3, Cursor: "ignored"}, {BBox: &geotag.BBox{W: 170, S: -30, E: -170, N: 50}}} {
		var got []string
		err := s.EachReport(ctx, f, func(r *geotag.Report) error {
			got = append(got, r.ID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		f.Limit, f.Cursor = 0, ""
		if want := oracleFind(rs, f); !slices.Equal(got, want) {
			t.Fatalf("EachReport %+v: %d reports, the oracle %d", f, len(got), len(want))
		}
	}
	stop := fmt.Errorf("stop")
	n := 0
	err := s.EachReport(ctx, geotag.ReportFilter{}, func(*geotag.Report) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Fatalf("EachReport returned %v after %d reports, want fn's error after 3", err, n)
	}
}

func testCells(t *testing.T, s geotag.ReportService) {
	rs := seed(t, s, 300)
	for _, zoom := range []int{0, 3, 6, 12} {
		for _, f := range filters(rs)[:13] {
			got, err := s.Cells(ctx, f, zoom)
			if err != nil {
				t.Fatal(err)
			}
			want := oracleCells(rs, f, zoom)
			if len(got) != len(want) {
				t.Fatalf("zoom %d %+v: %d cells, the oracle %d", zoom, f, len(got), len(want))
			}
			for i := range got {
				if got[i].Count != want[i].Count || got[i].Precision != want[i].Precision || got[i].EventTypes != want[i].EventTypes ||
					math.Abs(got[i].Lat-want[i].Lat) > 1e-9 || math.Abs(got[i].Lon-want[i].Lon) > 1e-9 {
					t.Fatalf("zoom %d %+v: cell %d is %+v, the oracle's %+v", zoom, f, i, got[i], want[i])
				}
			}
		}
	}
}

// oracleCells groups the located matches in squares 360/2^(zoom+3)
// degrees wide, largest count first, then by latitude and longitude, each
// split by precision class and event type.
func oracleCells(rs []*geotag.Report, f geotag.ReportFilter, zoom int) []geotag.Cell {
	size := 360 / float64(uint64(1)<<(zoom+3))
	type acc struct {
		c        geotag.Cell
		lat, lon float64
	}
	m := map[[2]int32]*acc{}
	for _, r := range rs {
		if r.Location == nil || !Match(f, r) {
			continue
		}
		k := [2]int32{int32((r.Location.Lon + 180) / size), int32((r.Location.Lat + 90) / size)}
		if m[k] == nil {
			m[k] = &acc{}
		}
		m[k].c.Count++
		m[k].c.Precision[geotag.PrecisionClass(r.Location.Precision)-1]++
		m[k].c.EventTypes[geotag.EventTypeCode(r.EventType)]++
		m[k].lat += r.Location.Lat
		m[k].lon += r.Location.Lon
	}
	var out []geotag.Cell
	for _, a := range m {
		c := a.c
		c.Lat, c.Lon = a.lat/float64(c.Count), a.lon/float64(c.Count)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b geotag.Cell) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if a.Lat != b.Lat {
			return cmpF(a.Lat, b.Lat)
		}
		return cmpF(a.Lon, b.Lon)
	})
	return out
}

func cmpF(a, b float64) int {
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}
