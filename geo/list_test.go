package geo_test

import (
	"context"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// listPlaces are fixture places written for this test (points rounded
// from public atlases): states, without population as the bundled
// gazetteer has them, and towns named after states.
var listPlaces = []fixturePlace{
	fp(6252001, "United States", "A.PCLI", "US", 39.76, -98.5, 327000000, "00", ""),
	fp(4736286, "Texas", "A.ADM1", "US", 31.25, -99.25, 0, "TX", ""),
	fp(4398678, "Missouri", "A.ADM1", "US", 38.25, -92.5, 0, "MO", ""),
	fp(5332921, "California", "A.ADM1", "US", 37.25, -119.75, 0, "CA", ""),
	fp(5744337, "Oregon", "A.ADM1", "US", 44, -120.5, 0, "OR", ""),
	fp(4379545, "California", "P.PPLA2", "US", 38.63, -92.57, 4400, "MO", ""),
	fp(4246659, "Oregon", "P.PPLA2", "US", 42.01, -89.33, 3600, "IL", ""),
	fp(4896861, "Illinois", "A.ADM1", "US", 40, -89.25, 0, "IL", ""),
	fp(4381982, "Columbia", "P.PPLA2", "US", 38.95, -92.33, 120000, "MO", ""),
}

func TestListOfDivisions(t *testing.T) {
	tg := geo.NewTagger(fakeOf(listPlaces))
	for _, tc := range []struct {
		text string
		want map[string]int64
	}{
		// In a list of states, a state's name is the state, not the town
		// of the listed state named after it.
		{"Cases were confirmed in Texas, Missouri, California, Illinois and Oregon.", map[string]int64{"California": 5332921, "Oregon": 5744337, "Missouri": 4398678}},
		{"Cases were confirmed in Missouri and California.", map[string]int64{"California": 5332921}},
		// "X, Y" alone is a container, not a list: the town in the state.
		{"The fair opened in Columbia and in California, Missouri.", map[string]int64{"California": 4379545}},
	} {
		ms, err := tg.Tag(context.Background(), tc.text, geotag.TagOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for name, id := range tc.want {
			found := false
			for _, m := range ms {
				if m.Text == name {
					found = true
					if m.Place == nil || m.Place.ID != id {
						t.Errorf("%q: %s resolved to %v, want %d", tc.text, name, m.Place, id)
					}
				}
			}
			if !found {
				t.Errorf("%q: %s not found in %v", tc.text, name, ms)
			}
		}
	}
}
