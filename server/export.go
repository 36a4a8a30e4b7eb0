package server

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// featureExporter is implemented by stores that encode export features
// straight from their records (store.DB.EachFeature): the bytes are those of
// geotag.AppendReportFeatureWith with opt (exports ask for
// geotag.FullFeature: text and external_id too), valid only during fn.
type featureExporter interface {
	EachFeature(ctx context.Context, f geotag.ReportFilter, opt geotag.FeatureOptions, fn func(feature []byte) error) error
}

// Export formats: the :format of GET /api/v1/export/:format.
var exportFormats = map[string]struct{ contentType, ext string }{
	"geojson":    {"application/geo+json", "geojson"},
	"geojsonseq": {"application/geo+json-seq", "geojsons"}, // RFC 8142: RS before, LF after each feature
	"ndjson":     {"application/x-ndjson", "geojsonl"},     // one feature per line, as GDAL's GeoJSONSeq and jq read it
	"csv":        {"text/csv; charset=utf-8", "csv"},
}

// export streams every report matching the filter (limit and cursor do not
// apply) in the format, in constant memory, as a download. An export is a
// bulk scan, charged to the client's scan budget (admitScan).
func (s *Server) export(c *gin.Context) {
	format := c.Param("format")
	ef, ok := exportFormats[format]
	if !ok {
		s.writeError(c, geotag.FieldErrorf(geotag.ENOTFOUND, "format", "export format must be geojson, geojsonseq, ndjson or csv, not %q", format))
		return
	}
	f, err := parseFilter(c.Request.URL.Query())
	if err != nil {
		s.writeError(c, err)
		return
	}
	f.Limit, f.Cursor = 0, ""
	release, ok := s.admitScan(c, true)
	if !ok {
		return
	}
	defer release()
	name := "geotag-reports-" + s.now().UTC().Format("20060102T150405Z") + "." + ef.ext
	h := c.Writer.Header()
	h.Set("Content-Type", ef.contentType)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	c.Status(http.StatusOK)

	x := &exportRun{ctx: c.Request.Context(), f: f, reports: s.reports, rc: http.NewResponseController(c.Writer)}
	werr := x.write(c.Writer, format, s.now)
	if werr != nil {
		// The status is sent: cut the response off so that the client sees
		// a broken transfer, never a complete-looking partial file.
		s.logger.Error("export failed", "format", format, "err", werr)
		panic(http.ErrAbortHandler)
	}
}

// exportRun is one export under way: the matches of its filter, read from
// the store, and the response whose write deadline each chunk extends.
type exportRun struct {
	ctx     context.Context
	f       geotag.ReportFilter
	reports geotag.ReportService
	// A large export to a slow client may outlast the server's write
	// timeout: each chunk of reports extends the deadline, so only a
	// stalled client is cut off.
	rc   *http.ResponseController
	rows int
}

func (x *exportRun) tick() {
	if x.rows%512 == 0 {
		x.rc.SetWriteDeadline(time.Now().Add(2 * time.Minute))
	}
	x.rows++
}

// each passes fn every matching report.
func (x *exportRun) each(fn func(*geotag.Report) error) error {
	return x.reports.EachReport(x.ctx, x.f, func(r *geotag.Report) error {
		x.tick()
		return fn(r)
	})
}

// eachFeature passes fn every matching report's full GeoJSON Feature
// (with its text and external_id): straight from the store's records when
// it can encode them (several times faster, no report decoded), else
// encoded here.
func (x *exportRun) eachFeature(fn func(feature []byte) error) error {
	if fe, ok := x.reports.(featureExporter); ok {
		return fe.EachFeature(x.ctx, x.f, geotag.FullFeature, func(feature []byte) error {
			x.tick()
			return fn(feature)
		})
	}
	var buf []byte
	return x.each(func(r *geotag.Report) error {
		buf = geotag.AppendReportFeatureWith(buf[:0], r, geotag.FullFeature)
		return fn(buf)
	})
}

// write writes the export in format to w.
func (x *exportRun) write(w io.Writer, format string, now func() time.Time) error {
	switch format {
	case "geojson":
		cw := newCollectionWriter(w)
		n := 0
		err := x.eachFeature(func(feature []byte) error { n++; return cw.WriteFeature(feature) })
		if err != nil {
			return err
		}
		return cw.Close(member{"numberMatched", n}, member{"numberReturned", n}, member{"timeStamp", now().UTC()})
	case "geojsonseq", "ndjson":
		bw := bufio.NewWriterSize(w, 32<<10)
		err := x.eachFeature(func(feature []byte) error {
			if format == "geojsonseq" {
				bw.WriteByte(0x1e)
			}
			bw.Write(feature)
			return bw.WriteByte('\n') // bufio errors stick: the last call reports any
		})
		if err != nil {
			return err
		}
		return bw.Flush()
	case "csv":
		bw := bufio.NewWriterSize(w, 32<<10)
		writeCSVRecord(bw, append(slices.Clip(csvHeader), csvEventHeader...))
		err := x.each(func(r *geotag.Report) error {
			return writeCSVRecord(bw, append(csvRow(r), csvEventCells(&r.Event)...))
		})
		if err != nil {
			return err
		}
		return bw.Flush()
	}
	return nil
}

