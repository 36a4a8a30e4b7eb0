package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// TestEventHistogram splits the histogram's bins by event type: each
// type's counts sum with the untyped reports to the bin's count, a bbox
// and an event-type filter apply to the split as to the bins.
func TestEventHistogram(t *testing.T) {
	db := mustOpen(t)
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	add := func(typ string, days int, lat float64) {
		r := &geotag.Report{Text: "x", Time: day.AddDate(0, 0, days), Location: &geotag.Location{Lat: lat, Lon: 37, Mention: -1},
			Event: geotag.Event{EventType: typ}}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	add("Battles", 0, 36)
	add("Battles", 0, 36)
	add("Riots", 0, 36)
	add("", 0, 36)
	add("Protests", 3, 36)
	add("Battles", 3, 10) // outside the bbox below
	h, err := db.EventHistogram(ctx, geotag.ReportFilter{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if h.Truncated || len(h.ByType) != len(geotag.EventTypes) || h.Total != 6 {
		t.Fatalf("histogram %+v", h)
	}
	for j, n := range h.Counts {
		sum := 0
		for i := range h.ByType {
			sum += h.ByType[i][j]
		}
		untyped := 0
		if j == 0 {
			untyped = 1
		}
		if sum+untyped != n {
			t.Errorf("bin %d: types %d + untyped %d, count %d", j, sum, untyped, n)
		}
	}
	total := func(h geotag.EventHistogram, typ string) int {
		n := 0
		for _, c := range h.ByType[geotag.EventTypeCode(typ)-1] {
			n += c
		}
		return n
	}
	if total(h, "Battles") != 3 || total(h, "Riots") != 1 || total(h, "Protests") != 1 {
		t.Errorf("by type %v", h.ByType)
	}
	box := geotag.BBox{W: 30, S: 30, E: 40, N: 40}
	h, err = db.EventHistogram(ctx, geotag.ReportFilter{BBox: &box, EventTypes: []string{"Battles", "Protests"}}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if h.Total != 3 || total(h, "Battles") != 2 || total(h, "Protests") != 1 || total(h, "Riots") != 0 {
		t.Errorf("filtered: total %d, by type %v", h.Total, h.ByType)
	}
	if _, err := db.EventHistogram(ctx, geotag.ReportFilter{}, 0); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("bins 0: %v", err)
	}
}

// TestFatalitiesRange: fatalities_min and fatalities_max together keep
// the reports whose known count is within both, on the event index and
// when another index is walked (a tag); unknown counts never match; a
// bound out of range is EINVALID.
func TestFatalitiesRange(t *testing.T) {
	db := mustOpen(t)
	for _, n := range []*int{iptr(0), iptr(3), iptr(10), iptr(50), nil} {
		r := &geotag.Report{Text: "x", Tags: []string{"t"}, Event: geotag.Event{EventType: "Battles", Fatalities: n}}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		min, max *int
		tag      string
		want     int
	}{{iptr(3), iptr(10), "", 2}, {nil, iptr(3), "", 2}, {iptr(3), iptr(10), "t", 2}, {nil, iptr(0), "t", 1}, {iptr(11), nil, "", 1}} {
		p, err := db.FindReports(ctx, geotag.ReportFilter{FatalitiesMin: c.min, FatalitiesMax: c.max, Tag: c.tag})
		if err != nil || len(p.Reports) != c.want {
			t.Errorf("min %v max %v tag %q: %d reports, %v; want %d", c.min, c.max, c.tag, len(p.Reports), err, c.want)
		}
	}
	if _, err := db.FindReports(ctx, geotag.ReportFilter{FatalitiesMax: iptr(-1)}); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("max -1: %v", err)
	}
}

// TestEventFiltersOnEntries: a bbox with event types, or with fatality
// bounds on class edges, is answered on the cells with the entries' flags,
// and gives what the event index gives (a bound off the edges, walked on
// the event index, as the check).
func TestEventFiltersOnEntries(t *testing.T) {
	db := mustOpen(t)
	types := []string{"Battles", "Riots", "", "Protests"}
	for i := range 120 {
		var f *int
		if i%5 != 0 {
			f = iptr(i % 37)
		}
		r := &geotag.Report{Text: "x", Time: time.Date(2024, 3, 1, 0, i, 0, 0, time.UTC),
			Location: &geotag.Location{Lat: 36 + float64(i%7)/10, Lon: 37 + float64(i%11)/10, Mention: -1},
			Event:    geotag.Event{EventType: types[i%4], Fatalities: f}}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	box := &geotag.BBox{W: 37.05, S: 36.05, E: 37.75, N: 36.45}
	count := func(f geotag.ReportFilter) int {
		n := 0
		if err := db.EachReport(ctx, f, func(*geotag.Report) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	slow := func(f geotag.ReportFilter) int { // every report, checked here
		n := 0
		db.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error {
			l := r.Location
			in := box.Contains(l.Lat, l.Lon) && (len(f.EventTypes) == 0 || slices.Contains(f.EventTypes, r.EventType)) &&
				(f.FatalitiesMin == nil || r.Fatalities != nil && *r.Fatalities >= *f.FatalitiesMin) &&
				(f.FatalitiesMax == nil || r.Fatalities != nil && *r.Fatalities <= *f.FatalitiesMax)
			if in {
				n++
			}
			return nil
		})
		return n
	}
	for _, f := range []geotag.ReportFilter{
		{EventTypes: []string{"Battles"}}, {EventTypes: []string{"Riots", "Protests"}}, {FatalitiesMin: iptr(10)},
		{FatalitiesMin: iptr(3), FatalitiesMax: iptr(29)}, {FatalitiesMin: iptr(0), FatalitiesMax: iptr(0)},
		{FatalitiesMin: iptr(11)}, {FatalitiesMax: iptr(12), EventTypes: []string{"Battles"}},
	} {
		f.BBox = box
		want := slow(f)
		if got := count(f); got != want || want == 0 {
			t.Errorf("%+v: %d reports, want %d", f, got, want)
		}
		p, err := db.FindReports(ctx, f)
		if err != nil || p.Total != want {
			t.Errorf("%+v: total %d, %v", f, p.Total, err)
		}
	}
}
