package server

import (
	"cmp"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// wantRecords compares records with their summaries (recSummary).
func wantRecords(t *testing.T, recs []importRecord, want []string) {
	t.Helper()
	var got []string
	for _, r := range recs {
		got = append(got, recSummary(r))
	}
	if !slices.Equal(got, want) {
		t.Errorf("records\n got %q\nwant %q", got, want)
	}
}

// recSummary writes a record in one line for table tests: its line, then
// its error's code and field, or the report fields it sets.
func recSummary(r importRecord) string {
	var b strings.Builder
	fmt.Fprintf(&b, "L%d ", r.Line)
	if r.Err != nil {
		fmt.Fprintf(&b, "%s %s", geotag.ErrorCode(r.Err), geotag.ErrorField(r.Err))
		return b.String()
	}
	in := r.In
	for _, f := range []struct {
		k string
		v *string
	}{{"ext", in.ExternalID}, {"title", in.Title}, {"text", in.Text}, {"source", in.Source}, {"time", in.Time}, {"status", in.Status}} {
		if f.v != nil {
			fmt.Fprintf(&b, "%s=%q ", f.k, *f.v)
		}
	}
	if in.Tags != nil {
		fmt.Fprintf(&b, "tags=%q ", *in.Tags)
	}
	if in.Location != nil {
		fmt.Fprintf(&b, "point=%v,%v ", in.Location.Lat, in.Location.Lon)
	}
	if r.Auto != nil {
		fmt.Fprintf(&b, "auto=%v,%v ", r.Auto.Lat, r.Auto.Lon)
	}
	return strings.TrimSpace(b.String())
}

func TestReadCSV(t *testing.T) {
	for _, tt := range []struct {
		name, in      string
		want          []string
		used, ignored string
	}{
		{"aliases, BOM, CRLF, case", "\ufeffHeadline,NOTES,url,Date,Tag,LAT,lng,extra\r\nA,t,https://e.org,2024-03-01,\"a; b\",1.5,2,x\r\n",
			[]string{`L2 title="A" text="t" source="https://e.org" time="2024-03-01" tags=["a" " b"] point=1.5,2`}, "Headline NOTES url Date Tag LAT lng", "extra"},
		{"quotes across lines keep the start line", "title,text\n\"multi\nline, \"\"quoted\"\"\",x\nnext,y\n",
			[]string{`L2 title="multi\nline, \"quoted\"" text="x"`, `L4 title="next" text="y"`}, "title text", ""},
		{"our export's columns", strings.Join(csvHeader, ",") + "\n" +
			"01HX,,2024-03-01,2024-03-01T10:30:05.25Z,2024,1,'=HYPERLINK(1),'-5 dead,,SY,SY,Aleppo,Aleppo,36.2,37.1,1,170063,auto,Aleppo,'@x; y,reviewed,2024-03-01T00:00:00Z,2024-03-01T00:00:00Z\n" +
			"01HY,'=ext,2024-03-02,2024-03-02T00:00:00Z,2024,1,''-B,''x,https://e.org/a,,,,,36.2,37.1,1,,manual,,,unreviewed,x,x\n",
			[]string{`L2 ext="01HX" title="=HYPERLINK(1)" text="-5 dead" time="2024-03-01T10:30:05.25Z" status="reviewed" tags=["@x" " y"] auto=36.2,37.1`,
				`L3 ext="=ext" title="'-B" text="'x" source="https://e.org/a" time="2024-03-02T00:00:00Z" status="unreviewed" point=36.2,37.1`},
			"event_id_cnty external_id event_time time_precision title notes source admin1 location latitude longitude geo_precision location_method tags status",
			"event_date year country country_code geonameid mentions created updated"},
		{"ACLED: event_date, a title from event_type and location, source names as tags", "event_id_cnty,event_date,event_type,location,notes,source,tags\n" +
			"SYR1,2024-03-01,Battles,Aleppo,n,Reuters; Al Jazeera,crowd size=no report\n" +
			"SYR2,2024-03-02,,Homs,n,https://e.org/x,\n" +
			"SYR3,2024-03-03,Riots,,n,javascript:alert(1),\n",
			[]string{`L2 ext="SYR1" title="Battles: Aleppo" text="n" time="2024-03-01" tags=["crowd size=no report" "source:Reuters" "source:Al Jazeera"]`,
				`L3 ext="SYR2" title="Homs" text="n" source="https://e.org/x" time="2024-03-02"`,
				`L4 ext="SYR3" title="Riots" text="n" source="javascript:alert(1)" time="2024-03-03"`},
			"event_id_cnty event_date event_type location notes source tags", ""},
		{"external_id wins over id; blank rows skipped; short rows padded", "id,external_id,title,text\n1,e1,a,\n,,,\n\n2,,b\n",
			[]string{`L2 ext="e1" title="a"`, `L5 ext="2" title="b"`}, "id external_id title text", ""},
		{"tags split at commas without semicolons", "title,tags\na,\"x, y\"\n", []string{`L2 title="a" tags=["x" " y"]`}, "title tags", ""},
		{"bad rows are items", "title,lat,lon\n" +
			"nan,NaN,1\n" + "inf,1,Infinity\n" + "range,91,0\n" + "lonrange,0,-180.5\n" + "half,1,\n" + "comma,36,2,37,1\n" +
			"trailing empty cells,1,2,,\n" + "bare \"quote,1,2\n" + "ok,-0,0\n" + "hex,0x1p-2,1e-3\n",
			[]string{"L2 invalid location.lat", "L3 invalid location.lon", "L4 unprocessable location.lat", "L5 unprocessable location.lon",
				"L6 invalid location.lon", "L7 invalid body", `L8 title="trailing empty cells" point=1,2`, "L9 invalid body",
				`L10 title="ok" point=-0,0`, `L11 title="hex" point=0.25,0.001`}, "title lat lon", ""},
		{"an unterminated quote ends the file as one error", "title\nok\n\"open\nnever closed\n", []string{`L2 title="ok"`, "L3 invalid body"}, "title", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recs, cols, err := readCSV([]byte(tt.in), maxImportItems)
			if err != nil {
				t.Fatal(err)
			}
			wantRecords(t, recs, tt.want)
			if u, i := strings.Join(cols.Used, " "), strings.Join(cols.Ignored, " "); u != tt.used || i != tt.ignored {
				t.Errorf("used %q ignored %q, want %q %q", u, i, tt.used, tt.ignored)
			}
		})
	}
	for _, bad := range []string{"", "\ufeff", "a,b\n1,2\n", "\"unterminated header\n", "x\"y,title\n"} {
		if _, _, err := readCSV([]byte(bad), maxImportItems); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("readCSV(%q) = %v, want EINVALID", bad, err)
		}
	}
	// The reader stops after max+1 records, however long the file.
	recs, _, _ := readCSV([]byte("title\n"+strings.Repeat("a\n", 100)), 10)
	if len(recs) != 11 {
		t.Errorf("%d records read with max 10, want 11", len(recs))
	}
}