// csvHeader names the CSV columns, after ACLED's where one fits:
// event_id_cnty is the report's id, external_id the one its source gave it;
// event_date is the event's UTC date (what ACLED tools read), event_time
// the whole time as stored (RFC 3339, UTC, to the nanosecond), which
// POST /api/v1/import reads instead of the date.
var csvHeader = []string{
	"event_id_cnty", "external_id", "event_date", "event_time", "year", "time_precision", "title", "notes", "source",
	"country", "country_code", "admin1", "location", "latitude", "longitude", "geo_precision",
	"geonameid", "location_method", "mentions", "tags", "status", "created", "updated",
}

// csvRow writes a report as one CSV row. Text cells go through safeCell;
// numeric cells are written as numbers.
func csvRow(r *geotag.Report) []string {
	var country, iso, admin1, lat, lon, prec, gid, method, place string
	if l := r.Location; l != nil {
		lat = strconv.FormatFloat(l.Lat, 'f', -1, 64)
		lon = strconv.FormatFloat(l.Lon, 'f', -1, 64)
		prec = strconv.Itoa(l.Precision)
		if l.PlaceID != 0 {
			gid = strconv.FormatInt(l.PlaceID, 10)
		}
		method = l.Provenance.Method
		place = l.Name
		if l.Mention >= 0 && l.Mention < len(r.Mentions) && r.Mentions[l.Mention].Place != nil {
			p := r.Mentions[l.Mention].Place
			country, iso, admin1 = p.CountryName, p.Country, p.Admin1
		}
	}
	tp := "1" // ACLED: 1 day, 2 week, 3 month or coarser
	switch r.TimePrecision {
	case "month", "year":
		tp = "3"
	case "week":
		tp = "2"
	}
	var at string
	if !r.Time.IsZero() {
		at = formatTime(r.Time, r.TimePrecision)
	}
	return []string{
		r.ID, safeCell(r.ExternalID), r.Time.UTC().Format("2006-01-02"), at, strconv.Itoa(r.Time.UTC().Year()), tp,
		safeCell(r.Title), safeCell(r.Text), safeCell(r.Source),
		safeCell(country), safeCell(iso), safeCell(admin1), safeCell(place), lat, lon, prec,
		gid, method, safeCell(strings.Join(mentionNames(r.Mentions), "; ")), safeCell(strings.Join(r.Tags, "; ")),
		r.Status, r.Created.UTC().Format(time.RFC3339), r.Updated.UTC().Format(time.RFC3339),
	}
}

// writeCSVRecord writes one CSV record with every field quoted (RFC 4180),
// so that a spreadsheet splitting lines on semicolons or tabs, as some
// locales do, still reads one cell per field, and returns the writer's
// error.
func writeCSVRecord(w *bufio.Writer, rec []string) error {
	for i, f := range rec {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('"')
		w.WriteString(strings.ReplaceAll(f, `"`, `""`))
		w.WriteByte('"')
	}
	return w.WriteByte('\n')
}

// safeCell defuses CSV injection (OWASP): a cell whose text, or any part
// of it after a separator a spreadsheet may split on (cellSeparators), starts
// (after spaces) with a formula character (= + - @ tab, CR but for a CRLF
// line break) gets an
// apostrophe there, which spreadsheets show as text. So does such a start
// with an apostrophe, so that the import (uncell), which takes one
// apostrophe off each start made of an apostrophe and then one of these or
// another apostrophe, gives every cell back as it was.
func safeCell(s string) string {
	var b []byte // nil until a start needs an apostrophe
	last := 0
	eachCellStart(s, func(i int) {
		// A CR of a CRLF line break starts no formula (the part after the
		// break is a start of its own), and CSV readers keep only its LF.
		crlf := i+1 < len(s) && s[i] == '\r' && s[i+1] == '\n'
		if i < len(s) && !crlf && strings.IndexByte(formulaStarts+"'", s[i]) >= 0 {
			b = append(append(b, s[last:i]...), '\'')
			last = i
		}
	})
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

// cellSeparators are the bytes after which a spreadsheet may start a new
// cell (or row): the field separators of CSV dialects in different
// locales, and line breaks, for readers that ignore quotes.
const cellSeparators = ";,\t\r\n"

// eachCellStart calls fn with the offset of each place in s where a
// spreadsheet may start a cell: the start and after each of
// cellSeparators, past any spaces, in increasing order.
func eachCellStart(s string, fn func(i int)) {
	start := true
	for i := 0; i <= len(s); i++ {
		switch {
		case i < len(s) && s[i] == ' ' && start:
		case start:
			fn(i)
			start = false
			fallthrough
		default:
			if i < len(s) && strings.IndexByte(cellSeparators, s[i]) >= 0 {
				start = true
			}
		}
	}
}
