package gazetteer

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/geotag/geotag"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Label returns the one-line name people expect in a search box, Pelias
// style: the place, its first-level division when that adds something,
// and its country ("Aleppo, Aleppo, Syria" reads "Aleppo, Syria").
func Label(p geotag.Place) string {
	parts := []string{p.Name}
	if p.Admin1 != "" && !strings.EqualFold(p.Admin1, p.Name) && !strings.HasPrefix(p.Feature, "A.PCL") {
		parts = append(parts, p.Admin1)
	}
	if p.CountryName != "" && !strings.EqualFold(p.CountryName, p.Name) {
		parts = append(parts, p.CountryName)
	}
	return strings.Join(parts, ", ")
}

// CandidatesGeoJSON returns ranked candidates as an RFC 7946
// FeatureCollection, best first: one Point feature per place, with id
// (the geonameid) and properties id, name, label, country, country_name,
// admin1, admin1_code, feature, population, parent, precision, score and
// rank (1-based).
func CandidatesGeoJSON(cs []geotag.Candidate) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	fc.Features = make([]*geojson.Feature, 0, len(cs))
	for i, c := range cs {
		f := geojson.NewFeature(orb.Point{c.Lon, c.Lat})
		f.ID = c.ID
		f.Properties = geojson.Properties{
			"id":        c.ID,
			"name":      c.Name,
			"label":     Label(c.Place),
			"feature":   c.Feature,
			"precision": c.Precision(),
			"score":     c.Score,
			"rank":      i + 1,
		}
		for k, v := range map[string]string{"country": c.Country, "country_name": c.CountryName, "admin1": c.Admin1, "admin1_code": c.Admin1Code} {
			if v != "" {
				f.Properties[k] = v
			}
		}
		if c.Population > 0 {
			f.Properties["population"] = c.Population
		}
		if c.ParentID != 0 {
			f.Properties["parent"] = c.ParentID
		}
		fc.Features = append(fc.Features, f)
	}
	return fc
}

// WriteGeoJSON writes the candidates to w as one RFC 7946
// FeatureCollection (see CandidatesGeoJSON) followed by a newline. It
// returns w's error.
func WriteGeoJSON(w io.Writer, cs []geotag.Candidate) error {
	b, err := json.Marshal(CandidatesGeoJSON(cs))
	if err != nil {
		return geotag.Errorf(geotag.EINTERNAL, "geojson: %v", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
