package gazetteer

import (
	"encoding/json"
	"io"

	"github.com/geotag/geotag"
)

// WriteGeoJSON writes the candidates to w as one RFC 7946
// FeatureCollection, best first, followed by a newline: the features
// GET /api/v1/places answers (geotag.NewPlaceCollection). It returns w's
// error.
func WriteGeoJSON(w io.Writer, cs []geotag.Candidate) error {
	b, err := json.Marshal(geotag.NewPlaceCollection(cs))
	if err != nil {
		return geotag.Errorf(geotag.EINTERNAL, "geojson: %v", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
