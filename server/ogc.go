package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// OGC API – Features, Part 1 Core with GeoJSON and OpenAPI 3.0, under
// /ogc, with one collection, "reports". QGIS and GDAL (the OAPIF driver)
// use it as a live layer.

const (
	ogcCollection   = "reports"
	ogcDefaultLimit = 1000
	ogcMaxLimit     = 10000
	// ogcMaxOffset is the largest offset: an offset costs a step per
	// report skipped, a next link's cursor one page however deep.
	ogcMaxOffset = 100000
	crs84        = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	geojsonType  = "application/geo+json"
	openAPIType  = "application/vnd.oai.openapi+json;version=3.0"
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
		// Not in OGC Core: the page sizes of items, also declared as the
		// limit parameter's default and maximum in the API definition.
		"defaultLimit": ogcDefaultLimit,
		"maxLimit":     ogcMaxLimit,
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
	"event_type": true, "fatalities_min": true, "fatalities_max": true, "actor": true,
}

// keysetPager is implemented by stores that page without counting and skip
// an offset on their index (store.DB): see store.DB.PageReports and
// SkipReports.
type keysetPager interface {
	PageReports(ctx context.Context, f geotag.ReportFilter) (geotag.ReportPage, error)
	SkipReports(ctx context.Context, f geotag.ReportFilter, n int) (cursor string, skipped int, err error)
}

// ogcRequest is a parsed items query.
type ogcRequest struct {
	f      geotag.ReportFilter // without limit and cursor
	limit  int
	offset int
	cursor string
}

// parseOGCItems reads an items query: OGC's parameters and the rest of the
// report filter language. Any other parameter is refused with 400, as Core
// requires; so is an offset past ogcMaxOffset.
func parseOGCItems(q url.Values) (ogcRequest, error) {
	var r ogcRequest
	for k := range q {
		if !ogcParams[k] {
			return r, geotag.FieldErrorf(geotag.EINVALID, k, "unknown query parameter %q", k)
		}
	}
	for _, p := range []string{"bbox-crs", "crs"} {
		if crs := q.Get(p); crs != "" && crs != crs84 {
			return r, geotag.FieldErrorf(geotag.EINVALID, p, "only %s is supported", crs84)
		}
	}
	if f := q.Get("f"); f != "" && f != "json" && f != "geojson" {
		return r, geotag.FieldErrorf(geotag.EINVALID, "f", "only f=json (GeoJSON) is supported")
	}
	fq := url.Values{}
	for _, k := range []string{"bbox", "datetime", "place", "q", "status", "tag", "fatalities_min", "fatalities_max", "actor"} {
		if v := q.Get(k); v != "" {
			fq.Set(k, v)
		}
	}
	fq["event_type"] = q["event_type"]
	var err error
	if r.f, err = parseFilter(fq); err != nil {
		return r, err
	}
	r.f.Limit, r.f.Cursor = 0, ""
	r.limit = ogcDefaultLimit
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return r, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be a positive integer, not %q", l)
		}
		r.limit = min(n, ogcMaxLimit)
	}
	if o := q.Get("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 {
			return r, geotag.FieldErrorf(geotag.EINVALID, "offset", "offset must be a non-negative integer, not %q", o)
		}
		if n > ogcMaxOffset {
			return r, geotag.FieldErrorf(geotag.EINVALID, "offset",
				"offset must be at most %d; page further by following the next links, whose cursor costs one page however deep", ogcMaxOffset)
		}
		r.offset = n
	}
	r.cursor = q.Get("cursor")
	return r, nil
}

