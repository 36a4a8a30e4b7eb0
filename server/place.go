package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// searchPlaces answers the gazetteer's best matches for what a user typed:
// ?q= (required), focus=lat,lon, country=SY,JO, bbox=W,S,E,N, limit=1..100.
func (s *Server) searchPlaces(c *gin.Context) {
	q := geotag.PlaceQuery{Text: strings.TrimSpace(c.Query("q")), Limit: 10}
	if q.Text == "" {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "q", "q, the name to search for, is required"))
		return
	}
	if f := c.Query("focus"); f != "" {
		la, lo, ok := strings.Cut(f, ",")
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(la), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
		if !ok || err1 != nil || err2 != nil {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "focus", "focus must be lat,lon, not %q", f))
			return
		}
		if err := geotag.ValidPoint(lat, lon, "focus."); err != nil {
			s.writeError(c, err)
			return
		}
		q.Focus = &geotag.LatLon{Lat: lat, Lon: lon}
	}
	opt, err := tagOptions(c, "", "")
	if err != nil {
		s.writeError(c, err)
		return
	}
	q.Countries, q.BBox = opt.Countries, opt.BBox
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be an integer 1..100, not %q", l))
			return
		}
		q.Limit = n
	}
	c.Header("Content-Type", "application/geo+json")
	c.Status(http.StatusOK)
	cw := newCollectionWriter(c.Writer)
	for i, cand := range s.places.Search(q) {
		cw.Write(geotag.NewPlaceFeature(cand.Place, cand.Score, i+1))
	}
	cw.Close()
}

// getPlace answers one gazetteer place by geonameid as a Feature.
func (s *Server) getPlace(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "id", "a place id is a geonameid, not %q", c.Param("id")))
		return
	}
	p, ok := s.places.Place(id)
	if !ok {
		s.writeError(c, geotag.Errorf(geotag.ENOTFOUND, "no place has id %d", id))
		return
	}
	c.Header("Content-Type", "application/geo+json")
	c.JSON(http.StatusOK, geotag.NewPlaceFeature(p, 0, 0))
}
