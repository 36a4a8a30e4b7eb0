package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// OGC API – Features, Part 1 Core with GeoJSON and OpenAPI 3.0, under
// /ogc, with one collection, "reports". QGIS and GDAL (the OAPIF driver)
// use it as a live layer.

const (
	ogcCollection   = "reports"
	ogcDefaultLimit = 10
	ogcMaxLimit     = 10000
	crs84           = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	geojsonType     = "application/geo+json"
	openAPIType     = "application/vnd.oai.openapi+json;version=3.0"
)

var ogcConformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
}

// ogcURL returns an absolute URL of an /ogc resource.
func ogcURL(c *gin.Context, p string, q url.Values) string {
	if q == nil {
		q = url.Values{}
	}
	return requestURL(c, "/ogc"+p, q)
}

func (s *Server) ogcLanding(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{
		"title":       "geotag",
		"description": "Geotagged reports: news and conflict reports with the places they name.",
		"links": []Link{
			{Href: ogcURL(c, "", nil), Rel: "self", Type: "application/json", Title: "This document"},
			{Href: ogcURL(c, "/api", nil), Rel: "service-desc", Type: openAPIType, Title: "The API definition"},
			{Href: ogcURL(c, "/conformance", nil), Rel: "conformance", Type: "application/json", Title: "Conformance classes"},
			{Href: ogcURL(c, "/collections", nil), Rel: "data", Type: "application/json", Title: "Collections"},
		},
	})
}

func (s *Server) ogcConformance(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"conformsTo": ogcConformance})
}

// ogcCollectionInfo describes the reports collection.
func ogcCollectionInfo(c *gin.Context) gin.H {
	return gin.H{
		"id":          ogcCollection,
		"title":       "Reports",
		"description": "Each report at its main location, with its title, time, source and the places it names.",
		"itemType":    "feature",
		"crs":         []string{crs84},
		"extent": gin.H{
			"spatial":  gin.H{"bbox": [][]float64{{-180, -90, 180, 90}}, "crs": crs84},
			"temporal": gin.H{"interval": [][]any{{nil, nil}}, "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"},
		},
		"links": []Link{
			{Href: ogcURL(c, "/collections/"+ogcCollection, nil), Rel: "self", Type: "application/json", Title: "This collection"},
			{Href: ogcURL(c, "/collections/"+ogcCollection+"/items", nil), Rel: "items", Type: geojsonType, Title: "Reports as GeoJSON"},
		},
	}
}

func (s *Server) ogcCollections(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{
		"links": []Link{
			{Href: ogcURL(c, "/collections", nil), Rel: "self", Type: "application/json", Title: "This document"},
		},
		"collections": []gin.H{ogcCollectionInfo(c)},
	})
}

func (s *Server) ogcCollection(c *gin.Context) {
	c.JSON(http.StatusOK, ogcCollectionInfo(c))
}

// ogcParams are the query parameters items accepts: OGC's and the rest of
// the report filter language. Any other is refused with 400, as Core
// requires.
var ogcParams = map[string]bool{
	"bbox": true, "datetime": true, "limit": true, "offset": true, "f": true,
	"bbox-crs": true, "crs": true, "cursor": true, "place": true, "q": true, "status": true, "tag": true,
}

// errStop ends an EachReport walk early.
var errStop = errors.New("stop")

