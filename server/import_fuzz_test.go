package server

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

// Import readers on any input: no panic, no hang; every record is either a
// report body that survives JSON (what the per-report path decodes) with a
// finite point within range, or an EINVALID / EUNPROCESSABLE error naming a
// field; CSV records carry increasing lines, sequence texts non-decreasing
// ones. And the round trip: a report written by the CSV export and read
// back keeps its title, text, source, event time (to the nanosecond),
// tags, status, external_id (its id when it has none) and point, whatever
// apostrophes and formula characters its cells start with.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("title,text\na,b\n"), "A title", "Shelling in Aleppo", "https://example.org/a", "x|y", int64(1709287200), 36.2, 37.1, true, false, "")
	f.Add([]byte("\ufeffTitle,Notes\r\n\"x\r\ny\",'=1\r\n"), "=HYPERLINK(\"http://evil\")", "-5 killed\r\nsecond", "", "+night|@x", int64(0), 91.0, 0.0, false, true, "'=ext")
	f.Add([]byte("event_id_cnty,event_date,event_type,location,notes,source\nX1,2024-03-01,Riots,Homs,n,Reuters; AFP\n"), "''x", "'-1", "", "'@t|''", int64(-7), 0.0, 0.0, false, false, "''")
	f.Fuzz(func(t *testing.T, data []byte, title, text, source, tags string, sec int64, lat, lon float64, auto, reviewed bool, ext string) {
		recs, cols, err := readCSV(data, 50)
		if err != nil {
			if geotag.ErrorCode(err) != geotag.EINVALID || recs != nil {
				t.Fatalf("whole-file error %v with %d records", err, len(recs))
			}
		} else {
			if cols == nil || len(recs) > 51 {
				t.Fatalf("%d records, columns %v", len(recs), cols)
			}
			checkRecords(t, data, recs, true)
		}

		r, ok := fuzzReport(title, text, source, tags, ext, sec, lat, lon, auto, reviewed)
		if !ok {
			return
		}
		var buf bytes.Buffer
		bw := bufio.NewWriter(&buf)
		writeCSVRecord(bw, csvHeader)
		writeCSVRecord(bw, csvRow(r))
		bw.Flush()
		recs, _, err = readCSV(buf.Bytes(), 50)
		if err != nil || len(recs) != 1 || recs[0].Line != 2 {
			t.Fatalf("export %q read back: %v, %d records", buf.Bytes(), err, len(recs))
		}
		compareImported(t, r, recs[0], "csv")
	})
}

