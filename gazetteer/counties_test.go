package gazetteer_test

import (
	"testing"

	"github.com/geotag/geotag"
)

// The United Kingdom's metropolitan counties and historic Yorkshire
// (tables/counties.tsv), which GeoNames' ADM2 table lacks, are places of
// their own, in Britain, near the towns they are the county of.
func TestBundledUKCounties(t *testing.T) {
	g := open(t)
	for _, tc := range []struct {
		name     string
		lat, lon float64 // a town of the county: Birmingham, Manchester, Liverpool, Leeds, Newcastle, York
	}{
		{"West Midlands", 52.48, -1.90},
		{"Greater Manchester", 53.48, -2.24},
		{"Merseyside", 53.41, -2.98},
		{"West Yorkshire", 53.80, -1.55},
		{"Tyne and Wear", 54.97, -1.61},
		{"Yorkshire", 53.96, -1.08},
	} {
		found := false
		for _, p := range g.Lookup(geotag.NameKey(tc.name)) {
			if p.Country == "GB" && p.Name == tc.name {
				found = true
				if km := geotag.DistanceKm(p.Lat, p.Lon, tc.lat, tc.lon); km > 80 {
					t.Errorf("%s at %.2f,%.2f, %.0f km from its town", tc.name, p.Lat, p.Lon, km)
				}
			}
		}
		if !found {
			t.Errorf("%s: no British place of that name in %v", tc.name, ids(g.Lookup(geotag.NameKey(tc.name))))
		}
	}
}