// ogcItems answers a page of the reports collection: limit (default 10,
// at most 10000) features after offset, with numberMatched, and a next
// link while there are more.
func (s *Server) ogcItems(c *gin.Context) {
	q := c.Request.URL.Query()
	for k := range q {
		if !ogcParams[k] {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, k, "unknown query parameter %q", k))
			return
		}
	}
	for _, p := range []string{"bbox-crs", "crs"} {
		if crs := q.Get(p); crs != "" && crs != crs84 {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, p, "only %s is supported", crs84))
			return
		}
	}
	if f := q.Get("f"); f != "" && f != "json" && f != "geojson" {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "f", "only f=json (GeoJSON) is supported"))
		return
	}
	fq := url.Values{}
	for _, k := range []string{"bbox", "datetime", "place", "q", "status", "tag"} {
		if v := q.Get(k); v != "" {
			fq.Set(k, v)
		}
	}
	f, err := parseFilter(fq)
	if err != nil {
		s.writeError(c, err)
		return
	}
	f.Limit, f.Cursor = 0, ""
	limit := ogcDefaultLimit
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be a positive integer, not %q", l))
			return
		}
		limit = min(n, ogcMaxLimit)
	}
	offset := 0
	if o := q.Get("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "offset", "offset must be a non-negative integer, not %q", o))
			return
		}
		offset = n
	}
	// Next links carry the store's cursor, so that paging costs one page
	// however deep it goes; a client's own offset is honoured by walking.
	release, ok := s.admitPage(c, limit)
	if !ok {
		return
	}
	defer release()
	var page []*geotag.Report
	var matched int
	var capped bool // matched is a lower bound
	var next string
	ctx := c.Request.Context()
	if cur := q.Get("cursor"); offset == 0 || cur != "" {
		f.Limit, f.Cursor = limit, cur
		p, err := s.reports.FindReports(ctx, f)
		if err != nil {
			s.writeError(c, err)
			return
		}
		page, matched, capped, next = p.Reports, p.Total, p.TotalCapped, p.Next
	} else {
		p, err := s.reports.FindReports(ctx, geotag.ReportFilter{BBox: f.BBox, From: f.From, To: f.To,
			PlaceID: f.PlaceID, Status: f.Status, Tag: f.Tag, Q: f.Q, Limit: 1})
		if err != nil {
			s.writeError(c, err)
			return
		}
		matched, capped = p.Total, p.TotalCapped
		seen := 0
		err = s.reports.EachReport(ctx, f, func(r *geotag.Report) error {
			if seen++; seen > offset {
				page = append(page, r)
			}
			if len(page) == limit {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			s.writeError(c, err)
			return
		}
	}
	links := []Link{
		{Href: requestURL(c, c.Request.URL.Path, q), Rel: "self", Type: geojsonType, Title: "This document"},
		{Href: ogcURL(c, "/collections/"+ogcCollection, nil), Rel: "collection", Type: "application/json", Title: "The collection"},
	}
	nq := url.Values{}
	for k, v := range q {
		nq[k] = v
	}
	nq.Set("limit", strconv.Itoa(limit))
	switch {
	case next != "":
		nq.Del("offset")
		nq.Set("cursor", next)
		links = append(links, Link{Href: requestURL(c, c.Request.URL.Path, nq), Rel: "next", Type: geojsonType, Title: "Next page"})
	case offset > 0 && (offset+len(page) < matched || capped && len(page) == limit):
		nq.Set("offset", strconv.Itoa(offset+len(page)))
		links = append(links, Link{Href: requestURL(c, c.Request.URL.Path, nq), Rel: "next", Type: geojsonType, Title: "Next page"})
	}
	c.Header("Content-Type", geojsonType)
	c.Status(http.StatusOK)
	// Items carry every attribute, the text too (geotag.FullFeature): a
	// GIS tool's copy of the collection imports back with its texts.
	cw := newCollectionWriter(c.Writer)
	for _, r := range page {
		cw.WriteReport(r, geotag.FullFeature)
	}
	cw.Close(
		matchedMember(matched, capped),
		member{"numberReturned", len(page)},
		member{"timeStamp", s.now().UTC()},
		member{"links", links},
	)
}

func (s *Server) ogcItem(c *gin.Context) {
	r, err := s.reports.FindReportByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	// The root encoder writes the feature; the links are added as a
	// foreign member before its closing brace.
	b := geotag.AppendReportFeatureWith(nil, r, geotag.FullFeature)
	links, _ := json.Marshal([]Link{
		{Href: ogcURL(c, "/collections/"+ogcCollection+"/items/"+r.ID, nil), Rel: "self", Type: geojsonType},
		{Href: ogcURL(c, "/collections/"+ogcCollection, nil), Rel: "collection", Type: "application/json"},
	})
	b = append(append(append(b[:len(b)-1], `,"links":`...), links...), '}')
	c.Data(http.StatusOK, geojsonType, b)
}