// FuzzImportGeoJSON is FuzzImportCSV for GeoJSON: a FeatureCollection, a
// Feature or an array as application/json takes them, and the same bytes
// as a sequence (JSON Lines and RFC 8142); the round trip goes through
// the GeoJSON export's feature encoder (full features: text and
// external_id), in a collection and in a sequence, and keeps every field
// the CSV round trip keeps.
func FuzzImportGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[37.1,36.2]},"properties":{"title":"a"}}]}`),
		"A title", "Shelling in Aleppo", "https://example.org/a", "x|y", int64(1709287200), 36.2, 37.1, true, false, "ext-1")
	f.Add([]byte("\x1e{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"a\",\"tags\":[\"b\"]}}\n"),
		"Конвой", "", "", "", int64(-1), math.NaN(), 0.0, false, true, "")
	f.Fuzz(func(t *testing.T, data []byte, title, text, source, tags string, sec int64, lat, lon float64, auto, reviewed bool, ext string) {
		recs, cols, err := readJSONImport(data, 50)
		if err != nil {
			if geotag.ErrorCode(err) != geotag.EINVALID || recs != nil {
				t.Fatalf("whole-document error %v with %d records", err, len(recs))
			}
		} else {
			if len(recs) > 51 || cols != nil && (cols.Used == nil || cols.Ignored == nil) {
				t.Fatalf("%d records, columns %v", len(recs), cols)
			}
			checkRecords(t, data, recs, false)
		}
		for _, rs := range []bool{false, true} {
			recs, _, err := readSeqImport(data, rs, 50)
			if err != nil || len(recs) > 51 {
				t.Fatalf("sequence: %v, %d records", err, len(recs))
			}
			checkRecords(t, data, recs, true)
		}

		r, ok := fuzzReport(title, text, source, tags, ext, sec, lat, lon, auto, reviewed)
		if !ok {
			return
		}
		feat := geotag.AppendReportFeatureWith(nil, r, geotag.FullFeature)
		var fc bytes.Buffer
		cw := newCollectionWriter(&fc)
		cw.WriteFeature(feat)
		cw.Close(member{"numberMatched", 1})
		recs, _, err = readJSONImport(fc.Bytes(), 50)
		if err != nil || len(recs) != 1 {
			t.Fatalf("export %s read back: %v, %d records", fc.Bytes(), err, len(recs))
		}
		compareImported(t, r, recs[0], "geojson")
		seq := append(append([]byte{0x1e}, feat...), '\n')
		recs, _, err = readSeqImport(seq, true, 50)
		if err != nil || len(recs) != 1 || recs[0].Line != 1 {
			t.Fatalf("sequence %s read back: %v, %d records", seq, err, len(recs))
		}
		compareImported(t, r, recs[0], "geojson")
	})
}

// checkRecords asserts what every reader promises of its records.
func checkRecords(t *testing.T, data []byte, recs []importRecord, lines bool) {
	t.Helper()
	last := 0
	for i, rec := range recs {
		if lines {
			if rec.Line < 1 || rec.Line < last || rec.Line == last && bytes.IndexByte(data, 0x1e) < 0 {
				t.Fatalf("record %d starts on line %d after line %d", i, rec.Line, last)
			}
			last = rec.Line
		} else if rec.Line != 0 {
			t.Fatalf("record %d of a JSON document has line %d", i, rec.Line)
		}
		if rec.Err != nil {
			c := geotag.ErrorCode(rec.Err)
			if c != geotag.EINVALID && c != geotag.EUNPROCESSABLE || geotag.ErrorField(rec.Err) == "" {
				t.Fatalf("record %d: error %v (%s, field %q)", i, rec.Err, c, geotag.ErrorField(rec.Err))
			}
			continue
		}
		if !utf8.Valid(data) {
			continue // the endpoint refuses such a body before reading it
		}
		for _, p := range []*geotag.LatLon{rec.In.Location, rec.Auto} {
			if p != nil && geotag.ValidPoint(p.Lat, p.Lon, "") != nil {
				t.Fatalf("record %d: point %v", i, *p)
			}
		}
		if rec.In.Location != nil && rec.Auto != nil {
			t.Fatalf("record %d has a manual and an automatic point", i)
		}
		body, err := json.Marshal(rec.In)
		if err != nil {
			t.Fatalf("record %d is no JSON body: %v", i, err)
		}
		var back reportInput
		if err := json.Unmarshal(body, &back); err != nil || !reflect.DeepEqual(back, rec.In) {
			t.Fatalf("record %d: body %s decodes to %+v (%v), not %+v", i, body, back, err, rec.In)
		}
	}
}

// fuzzReport builds a report as the service stores it from fuzzed fields,
// or false when they make no valid report. Tags hold no "," or ";" (the
// separators of a tags cell): that is the one documented limit of the CSV
// round trip. The event time has nanoseconds from sec's high bits.
func fuzzReport(title, text, source, tags, ext string, sec int64, lat, lon float64, auto, reviewed bool) (*geotag.Report, bool) {
	title, text, source = strings.ToValidUTF8(title, ""), strings.ToValidUTF8(text, ""), strings.ToValidUTF8(source, "")
	ext = strings.ToValidUTF8(ext, "")
	var tagList []string
	for _, tag := range strings.Split(strings.ToValidUTF8(tags, ""), "|") {
		tagList = append(tagList, strings.NewReplacer(",", "", ";", "").Replace(tag))
	}
	status := geotag.StatusUnreviewed
	if reviewed {
		status = geotag.StatusReviewed
	}
	at := time.Unix(int64(uint32(sec))*3, int64(uint32(sec>>32))%1e9).UTC().Format(time.RFC3339Nano)
	in := reportInput{Title: &title, Text: &text, Source: &source, Tags: &tagList, Status: &status, Time: &at, ExternalID: &ext}
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r := &geotag.Report{ID: "01HZZZZZZZZZZZZZZZZZZZZZZZ", Created: created, Updated: created}
	if _, err := in.apply(r); err != nil {
		return nil, false
	}
	if geotag.ValidPoint(lat, lon, "") == nil && !math.IsInf(lat, 0) && !math.IsInf(lon, 0) {
		method := geotag.MethodManual
		if auto {
			method = geotag.MethodAuto
		}
		r.Location = &geotag.Location{Lat: lat, Lon: lon, Precision: 1, Mention: -1, Provenance: geotag.Provenance{Method: method}}
	}
	return r, true
}

// compareImported asserts that a record read from an export of r gives r's
// fields back: title, text, source, the event time to the nanosecond,
// tags, status, the external_id (r's id when r has none) and the point.
// The CSV reads CRLF in a quoted cell as LF.
func compareImported(t *testing.T, r *geotag.Report, rec importRecord, format string) {
	t.Helper()
	if rec.Err != nil {
		t.Fatalf("%s: record error %v", format, rec.Err)
	}
	got := &geotag.Report{Created: r.Created}
	_, err := rec.In.apply(got)
	wantText, wantTitle := r.Text, r.Title
	if format == "csv" {
		wantText = strings.ReplaceAll(r.Text, "\r\n", "\n")
		wantTitle = strings.TrimSpace(strings.ReplaceAll(r.Title, "\r\n", "\n"))
	}
	wantExt, wantTags := cmp.Or(r.ExternalID, r.ID), r.Tags
	if format == "csv" {
		wantExt = strings.ReplaceAll(wantExt, "\r\n", "\n")
		wantTags = nil
		for _, tag := range r.Tags {
			wantTags = append(wantTags, strings.ReplaceAll(tag, "\r\n", "\n"))
		}
	}
	if err != nil {
		t.Fatalf("%s: %+v does not apply: %v", format, rec.In, err)
	}
	if got.Title != wantTitle || got.Text != wantText || got.Source != r.Source || !got.Time.Equal(r.Time) ||
		!slices.Equal(got.Tags, wantTags) || got.Status != r.Status || got.ExternalID != wantExt || rec.SourceNames {
		t.Fatalf("%s: read back\n%+v\nfrom\n%+v", format, got, r)
	}
	var point, auto *geotag.LatLon
	if l := r.Location; l != nil {
		p := &geotag.LatLon{Lat: l.Lat, Lon: l.Lon}
		if l.Provenance.Method == geotag.MethodAuto {
			auto = p
		} else {
			point = p
		}
	}
	if !reflect.DeepEqual(rec.In.Location, point) || !reflect.DeepEqual(rec.Auto, auto) {
		t.Fatalf("%s: point %v auto %v, want %v %v", format, rec.In.Location, rec.Auto, point, auto)
	}
}
