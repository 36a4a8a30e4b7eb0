package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// Place labels of a map view.
const (
	defaultLabels = 100
	maxLabels     = 500
)

// placeLabeler is implemented by gazetteers that can list the places to
// write on a map view (the bundled gazetteer.Gazetteer): at most limit
// places inside box, most important first, spread over the view at zoom,
// with bounded work whatever the box.
type placeLabeler interface {
	Labels(box geotag.BBox, zoom, limit int) []geotag.Place
}

// labelsReadier is implemented by labelers that build their index in the
// background (the bundled gazetteer, from serve's start): until it is
// ready, a labels request gets 503 with Retry-After rather than waiting
// for the build.
type labelsReadier interface {
	LabelsReady() bool
}

// labelsRetryAfter is the Retry-After, in seconds, of a labels request
// made while the index is being built (seconds: BuildLabels).
const labelsRetryAfter = "2"

// placeLabels answers GET /api/v1/places/labels?bbox=W,S,E,N&zoom=Z&limit=N:
// the towns, divisions and countries to label the view with, as place
// Features ranked from 1, for a map without tiles. bbox and zoom (0..22)
// are required; limit is 1..500, default 100. A gazetteer that cannot
// list labels gives ENOTFOUND; one still building its index gives
// EUNAVAILABLE (503) with Retry-After.
func (s *Server) placeLabels(c *gin.Context) {
	pl, ok := s.places.(placeLabeler)
	if !ok {
		s.writeError(c, geotag.Errorf(geotag.ENOTFOUND, "this gazetteer has no map labels"))
		return
	}
	if r, ok := s.places.(labelsReadier); ok && !r.LabelsReady() {
		c.Header("Retry-After", labelsRetryAfter)
		s.writeError(c, geotag.Errorf(geotag.EUNAVAILABLE, "the map labels are being built: try again in %s s", labelsRetryAfter))
		return
	}
	box, err := geotag.ParseBBox(c.Query("bbox"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	zoom, err := strconv.Atoi(c.Query("zoom"))
	if err != nil || zoom < 0 || zoom > 22 {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "zoom", "zoom must be an integer 0..22, not %q", c.Query("zoom")))
		return
	}
	limit := defaultLabels
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxLabels {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be an integer 1..%d, not %q", maxLabels, l))
			return
		}
		limit = n
	}
	c.Header("Content-Type", "application/geo+json")
	c.Status(http.StatusOK)
	cw := newCollectionWriter(c.Writer)
	for i, p := range pl.Labels(box, zoom, limit) {
		cw.Write(geotag.NewPlaceFeature(p, 0, i+1))
	}
	cw.Close()
}
