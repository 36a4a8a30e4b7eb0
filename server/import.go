package server

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// maxImportItems bounds one import request.
const maxImportItems = 10000

// ImportItem is the outcome for one report of an import: Status 201 when
// stored, 200 when its external_id was already stored (ID is then the
// stored report's), or the status and problem of its error. Index counts
// the reports of the import from 0 (for GeoJSON, the feature's index);
// Line is the 1-based line a CSV record or a JSON Lines / sequence text
// starts on, 0 (omitted) for a JSON array or a FeatureCollection.
type ImportItem struct {
	Index   int      `json:"index"`
	Line    int      `json:"line,omitempty"`
	Status  int      `json:"status"`
	ID      string   `json:"id,omitempty"`
	Problem *Problem `json:"problem,omitempty"`
}

// ImportColumns names, for a CSV import, the header's columns read into a
// report field and those ignored, in header order; for GeoJSON, the
// feature property names, in the order first met. Notes says, in words,
// where a column was read other than as its name says (omitted when none
// was): a source column holding publication names rather than links.
type ImportColumns struct {
	Used    []string `json:"used"`
	Ignored []string `json:"ignored"`
	Notes   []string `json:"notes,omitempty"`

	// used and ignored hold Used and Ignored as sets, so that a file
	// naming millions of properties costs linear time (pickColumns).
	used, ignored map[string]bool
}

// ImportResult answers POST /api/v1/import. Columns is omitted for a JSON
// import of report bodies.
type ImportResult struct {
	Created    int            `json:"created"`
	Duplicates int            `json:"duplicates"`
	Failed     int            `json:"failed"`
	Columns    *ImportColumns `json:"columns,omitempty"`
	Items      []ImportItem   `json:"items"`
}

// importRecord is one report read from an import: the body as POST
// /api/v1/reports takes it, or Err (a *geotag.Error) saying why it cannot
// be one. Auto is a point a GeoJSON or CSV export marked as chosen by the
// tagger (method "auto"): it stays automatic when the tagger chooses it
// again from the text, and becomes the manual main point otherwise.
// SourceNames says that the source value named publications, not a link,
// and went to the tags (importFields.record).
type importRecord struct {
	Line        int
	In          reportInput
	Auto        *geotag.LatLon
	SourceNames bool
	Point       importPoint // what the file says of its manual point
	Err         error
}

// importReports stores many reports in one request, at most 10,000, in
// one of these forms (by Content-Type):
//
//   - application/json or application/geo+json: a JSON array of report
//     bodies as POST /api/v1/reports takes them, or a GeoJSON
//     FeatureCollection, or one Feature;
//   - application/x-ndjson, application/jsonl: one JSON text a line;
//     application/json-seq, application/geo+json-seq: RFC 7464 / RFC 8142
//     text sequences (as GET /api/v1/export/geojsonseq writes them);
//   - text/csv: a header row, then one report a record.
//
// Wherever a JSON report is expected, a GeoJSON Feature is read as one
// (featureRecord); CSV columns and feature properties map to report fields
// by importAliases. Each report is tagged and stored on its own through the
// same path; one bad report does not stop the others: it gets its own
// status and problem in the answer. Re-sending an import with external_ids
// (or the ids of an export) is safe: stored ones count as duplicates.
//
// The whole request is refused when it is not one of these forms (415),
// over MaxImportBody bytes (default 32 MiB) or 10,000 reports (413), not
// UTF-8, undecodable as a whole (not JSON, no CSV header naming a title or
// text column) or empty (400).
func (s *Server) importReports(c *gin.Context) {
	mt := mediaType(c)
	var read func([]byte) ([]importRecord, *ImportColumns, error)
	switch mt {
	case "application/json", "application/geo+json":
		read = func(b []byte) ([]importRecord, *ImportColumns, error) { return readJSONImport(b, maxImportItems) }
	case "application/x-ndjson", "application/jsonl":
		read = func(b []byte) ([]importRecord, *ImportColumns, error) { return readSeqImport(b, false, maxImportItems) }
	case "application/json-seq", "application/geo+json-seq":
		read = func(b []byte) ([]importRecord, *ImportColumns, error) { return readSeqImport(b, true, maxImportItems) }
	case "text/csv":
		read = func(b []byte) ([]importRecord, *ImportColumns, error) { return readCSV(b, maxImportItems) }
	default:
		s.writeError(c, geotag.FieldErrorf(geotag.EUNSUPPORTED, "Content-Type",
			"an import is application/json (an array, or GeoJSON), application/geo+json, application/x-ndjson (one report per line), application/geo+json-seq or text/csv, not %q", mt))
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if isTooLarge(err) {
		s.writeError(c, geotag.FieldErrorf(geotag.ETOOLARGE, "body", "an import may hold at most %d bytes; split it", s.maxImport))
		return
	} else if err != nil {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "body", "reading the request body: %v", err))
		return
	}
	if !utf8.Valid(body) {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "body", "request body is not valid UTF-8"))
		return
	}
	recs, cols, err := read(body)
	if err != nil {
		s.writeError(c, err)
		return
	}
	noteSourceNames(recs, cols)
	if len(recs) == 0 {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "body", "the import holds no reports"))
		return
	}
	if len(recs) > maxImportItems {
		s.writeError(c, geotag.FieldErrorf(geotag.ETOOLARGE, "body", "an import may hold at most %d reports; split it", maxImportItems))
		return
	}
	res := ImportResult{Columns: cols, Items: make([]ImportItem, 0, len(recs))}
	who := who(c)
	for i := range recs {
		if err := c.Request.Context().Err(); err != nil {
			return // the client left
		}
		item := ImportItem{Index: i, Line: recs[i].Line}
		r, err := s.importOne(c, &recs[i], who)
		switch {
		case err == nil:
			item.Status, item.ID = http.StatusCreated, r.ID
			res.Created++
			s.metrics.reportStored()
		case geotag.ErrorCode(err) == geotag.ECONFLICT && r != nil && r.ID != "":
			item.Status, item.ID = http.StatusOK, r.ID
			res.Duplicates++
		default:
			item.Status = ErrorStatus(err)
			if item.Status >= 500 {
				s.logger.Error("import failed", "index", i, "err", err)
			}
			item.Problem = &Problem{Type: "about:blank", Title: http.StatusText(item.Status), Status: item.Status,
				Detail: geotag.ErrorMessage(err), Code: geotag.ErrorCode(err), Field: geotag.ErrorField(err)}
			res.Failed++
		}
		res.Items = append(res.Items, item)
	}
	c.JSON(http.StatusOK, res)
}

