package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// seededPair returns two services seeded alike by seedReports at the same
// frozen time: one on the in-memory store, one on wrap of its store (a
// store that encodes features itself), for answers that must not differ.
func seededPair(t *testing.T, wrap func(*memReports) geotag.ReportService) (plain, lean *env) {
	plain = newEnv(t)
	lean = newEnv(t, func(c *Config) { c.Reports = wrap(c.Reports.(*memReports)) })
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, e := range []*env{plain, lean} {
		e.srv.now = func() time.Time { return now }
		e.reports.now = e.srv.now
		seedReports(t, e)
	}
	return plain, lean
}

// seedReports creates three reports: a formula title, a convoy and one
// without places.
func seedReports(t *testing.T, e *env) {
	t.Helper()
	e.create(t, `{"title":"=HYPERLINK(\"http://evil\")","text":"Shelling in Aleppo","time":"2024-03-01","tags":["shelling"]}`)
	e.create(t, `{"title":"Convoy","text":"Aid left Amman","time":"2024-03-02T10:00:00Z","source":"https://example.org/a","external_id":"conv-<1>"}`)
	e.create(t, `{"title":"Nowhere","text":"No place here","time":"2024-03-03"}`)
}

func TestExportCSV(t *testing.T) {
	e := newEnv(t)
	seedReports(t, e)
	w := e.do(t, "GET", "/api/v1/export/csv", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("%d %q", w.Code, w.Header().Get("Content-Type"))
	}
	if cd := w.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="geotag-reports-`) || !strings.HasSuffix(cd, `.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(w.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(append(slices.Clip(csvHeader), csvEventHeader...), ",") {
		t.Fatalf("rows = %q", rows)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	// Newest first: Nowhere, Convoy, the formula.
	if rows[1][col["latitude"]] != "" || rows[2][col["location"]] != "Amman" || rows[2][col["country_code"]] != "JO" ||
		rows[2][col["latitude"]] != "31.95522" || rows[2][col["geo_precision"]] != "1" || rows[2][col["event_date"]] != "2024-03-02" {
		t.Errorf("rows = %q", rows)
	}
	if got := rows[3][col["title"]]; got != `'=HYPERLINK("http://evil")` {
		t.Errorf("formula cell not defused: %q", got)
	}
	// The time of day (a date for a time known to the day) and the
	// external_id are columns.
	if rows[2][col["event_time"]] != "2024-03-02T10:00:00Z" || rows[3][col["event_time"]] != "2024-03-01" ||
		rows[2][col["external_id"]] != "conv-<1>" || rows[3][col["external_id"]] != "" {
		t.Errorf("event_time, external_id: %q", rows)
	}

	// The filter applies.
	w = e.do(t, "GET", "/api/v1/export/csv?tag=shelling", "")
	rows, _ = csv.NewReader(w.Body).ReadAll()
	if len(rows) != 2 {
		t.Errorf("filtered export: %d rows", len(rows))
	}
}

