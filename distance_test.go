package geotag_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/geotag/geotag"
)

func TestDistanceKm(t *testing.T) {
	for _, tt := range []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want, tol              float64
	}{
		{"same point", 36.2, 37.16, 36.2, 37.16, 0, 0},
		{"a degree of latitude", 0, 0, 1, 0, 111.195, 0.001},
		{"Aleppo to Damascus", 36.2021, 37.1343, 33.5138, 36.2765, 310, 5},
		{"across the antimeridian", 0, 179.5, 0, -179.5, 111.195, 0.001},
		{"antipodes", 0, 0, 0, 180, math.Pi * geotag.EarthRadiusKm, 1e-6},
	} {
		if got := geotag.DistanceKm(tt.lat1, tt.lon1, tt.lat2, tt.lon2); math.Abs(got-tt.want) > tt.tol {
			t.Errorf("%s: %.4f km, want %.4f ± %g", tt.name, got, tt.want, tt.tol)
		}
	}
}

func ExampleDistanceKm() {
	// Amman to Aleppo.
	fmt.Printf("%.0f km\n", geotag.DistanceKm(31.9552, 35.9450, 36.2021, 37.1343))
	// Output: 485 km
}
