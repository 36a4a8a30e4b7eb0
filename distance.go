package geotag

import "math"

// EarthRadiusKm is the mean radius of the Earth (IUGG), the one the
// geoparsing gold sets' scorer uses.
const EarthRadiusKm = 6371.0088

// DistanceKm is the great-circle (haversine) distance in kilometres
// between two points given in degrees.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}
