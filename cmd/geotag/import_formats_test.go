package main

import (
	"cmp"
	"encoding/json"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/geotag/geotag"
)

// ifReports are stored in the first service: markup and formula payloads,
// non-ASCII in several scripts, tags, a reviewed status, a manual point,
// an automatic location, a report without a place.
var ifReports = []string{
	`{"title":"<img src=x onerror=alert(1)> Shelling","text":"Heavy shelling was reported in Aleppo overnight. <script>alert(2)</script>","time":"2024-03-01T10:30:00Z","tags":["<b>bold</b>","=cmd|' /C calc'!A0"]}`,
	`{"title":"=HYPERLINK(\"http://evil.example\",\"click\")","text":"-2+3 convoys left Amman in Jordan, \"quoted\",\nsecond line","time":"2024-03-02","source":"https://example.org/a?b=1&c=2","status":"reviewed","tags":["+night","@x"]}`,
	`{"title":"'=1+1 قصف على حلب — Обстрел Алеппо","text":"Shelling hit Aleppo again. Ünïcödé ✓ 🚀","time":"2024-03-03T00:00:00Z","tags":["سوريا","Сирия"],"external_id":"ext-2"}`,
	`{"title":"Manual point","text":"Nothing to see in this text.","time":"2024-03-04T12:00:00.123456789Z","location":{"lat":-33.8688,"lon":151.2093},"external_id":"'=ext <1>"}`,
	`{"title":"No place","text":"Nothing to see here either.","time":"2024-03-05T00:00:00Z"}`,
}

// ifImport posts a file to POST /api/v1/import with its content type.
func ifImport(t *testing.T, base, token, ctype, body string) (int, importAnswer) {
	t.Helper()
	code, b := abuseDo(t, "POST", base+"/api/v1/import", strings.NewReader(body), "Content-Type: "+ctype, "Authorization: Bearer "+token)
	var a importAnswer
	if code != http.StatusOK {
		t.Logf("import: %d %s", code, b)
	} else if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("import answer %s: %v", b, err)
	}
	return code, a
}

type importAnswer struct {
	Created, Duplicates, Failed int
	Columns                     *struct{ Used, Ignored []string }
	Items                       []struct {
		Index, Line, Status int
		ID                  string
		Problem             *struct{ Detail, Field string }
	}
}

// ifGet downloads a URL's body.
func ifGet(t *testing.T, url string) string {
	t.Helper()
	code, b := abuseDo(t, "GET", url, nil)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, code, b)
	}
	return string(b)
}

