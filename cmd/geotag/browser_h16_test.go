package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Export this view with a tag and a text search: the map's count, the
// export panel's count, the OGC address's numberMatched and features, and
// the GeoJSON and CSV downloads all hold the same reports.
func TestBrowserExportKeepsEveryFilter(t *testing.T) {
	base, token := startService(t)
	brSeedTags(t, base, token) // Aleppo: shelling; Amman: convoy, Shelling; Nice: vigil
	b := brNewBrowser(t)
	b.do("open the filtered map", chromedp.Navigate(base+"/?c=38,20&z=4&tag=shelling&q=Aleppo#token="+token))
	b.waitJS("one marker", `window.geotag && window.geotag.ready && window.geotag.reports().length === 1`)
	b.click("open export", `#tab-export`)
	b.waitJS("the count", `document.getElementById("export-summary").dataset.count !== undefined`)
	b.screenshot("export-filtered")
	mapCount := brEvalJS[int](b, `window.geotag.total()`)
	count := brEvalJS[int](b, `Number(document.getElementById("export-summary").dataset.count)`)
	ogc := brEvalJS[string](b, `document.getElementById("export-ogc").value`)
	u, err := url.Parse(ogc)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tag", "q", "bbox"} {
		if !u.Query().Has(k) {
			t.Errorf("OGC address %s lacks the view's %s", ogc, k)
		}
	}
	ogcQ := u.Query()
	ogcQ.Set("limit", "1")
	u.RawQuery = ogcQ.Encode()
	fc := brGetJSON(t, u.String())
	ogcMatched := -1
	if n, ok := fc["numberMatched"].(float64); ok {
		ogcMatched = int(n)
	}
	ogcFeatures := len(brGetJSON(t, ogc)["features"].([]any))
	features := brEvalJS[int](b, `fetch(document.getElementById("export-geojson").href).then(r => r.json()).then(fc => fc.features.length)`)
	csvRows := brEvalJS[int](b, `fetch(document.getElementById("export-csv").href).then(r => r.text()).then(t => t.trim().split(/\r?\n/).length - 1)`)
	if mapCount != 1 || count != 1 || ogcMatched != 1 || ogcFeatures != 1 || features != 1 || csvRows != 1 {
		t.Errorf("map %d, export panel %d, OGC numberMatched %d and features %d, GeoJSON %d, CSV %d; want 1 each (%s)",
			mapCount, count, ogcMatched, ogcFeatures, features, csvRows, ogc)
	}
	if title := brEvalJS[string](b, `fetch(document.getElementById("export-ogc").value).then(r => r.json()).then(fc => fc.features.map(f => f.properties.title).join("|"))`); !strings.Contains(title, "Aleppo") {
		t.Errorf("OGC layer holds %q, want the Aleppo report", title)
	}
}
