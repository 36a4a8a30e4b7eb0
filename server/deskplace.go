package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// maxDeskImport bounds the features of one POST /api/v1/desk-places.
const maxDeskImport = 1000

// listDeskPlaces answers every desk place as a GeoJSON FeatureCollection
// (the export, which POST imports back), streamed.
func (s *Server) listDeskPlaces(c *gin.Context) {
	ds, err := s.deskPlaces.DeskPlaces(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Content-Type", "application/geo+json")
	if c.Query("download") != "" {
		c.Header("Content-Disposition", `attachment; filename="geotag-desk-places.geojson"`)
	}
	c.Status(http.StatusOK)
	cw := newCollectionWriter(c.Writer)
	for _, d := range ds {
		if err := cw.Write(d.GeoJSON()); err != nil {
			return
		}
	}
	cw.Close()
}

// createDeskPlaces adds one desk place (a Feature) or imports many (a
// FeatureCollection, at most maxDeskImport): 201 with the places stored,
// as a FeatureCollection. Every place is checked before any is stored.
func (s *Server) createDeskPlaces(c *gin.Context) {
	var body json.RawMessage
	if err := decodeJSON(c, &body); err != nil {
		s.writeError(c, err)
		return
	}
	ds, err := geotag.ParseDeskPlaces(body, maxDeskImport)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	c.Header("Content-Type", "application/geo+json")
	var stored []geotag.DeskPlace
	for i := range ds {
		ds[i].By = who(c)
		if err := s.deskPlaces.CreateDeskPlace(ctx, &ds[i]); err != nil {
			if len(stored) == 0 {
				s.writeError(c, err)
				return
			}
			s.logger.Error("desk place import stopped", "stored", len(stored), "err", err)
			break
		}
		stored = append(stored, ds[i])
	}
	c.Status(http.StatusCreated)
	cw := newCollectionWriter(c.Writer)
	for _, d := range stored {
		cw.Write(d.GeoJSON())
	}
	cw.Close(member{"stored", len(stored)}, member{"given", len(ds)})
}

// deskInput is the body of PATCH /api/v1/desk-places/{id}: absent fields
// are left alone.
type deskInput struct {
	Names   []string `json:"names"`
	Lat     *float64 `json:"lat"`
	Lon     *float64 `json:"lon"`
	Country *string  `json:"country"`
	Feature *string  `json:"feature"`
	Note    *string  `json:"note"`
}

// patchDeskPlace changes a desk place's names, point or fields.
func (s *Server) patchDeskPlace(c *gin.Context) {
	var in deskInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "id", "a desk place id is a number, not %q", c.Param("id")))
		return
	}
	d, err := s.deskPlaces.UpdateDeskPlace(c.Request.Context(), id, who(c), func(d *geotag.DeskPlace) error {
		if in.Names != nil {
			d.Names = in.Names
		}
		for _, f := range []struct {
			dst *float64
			v   *float64
		}{{&d.Lat, in.Lat}, {&d.Lon, in.Lon}} {
			if f.v != nil {
				*f.dst = *f.v
			}
		}
		for _, f := range []struct {
			dst *string
			v   *string
		}{{&d.Country, in.Country}, {&d.Feature, in.Feature}, {&d.Note, in.Note}} {
			if f.v != nil {
				*f.dst = *f.v
			}
		}
		return d.Normalize()
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Content-Type", "application/geo+json")
	c.JSON(http.StatusOK, d.GeoJSON())
}

// deleteDeskPlace removes a desk place: 204. Reports already tagged with
// it keep it (their mentions hold a copy of the place).
func (s *Server) deleteDeskPlace(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "id", "a desk place id is a number, not %q", c.Param("id")))
		return
	}
	if err := s.deskPlaces.DeleteDeskPlace(c.Request.Context(), id, who(c)); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// listAudit answers the audit log of the desk's rules and places, newest
// first: ?kind=rule|desk_place, id=, before= (a seq, for the next page),
// limit=1..1000.
func (s *Server) listAudit(c *gin.Context) {
	f := geotag.AuditFilter{Kind: c.Query("kind"), ID: c.Query("id")}
	for _, p := range []struct {
		name string
		dst  any
	}{{"before", &f.Before}, {"limit", &f.Limit}} {
		v := c.Query(p.name)
		if v == "" {
			continue
		}
		n, err := strconv.ParseUint(v, 10, 63)
		if err != nil {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, p.name, "%s must be a whole number, not %q", p.name, v))
			return
		}
		switch d := p.dst.(type) {
		case *uint64:
			*d = n
		case *int:
			*d = int(min(n, 1<<20))
		}
	}
	es, err := s.audit.Audit(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"entries": es})
}
