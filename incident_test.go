package geotag_test

import (
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func iptr(n int) *int { return &n }

func located(id string, hour int, lat, lon float64, prec int, place int64, typ string, fat *int) *geotag.Report {
	return &geotag.Report{ID: id, Title: id, Time: time.Date(2024, 3, 1, hour, 0, 0, 0, time.UTC),
		Location: &geotag.Location{Lat: lat, Lon: lon, Precision: prec, PlaceID: place, Mention: -1},
		Event:    geotag.Event{EventType: typ, Fatalities: fat}}
}

// TestIncidentDerive: each figure comes from the rule its Figures name.
func TestIncidentDerive(t *testing.T) {
	rs := []*geotag.Report{
		located("c", 9, 36.21, 37.16, 1, 7, "Explosions/Remote violence", iptr(7)),
		located("a", 6, 36.0, 37.0, 3, 1, "Explosions/Remote violence", iptr(3)),
		located("b", 7, 36.2, 37.15, 1, 5, "Battles", iptr(7)),
		located("d", 8, 36.2, 37.15, 1, 5, "", iptr(3)),
	}
	inc := geotag.Incident{Sources: []string{"a", "b", "c", "d", "gone"}}
	inc.Derive(rs)
	g := inc.Figures
	if g.LocationRule != geotag.RuleMostPrecise || g.Location.PlaceID != 5 {
		t.Errorf("location %+v by %s: want place 5, the precise place two sources name", g.Location, g.LocationRule)
	}
	if g.TimeRule != geotag.RuleEarliest || g.Time.Hour() != 6 {
		t.Errorf("time %v by %s", g.Time, g.TimeRule)
	}
	if g.EventType != "Explosions/Remote violence" || g.TypeRule != geotag.RuleMostSources {
		t.Errorf("type %q by %s", g.EventType, g.TypeRule)
	}
	if g.Fatalities == nil || *g.Fatalities != 3 || g.FatalitiesRule != geotag.RuleLowestOfTied {
		t.Errorf("fatalities %v by %s: want 3, the lowest of two counts each stated twice", g.Fatalities, g.FatalitiesRule)
	}
	if len(g.Missing) != 1 || g.Missing[0] != "gone" {
		t.Errorf("missing %v", g.Missing)
	}
	rs[3].Fatalities = iptr(7)
	inc.Derive(rs)
	if *inc.Figures.Fatalities != 7 || inc.Figures.FatalitiesRule != geotag.RuleMostSources {
		t.Errorf("fatalities %v by %s: want 7 stated by three", *inc.Figures.Fatalities, inc.Figures.FatalitiesRule)
	}
	when := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	inc.Set = geotag.IncidentSet{Location: &geotag.LatLon{Lat: 1, Lon: 2}, Time: &when, EventType: "Riots", Fatalities: iptr(0)}
	inc.Derive(rs)
	g = inc.Figures
	if g.LocationRule != geotag.RuleAnalyst || g.Location.Lat != 1 || g.TimeRule != geotag.RuleAnalyst || !g.Time.Equal(when) ||
		g.EventType != "Riots" || g.TypeRule != geotag.RuleAnalyst || *g.Fatalities != 0 || g.FatalitiesRule != geotag.RuleAnalyst {
		t.Errorf("the analyst's figures: %+v", g)
	}
	inc.Derive(nil)
	if inc.Figures.FatalitiesRule != geotag.RuleAnalyst || inc.Set.Fatalities == nil {
		t.Errorf("no sources: %+v", inc.Figures)
	}
	empty := geotag.Incident{Sources: []string{"x"}}
	empty.Derive(nil)
	if empty.Figures.Location != nil || empty.Figures.FatalitiesRule != geotag.RuleNone || empty.Figures.TypeRule != geotag.RuleNone {
		t.Errorf("nothing stated: %+v", empty.Figures)
	}
}

// TestSameEvent: near, close in time, same type and shared words is
// likely; too far, too late or another coded type is no candidate; the
// same district counts as near.
func TestSameEvent(t *testing.T) {
	r := located("r", 10, 36.2, 37.15, 1, 5, "Explosions/Remote violence", nil)
	r.Text = "Airstrike on the central market of Aleppo, several dead"
	words := geotag.SameEventWords(r)
	o := located("o", 14, 36.21, 37.16, 1, 5, "Explosions/Remote violence", nil)
	o.Text = "Death toll from the airstrike on Aleppo central market rises"
	c, ok := geotag.SameEvent(r, o, words)
	if !ok || !c.Likely || !c.SameType || c.Words <= 0.2 {
		t.Errorf("near update: %+v %v", c, ok)
	}
	for name, x := range map[string]*geotag.Report{
		"far":        located("x", 10, 36.5, 37.15, 1, 9, "", nil),
		"late":       located("x", 10+36, 36.2, 37.15, 1, 5, "", nil),
		"other type": located("x", 10, 36.2, 37.15, 1, 5, "Protests", nil),
		"unlocated":  {ID: "x", Time: r.Time},
	} {
		if c, ok := geotag.SameEvent(r, x, words); ok {
			t.Errorf("%s: a candidate %+v", name, c)
		}
	}
	district := &geotag.Place{ID: 100, Name: "District"}
	town := &geotag.Place{ID: 101, Name: "Town", ParentID: 100}
	a, b := located("a", 10, 36.0, 37.0, 2, 100, "", nil), located("b", 11, 36.3, 37.3, 1, 101, "", nil)
	a.Mentions = []geotag.Mention{{Place: district}}
	b.Mentions = []geotag.Mention{{Place: town}}
	a.Location.Mention, b.Location.Mention = 0, 0
	if c, ok := geotag.SameEvent(a, b, geotag.SameEventWords(a)); !ok || !c.SameDistrict || c.DistanceKm < 10 {
		t.Errorf("same district, 40 km apart: %+v %v", c, ok)
	}
	if fs := geotag.SameEventFilters(b, 0); len(fs) != 3 || fs[1].PlaceID != 101 || fs[2].PlaceID != 100 || fs[0].BBox == nil {
		t.Errorf("filters %+v", fs)
	}
}
