package geo_test

import (
	"context"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// divListPlaces are fixture places written for this test (points rounded
// from public atlases): counties and parishes, and the towns and famous
// places that share their bare names.
var divListPlaces = []fixturePlace{
	fp(4178560, "Georgia", "A.ADM1", "US", 32.75, -83.5, 0, "GA", ""),
	fp(4184845, "Barrow County", "A.ADM2", "US", 33.99, -83.71, 0, "GA", ""),
	fp(5880054, "Barrow", "P.PPLA2", "US", 71.29, -156.79, 4400, "AK", ""),
	fp(4202880, "Jackson County", "A.ADM2", "US", 34.13, -83.57, 0, "GA", ""),
	fp(4431410, "Jackson", "P.PPLA", "US", 32.3, -90.18, 160000, "MS", ""),
	fp(5054391, "Wilkin County", "A.ADM2", "US", 46.36, -96.47, 0, "MN", ""),
	fp(5027513, "Douglas County", "A.ADM2", "US", 45.93, -95.45, 0, "MN", ""),
	fp(5042773, "Otter Tail County", "A.ADM2", "US", 46.41, -95.71, 0, "MN", ""),
	fp(4315588, "Caddo Parish", "A.ADM2", "US", 32.58, -93.88, 0, "LA", ""),
	fp(4316976, "Bossier Parish", "A.ADM2", "US", 32.68, -93.6, 0, "LA", ""),
	fp(4402280, "Platte County", "A.ADM2", "US", 39.38, -94.77, 0, "MO", ""),
	fp(4921868, "Indiana", "A.ADM1", "US", 40, -86.25, 0, "IN", ""),
	fp(5193309, "Indiana County", "A.ADM2", "US", 40.65, -79.09, 0, "PA", ""),
}

func TestListOfCounties(t *testing.T) {
	tg := geo.NewTagger(fakeOf(divListPlaces))
	for _, tc := range []struct {
		text string
		want map[string]int64 // mention text → place
	}{
		// Each name before "counties" is the county, not the town or
		// person of the bare name; one the gazetteer knows only with
		// its noun is found at all.
		{"Schools in Barrow and Jackson counties reopened.", map[string]int64{"Barrow": 4184845, "Jackson": 4202880}},
		{"Roads closed in Douglas, Otter Tail, and Wilkin counties on Monday.", map[string]int64{"Douglas": 5027513, "Otter Tail": 5042773, "Wilkin": 5054391}},
		{"Crews from Caddo and Bossier parishes helped.", map[string]int64{"Caddo": 4315588, "Bossier": 4316976}},
		// The abbreviation takes its full stop.
		{"A deputy from Platte Co. said so.", map[string]int64{"Platte Co.": 4402280}},
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
	// A state's name alone before the noun says whose counties they are.
	ms, err := tg.Tag(context.Background(), "It ranks in the middle of Indiana counties.", geotag.TagOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Place == nil || ms[0].Place.ID != 4921868 {
		t.Errorf("Indiana counties: %v, want the state 4921868", ms)
	}
	// A bare name with no plural noun after it keeps its own readings.
	ms, err = tg.Tag(context.Background(), "He flew to Jackson on Monday.", geotag.TagOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Place == nil || ms[0].Place.ID != 4431410 {
		t.Errorf("bare Jackson: %v, want the town 4431410", ms)
	}
}
