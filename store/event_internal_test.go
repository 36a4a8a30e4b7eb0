package store

import (
	"bytes"
	"testing"

	"github.com/geotag/geotag"
)

// TestEventFilterPlan: event-type and fatality filters walk the event index
// without decoding reports, or, with a bbox, the cell-event index's keys of
// the types or fatality classes in the cells in view (a box too large for
// it: the event index), and never the cell-day counts; an actor decodes.
func TestEventFilterPlan(t *testing.T) {
	five, ten := 5, 10
	for _, tt := range []struct {
		name   string
		f      geotag.ReportFilter
		bucket []byte
		decode bool
	}{
		{"Types", geotag.ReportFilter{EventTypes: []string{"Battles", "riots"}}, bucketEvent, false},
		{"Fatalities", geotag.ReportFilter{FatalitiesMin: &five}, bucketEvent, false},
		{"TypesBBoxStatus", geotag.ReportFilter{EventTypes: []string{"Battles"}, Status: geotag.StatusReviewed,
			BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}}, bucketCellEv, false}, // the entries' flags hold the status
		{"FatalitiesBBoxOnEdge", geotag.ReportFilter{FatalitiesMin: &ten, BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}}, bucketCellEv, false},
		{"FatalitiesBBoxOffEdge", geotag.ReportFilter{FatalitiesMin: &five, BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}}, bucketCellEv, false},
		{"TypesWorld", geotag.ReportFilter{EventTypes: []string{"Battles"}, BBox: &geotag.BBox{W: -180, S: -90, E: 180, N: 90}}, bucketEvent, false},
		{"Actor", geotag.ReportFilter{Actor: "HTS"}, bucketActor, false},
		{"ActorTypes", geotag.ReportFilter{Actor: "HTS", EventTypes: []string{"Battles"}}, bucketActor, true},
		{"PlaceTypes", geotag.ReportFilter{PlaceID: 1, EventTypes: []string{"Battles"}}, bucketPlace, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q, err := compile(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(q.bucket, tt.bucket) || q.decode != tt.decode {
				t.Errorf("walks %s decoding %v, want %s decoding %v", q.bucket, q.decode, tt.bucket, tt.decode)
			}
			if q.countable(0) {
				t.Error("an event filter is answered from the cell-day counts")
			}
		})
	}
	if q, _ := compile(geotag.ReportFilter{EventTypes: []string{"Riots", "Riots"}}); len(q.prefixes) != 1 {
		t.Errorf("a repeated type walks %d prefixes", len(q.prefixes))
	}
}

// TestEventKey: the index value carries the entry and the fatalities,
// unknown ones as noFatalities; an uncoded event has no key.
func TestEventKey(t *testing.T) {
	e := entry(&geotag.Report{})
	if _, _, ok := eventKey(&geotag.Report{}, e); ok {
		t.Fatal("a report without an event has an event key")
	}
	p, v, ok := eventKey(&geotag.Report{Event: geotag.Event{EventType: "Riots"}}, e)
	if !ok || p[0] != 5 || len(v) != eventEntryLen {
		t.Fatalf("prefix %x value %x", p, v)
	}
	ef := eventFilter{hasFat: true}
	if ef.keepValue(v) {
		t.Error("unknown fatalities pass fatalities_min=0")
	}
	three := 3
	_, v, _ = eventKey(&geotag.Report{Event: geotag.Event{Fatalities: &three}}, e)
	if ef.fatMin = 3; !ef.keepValue(v) {
		t.Error("3 fails fatalities_min=3")
	}
	if ef.fatMin = 4; ef.keepValue(v) {
		t.Error("3 passes fatalities_min=4")
	}
}
