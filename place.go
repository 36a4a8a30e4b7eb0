package geotag

// Place is one gazetteer entry. ID is the GeoNames geonameid; entries that
// no GeoNames file has (Who's On First-only records, city districts and
// project-authored regions) carry negative ids that stay stable across
// rebuilds of the same sources.
type Place struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Lat         float64 `json:"lat"`
	Lon         float64 `json:"lon"`
	Country     string  `json:"country,omitempty"`      // ISO 3166-1 alpha-2, "" for seas, continents…
	CountryName string  `json:"country_name,omitempty"` // "Syria"
	Admin1      string  `json:"admin1,omitempty"`       // first-level division name, "Aleppo"
	Admin1Code  string  `json:"admin1_code,omitempty"`  // GeoNames admin1 code, "09"
	Feature     string  `json:"feature"`                // GeoNames class.code, "P.PPLA"
	Population  int64   `json:"population,omitempty"`
	ParentID    int64   `json:"parent,omitempty"` // containing city of a district, or containing division
}

// FeatureClass returns the one-letter GeoNames feature class: A (country,
// division), P (populated place), H (water), T (relief), L (area, region), S
// (spot, building)…
func (p Place) FeatureClass() string {
	if p.Feature == "" {
		return ""
	}
	return p.Feature[:1]
}

// FeatureCode returns the GeoNames feature code after the class: "PPLA".
func (p Place) FeatureCode() string {
	if len(p.Feature) < 3 {
		return ""
	}
	return p.Feature[2:]
}

// Precision returns the ACLED-style geo-precision of a point at this place:
// 1 for a town, village or site; 2 for a district, neighbourhood or small
// area near a town; 3 for a larger region, division, country, sea or
// continent, where the point is only a centroid.
func (p Place) Precision() int {
	switch p.FeatureClass() {
	case "P":
		switch p.FeatureCode() {
		case "PPLX", "PPLL":
			return 2
		}
		return 1
	case "S", "R", "V":
		return 1
	case "A":
		switch p.FeatureCode() {
		case "ADMD", "ADM4", "ADM5", "ADM3":
			return 2
		}
		return 3
	}
	return 3
}

// Candidate is a place proposed for a mention or a search, with its score:
// higher is better; for mention alternatives the scores of one mention's
// place and alternatives sum to at most 1.
type Candidate struct {
	Place
	Score float64 `json:"score"`
}

// PlaceQuery asks the gazetteer for places by a partial or misspelled name,
// as people type into a search box.
type PlaceQuery struct {
	Text      string   // what the user typed
	Countries []string // only places in these ISO codes, when set
	Focus     *LatLon  // rank places near this point up, when set
	BBox      *BBox    // only places inside this box, when set
	Limit     int      // at most this many; 0 means 10
}

// LatLon is a point given as latitude and longitude in degrees.
type LatLon struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Gazetteer is a read-only index of places. Implementations are safe for
// concurrent use. Returned slices and places belong to the gazetteer and must
// not be modified.
type Gazetteer interface {
	// Lookup returns every place whose name or alternate name normalises
	// (NameKey) to key, most important first. It returns nil when no name
	// has that key.
	Lookup(key string) []Place

	// Alias returns the country or division that a demonym ("Syrian",
	// "Russians") or an abbreviation ("U.S.", "UAE", "W.Va.") stands for,
	// keyed as NameKey keys it, with KindDemonym or KindAbbreviation. ok is
	// false when key is neither.
	Alias(key string) (p Place, kind string, ok bool)

	// Place returns the place with the id, and false when there is none.
	Place(id int64) (Place, bool)

	// Search returns places for a partial, prefixed or misspelled name,
	// ranked by a blend of match quality, importance and closeness to the
	// query's focus. It returns an empty slice when nothing matches.
	Search(q PlaceQuery) []Candidate

	// Version names the gazetteer build, recorded in each automatic
	// location's provenance.
	Version() string
}
