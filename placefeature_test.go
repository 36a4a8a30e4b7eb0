package geotag_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/geotag/geotag"
)

func TestPlaceLabel(t *testing.T) {
	for _, tt := range []struct {
		p    geotag.Place
		want string
	}{
		{geotag.Place{Name: "Aleppo", Admin1: "Aleppo", CountryName: "Syria", Feature: "P.PPLA"}, "Aleppo, Syria"},
		{geotag.Place{Name: "Nice", Admin1: "Provence", CountryName: "France"}, "Nice, Provence, France"},
		{geotag.Place{Name: "Syria", Admin1: "Damascus", CountryName: "Syria", Feature: "A.PCLI"}, "Syria"},
		{geotag.Place{Name: "ALEPPO", Admin1: "Aleppo"}, "ALEPPO"},
	} {
		if got := tt.p.Label(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.p, got, tt.want)
		}
	}
}

// Every list of places carries the same fields: the place's, with its
// point, label, precision, and for a ranked candidate score and rank.
func TestPlaceCollection(t *testing.T) {
	b, err := json.Marshal(geotag.NewPlaceCollection([]geotag.Candidate{{Place: townP, Score: 0.7}}))
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string
		Features []struct {
			Type     string
			ID       int64
			Geometry struct {
				Type        string
				Coordinates []float64
			}
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != 1 {
		t.Fatalf("%v %s", err, b)
	}
	f := fc.Features[0]
	if f.Type != "Feature" || f.ID != townP.ID || f.Geometry.Type != "Point" || !slices.Equal(f.Geometry.Coordinates, []float64{townP.Lon, townP.Lat}) {
		t.Errorf("feature %s", b)
	}
	for k, want := range map[string]any{"id": 1.0, "name": "Harbourtown", "lat": 10.0, "lon": 20.0, "label": "Harbourtown", "precision": 1.0, "score": 0.7, "rank": 1.0, "feature": "P.PPLA"} {
		if f.Properties[k] != want {
			t.Errorf("properties[%s] = %v, want %v", k, f.Properties[k], want)
		}
	}
	if b, _ := json.Marshal(geotag.NewPlaceCollection(nil)); string(b) != `{"type":"FeatureCollection","features":[]}` {
		t.Errorf("empty: %s", b)
	}
}
