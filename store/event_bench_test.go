package store_test

import (
	"testing"

	"github.com/geotag/geotag"
)

// BenchmarkEventFilters times a first page with its (capped) total for
// event-type and fatality filters, which walk the event index without
// decoding, beside the place filter (the place index) and the actor filter
// (which decodes every report it walks), in the same run.
func BenchmarkEventFilters(b *testing.B) {
	db := benchDB(b, 50000)
	twenty := 20
	for _, bb := range []struct {
		name string
		f    geotag.ReportFilter
	}{
		{"Place", geotag.ReportFilter{PlaceID: 170063}},
		{"EventType", geotag.ReportFilter{EventTypes: []string{"Battles"}}},
		{"EventTypes2", geotag.ReportFilter{EventTypes: []string{"Battles", "Riots"}}},
		{"FatalitiesMin", geotag.ReportFilter{FatalitiesMin: &twenty}},
		{"Actor", geotag.ReportFilter{Actor: "HTS"}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			f := bb.f
			f.Limit = 100
			for b.Loop() {
				if _, err := db.FindReports(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
