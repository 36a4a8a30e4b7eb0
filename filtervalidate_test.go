package geotag_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/geotag/geotag"
)

func TestReportFilterValidate(t *testing.T) {
	n := func(v int) *int { return &v }
	many := make([]string, 2*geotag.MaxFilterTags)
	for i := range many {
		many[i] = string(rune('a' + i))
	}
	dup := make([]string, 100)
	for i := range dup {
		dup[i] = " Same "
	}
	for _, tc := range []struct {
		name  string
		f     geotag.ReportFilter
		field string // "" valid
	}{
		{"Empty", geotag.ReportFilter{}, ""},
		{"Everything", geotag.ReportFilter{Limit: 5, Status: geotag.StatusReviewed, BBox: &geotag.BBox{W: 170, S: -10, E: -170, N: 10},
			EventTypes: []string{"battles", " Protests "}, FatalitiesMin: n(0), FatalitiesMax: n(geotag.MaxFatalities), Tags: dup}, ""},
		{"NegativeLimit", geotag.ReportFilter{Limit: -1}, "limit"},
		{"TooManyTags", geotag.ReportFilter{Tags: many}, "tag"},
		{"Status", geotag.ReportFilter{Status: "maybe"}, "status"},
		{"BBox", geotag.ReportFilter{BBox: &geotag.BBox{W: 0, S: 10, E: 1, N: 5}}, "bbox"},
		{"UnknownEventType", geotag.ReportFilter{EventTypes: []string{"Battles", "Parade"}}, "event_type"},
		{"TooManyEventTypes", geotag.ReportFilter{EventTypes: make([]string, len(geotag.EventTypes)+1)}, "event_type"},
		{"FatalitiesMin", geotag.ReportFilter{FatalitiesMin: n(-1)}, "fatalities_min"},
		{"FatalitiesMax", geotag.ReportFilter{FatalitiesMax: n(geotag.MaxFatalities + 1)}, "fatalities_max"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var e *geotag.Error
			if !errors.As(err, &e) || e.Code != geotag.EINVALID || e.Field != tc.field {
				t.Fatalf("Validate = %#v, want EINVALID on %q", err, tc.field)
			}
		})
	}
}

func ExampleBBox_Split() {
	fmt.Println(geotag.BBox{W: 170, S: -10, E: -170, N: 10}.Split())
	fmt.Println(geotag.BBox{W: 30, S: 30, E: 40, N: 40}.Split())
	// Output:
	// [170,-10,180,10 -180,-10,-170,10]
	// [30,30,40,40]
}
