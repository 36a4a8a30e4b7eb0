package main

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// GIS client tests: GDAL's own tools read the service as QGIS does. They
// fail, not skip, without GDAL: CI installs gdal-bin (scripts/test.sh).

// gdal runs a GDAL command line tool and returns its output.
func gdal(t *testing.T, tool string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s not found: install gdal-bin (apt-get install -y gdal-bin): %v", tool, err)
	}
	cmd := exec.Command(path, args...)
	cmd.Env = append(cmd.Environ(), "GDAL_HTTP_TIMEOUT=30", "CPL_DEBUG=OFF", "GDAL_HTTP_UNSAFESSL=NO")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// featureCount reads "Feature Count: N" from ogrinfo -so output.
func featureCount(t *testing.T, out string) int {
	t.Helper()
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no feature count in:\n%s", out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// seedGIS stores n located reports and one without a place.
func seedGIS(t *testing.T, base, token string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		postReport(t, base, token, "Report "+strconv.Itoa(i), e2eText, "2024-03-"+strconv.Itoa(10+i)+"T12:00:00Z")
	}
	postReport(t, base, token, "No place", "Nothing to see in this text.", "2024-02-01T00:00:00Z")
}

func TestOgrinfoReadsGeoJSON(t *testing.T) {
	base, token := startService(t)
	seedGIS(t, base, token, 3)
	out := gdal(t, "ogrinfo", "-ro", "-so", "-al", "GeoJSON:"+base+"/api/v1/reports?bbox=-180,-90,180,90")
	if n := featureCount(t, out); n != 3 {
		t.Errorf("feature count %d, want 3:\n%s", n, out)
	}
	if !strings.Contains(out, "Geometry: Point") {
		t.Errorf("geometry type not Point:\n%s", out)
	}
	for _, field := range []string{"title: String", "time: DateTime", "source: String", "precision: Integer", "mentions: StringList"} {
		if !strings.Contains(out, field) {
			t.Errorf("field %q missing:\n%s", field, out)
		}
	}
}