func TestReadJSONImport(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     []string
		cols     string // used|ignored
	}{
		{"array of bodies", `[{"title":"a","tags":["x"]},{"text":5},null]`, []string{`L0 title="a" tags=["x"]`, "L0 invalid text", "L0 invalid body"}, ""},
		{"FeatureCollection", `{"type":"FeatureCollection","features":[
			{"type":"Feature","id":"f1","geometry":{"type":"Point","coordinates":[37.1,36.2]},"properties":{"Title":"a","tags":"p; q","method":"auto","mentions":["Aleppo"]}},
			{"type":"Feature","id":7,"geometry":null,"properties":{"title":"b","id":"p7","Lat":1,"lon":2}},
			{"type":"Feature","geometry":{"type":"Point","coordinates":[200,0]},"properties":{"title":"c"}},
			{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},"properties":{"title":"d"}},
			{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":{"title":"e"}},
			{"type":"Feature","properties":{"title":{"x":1}}},
			{"type":"Feature","properties":{"tags":[1,2]}},
			{"type":"Feature","properties":null},
			{"type":"Feature","properties":{"title":"v","tags":["x"],"time":null,"external_id":12.50}},
			{"type":"Point","coordinates":[0,0]},
			{"title":"a plain body"}]}`,
			[]string{`L0 ext="f1" title="a" tags=["p" " q"] auto=36.2,37.1`, `L0 ext="p7" title="b" point=1,2`, "L0 unprocessable location.lon",
				"L0 unprocessable geometry", "L0 invalid geometry", "L0 invalid title", "L0 invalid tags", "L0", `L0 ext="12.50" title="v" tags=["x"]`,
				"L0", `L0 title="a plain body"`}, "Title method tags Lat id lon title external_id time|mentions"},
		{"one Feature", "\ufeff" + `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2,30]},"properties":{"title":"a"}}`, []string{`L0 title="a" point=2,1`}, "title|"},
		{"array of features", `[{"type":"Feature","properties":{"title":"a"}}]`, []string{`L0 title="a"`}, "title|"},
		{"source names become tags", `{"type":"Feature","properties":{"title":"a","source":"AFP; ; Reuters","tags":["x"],"event_type":"Riots"}}`,
			[]string{`L0 title="a" tags=["x" "source:AFP" "source:Reuters"]`}, "event_type source tags title|"},
		{"a title from event_type and location", `{"type":"Feature","properties":{"event_type":"Riots","location":"Homs","text":"t"}}`,
			[]string{`L0 title="Riots: Homs" text="t"`}, "event_type location text|"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recs, cols, err := readJSONImport([]byte(tt.in), maxImportItems)
			if err != nil {
				t.Fatal(err)
			}
			wantRecords(t, recs, tt.want)
			c := ""
			if cols != nil {
				c = strings.Join(cols.Used, " ") + "|" + strings.Join(cols.Ignored, " ")
			}
			if c != tt.cols {
				t.Errorf("columns %q, want %q", c, tt.cols)
			}
		})
	}
	for _, bad := range []string{"", "x", "[", `[{"title":"a"}] [1]`, `[{"title":"a"},]`, `{"type":"FeatureCollection"}`,
		`{"type":"FeatureCollection","features":{}}`, `{"title":"a"}`, `"a"`, `{"type":"FeatureCollection","features":[NaN]}`} {
		if _, _, err := readJSONImport([]byte(bad), maxImportItems); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("readJSONImport(%q) = %v, want EINVALID", bad, err)
		}
	}
}