// ifStored reads one stored report.
func ifStored(t *testing.T, base, id string) *geotag.Report {
	t.Helper()
	var r geotag.Report
	if err := json.Unmarshal([]byte(ifGet(t, base+"/api/v1/reports/"+id+"?format=json")), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// ifCompare checks that the reports an import stored in base are the
// originals with every field the exports carry: title, text, source, the
// event time with its time of day, tags, status, the external_id (the
// original's id when it had none) and the point, an automatic one staying
// automatic (the text comes along, so the tagger chooses it again). GDAL's
// copy keeps the time to the millisecond.
func ifCompare(t *testing.T, base string, a importAnswer, orig map[string]*geotag.Report, format string) {
	t.Helper()
	if a.Created != len(orig) || a.Failed != 0 {
		t.Fatalf("%s import: %+v", format, a)
	}
	byExt := map[string]*geotag.Report{}
	for id, o := range orig {
		byExt[cmp.Or(o.ExternalID, id)] = o
	}
	for _, it := range a.Items {
		got := ifStored(t, base, it.ID)
		o := byExt[got.ExternalID]
		if o == nil {
			t.Fatalf("%s: imported report's external_id %q is no exported external_id or id", format, got.ExternalID)
		}
		wantTime := o.Time
		if format == "ogr2ogr" {
			wantTime = o.Time.Truncate(time.Millisecond) // GDAL's DateTime fields hold milliseconds
		}
		if got.Title != o.Title || got.Text != o.Text || got.Source != o.Source || !got.Time.Equal(wantTime) ||
			got.TimePrecision != o.TimePrecision || !slices.Equal(got.Tags, o.Tags) || got.Status != o.Status {
			t.Errorf("%s: imported\n%+v\noriginal\n%+v", format, got, o)
		}
		switch gl, ol := got.Location, o.Location; {
		case ol == nil && gl != nil:
			t.Errorf("%s %q: location %+v from nowhere", format, o.Title, gl)
		case ol != nil && (gl == nil || gl.Lat != ol.Lat || gl.Lon != ol.Lon || gl.Provenance.Method != ol.Provenance.Method):
			t.Errorf("%s %q: location %+v, want %v,%v %s", format, o.Title, gl, ol.Lat, ol.Lon, ol.Provenance.Method)
		}
	}
}

// TestImportFormatsRoundTrip: reports exported from one running service as
// CSV, GeoJSON and a GeoJSON sequence import into fresh services with their
// fields; importing the same file again stores nothing; GDAL's copy
// (ogr2ogr -f GeoJSON) of the OGC API – Features output imports too.
func TestImportFormatsRoundTrip(t *testing.T) {
	base, token := startService(t)
	orig := map[string]*geotag.Report{}
	for _, body := range ifReports {
		code, b, _ := apiDo(t, "POST", base+"/api/v1/reports", token, body)
		if code != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", body, code, b)
		}
		var r geotag.Report
		json.Unmarshal(b, &r)
		orig[r.ID] = ifStored(t, base, r.ID)
	}
	if l := orig[firstID(orig, "Shelling hit Aleppo again")].Location; l == nil || l.Provenance.Method != geotag.MethodAuto {
		t.Fatalf("the fixture needs an automatic location: %+v", l)
	}

	for _, f := range []struct{ format, ctype string }{
		{"csv", "text/csv; charset=utf-8"}, {"geojson", "application/geo+json"}, {"geojsonseq", "application/geo+json-seq"},
	} {
		t.Run(f.format, func(t *testing.T) {
			file := ifGet(t, base+"/api/v1/export/"+f.format)
			base2, token2 := startService(t)
			code, a := ifImport(t, base2, token2, f.ctype, file)
			if code != http.StatusOK {
				t.Fatalf("import: %d", code)
			}
			ifCompare(t, base2, a, orig, f.format)
			if f.format == "csv" {
				for i, it := range a.Items {
					if i > 0 && it.Line <= a.Items[i-1].Line {
						t.Errorf("lines %d then %d", a.Items[i-1].Line, it.Line)
					}
				}
				if a.Columns == nil || !slices.Contains(a.Columns.Used, "notes") || !slices.Contains(a.Columns.Ignored, "geonameid") {
					t.Errorf("columns %+v", a.Columns)
				}
			}
			code, a = ifImport(t, base2, token2, f.ctype, file)
			if code != http.StatusOK || a.Duplicates != len(orig) || a.Created != 0 {
				t.Errorf("the second import: %d %+v", code, a)
			}
		})
	}

	t.Run("ogr2ogr", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "reports.geojson")
		gdal(t, "ogr2ogr", "-f", "GeoJSON", out, "OAPIF:"+base+"/ogc", "reports")
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		base2, token2 := startService(t)
		code, a := ifImport(t, base2, token2, "application/geo+json", string(b))
		if code != http.StatusOK {
			t.Fatalf("import of GDAL's GeoJSON: %d", code)
		}
		ifCompare(t, base2, a, orig, "ogr2ogr")
	})
}

// firstID returns the id of the report whose text starts with prefix.
func firstID(rs map[string]*geotag.Report, prefix string) string {
	for id, r := range rs {
		if strings.HasPrefix(r.Text, prefix) {
			return id
		}
	}
	return ""
}

// TestBrowserImportPicker: the map's file picker accepts every file the
// exports of the running service download (by the extension of their
// Content-Disposition name), importType sends each as the Content-Type the
// export was served with, every extension importType knows is accepted,
// and columnsNote shows the service's notes.
func TestBrowserImportPicker(t *testing.T) {
	base, _ := startService(t)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/"))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	if !brEvalJS[bool](b, `import("/js/import.js").then(m => { window.__imp = m; return true; })`) {
		t.Fatal("import.js did not load")
	}
	accept := brEvalJS[string](b, `document.getElementById("import-file").accept`)
	accepted := map[string]bool{}
	for _, a := range strings.Split(accept, ",") {
		accepted[strings.TrimSpace(a)] = true
	}
	for _, format := range []string{"geojson", "geojsonseq", "ndjson", "csv"} {
		resp, err := http.Get(base + "/api/v1/export/" + format)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if err != nil {
			t.Fatalf("%s: Content-Disposition %q: %v", format, resp.Header.Get("Content-Disposition"), err)
		}
		ext := filepath.Ext(params["filename"])
		ctype, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		if !accepted[ext] {
			t.Errorf("the %s export downloads as %s, which the file picker (accept %q) does not offer", format, ext, accept)
		}
		if got := brEvalJS[string](b, `window.__imp.importType("reports`+ext+`", "")`); got != ctype {
			t.Errorf("importType(reports%s) = %q, the export is %q", ext, got, ctype)
		}
	}
	for _, ext := range brEvalJS[[]string](b, `Object.keys(window.__imp.TYPES)`) {
		if !accepted["."+ext] {
			t.Errorf("importType knows .%s, the file picker (accept %q) does not offer it", ext, accept)
		}
	}
	note := brEvalJS[string](b, `window.__imp.columnsNote({used: ["source"], ignored: [], notes: ["source: 2 reports name their sources"]}, "text/csv")`)
	if note != "Columns used: source. Source: 2 reports name their sources." {
		t.Errorf("columnsNote with notes: %q", note)
	}
}