func TestOGCAPIFeaturesWithGDAL(t *testing.T) {
	base, token := startService(t)
	seedGIS(t, base, token, 12) // more than one page of GDAL's requests
	src := "OAPIF:" + base + "/ogc"

	out := gdal(t, "ogrinfo", "-ro", "-so", src, "reports")
	if n := featureCount(t, out); n != 13 {
		t.Errorf("OAPIF feature count %d, want 13:\n%s", n, out)
	}
	for _, field := range []string{"title: String", "source: String", "status: String", "location: String"} {
		if !strings.Contains(out, field) {
			t.Errorf("OAPIF field %q missing:\n%s", field, out)
		}
	}

	// A full copy to a GeoPackage pages through every item.
	gpkg := filepath.Join(t.TempDir(), "reports.gpkg")
	gdal(t, "ogr2ogr", "-f", "GPKG", gpkg, src, "reports", "-oo", "PAGE_SIZE=5")
	out = gdal(t, "ogrinfo", "-ro", "-so", gpkg, "reports")
	if n := featureCount(t, out); n != 13 {
		t.Errorf("GeoPackage feature count %d, want 13:\n%s", n, out)
	}
	for _, field := range []string{"title: String", "precision: Integer"} {
		if !strings.Contains(out, field) {
			t.Errorf("GeoPackage field %q missing:\n%s", field, out)
		}
	}
	// The spatial filter goes to the server as bbox and selects what the
	// API's own bbox filter selects: a box around the first report's main
	// location holds at least that report; none is in the far south
	// Pacific.
	code, b, _ := apiDo(t, "GET", base+"/api/v1/reports?limit=1&bbox=-180,-90,180,90", "", "")
	var first struct {
		Features []struct {
			Geometry struct{ Coordinates []float64 }
		}
	}
	if err := json.Unmarshal(b, &first); err != nil || code != 200 || len(first.Features) != 1 {
		t.Fatalf("first report: %d %v %s", code, err, b)
	}
	lon, lat := first.Features[0].Geometry.Coordinates[0], first.Features[0].Geometry.Coordinates[1]
	box := []string{ftoa(lon - 1), ftoa(lat - 1), ftoa(lon + 1), ftoa(lat + 1)}
	code, b, _ = apiDo(t, "GET", base+"/api/v1/reports?limit=1&bbox="+strings.Join(box, ","), "", "")
	var fc struct{ NumberMatched int }
	if err := json.Unmarshal(b, &fc); err != nil || code != 200 || fc.NumberMatched == 0 {
		t.Fatalf("API bbox count: %d %v %s", code, err, b)
	}
	out = gdal(t, "ogrinfo", append([]string{"-ro", "-so", "-spat"}, append(box, src, "reports")...)...)
	if n := featureCount(t, out); n != fc.NumberMatched {
		t.Errorf("features in %v: %d, want %d:\n%s", box, n, fc.NumberMatched, out)
	}
	out = gdal(t, "ogrinfo", "-ro", "-so", "-spat", "-150", "-60", "-140", "-50", src, "reports")
	if n := featureCount(t, out); n != 0 {
		t.Errorf("features in the south Pacific: %d, want 0:\n%s", n, out)
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// importMany stores n reports through POST /api/v1/import (NDJSON), each
// tagged as a created one is, a minute apart, with a tag and words for
// text searches.
func importMany(t testing.TB, base, token string, n int) {
	t.Helper()
	var b strings.Builder
	places := []string{"Aleppo", "Amman, Jordan", "Nice, France", "Kharkiv", "Idlib"}
	for i := range n {
		line, _ := json.Marshal(map[string]any{
			"title": "Report " + strconv.Itoa(i),
			"text":  "Shelling was reported in " + places[i%len(places)] + " overnight; item " + strconv.Itoa(i) + ".",
			"time":  time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			"tags":  []string{"tag" + strconv.Itoa(i%7)},
		})
		b.Write(line)
		b.WriteByte('\n')
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/import", strings.NewReader(b.String()))
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct{ Created, Failed int }
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || resp.StatusCode != 200 || a.Created != n {
		t.Fatalf("import of %d reports: %d %+v %v", n, resp.StatusCode, a, err)
	}
}

// The README's GIS commands, exactly as written, on a store of 2,007
// reports through the real per-address rate limit and scan budget: GDAL
// pages by 10 (about 200 requests in a few seconds, far over 30 a second)
// following the next links, which are charged to the scan budget instead.
func TestOgr2ogrLargeStore(t *testing.T) {
	base, token := startService(t)
	const n = 2007
	importMany(t, base, token, n)
	dir := t.TempDir()
	readme := "ogr2ogr -f GPKG reports.gpkg OAPIF:http://localhost:8080/ogc reports"
	args := strings.Fields(strings.ReplaceAll(readme, "http://localhost:8080", base))
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", readme, err, out)
	}
	out := gdal(t, "ogrinfo", "-ro", "-so", filepath.Join(dir, "reports.gpkg"), "reports")
	if got := featureCount(t, out); got != n {
		t.Errorf("GeoPackage: %d features, want %d:\n%s", got, n, out)
	}
	out = gdal(t, "ogrinfo", "-ro", "-so", "OAPIF:"+base+"/ogc", "reports")
	if got := featureCount(t, out); got != n {
		t.Errorf("OAPIF feature count %d, want %d", got, n)
	}
	// A whole read by GDAL, twice more, on the same budget.
	for range 2 {
		out = gdal(t, "ogrinfo", "-ro", "-al", "-q", "-where", "1=1", "OAPIF:"+base+"/ogc", "reports")
		if got := strings.Count(out, "OGRFeature(reports)"); got != n {
			t.Fatalf("ogrinfo read %d features, want %d", got, n)
		}
	}
}