// importOne tags and stores one report of an import, as POST
// /api/v1/reports does; a record's Err is returned as it is. An Auto point
// the tagger does not choose again becomes the manual main point: the
// coordinates of an export always come back.
func (s *Server) importOne(c *gin.Context, rec *importRecord, who string) (*geotag.Report, error) {
	if rec.Err != nil {
		return nil, rec.Err
	}
	in := rec.In
	now := s.now().UTC()
	r := &geotag.Report{Time: now, Status: geotag.StatusUnreviewed, Tags: []string{}, Created: now}
	if _, err := in.apply(r); err != nil {
		return nil, err
	}
	if err := s.reportLimits.CheckInput(r); err != nil {
		return nil, err // before the tagger spends time on it
	}
	if err := s.setPlaces(c, r, &in, who); err != nil {
		return nil, err
	}
	if p := rec.Auto; p != nil && !samePoint(r.Location, *p) {
		// The text's tagging is kept as it is (given as mentions, not
		// tagged twice); only the main location becomes the point.
		ms := slices.Clone(r.Mentions)
		in.Location, in.Mentions = p, &ms
		if err := s.setPlaces(c, r, &in, who); err != nil {
			return nil, err
		}
	}
	rec.Point.apply(r.Location)
	r.History = []geotag.Revision{createRevision(r, who, now)}
	err := s.reports.CreateReport(c.Request.Context(), r)
	return r, err
}

// samePoint reports whether l lies within about 10 cm of p (GIS tools may
// round the last digits of an export's coordinates).
func samePoint(l *geotag.Location, p geotag.LatLon) bool {
	return l != nil && math.Abs(l.Lat-p.Lat) < 1e-6 && math.Abs(l.Lon-p.Lon) < 1e-6
}

// importAliases maps the lower-case names of CSV columns and GeoJSON
// properties to report fields, most preferred name first: when a file has
// two names for one field, the earlier one here is read and the other
// ignored. "id" (an export's report id, ACLED's event_id_cnty) becomes the
// external_id when no external_id is given, so importing an export twice
// stores it once. The time is our export's event_time when there is one,
// else ACLED's event_date. "method" says whether an export's point was
// chosen by the tagger. "event_type" and "location" make the title of a
// file without a title column (importFields.record): ACLED's; "event_type"
// is also the event type, and ACLED's sub_event_type, fatalities, actor1,
// assoc_actor_1, actor2, assoc_actor_2 and civilian_targeting are the
// report's event (eventFields); "location" and "geo_precision" also name a
// manual point and give its precision, and admin1–admin3 are kept as tags
// (importpoint.go).
var importAliases = []struct {
	field string
	names []string
}{
	{"external_id", []string{"external_id", "externalid"}},
	{"id", []string{"id", "event_id_cnty"}},
	{"title", []string{"title", "headline"}},
	{"text", []string{"text", "body", "notes", "description"}},
	{"source", []string{"source", "url", "source_url", "link"}},
	{"time", []string{"time", "datetime", "event_time", "event_date", "date"}},
	{"precision", []string{"time_precision"}},
	{"tags", []string{"tags", "tag"}},
	{"status", []string{"status"}},
	{"lat", []string{"latitude", "lat", "y"}},
	{"lon", []string{"longitude", "lon", "lng", "long", "x"}},
	{"method", []string{"location_method", "method"}},
	{"event_type", []string{"event_type"}},
	{"location", []string{"location"}},
	{"sub_event_type", []string{"sub_event_type"}},
	{"fatalities", []string{"fatalities"}},
	{"actor1", []string{"actor1"}},
	{"assoc_actor_1", []string{"assoc_actor_1"}},
	{"actor2", []string{"actor2"}},
	{"assoc_actor_2", []string{"assoc_actor_2"}},
	{"civilian_targeting", []string{"civilian_targeting"}},
	{"geo_precision", []string{"geo_precision"}},
	{"admin1", []string{"admin1"}},
	{"admin2", []string{"admin2"}},
	{"admin3", []string{"admin3"}},
}