func TestReadSeqImport(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		rs       bool
		want     []string
	}{
		{"JSON Lines", "{\"title\":\"a\"}\n\n  \n{\"text\":1}\r\n\x1e{\"type\":\"Feature\",\"properties\":{\"title\":\"f\"}}\n", false,
			[]string{`L1 title="a"`, "L4 invalid text", `L5 title="f"`}},
		{"RFC 8142 sequence, texts over lines", "\x1e{\"type\":\"Feature\",\n\"properties\":{\"title\":\"a\"}}\n\x1e\n\n{\"title\":\"b\"}\n\x1e{oops\n", true,
			[]string{`L1 title="a"`, `L5 title="b"`, "L6 invalid body"}},
		{"sequence type without separators is read by line", "{\"title\":\"a\"}\n{\"title\":\"b\"}", true, []string{`L1 title="a"`, `L2 title="b"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recs, _, err := readSeqImport([]byte(tt.in), tt.rs, maxImportItems)
			if err != nil {
				t.Fatal(err)
			}
			wantRecords(t, recs, tt.want)
		})
	}
}

// roundTripReports stores reports in env a covering what an export
// carries: a formula title, a text starting with "-", non-ASCII and
// markup, tags, a manual point, an automatic location, a reviewed status.
func roundTripReports(t *testing.T, e *env) []*geotag.Report {
	var out []*geotag.Report
	for _, body := range []string{
		`{"title":"=HYPERLINK(\"http://evil\")","text":"-5 killed in Aleppo; <script>alert(1)</script>","time":"2024-03-01","tags":["shelling","+night"]}`,
		`{"title":"Конвой — قافلة","text":"Aid left Amman, \"quoted\"\nsecond line","time":"2024-03-02T10:00:00Z","source":"https://example.org/a?b=1&c=2","external_id":"ext-1"}`,
		`{"title":"Manual point","text":"No place here","time":"2024-03-03","location":{"lat":-33.5,"lon":151.25},"status":"reviewed"}`,
		`{"title":"A month","text":"Sometime in March in Homs","time":"2024-03"}`,
		`{"title":"A year","text":"Before the war","time":"2011"}`,
	} {
		out = append(out, e.create(t, body))
	}
	return out
}

// TestImportExportRoundTrip: what the CSV, GeoJSON and GeoJSON-sequence
// exports write imports into another service with every field: title,
// text, source, the event time with its time of day, tags, status, the
// external_id (the exported id when there was none) and the point, an
// automatic one staying automatic (the text comes along, so the tagger
// chooses it again); a second import of the same file stores nothing new.
func TestImportExportRoundTrip(t *testing.T) {
	src := newEnv(t)
	orig := roundTripReports(t, src)
	for _, f := range []struct{ format, ctype string }{
		{"csv", "text/csv"}, {"geojson", "application/geo+json"}, {"geojsonseq", "application/geo+json-seq"},
	} {
		t.Run(f.format, func(t *testing.T) {
			w := src.do(t, "GET", "/api/v1/export/"+f.format, "")
			if w.Code != 200 {
				t.Fatalf("export: %d", w.Code)
			}
			file := w.Body.String()
			dst := newEnv(t)
			w = dst.do(t, "POST", "/api/v1/import", file, "token", "Content-Type: "+f.ctype)
			res := decode[ImportResult](t, w)
			if w.Code != 200 || res.Created != len(orig) || res.Failed != 0 {
				t.Fatalf("import: %d %s", w.Code, w.Body)
			}
			for i, it := range res.Items {
				if f.format == "csv" && (i > 0 && it.Line <= res.Items[i-1].Line || it.Line < 2) {
					t.Errorf("item %d line %d", i, it.Line)
				}
				if f.format == "geojson" && it.Line != 0 {
					t.Errorf("item %d of a FeatureCollection has line %d", i, it.Line)
				}
			}
			if f.format != "geojsonseq" && (res.Columns == nil || !slices.Contains(res.Columns.Ignored, "created") || res.Columns.Notes != nil) {
				t.Errorf("columns %+v", res.Columns)
			}
			for _, it := range res.Items {
				got, err := dst.reports.FindReportByID(t.Context(), it.ID)
				if err != nil {
					t.Fatal(err)
				}
				i := slices.IndexFunc(orig, func(r *geotag.Report) bool { return cmp.Or(r.ExternalID, r.ID) == got.ExternalID })
				if i < 0 {
					t.Fatalf("imported report's external_id %q is no exported external_id or id", got.ExternalID)
				}
				o := orig[i]
				if got.Title != o.Title || got.Text != o.Text || got.Source != o.Source || !got.Time.Equal(o.Time) ||
					got.TimePrecision != o.TimePrecision || !slices.Equal(got.Tags, o.Tags) || got.Status != o.Status {
					t.Errorf("imported\n%+v\nexported\n%+v", got, o)
				}
				switch {
				case o.Location == nil:
					if got.Location != nil {
						t.Errorf("%q: location %+v from nowhere", o.Title, got.Location)
					}
				case got.Location == nil || got.Location.Lat != o.Location.Lat || got.Location.Lon != o.Location.Lon ||
					got.Location.Provenance.Method != o.Location.Provenance.Method:
					t.Errorf("%q: location %+v, exported %+v", o.Title, got.Location, o.Location)
				}
			}
			// Idempotent: the export's ids are the external_ids.
			w = dst.do(t, "POST", "/api/v1/import", file, "token", "Content-Type: "+f.ctype)
			if res := decode[ImportResult](t, w); res.Duplicates != len(orig) || res.Created != 0 {
				t.Errorf("second import: %s", w.Body)
			}
		})
	}
}

// An exported automatic location the tagger does not choose again (the
// text changed its mind, or a GeoJSON feature has no text) comes back as
// the manual point at the same coordinates.
func TestImportAutoPointKept(t *testing.T) {
	e := newEnv(t)
	fc := `{"type":"FeatureCollection","features":[
		{"type":"Feature","geometry":{"type":"Point","coordinates":[37.16117,36.20124]},"properties":{"title":"no text","method":"auto"}},
		{"type":"Feature","geometry":{"type":"Point","coordinates":[10,10]},"properties":{"text":"Shelling in Aleppo","method":"auto"}},
		{"type":"Feature","geometry":{"type":"Point","coordinates":[37.16117,36.20124]},"properties":{"text":"Shelling in Aleppo","method":"auto"}}]}`
	w := e.do(t, "POST", "/api/v1/import", fc, "token", "Content-Type: application/geo+json")
	res := decode[ImportResult](t, w)
	if res.Created != 3 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	for i, want := range []struct {
		lat, lon float64
		method   string
		mentions int
	}{{36.20124, 37.16117, "manual", 0}, {10, 10, "manual", 1}, {36.20124, 37.16117, "auto", 1}} {
		r, _ := e.reports.FindReportByID(t.Context(), res.Items[i].ID)
		if l := r.Location; l == nil || l.Lat != want.lat || l.Lon != want.lon || l.Provenance.Method != want.method || len(r.Mentions) != want.mentions {
			t.Errorf("feature %d: location %+v, %d mentions; want %+v", i, l, len(r.Mentions), want)
		}
	}
}

// The endpoint answers per item with lines and columns; a malformed row
// never fails the request.
func TestImportCSVEndpoint(t *testing.T) {
	e := newEnv(t)
	csv := "title,text,source,Latitude,Longitude,notes\r\n" +
		"a,\"Shelling in\r\nAleppo\",https://e.org/1,36.2,37.1,x\r\n" +
		"b,t,javascript:alert(1),,,\r\n" +
		"c,t,,NaN,1,\r\n" +
		"d,t,,95,1,\r\n" +
		",,,,,\r\n" +
		",,https://e.org/2,,,\r\n"
	w := e.do(t, "POST", "/api/v1/import", csv, "token", "Content-Type: text/csv; charset=utf-8")
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	res := decode[ImportResult](t, w)
	raw := decode[struct{ Items []map[string]any }](t, w)
	type item struct {
		line, status int
		field        string
	}
	want := []item{{2, 201, ""}, {4, 400, "source"}, {5, 400, "location.lat"}, {6, 422, "location.lat"}, {8, 400, "text"}}
	var got []item
	for _, it := range res.Items {
		f := ""
		if it.Problem != nil {
			f = it.Problem.Field
		}
		got = append(got, item{it.Line, it.Status, f})
	}
	if !reflect.DeepEqual(got, want) || res.Created != 1 || res.Failed != 4 {
		t.Errorf("items %+v, want %+v", got, want)
	}
	if !reflect.DeepEqual(res.Columns, &ImportColumns{Used: []string{"title", "text", "source", "Latitude", "Longitude"}, Ignored: []string{"notes"}}) {
		t.Errorf("columns %+v", res.Columns)
	}
	if _, ok := raw.Items[0]["line"]; !ok {
		t.Error("no line field")
	}
	r, _ := e.reports.FindReportByID(t.Context(), res.Items[0].ID)
	if r.Text != "Shelling in\nAleppo" || r.Location.Provenance.Method != "manual" || r.Location.Lat != 36.2 {
		t.Errorf("stored %+v", r)
	}
	// JSON arrays have no lines.
	w = e.do(t, "POST", "/api/v1/import", `[{"title":"x"}]`, "token")
	if strings.Contains(w.Body.String(), `"line"`) || strings.Contains(w.Body.String(), `"columns"`) {
		t.Errorf("JSON import answer %s", w.Body)
	}
}

// TestImportACLED: every row of an ACLED-style CSV (testdata/acled-sample.csv:
// ACLED's columns, publication names in source, one date as ACLED's export
// tool writes it) imports: notes is the text, latitude and longitude the
// manual point, event_id_cnty the external_id, "<event_type>: <location>"
// the title, the source names tags "source:<name>" after ACLED's own tags;
// the answer's columns say so.
func TestImportACLED(t *testing.T) {
	file, err := os.ReadFile("testdata/acled-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	w := e.do(t, "POST", "/api/v1/import", string(file), "token", "Content-Type: text/csv")
	res := decode[ImportResult](t, w)
	if w.Code != 200 || res.Created != 4 || res.Failed != 0 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	wantCols := &ImportColumns{
		Used:    []string{"event_id_cnty", "event_date", "event_type", "admin1", "location", "latitude", "longitude", "source", "notes", "fatalities", "tags"},
		Ignored: []string{"country", "timestamp"},
		Notes:   []string{`source: 3 reports name their sources instead of linking one (a URL); each name is kept as the tag "source:<name>"`},
	}
	if !reflect.DeepEqual(res.Columns, wantCols) {
		t.Errorf("columns\n%+v\nwant\n%+v", res.Columns, wantCols)
	}
	for i, want := range []struct {
		ext, title, time, textStart string
		lat, lon                    float64
		tags                        []string
	}{
		{"SYR123456", "Explosions/Remote violence: Aleppo", "2024-03-01T00:00:00Z", "On 1 March 2024, shelling", 36.2021, 37.1343,
			[]string{"source:Reuters", "source:Al Jazeera", "admin1:Aleppo"}},
		{"SYR123457", "Protests: Idleb", "2024-03-02T00:00:00Z", "On 2 March 2024, residents", 35.9306, 36.6339,
			[]string{"crowd size=around 200", "source:Syrian Observatory for Human Rights", "admin1:Idleb"}},
		{"JOR2001", "Strategic developments: Amman", "2024-01-15T00:00:00Z", `On 15 January 2024, an aid convoy left Amman for the border, the "first"`, 31.9552, 35.945,
			[]string{"source:Jordan Times", "admin1:Amman"}},
		{"SYR123458", "Battles: Homs", "2024-03-03T00:00:00Z", "On 3 March 2024, clashes", 34.7324, 36.7137, []string{"admin1:Homs"}},
	} {
		r, err := e.reports.FindReportByID(t.Context(), res.Items[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.ExternalID != want.ext || r.Title != want.title || r.Time.Format(time.RFC3339) != want.time || r.TimePrecision != "day" ||
			!strings.HasPrefix(r.Text, want.textStart) || r.Source != "" || !slices.Equal(r.Tags, want.tags) {
			t.Errorf("row %d stored as\n%+v\nwant %+v", i+2, r, want)
		}
		if l := r.Location; l == nil || l.Lat != want.lat || l.Lon != want.lon || l.Provenance.Method != geotag.MethodManual {
			t.Errorf("row %d: location %+v", i+2, l)
		}
	}
	// A link in the source column is still a link, and still checked.
	w = e.do(t, "POST", "/api/v1/import", "notes,source\nx,https://e.org/a\ny,javascript:alert(1)\n", "token", "Content-Type: text/csv")
	res = decode[ImportResult](t, w)
	if res.Created != 1 || res.Failed != 1 || res.Items[1].Problem.Field != "source" || res.Columns.Notes != nil {
		t.Errorf("links: %s", w.Body)
	}
}

func TestConfigLimits(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxImportBody = 12345 })
	w := e.do(t, "GET", "/api/v1/config", "")
	cfg := decode[map[string]any](t, w)
	if cfg["max_import_body"] != 12345.0 || cfg["max_import_items"] != float64(maxImportItems) {
		t.Errorf("config %v", cfg)
	}
	if w.Code != http.StatusOK {
		t.Errorf("status %d", w.Code)
	}
}

// TestImportACLEDPoint: an ACLED row keeps what the file says of its
// place: location names the manual point, geo_precision 2 stays 2 (not a
// point of precision 1), admin1 to admin3 become the tags "adminN:<name>";
// a bad geo_precision fails that row only; an export of ours (with its
// location_method) adds no admin tags, and a manual point's name and
// precision come back from it.
func TestImportACLEDPoint(t *testing.T) {
	e := newEnv(t)
	csv := "event_id_cnty,event_date,event_type,admin1,admin2,admin3,location,latitude,longitude,geo_precision,notes\n" +
		"X1,2024-05-02,Battles,Northshire,Riverdale District,Lowbank,Lowbank outskirts,10.5,20.25,2,Clashes were reported near the river.\n" +
		"X2,2024-05-03,Protests,Northshire,,,Somewhere,10.6,20.3,,A rally took place.\n" +
		"X3,2024-05-04,Protests,,,,Elsewhere,10.7,20.4,7,A rally took place.\n"
	w := e.do(t, "POST", "/api/v1/import", csv, "token", "Content-Type: text/csv")
	res := decode[ImportResult](t, w)
	if w.Code != 200 || res.Created != 2 || res.Failed != 1 || res.Items[2].Problem == nil || res.Items[2].Problem.Field != "geo_precision" {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	for i, want := range []struct {
		name string
		prec int
		tags []string
	}{
		{"Lowbank outskirts", 2, []string{"admin1:Northshire", "admin2:Riverdale District", "admin3:Lowbank"}},
		{"Somewhere", 1, []string{"admin1:Northshire"}},
	} {
		r, err := e.reports.FindReportByID(t.Context(), res.Items[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if l := r.Location; l == nil || l.Name != want.name || l.Precision != want.prec || l.Provenance.Method != geotag.MethodManual {
			t.Errorf("row %d: location %+v, want %q precision %d", i+2, l, want.name, want.prec)
		}
		if !slices.Equal(r.Tags, want.tags) {
			t.Errorf("row %d: tags %q, want %q", i+2, r.Tags, want.tags)
		}
	}
	// The CSV export of these, imported into a new store, keeps the point's
	// name and precision and adds no tags.
	exp := e.do(t, "GET", "/api/v1/export/csv", "", "token")
	e2 := newEnv(t)
	w = e2.do(t, "POST", "/api/v1/import", exp.Body.String(), "token", "Content-Type: text/csv")
	res = decode[ImportResult](t, w)
	if res.Created != 2 {
		t.Fatalf("re-import: %s", w.Body)
	}
	for _, it := range res.Items {
		r, err := e2.reports.FindReportByID(t.Context(), it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if l := r.Location; l == nil || l.Name == "" || (l.Name == "Lowbank outskirts") != (l.Precision == 2) || len(r.Tags) > 3 {
			t.Errorf("re-imported %+v with tags %q", l, r.Tags)
		}
	}
}
