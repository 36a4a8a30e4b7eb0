package geotag

import "strings"

// Label returns the one-line name people expect in a search box, Pelias
// style: the place, its first-level division when that adds something,
// and its country ("Aleppo, Aleppo, Syria" reads "Aleppo, Syria"). The
// division is left out when it repeats the name (ignoring case) and for a
// country; the country when it repeats the name.
func (p Place) Label() string {
	parts := []string{p.Name}
	if p.Admin1 != "" && !strings.EqualFold(p.Admin1, p.Name) && !strings.HasPrefix(p.Feature, "A.PCL") {
		parts = append(parts, p.Admin1)
	}
	if p.CountryName != "" && !strings.EqualFold(p.CountryName, p.Name) {
		parts = append(parts, p.CountryName)
	}
	return strings.Join(parts, ", ")
}

// PlaceProperties are the properties of a place's GeoJSON Feature, the
// same wherever places are listed (GET /api/v1/places and /places/{id},
// geotag places --json): every field of the place, its label and
// precision, and for a ranked candidate its score and 1-based rank.
type PlaceProperties struct {
	Place
	Label     string  `json:"label"` // Place.Label
	Precision int     `json:"precision"`
	Score     float64 `json:"score,omitempty"`
	Rank      int     `json:"rank,omitempty"`
}

// PlaceFeature is a place as an RFC 7946 Point Feature whose id is the
// place's.
type PlaceFeature struct {
	Type       string          `json:"type"` // "Feature"
	ID         int64           `json:"id"`
	Geometry   PointGeometry   `json:"geometry"`
	Properties PlaceProperties `json:"properties"`
}

// PointGeometry is an RFC 7946 Point: Coordinates are [lon, lat].
type PointGeometry struct {
	Type        string     `json:"type"` // "Point"
	Coordinates [2]float64 `json:"coordinates"`
}

// NewPlaceFeature returns p's Feature; score and rank are 0 for a place
// that is not a ranked candidate, and are then left out.
func NewPlaceFeature(p Place, score float64, rank int) PlaceFeature {
	return PlaceFeature{Type: "Feature", ID: p.ID,
		Geometry:   PointGeometry{Type: "Point", Coordinates: [2]float64{p.Lon, p.Lat}},
		Properties: PlaceProperties{Place: p, Label: p.Label(), Precision: p.Precision(), Score: score, Rank: rank}}
}

// PlaceCollection is ranked candidates as an RFC 7946
// FeatureCollection, best first (see NewPlaceFeature); never null.
type PlaceCollection struct {
	Type     string         `json:"type"` // "FeatureCollection"
	Features []PlaceFeature `json:"features"`
}

// NewPlaceCollection returns the candidates' collection, ranked from 1.
func NewPlaceCollection(cs []Candidate) PlaceCollection {
	fc := PlaceCollection{Type: "FeatureCollection", Features: make([]PlaceFeature, 0, len(cs))}
	for i, c := range cs {
		fc.Features = append(fc.Features, NewPlaceFeature(c.Place, c.Score, i+1))
	}
	return fc
}
