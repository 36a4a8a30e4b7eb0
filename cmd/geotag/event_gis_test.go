package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGDALReadsEventExport: GDAL reads the event properties of the GeoJSON
// export as plain fields (fatalities an integer, ACLED's actor columns
// strings), and the OGC items URL with an event filter goes through to the store.
func TestGDALReadsEventExport(t *testing.T) {
	base, token := startService(t)
	seedGIS(t, base, token, 2)
	body := `{"title":"Strike","text":"` + e2eText + `","time":"2024-04-02","event_type":"Explosions/Remote violence",
		"sub_event_type":"Air/drone strike","fatalities":4,"civilian_targeting":true,
		"actors":[{"name":"Air Force","side":1},{"name":"Civilians","side":2},{"name":"Farmers","side":2,"associated":true}]}`
	if code, b, _ := apiDo(t, "POST", base+"/api/v1/reports", token, body); code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, b)
	}
	code, b, _ := apiDo(t, "GET", base+"/api/v1/export/geojson", "", "")
	if code != 200 {
		t.Fatalf("export: %d", code)
	}
	file := filepath.Join(t.TempDir(), "export.geojson")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out := gdal(t, "ogrinfo", "-ro", "-al", file)
	for _, want := range []string{"event_type: String", "sub_event_type: String", "fatalities: Integer", "actor1: String",
		"assoc_actor_2: String", "civilian_targeting: String", "fatalities (Integer) = 4", "assoc_actor_2 (String) = Farmers",
		"event_type (String) = Explosions/Remote violence"} {
		if !strings.Contains(out, want) {
			t.Errorf("%q missing:\n%s", want, out)
		}
	}
	out = gdal(t, "ogrinfo", "-ro", "-so", "-al", "GeoJSON:"+base+"/ogc/collections/reports/items?fatalities_min=1")
	if n := featureCount(t, out); n != 1 {
		t.Errorf("OGC items with fatalities_min=1: %d features, want 1:\n%s", n, out)
	}
}

// TestServeSuggestsEvents: the served POST /api/v1/tag answers the geo
// suggester's event (serve wires it).
func TestServeSuggestsEvents(t *testing.T) {
	base, token := startService(t)
	code, b, _ := apiDo(t, "POST", base+"/api/v1/tag", token, `{"text":"An airstrike on Aleppo killed 7 people, HTS said."}`)
	s := string(b)
	if code != 200 || !strings.Contains(s, `"sub_event_type":"Air/drone strike"`) || !strings.Contains(s, `"fatalities":7`) ||
		!strings.Contains(s, `"name":"Hayat Tahrir al-Sham"`) {
		t.Fatalf("%d %s", code, s)
	}
}
