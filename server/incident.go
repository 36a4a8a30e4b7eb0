package server

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// routeIncidents registers the incident routes when the server has an
// incident service.
func (s *Server) routeIncidents(api *gin.RouterGroup, read, write gin.HandlerFunc) {
	if s.incidents == nil {
		return
	}
	api.GET("/reports/:id/same-event", read, s.sameEvent)
	api.GET("/incidents", read, s.listIncidents)
	api.POST("/incidents", write, s.createIncident)
	api.GET("/incidents/:id", read, s.getIncident)
	api.PATCH("/incidents/:id", write, s.patchIncident)
	api.DELETE("/incidents/:id", write, s.deleteIncident)
	api.POST("/incidents/:id/sources", write, s.linkSource)
	api.DELETE("/incidents/:id/sources/:report", write, s.unlinkSource)
}

func (s *Server) desk() geotag.IncidentDesk {
	return geotag.IncidentDesk{Reports: s.reports, Incidents: s.incidents, Now: s.now, Limits: s.incLimits}
}

// sameEvent answers the reports that may describe the same event as the
// report (geotag.FindSameEvent), best first, and the incident it is in.
func (s *Server) sameEvent(c *gin.Context) {
	ctx := c.Request.Context()
	r, err := s.reports.FindReportByID(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	cands, err := geotag.FindSameEvent(ctx, s.reports, s.incidents, r, s.incLimits)
	if err != nil {
		s.writeError(c, err)
		return
	}
	in, err := s.incidents.IncidentOf(ctx, r.ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if cands == nil {
		cands = []geotag.SameEventCandidate{}
	}
	c.JSON(http.StatusOK, gin.H{"report_id": r.ID, "incident": in, "candidates": cands})
}

// incidentInput is the body of POST /api/v1/incidents and PATCH
// /api/v1/incidents/{id}: a title, the source reports (POST only) and
// the analyst's figures.
type incidentInput struct {
	Title     string             `json:"title"`
	ReportIDs []string           `json:"report_ids"`
	Set       geotag.IncidentSet `json:"set"`
}

func (s *Server) createIncident(c *gin.Context) {
	var in incidentInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if len(in.ReportIDs) > s.incLimits.MaxSources {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "report_ids", "an incident has at most %d sources", s.incLimits.MaxSources))
		return
	}
	inc, err := s.desk().Create(c.Request.Context(), in.Title, in.ReportIDs, in.Set, who(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.writeIncident(c, http.StatusCreated, inc, nil)
}

// getIncident answers an incident with its figures derived from its
// sources as stored now, and the sources.
func (s *Server) getIncident(c *gin.Context) {
	inc, err := s.incidents.FindIncidentByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	rs, err := s.desk().Refresh(c.Request.Context(), inc)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.writeIncident(c, http.StatusOK, inc, rs)
}

func (s *Server) patchIncident(c *gin.Context) {
	var in incidentInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	s.changeIncident(c, func(d geotag.IncidentDesk, inc *geotag.Incident) (*geotag.Incident, error) {
		return d.SetFigures(c.Request.Context(), inc, in.Title, in.Set, who(c))
	})
}

func (s *Server) linkSource(c *gin.Context) {
	var in struct {
		ReportID string `json:"report_id"`
	}
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	s.changeIncident(c, func(d geotag.IncidentDesk, inc *geotag.Incident) (*geotag.Incident, error) {
		return d.Link(c.Request.Context(), inc, in.ReportID, who(c))
	})
}

func (s *Server) unlinkSource(c *gin.Context) {
	s.changeIncident(c, func(d geotag.IncidentDesk, inc *geotag.Incident) (*geotag.Incident, error) {
		return d.Unlink(c.Request.Context(), inc, c.Param("report"), who(c))
	})
}

// changeIncident reads the incident, refuses the change when If-Match
// names another version (412), and answers what change stored.
func (s *Server) changeIncident(c *gin.Context, change func(geotag.IncidentDesk, *geotag.Incident) (*geotag.Incident, error)) {
	inc, err := s.incidents.FindIncidentByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if im := c.GetHeader("If-Match"); im != "" && im != "*" && im != incidentETag(inc) {
		s.writeError(c, geotag.FieldErrorf(errPrecondition, "If-Match", "the incident changed since you read it (now %s); reload it and try again", incidentETag(inc)))
		return
	}
	out, err := change(s.desk(), inc)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.writeIncident(c, http.StatusOK, out, nil)
}

func (s *Server) deleteIncident(c *gin.Context) {
	if err := s.incidents.DeleteIncident(c.Request.Context(), c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// incidentAnswer is an incident as the API answers it, with its sources'
// summaries when read with GET.
type incidentAnswer struct {
	*geotag.Incident
	SourceReports []sourceSummary `json:"source_reports,omitempty"`
}

type sourceSummary struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Time       time.Time `json:"time"`
	Source     string    `json:"source,omitempty"`
	EventType  string    `json:"event_type,omitempty"`
	Fatalities *int      `json:"fatalities"`
}

func (s *Server) writeIncident(c *gin.Context, status int, inc *geotag.Incident, sources []*geotag.Report) {
	out := incidentAnswer{Incident: inc}
	for _, r := range sources {
		out.SourceReports = append(out.SourceReports, sourceSummary{ID: r.ID, Title: r.Title, Time: r.Time, Source: r.Source, EventType: r.EventType, Fatalities: r.Fatalities})
	}
	c.Header("ETag", incidentETag(inc))
	c.JSON(status, out)
}

func incidentETag(inc *geotag.Incident) string { return `"i` + strconv.Itoa(inc.Version) + `"` }

// listIncidents answers one page of the incidents matching the filter
// language as GeoJSON (a next link to the following page), or, with
// format=csv, every match as CSV.
func (s *Server) listIncidents(c *gin.Context) {
	f, err := parseFilter(c.Request.URL.Query())
	if err == nil {
		err = geotag.CheckIncidentFilter(f)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	f.Limit = min(f.Limit, s.incLimits.MaxPage)
	switch c.DefaultQuery("format", "geojson") {
	case "geojson":
		s.incidentPage(c, f)
	case "csv":
		s.incidentCSV(c, f)
	default:
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "format", "format must be geojson or csv"))
	}
}

func (s *Server) incidentPage(c *gin.Context, f geotag.ReportFilter) {
	page, err := s.incidents.FindIncidents(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Content-Type", "application/geo+json")
	c.Status(http.StatusOK)
	cw := newCollectionWriter(c.Writer)
	for _, inc := range page.Incidents {
		cw.Write(incidentFeature(inc))
	}
	links := []Link{}
	if page.Next != "" {
		q := filterQuery(f)
		q.Set("cursor", page.Next)
		links = append(links, Link{Href: requestURL(c, c.Request.URL.Path, q), Rel: "next", Type: "application/geo+json"})
	}
	cw.Close(member{"numberReturned", len(page.Incidents)}, member{"links", links})
}

// incidentFeature is an incident as a GeoJSON Feature at its location.
func incidentFeature(inc *geotag.Incident) Feature {
	g := inc.Figures
	return Feature{Type: "Feature", ID: inc.ID, Geometry: locationGeometry(g.Location), Properties: gin.H{
		"id": inc.ID, "title": inc.Title, "time": g.Time, "time_rule": g.TimeRule,
		"event_type": g.EventType, "sub_event_type": g.SubEventType, "type_rule": g.TypeRule,
		"fatalities": g.Fatalities, "fatalities_rule": g.FatalitiesRule, "location_rule": g.LocationRule,
		"precision": locationPrecision(g.Location), "actors": strings.Join(g.Actors, "; "),
		"sources": inc.Sources, "source_count": len(inc.Sources), "version": inc.Version,
	}}
}

func locationPrecision(l *geotag.Location) int {
	if l == nil {
		return 0
	}
	return l.Precision
}

var incidentCSVHeader = []string{"id", "title", "time", "latitude", "longitude", "geo_precision", "event_type", "sub_event_type",
	"fatalities", "actors", "source_count", "sources", "location_rule", "time_rule", "type_rule", "fatalities_rule"}

// incidentCSV streams every incident matching f, page by page.
func (s *Server) incidentCSV(c *gin.Context, f geotag.ReportFilter) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="geotag-incidents.csv"`)
	w := csv.NewWriter(c.Writer)
	w.Write(incidentCSVHeader)
	f.Limit, f.Cursor = min(1000, s.incLimits.MaxPage), ""
	for {
		page, err := s.incidents.FindIncidents(c.Request.Context(), f)
		if err != nil {
			s.logger.Warn("incident csv", "err", err)
			break
		}
		for _, inc := range page.Incidents {
			w.Write(incidentRow(inc))
		}
		if f.Cursor = page.Next; f.Cursor == "" {
			break
		}
	}
	w.Flush()
}

func incidentRow(inc *geotag.Incident) []string {
	g := inc.Figures
	lat, lon, prec, fat := "", "", "", ""
	if l := g.Location; l != nil {
		lat, lon, prec = strconv.FormatFloat(l.Lat, 'f', -1, 64), strconv.FormatFloat(l.Lon, 'f', -1, 64), strconv.Itoa(l.Precision)
	}
	if g.Fatalities != nil {
		fat = strconv.Itoa(*g.Fatalities)
	}
	return []string{inc.ID, safeCell(inc.Title), g.Time.UTC().Format(time.RFC3339), lat, lon, prec, g.EventType, g.SubEventType,
		fat, safeCell(strings.Join(g.Actors, "; ")), strconv.Itoa(len(inc.Sources)), strings.Join(inc.Sources, "; "),
		g.LocationRule, g.TimeRule, g.TypeRule, g.FatalitiesRule}
}

// incidentAPIDoc describes the incident routes for the API document.
func (s *Server) incidentAPIDoc(page []gin.H, idParam gin.H, secured []gin.H, problems func(...string) gin.H,
	jsonResp func(string, gin.H) gin.H, geoResp func(string) gin.H, jsonBody func(gin.H) gin.H) gin.H {
	obj := gin.H{"type": "object"}
	set := gin.H{"type": "object", "description": "the analyst's figures; absent ones are derived from the sources", "properties": gin.H{
		"location": gin.H{"type": "object", "properties": gin.H{"lat": gin.H{"type": "number"}, "lon": gin.H{"type": "number"}}},
		"time":     gin.H{"type": "string", "format": "date-time"}, "event_type": gin.H{"type": "string"}, "sub_event_type": gin.H{"type": "string"},
		"fatalities": gin.H{"type": "integer", "minimum": 0}}}
	ifMatch := gin.H{"name": "If-Match", "in": "header", "description": "the ETag read (\"i<version>\"): 412 when the incident changed since", "schema": gin.H{"type": "string"}}
	change := func(summary string, body gin.H, params ...gin.H) gin.H {
		op := gin.H{"summary": summary, "security": secured, "parameters": append([]gin.H{idParam, ifMatch}, params...),
			"responses": with2(gin.H{"200": jsonResp("The incident, with its ETag", obj)}, problems("400", "401", "403", "404", "409", "412", "422"))}
		if body != nil {
			op["requestBody"] = jsonBody(body)
		}
		return op
	}
	rules := "Figures without an analyst's value follow a rule, named beside each: location most_precise (ties: the place most sources name, then the earliest), time earliest, type most_sources, fatalities most_sources (or lowest_of_tied: the lowest of counts stated by equally many sources, ACLED's lowest credible figure)."
	return gin.H{
		"/reports/{id}/same-event": gin.H{"get": gin.H{"summary": "Reports that may describe the same event: within 10 km or the same district, within 24 h, no other coded type; scored with word overlap (likely from 0.55), best first, at most 20",
			"parameters": []gin.H{idParam}, "responses": with2(gin.H{"200": jsonResp("{report_id, incident, candidates: [{report_id, title, time, distance_km, same_district, hours_apart, same_type, word_similarity, score, likely, reasons, incident}]}", obj)}, problems("404"))}},
		"/incidents": gin.H{
			"get": gin.H{"summary": "Incidents whose figures match the filter (bbox, time, event_type, fatalities_min/max, actor, q on the title; place, status and tag are 400), newest first. " + rules,
				"parameters": append(page, gin.H{"name": "format", "in": "query", "description": "geojson (one page, next link) or csv (every match)", "schema": gin.H{"type": "string", "enum": []string{"geojson", "csv"}}}),
				"responses":  with2(gin.H{"200": geoResp("Point features at each incident's location; properties: figures, their rules, sources, source_count")}, problems("400"))},
			"post": gin.H{"summary": "Link reports as one incident (a report is one incident's source at most)", "security": secured,
				"requestBody": jsonBody(gin.H{"type": "object", "required": []string{"report_ids"}, "properties": gin.H{"title": gin.H{"type": "string"},
					"report_ids": gin.H{"type": "array", "items": gin.H{"type": "string"}, "maxItems": s.incLimits.MaxSources}, "set": set}}),
				"responses": with2(gin.H{"201": jsonResp("The incident", obj)}, problems("400", "401", "403", "404", "409"))}},
		"/incidents/{id}": gin.H{
			"get":    gin.H{"summary": "An incident, its figures derived from its sources as stored now, and source_reports; its history's revisions: create, link, unlink, set, source_edited (a source's edit changed a figure), source_deleted", "parameters": []gin.H{idParam}, "responses": with2(gin.H{"200": jsonResp("The incident, with its ETag", obj)}, problems("404"))},
			"patch":  change("Set the analyst's figures and title", gin.H{"type": "object", "properties": gin.H{"title": gin.H{"type": "string"}, "set": set}}),
			"delete": gin.H{"summary": "Delete an incident (its reports stay)", "security": secured, "parameters": []gin.H{idParam}, "responses": with2(gin.H{"204": gin.H{"description": "Deleted"}}, problems("401", "403", "404"))}},
		"/incidents/{id}/sources": gin.H{"post": change("Link a report", gin.H{"type": "object", "required": []string{"report_id"}, "properties": gin.H{"report_id": gin.H{"type": "string"}}})},
		"/incidents/{id}/sources/{report}": gin.H{"delete": change("Unlink a report (422 for the last source)", nil,
			gin.H{"name": "report", "in": "path", "required": true, "schema": gin.H{"type": "string"}})},
	}
}

func with2(r gin.H, more gin.H) gin.H {
	for k, v := range more {
		r[k] = v
	}
	return r
}