// TestSafeCell: formula cells and cells starting with an apostrophe are
// prefixed with one, and uncell (the import) gives every cell back; a cell
// written by hand loses exactly one apostrophe before a formula character
// or another apostrophe, and nothing else.
func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "Aleppo": "Aleppo", "=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "a=b": "a=b",
		"'": "''", "'=1": "''=1", "''": "'''", "'quoted'": "''quoted'", "'x": "''x", "x'": "x'",
		// What a spreadsheet splitting on ";" or "," reads as a new cell.
		";=1+1": ";'=1+1", "a;=cmd|' /C calc'!A0": "a;'=cmd|' /C calc'!A0", "Paris; @SUM(1)": "Paris; '@SUM(1)",
		"x,  -2+3": "x,  '-2+3", " =1": " '=1", "a;b;;+c": "a;b;;'+c", "a; 'x": "a; ''x", "a;b=c": "a;b=c", "a;": "a;",
		"a, ;,\t=1": "a, ;,'\t'=1", "a\n-b": "a\n'-b",
	} {
		if got := safeCell(in); got != want {
			t.Errorf("safeCell(%q) = %q, want %q", in, got, want)
		}
		if back := uncell(want); back != in {
			t.Errorf("uncell(%q) = %q, want %q", want, back, in)
		}
	}
	for in, want := range map[string]string{
		"'": "'", "'x": "'x", "'=1": "=1", "''x": "'x", "'''": "''", "x'=": "x'=", "'\t": "\t", " '=1": " =1", "a;'=b": "a;=b", "a, ' '=b": "a, ' '=b",
	} {
		if got := uncell(in); got != want {
			t.Errorf("uncell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExportGeoJSON(t *testing.T) {
	e := newEnv(t)
	seedReports(t, e)
	w := e.do(t, "GET", "/api/v1/export/geojson?bbox=30,25,40,40", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/geo+json" ||
		!strings.HasSuffix(w.Header().Get("Content-Disposition"), `.geojson"`) {
		t.Fatalf("%d %v", w.Code, w.Header())
	}
	c := decode[collection](t, w)
	if c.Type != "FeatureCollection" || len(c.Features) != 2 || c.NumberMatched != 2 {
		t.Errorf("export = %s", w.Body)
	}

	w = e.do(t, "GET", "/api/v1/export/geojsonseq", "")
	if w.Header().Get("Content-Type") != "application/geo+json-seq" {
		t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
	}
	recs := bytes.Split(w.Body.Bytes(), []byte{0x1e})
	if len(recs) != 4 || len(recs[0]) != 0 {
		t.Fatalf("records: %q", w.Body)
	}
	for _, rec := range recs[1:] {
		var f struct{ Type string }
		if !bytes.HasSuffix(rec, []byte("\n")) || json.Unmarshal(rec, &f) != nil || f.Type != "Feature" {
			t.Errorf("record %q", rec)
		}
	}

	w = e.do(t, "GET", "/api/v1/export/ndjson", "")
	lines := strings.Split(strings.TrimSpace(w.Body.String()), "\n")
	if len(lines) != 3 || strings.Contains(w.Body.String(), "\x1e") {
		t.Errorf("ndjson: %q", w.Body)
	}
}

// An export failing half-way is cut off, never a complete-looking file.
func TestExportAbort(t *testing.T) {
	e := newEnv(t)
	seedReports(t, e)
	e.reports.eachFn = func(ctx context.Context, f geotag.ReportFilter, fn func(*geotag.Report) error) error {
		r, _ := e.reports.FindReportByID(ctx, "r1")
		fn(r)
		return errors.New("disk failed")
	}
	srv := httptest.NewServer(e.srv.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/v1/export/geojson")
	if err != nil {
		return // cut off before the headers: the client sees the failure
	}
	defer resp.Body.Close()
	var v any
	if err := json.NewDecoder(resp.Body).Decode(&v); err == nil {
		t.Error("a failed export decoded as complete JSON")
	}
}

func TestCells(t *testing.T) {
	e := newEnv(t)
	seedReports(t, e)
	e.create(t, `{"text":"Aleppo again"}`)
	w := e.do(t, "GET", "/api/v1/cells?zoom=8", "")
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var c struct {
		Features []struct {
			Geometry   struct{ Coordinates []float64 }
			Properties CellProperties
		}
		Total int
		Zoom  int
	}
	if err := json.Unmarshal(w.Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	if c.Total != 3 || len(c.Features) != 2 || c.Zoom != 8 || c.Features[0].Properties.Count+c.Features[1].Properties.Count != 3 {
		t.Errorf("cells = %s", w.Body)
	}
	w = e.do(t, "GET", "/api/v1/cells?zoom=8&q=again", "")
	json.Unmarshal(w.Body.Bytes(), &c)
	if c.Total != 1 {
		t.Errorf("filtered cells = %s", w.Body)
	}
}

func TestPlaces(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, "GET", "/api/v1/places?q=kha&country=SY&limit=5", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/geo+json" {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var c struct {
		Features []struct {
			ID         int64
			Geometry   struct{ Coordinates []float64 }
			Properties geotag.PlaceProperties
		}
	}
	json.Unmarshal(w.Body.Bytes(), &c)
	if len(c.Features) != 2 || c.Features[0].Properties.Label != "Khalidiyah, Homs, Syria" || c.Features[0].Geometry.Coordinates[0] != khalidiyaH.Lon ||
		c.Features[1].Properties.Rank != 2 || c.Features[0].Properties.Lat != khalidiyaH.Lat {
		t.Errorf("search = %s", w.Body)
	}
	w = e.do(t, "GET", "/api/v1/places?q=kha&country=JO", "")
	if !strings.Contains(w.Body.String(), `"features":[]`) {
		t.Errorf("country filter: %s", w.Body)
	}
	w = e.do(t, "GET", "/api/v1/places/250441", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"name":"Amman"`) || !strings.Contains(w.Body.String(), `"id":250441`) {
		t.Errorf("place: %d %s", w.Code, w.Body)
	}
}

// featureExports gives memReports the store's EachFeature.
type featureExports struct{ *memReports }

func (f featureExports) EachFeature(ctx context.Context, rf geotag.ReportFilter, opt geotag.FeatureOptions, fn func([]byte) error) error {
	var buf []byte
	return f.EachReport(ctx, rf, func(r *geotag.Report) error {
		buf = geotag.AppendReportFeatureWith(buf[:0], r, opt)
		return fn(buf)
	})
}

// A store that encodes export features itself gives the same downloads as
// one that hands over reports.
func TestExport_Features(t *testing.T) {
	plain, lean := seededPair(t, func(m *memReports) geotag.ReportService { return featureExports{m} })
	for _, path := range []string{"/api/v1/export/geojson", "/api/v1/export/geojson?bbox=30,25,40,40", "/api/v1/export/geojsonseq", "/api/v1/export/ndjson?q=amman"} {
		a, b := plain.do(t, "GET", path, ""), lean.do(t, "GET", path, "")
		if a.Code != 200 || a.Body.Len() == 0 || a.Body.String() != b.Body.String() {
			t.Errorf("%s:\n%d %s\n%d %s", path, a.Code, a.Body, b.Code, b.Body)
		}
	}
	if _, ok := lean.srv.reports.(featureExporter); !ok {
		t.Fatal("the test store has no EachFeature")
	}
}
