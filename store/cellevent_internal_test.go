package store

import (
	"slices"
	"testing"

	"github.com/geotag/geotag"
)

// TestCellEventKinds: a fatality range walks the classes it overlaps (a
// lower bound of one or more is preferred to the types), types alone their
// codes; the cover times the kinds stays within maxCells cursors.
func TestCellEventKinds(t *testing.T) {
	zero, five, ten, twenty, hundred := 0, 5, 10, 20, 100
	box := &geotag.BBox{W: 36, S: 35, E: 38, N: 37}
	for _, tt := range []struct {
		name string
		f    geotag.ReportFilter
		want []byte
	}{
		{"Types", geotag.ReportFilter{EventTypes: []string{"Battles", "Riots"}}, []byte{1, 5}},
		{"MinOnEdge", geotag.ReportFilter{FatalitiesMin: &ten}, []byte{0x14, 0x15, 0x16, 0x17}},
		{"MinOffEdge", geotag.ReportFilter{FatalitiesMin: &twenty}, []byte{0x14, 0x15, 0x16, 0x17}},
		{"Range", geotag.ReportFilter{FatalitiesMin: &five, FatalitiesMax: &twenty}, []byte{0x13, 0x14}},
		{"MaxOnly", geotag.ReportFilter{FatalitiesMax: &zero}, []byte{0x11}},
		{"TypeAndDeaths", geotag.ReportFilter{EventTypes: []string{"Battles"}, FatalitiesMin: &hundred}, []byte{0x16, 0x17}},
		{"TypeAndNoMin", geotag.ReportFilter{EventTypes: []string{"Battles"}, FatalitiesMax: &ten}, []byte{1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.f.BBox = box
			q, err := compile(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := q.ev.kinds(); !slices.Equal(got, tt.want) {
				t.Errorf("kinds %x, want %x", got, tt.want)
			}
			if len(q.prefixes) == 0 || len(q.prefixes) > maxCells || len(q.prefixes)%len(tt.want) != 0 {
				t.Errorf("%d prefixes for %d kinds", len(q.prefixes), len(tt.want))
			}
		})
	}
}

// TestCellEventKeys: a located report with a type and a known count has a
// type key and a class key per cell level; unlocated or uncoded, none.
func TestCellEventKeys(t *testing.T) {
	three := 3
	r := &geotag.Report{Location: &geotag.Location{Lat: 36.2, Lon: 37.1}, Event: geotag.Event{EventType: "Riots", Fatalities: &three}}
	id := make([]byte, idLen)
	n := 0
	for _, k := range indexKeys(id, r) {
		if string(k.bucket) == string(bucketCellEv) {
			n++
			if kind := k.key[5]; kind != 5 && kind != cellFatKind|3 {
				t.Errorf("kind %x", kind)
			}
			if len(k.value) != eventEntryLen {
				t.Errorf("value of %d bytes", len(k.value))
			}
		}
	}
	if n != 2*len(cellLevels) {
		t.Errorf("%d keys, want %d", n, 2*len(cellLevels))
	}
	r.Location = nil
	for _, k := range indexKeys(id, r) {
		if string(k.bucket) == string(bucketCellEv) {
			t.Fatal("an unlocated report has a cell-event key")
		}
	}
}