// ogcItems answers a page of the reports collection: limit (default
// ogcDefaultLimit, at most ogcMaxLimit) features, and a next link while
// there are more. The next link carries a cursor, the position of the
// page's last report, so that each page costs its own reports however deep
// it is; numberMatched is counted on the first page and on offset pages
// only. An offset (at most ogcMaxOffset) is skipped on the index. Every
// page is charged to the client's scan budget, and offset or text pages
// are bulk scans (admitScan).
func (s *Server) ogcItems(c *gin.Context) {
	q := c.Request.URL.Query()
	// Admitted before the query is parsed: a page following a next link
	// is not counted by the request rate, so a malformed one must be
	// charged too.
	offset := q.Get("offset")
	release, ok := s.admitScan(c, q.Get("cursor") == "" && offset != "" && offset != "0" || strings.TrimSpace(q.Get("q")) != "")
	if !ok {
		return
	}
	defer release()
	r, err := parseOGCItems(q)
	if err != nil {
		s.writeError(c, err)
		return
	}
	releasePage, ok := s.admitPage(c, r.limit)
	if !ok {
		return
	}
	defer releasePage()
	page, counted, err := s.ogcPage(c.Request.Context(), r)
	if err != nil {
		s.writeError(c, err)
		return
	}
	links := []Link{
		{Href: requestURL(c, c.Request.URL.Path, q), Rel: "self", Type: geojsonType, Title: "This document"},
		{Href: ogcURL(c, "/collections/"+ogcCollection, nil), Rel: "collection", Type: "application/json", Title: "The collection"},
	}
	if page.Next != "" {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Del("offset")
		nq.Set("limit", strconv.Itoa(r.limit))
		nq.Set("cursor", page.Next)
		links = append(links, Link{Href: requestURL(c, c.Request.URL.Path, nq), Rel: "next", Type: geojsonType, Title: "Next page"})
	}
	c.Header("Content-Type", geojsonType)
	c.Status(http.StatusOK)
	// Items carry every attribute, the text too (geotag.FullFeature): a
	// GIS tool's copy of the collection imports back with its texts.
	cw := newCollectionWriter(c.Writer)
	for _, rep := range page.Reports {
		cw.WriteReport(rep, geotag.FullFeature)
	}
	var members []member
	if counted {
		members = append(members, matchedMember(page.Total, page.TotalCapped))
	}
	cw.Close(append(members,
		member{"numberReturned", len(page.Reports)},
		member{"timeStamp", s.now().UTC()},
		member{"links", links})...)
}

// ogcPage fetches an items page: after the cursor (uncounted), or after
// offset matches, or the first. counted says page.Total holds the number
// of matches.
func (s *Server) ogcPage(ctx context.Context, r ogcRequest) (page geotag.ReportPage, counted bool, err error) {
	kp, ok := s.reports.(keysetPager)
	if !ok {
		kp = findPager{s.reports}
	}
	f := r.f
	f.Limit = r.limit
	switch {
	case r.cursor != "":
		f.Cursor = r.cursor
		page, err = kp.PageReports(ctx, f)
		return page, false, err
	case r.offset == 0:
		page, err = s.reports.FindReports(ctx, f)
		return page, true, err
	}
	count := r.f
	count.Limit = 1
	total, err := s.reports.FindReports(ctx, count)
	if err != nil {
		return page, false, err
	}
	cur, skipped, err := kp.SkipReports(ctx, r.f, r.offset)
	if err == nil && skipped == r.offset && cur != "" {
		f.Cursor = cur
		page, err = kp.PageReports(ctx, f)
	}
	page.Total, page.TotalCapped = total.Total, total.TotalCapped
	return page, true, err
}

// findPager is keysetPager for a store without it, on FindReports: its
// pages carry the count, and skipping reads the reports skipped.
type findPager struct{ geotag.ReportService }

func (p findPager) PageReports(ctx context.Context, f geotag.ReportFilter) (geotag.ReportPage, error) {
	return p.FindReports(ctx, f)
}

// SkipReports pages through n matches; the cursor is "" when nothing
// follows them.
func (p findPager) SkipReports(ctx context.Context, f geotag.ReportFilter, n int) (string, int, error) {
	skipped := 0
	for skipped < n {
		f.Limit = min(n-skipped, maxLimit)
		page, err := p.FindReports(ctx, f)
		if err != nil {
			return "", skipped, err
		}
		skipped += len(page.Reports)
		if page.Next == "" || len(page.Reports) == 0 {
			return "", skipped, nil
		}
		f.Cursor = page.Next
	}
	return f.Cursor, skipped, nil
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
