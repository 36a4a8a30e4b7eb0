package gazetteer_test

import (
	"testing"

	"github.com/geotag/geotag"
)

// A country's point is where news maps place the country: a point inside
// it, near its middle (the World Factbook's geographic coordinates), not
// its capital (GeoNames' Japan is Tokyo) nor a point near one border
// (GeoNames' Canada lies in northern Alberta, 1,000 km west of Canada's).
func TestBundledCountryPoints(t *testing.T) {
	g := open(t)
	for _, tc := range []struct {
		id       int64
		lat, lon float64
	}{
		{6251999, 60, -95},      // Canada, Factbook 60 00 N, 95 00 W
		{1861060, 36, 138},      // Japan, Factbook 36 00 N, 138 00 E
		{1814991, 35, 105},      // China: GeoNames' point is the Factbook's
		{6252001, 39.76, -98.5}, // United States
	} {
		p, ok := g.Place(tc.id)
		if !ok {
			t.Fatalf("%d: not in the gazetteer", tc.id)
		}
		if km := geotag.DistanceKm(p.Lat, p.Lon, tc.lat, tc.lon); km > 50 {
			t.Errorf("%s at %.2f,%.2f, %.0f km from its middle %.2f,%.2f", p.Name, p.Lat, p.Lon, km, tc.lat, tc.lon)
		}
	}
}
