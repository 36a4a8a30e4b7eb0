package storetest

import (
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// EventStore is a report service that splits its histogram by event type.
type EventStore interface {
	geotag.ReportService
	geotag.EventHistogrammer
}

// RunEventHistogram checks the split histogram on a fresh store: each
// bin's typed counts and its untyped reports sum to the bin's count; a
// bbox and an event-type filter apply to the split as to the bins; the
// seeded fixtures' split matches the oracle's per-type histogram.
func RunEventHistogram(t *testing.T, open func(t *testing.T) EventStore) {
	s := open(t)
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	add := func(typ string, days int, lat float64) {
		r := &geotag.Report{Text: "x", Time: day.AddDate(0, 0, days), Location: &geotag.Location{Lat: lat, Lon: 37, Mention: -1},
			Event: geotag.Event{EventType: typ}}
		if err := s.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	add("Battles", 0, 36)
	add("Battles", 0, 36)
	add("Riots", 0, 36)
	add("", 0, 36)
	add("Protests", 3, 36)
	add("Battles", 3, 10) // outside the bbox below
	h, err := s.EventHistogram(ctx, geotag.ReportFilter{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if h.Truncated || len(h.ByType) != len(geotag.EventTypes) || h.Total != 6 {
		t.Fatalf("histogram %+v", h)
	}
	untyped := make([]int, len(h.Counts))
	untyped[0] = 1
	for j, n := range h.Counts {
		sum := untyped[j]
		for i := range h.ByType {
			sum += h.ByType[i][j]
		}
		if sum != n {
			t.Errorf("bin %d: types and untyped %d, count %d", j, sum, n)
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
	h, err = s.EventHistogram(ctx, geotag.ReportFilter{BBox: &box, EventTypes: []string{"Battles", "Protests"}}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if h.Total != 3 || total(h, "Battles") != 2 || total(h, "Protests") != 1 || total(h, "Riots") != 0 {
		t.Errorf("filtered: total %d, by type %v", h.Total, h.ByType)
	}
	_, err = s.EventHistogram(ctx, geotag.ReportFilter{}, 0)
	wantCode(t, err, geotag.EINVALID, "bins 0")

	// The seeded fixtures: each type's split is the histogram of the
	// filter with that one type, binned as the whole view's.
	s = open(t)
	rs := seed(t, s, 300)
	for _, f := range []geotag.ReportFilter{{}, {Tag: "aid"}, {BBox: &geotag.BBox{W: 170, S: -40, E: -170, N: 60}}} {
		h, err := s.EventHistogram(ctx, f, 40)
		if err != nil || h.Truncated {
			t.Fatalf("%+v: %v (truncated %v)", f, err, h.Truncated)
		}
		for i, et := range geotag.EventTypes {
			want := make([]int, len(h.Counts))
			ft := f
			ft.EventTypes = []string{et.Name}
			for _, r := range rs {
				if !ft.Match(r) {
					continue
				}
				m := max(r.Time.Unix(), geotag.MinReportTime.Unix()) / 60 * 60
				if j := (m - h.From.Unix()) / h.WidthSeconds; m >= h.From.Unix() && j < int64(len(want)) {
					want[j]++
				}
			}
			for j := range want {
				if h.ByType[i][j] != want[j] {
					t.Errorf("%+v %s: split %v, want %v", f, et.Name, h.ByType[i], want)
					break
				}
			}
		}
	}
}