// pickColumns gives each name (a CSV header, a feature's property names)
// the report field it fills, "" for none, by importAliases (case and
// surrounding space ignored), and records the names used and ignored.
// A title column only means that event_type and location make no title.
func pickColumns(names []string, cols *ImportColumns) []string {
	slot := make([]string, len(names))
	for _, a := range importAliases {
	alias:
		for _, n := range a.names {
			for i, name := range names {
				if slot[i] == "" && strings.EqualFold(strings.TrimSpace(name), n) {
					slot[i] = a.field
					break alias
				}
			}
		}
	}
	if cols.used == nil {
		cols.used, cols.ignored = map[string]bool{}, map[string]bool{}
	}
	for i, name := range names {
		if slot[i] != "" {
			addName(&cols.Used, cols.used, name)
		} else if !cols.used[name] {
			addName(&cols.Ignored, cols.ignored, name)
		}
	}
	return slot
}

// addName appends name to list unless set, which holds list's names, has it.
func addName(list *[]string, set map[string]bool, name string) {
	if !set[name] {
		set[name] = true
		*list = append(*list, name)
	}
}

// hasField reports whether slot fills any of the fields.
func hasField(slot []string, fields ...string) bool {
	return slices.ContainsFunc(slot, func(f string) bool { return slices.Contains(fields, f) })
}

// importFields holds one record's values by report field, as read from a
// CSV row or a feature's properties and geometry.
type importFields struct {
	externalID, id, title, text, source, time, status, tags, lat, lon, method string
	precision, eventType, location                                            string
	ev                                                                        eventFields
	geoPrecision, admin1, admin2, admin3                                      string
	tagList                                                                   *[]string // a GeoJSON array of tags
}

// slot returns where a field's value goes, nil for "".
func (f *importFields) slot(field string) *string {
	switch field {
	case "external_id":
		return &f.externalID
	case "id":
		return &f.id
	case "title":
		return &f.title
	case "text":
		return &f.text
	case "source":
		return &f.source
	case "time":
		return &f.time
	case "precision":
		return &f.precision
	case "status":
		return &f.status
	case "tags":
		return &f.tags
	case "lat":
		return &f.lat
	case "lon":
		return &f.lon
	case "method":
		return &f.method
	case "event_type":
		return &f.eventType
	case "location":
		return &f.location
	case "geo_precision":
		return &f.geoPrecision
	case "admin1":
		return &f.admin1
	case "admin2":
		return &f.admin2
	case "admin3":
		return &f.admin3
	}
	return f.ev.slot(field)
}

