package geotag_test

import (
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func TestReportFilterMatch(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	timep := func(d int) *time.Time { x := day(d); return &x }
	intp := func(n int) *int { return &n }
	r := &geotag.Report{
		Title:    "Shelling near the Bridge",
		Text:     "Two houses hit in the night.",
		Time:     day(10),
		Status:   geotag.StatusReviewed,
		Tags:     []string{"Shelling", "night "},
		Location: &geotag.Location{Lat: -17.5, Lon: 179.5, PlaceID: 7},
		Mentions: []geotag.Mention{{Text: "Bridge", Place: &geotag.Place{ID: 9}}, {Text: "Nowhere"}},
		Event: geotag.Event{EventType: "Explosions/Remote violence", Fatalities: intp(3),
			Actors: []geotag.Actor{{Name: "Unit 5", Side: 1}}},
	}
	bare := &geotag.Report{Title: "Quiet", Time: day(10)}
	cases := []struct {
		name    string
		f       geotag.ReportFilter
		r, bare bool // want for r and for bare
	}{
		{"empty", geotag.ReportFilter{Limit: 1, Cursor: "x"}, true, true},
		{"bbox", geotag.ReportFilter{BBox: &geotag.BBox{W: 179, S: -18, E: 180, N: -17}}, true, false},
		{"bbox edge", geotag.ReportFilter{BBox: &geotag.BBox{W: 179.5, S: -17.5, E: 180, N: 0}}, true, false},
		{"bbox elsewhere", geotag.ReportFilter{BBox: &geotag.BBox{W: -10, S: -18, E: 10, N: -17}}, false, false},
		{"bbox across antimeridian", geotag.ReportFilter{BBox: &geotag.BBox{W: 170, S: -20, E: -170, N: -10}}, true, false},
		{"bbox across antimeridian, west side", geotag.ReportFilter{BBox: &geotag.BBox{W: 179.6, S: -20, E: -170, N: -10}}, false, false},
		{"from inclusive", geotag.ReportFilter{From: timep(10)}, true, true},
		{"to exclusive", geotag.ReportFilter{To: timep(10)}, false, false},
		{"window", geotag.ReportFilter{From: timep(9), To: timep(11)}, true, true},
		{"after", geotag.ReportFilter{From: timep(11)}, false, false},
		{"place by mention", geotag.ReportFilter{PlaceID: 9}, true, false},
		{"place by location", geotag.ReportFilter{PlaceID: 7}, true, false},
		{"other place", geotag.ReportFilter{PlaceID: 8}, false, false},
		{"reviewed", geotag.ReportFilter{Status: geotag.StatusReviewed}, true, false},
		{"unreviewed includes no status", geotag.ReportFilter{Status: geotag.StatusUnreviewed}, false, true},
		{"unknown status", geotag.ReportFilter{Status: "done"}, false, false},
		{"tag any case", geotag.ReportFilter{Tag: "SHELLING"}, true, false},
		{"tag trimmed", geotag.ReportFilter{Tag: " night"}, true, false},
		{"tag prefix is not the tag", geotag.ReportFilter{Tag: "shell"}, false, false},
		{"blank tag", geotag.ReportFilter{Tag: "  "}, true, true},
		{"text in title", geotag.ReportFilter{Q: "near THE"}, true, false},
		{"text in text", geotag.ReportFilter{Q: "houses"}, true, false},
		{"text never spans title and text", geotag.ReportFilter{Q: "bridge two"}, false, false},
		{"event type any case", geotag.ReportFilter{EventTypes: []string{"Battles", " explosions/remote violence "}}, true, false},
		{"other event type", geotag.ReportFilter{EventTypes: []string{"Battles"}}, false, false},
		{"unknown event type", geotag.ReportFilter{EventTypes: []string{"Parade"}}, false, false},
		{"fatalities at least", geotag.ReportFilter{FatalitiesMin: intp(3)}, true, false},
		{"fatalities zero needs known", geotag.ReportFilter{FatalitiesMin: intp(0)}, true, false},
		{"fatalities more", geotag.ReportFilter{FatalitiesMin: intp(4)}, false, false},
		{"actor any case", geotag.ReportFilter{Actor: " unit 5"}, true, false},
		{"other actor", geotag.ReportFilter{Actor: "Unit"}, false, false},
		{"all together", geotag.ReportFilter{BBox: &geotag.BBox{W: 170, S: -20, E: -170, N: -10}, From: timep(1),
			To: timep(20), PlaceID: 9, Status: geotag.StatusReviewed, Tag: "night", Q: "hit",
			EventTypes: []string{"Explosions/Remote violence"}, FatalitiesMin: intp(1), Actor: "UNIT 5"}, true, false},
		{"all but one", geotag.ReportFilter{BBox: &geotag.BBox{W: 170, S: -20, E: -170, N: -10}, From: timep(1),
			To: timep(20), PlaceID: 9, Status: geotag.StatusReviewed, Tag: "night", Q: "hit",
			EventTypes: []string{"Explosions/Remote violence"}, FatalitiesMin: intp(1), Actor: "Unit 6"}, false, false},
	}
	for _, c := range cases {
		if got := c.f.Match(r); got != c.r {
			t.Errorf("%s: Match(report) = %v, want %v", c.name, got, c.r)
		}
		if got := c.f.Match(bare); got != c.bare {
			t.Errorf("%s: Match(bare report) = %v, want %v", c.name, got, c.bare)
		}
	}
}
