package gazetteer_test

import (
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// TestBundledRegions checks continents, macro-regions, conflict regions
// and physical features: each name resolves, first, to a place of the
// expected feature class near the expected point.
func TestBundledRegions(t *testing.T) {
	g := open(t)
	for _, tc := range []struct {
		name     string
		class    string
		lat, lon float64
	}{
		{"Europe", "L", 48, 9},
		{"Africa", "L", 7, 21},
		{"Middle East", "L", 33, 36},
		{"North Africa", "L", 33, 10},
		{"the Balkans", "L", 44, 22},
		{"Darfur", "L", 12.7, 24.7},
		{"Eastern Ghouta", "L", 33.5, 36.4},
		{"Ghouta", "L", 33.5, 36.4},
		{"Donbas", "L", 48.5, 38.3},
		{"Donbass", "L", 48.5, 38.3},
		{"Sinai", "T", 29.8, 33.8},
		{"Sinai Peninsula", "T", 29.8, 33.8},
		{"Kurdistan", "L", 36.3, 44.3},
		{"Tigray", "A", 14.2, 38.8},
		{"Crimea", "A", 45, 34},
		{"Gaza Strip", "A", 31.4, 34.4},
		{"West Bank", "A", 32, 35.3},
		{"Golan Heights", "L", 33, 35.7},
		{"Strait of Hormuz", "H", 26.7, 56.3},
		{"Mediterranean", "H", 35, 20},
		{"Black Sea", "H", 43.4, 34.3},
		{"Persian Gulf", "H", 27, 51},
		{"Euphrates", "H", 34.5, 41.8},
		{"Nile", "H", 21.6, 31.1},
	} {
		key := geotag.NameKey(strings.TrimPrefix(tc.name, "the "))
		ps := g.Lookup(key)
		if len(ps) == 0 {
			t.Errorf("%s: not found", tc.name)
			continue
		}
		p := ps[0]
		if p.FeatureClass() != tc.class || abs(p.Lat-tc.lat) > 1.5 || abs(p.Lon-tc.lon) > 1.5 {
			t.Errorf("%s: first is %d %s %s at %.2f,%.2f; want class %s near %.1f,%.1f", tc.name, p.ID, p.Name, p.Feature, p.Lat, p.Lon, tc.class, tc.lat, tc.lon)
		}
		if p.Precision() != 3 {
			t.Errorf("%s: precision %d, want 3 (an area's centre)", tc.name, p.Precision())
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