// record builds the report body: empty values are absent; the external_id
// is the id when none is given; a date written as "15 January 2024" is
// read as 2024-01-15 (importTime); without a title, the title is
// "<event_type>: <location>" (either alone when the other is empty: an
// ACLED row's); status is lower-cased; a tags cell is split at ";" when it
// holds one (the export's separator), else at ","; a source without a URL
// scheme names publications (ACLED's "Reuters; Al Jazeera"): split at ";",
// each becomes the tag "source:<name>" after the tags, and SourceNames is
// set (a source with a scheme stays the source: a link, which must be http
// or https when the report is stored); latitude and longitude, both or
// neither, are the main point — manual, or Auto when method is "auto". A
// latitude or longitude that is not a finite number is EINVALID (400); one
// out of range is EUNPROCESSABLE (422). Everything else is checked when the
// report is stored.
func (f *importFields) record() importRecord {
	var rec importRecord
	in := &rec.In
	val := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	ext := strings.TrimSpace(f.externalID)
	if ext == "" {
		ext = strings.TrimSpace(f.id)
	}
	in.ExternalID = val(ext)
	title := f.title
	if strings.TrimSpace(title) == "" {
		title = strings.Join(slices.DeleteFunc([]string{strings.TrimSpace(f.eventType), strings.TrimSpace(f.location)},
			func(s string) bool { return s == "" }), ": ")
	}
	in.Title, in.Text = val(title), val(f.text)
	if rec.Err = f.ev.input(&in.eventInput, f.eventType); rec.Err != nil {
		return rec
	}
	in.Time = val(importTime(strings.TrimSpace(f.time), strings.TrimSpace(f.precision)))
	in.Status = val(strings.ToLower(strings.TrimSpace(f.status)))
	if f.tagList != nil {
		in.Tags = f.tagList
	} else if strings.TrimSpace(f.tags) != "" {
		sep := ","
		if strings.Contains(f.tags, ";") {
			sep = ";"
		}
		tags := strings.Split(f.tags, sep)
		in.Tags = &tags
	}
	if src := strings.TrimSpace(f.source); src != "" && !hasScheme(src) {
		var tags []string
		if in.Tags != nil {
			tags = slices.Clone(*in.Tags)
		}
		for _, name := range strings.Split(src, ";") {
			if name = strings.TrimSpace(name); name != "" {
				tags = append(tags, "source:"+name)
			}
		}
		in.Tags, rec.SourceNames = &tags, true
	} else {
		in.Source = val(src)
	}
	f.adminTags(&rec)
	lat, lon := strings.TrimSpace(f.lat), strings.TrimSpace(f.lon)
	if lat == "" && lon == "" {
		return rec
	}
	p, err := parsePoint(lat, lon)
	if err != nil {
		rec.Err = err
	} else if strings.EqualFold(strings.TrimSpace(f.method), geotag.MethodAuto) {
		rec.Auto = &p
	} else {
		in.Location = &p
		rec.Point, rec.Err = f.point()
	}
	return rec
}

// importTime gives a time cell as the report body takes it: a date as
// ACLED's export tool writes it ("15 January 2024") becomes 2024-01-15; a
// time with a precision — a GeoJSON export's time_precision ("day",
// "month", "year"), or ACLED's code 3 (a month; its 1 and 2, a day and a
// week, come with a date, which is a day already, and our CSV export
// writes 1 for exact times too, whose event_time says so) — is written to
// that precision, so that it is stored with it; anything else is left for
// the report's own check.
func importTime(s, precision string) string {
	if t, err := time.Parse("2 January 2006", s); err == nil {
		s = t.Format(time.DateOnly)
	}
	prec := map[string]string{"day": "day", "month": "month", "year": "year", "3": "month"}[strings.ToLower(precision)]
	if prec == "" {
		return s
	}
	// Only ever coarser: "2011" with ACLED's 3 stays a year.
	rank := map[string]int{"": 0, "day": 1, "month": 2, "year": 3}
	if t, has, err := parseTime(s, "time"); err == nil && rank[prec] > rank[has] {
		return formatTime(t, prec)
	}
	return s
}

// hasScheme reports whether s starts with a URL scheme and its colon (RFC
// 3986: a letter, then letters, digits, "+", "-" or "."): "https://…" and
// "javascript:…" do, "Reuters; Al Jazeera" does not.
func hasScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// noteSourceNames adds to cols, when any record's source named
// publications rather than linking one (importRecord.SourceNames), a note
// saying how many and where they went.
func noteSourceNames(recs []importRecord, cols *ImportColumns) {
	n := 0
	for i := range recs {
		if recs[i].SourceNames {
			n++
		}
	}
	if n == 0 || cols == nil {
		return
	}
	reports := "reports"
	if n == 1 {
		reports = "report"
	}
	cols.Notes = append(cols.Notes, fmt.Sprintf(
		`source: %d %s name their sources instead of linking one (a URL); each name is kept as the tag "source:<name>"`, n, reports))
}

// parsePoint reads a latitude and a longitude written as decimal numbers.
func parsePoint(lat, lon string) (geotag.LatLon, error) {
	var p geotag.LatLon
	for _, c := range []struct {
		s, name string
		dst     *float64
	}{{lat, "lat", &p.Lat}, {lon, "lon", &p.Lon}} {
		if c.s == "" {
			return p, geotag.FieldErrorf(geotag.EINVALID, "location."+c.name, "a point needs both a latitude and a longitude")
		}
		v, err := strconv.ParseFloat(c.s, 64)
		if err != nil && !isRange(err) || math.IsNaN(v) || math.IsInf(v, 0) {
			return p, geotag.FieldErrorf(geotag.EINVALID, "location."+c.name, "%s must be a finite decimal number, not %.40q", c.name, c.s)
		}
		*c.dst = v
	}
	return p, geotag.ValidPoint(p.Lat, p.Lon, "location.")
}

// isRange reports a strconv range error (the value is then ±Inf or 0).
func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// formulaStarts are the first characters safeCell defuses.
const formulaStarts = "=+-@\t\r"
