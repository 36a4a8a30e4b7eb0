package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/geotag/geotag"
)

// CellProperties are the properties of one cluster Feature: its count,
// the count by precision class ([0] sites or towns, [1] districts or
// vicinities, [2] regions or countries) and by ACLED event type (only the
// types present; the rest of the count has no type).
type CellProperties struct {
	Count       int            `json:"count"`
	ByPrecision [3]int         `json:"by_precision"`
	ByEventType map[string]int `json:"by_event_type"`
}

// cellProperties are a cell's properties.
func cellProperties(cell geotag.Cell) CellProperties {
	p := CellProperties{Count: cell.Count, ByPrecision: cell.Precision, ByEventType: map[string]int{}}
	for i, n := range cell.EventTypes[1:] {
		if n > 0 {
			p.ByEventType[geotag.EventTypes[i].Name] = n
		}
	}
	return p
}

// cells answers cluster counts of the reports matching the filter for a
// map at ?zoom= (0..18, default 3), as a GeoJSON FeatureCollection of
// Points with a count each, and the total.
func (s *Server) cells(c *gin.Context) {
	f, err := parseFilter(c.Request.URL.Query())
	if err != nil {
		s.writeError(c, err)
		return
	}
	f.Limit, f.Cursor = 0, ""
	zoom := 3
	if z := c.Query("zoom"); z != "" {
		zoom, err = strconv.Atoi(z)
		if err != nil || zoom < 0 || zoom > 18 {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "zoom", "zoom must be an integer 0..18, not %q", z))
			return
		}
	}
	release, ok := s.admitWalk(c)
	if !ok {
		return
	}
	defer release()
	cells, err := s.reports.Cells(c.Request.Context(), f, zoom)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Content-Type", "application/geo+json")
	c.Status(http.StatusOK)
	cw := newCollectionWriter(c.Writer)
	total := 0
	for _, cell := range cells {
		total += cell.Count
		cw.Write(Feature{Type: "Feature", Geometry: geojson.NewGeometry(orb.Point{cell.Lon, cell.Lat}),
			Properties: cellProperties(cell)})
	}
	cw.Close(member{"zoom", zoom}, member{"total", total})
}
