package main

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The browser tests drive the real service and the embedded map page in
// headless Debian chromium. The browser cannot reach the internet (see
// brNewBrowser), so map tiles always fail and the page must fall back to its
// embedded country outlines.

// A fixture report of our own naming three places in three countries.
const brThreeCitiesText = "Residents of Aleppo reported heavy shelling overnight, while aid agencies in Amman, Jordan, " +
	"prepared convoys. Far away, the city of Nice in southern France held a vigil."

type brPoint struct {
	Text string  `json:"text"`
	Name string  `json:"name"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

type brMarkerInfo struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Precision int     `json:"precision"`
	Status    string  `json:"status"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	OnMap     bool    `json:"onMap"`
}

// brCities are the expected coordinates (GeoNames) of the fixture's places.
var brCities = map[string][2]float64{
	"Aleppo": {36.20124, 37.16117},
	"Amman":  {31.95522, 35.94503},
	"Nice":   {43.70313, 7.26608},
}

func brNear(lat, lon float64, want [2]float64) bool {
	return math.Abs(lat-want[0]) < 0.05 && math.Abs(lon-want[1]) < 0.05
}

// brCheckCities fails unless pts hold a point at each fixture city.
func brCheckCities(t *testing.T, what string, pts []brPoint) {
	t.Helper()
	for name, ll := range brCities {
		found := false
		for _, p := range pts {
			if p.Name == name && brNear(p.Lat, p.Lon, ll) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no marker at %s %v; got %+v", what, name, ll, pts)
		}
	}
}

// brOpenMap starts the service and opens the map signed in with the login
// link's token fragment.
func brOpenMap(t *testing.T) (b *brBrowser, base, token string) {
	t.Helper()
	base, token = startService(t)
	b = brNewBrowser(t)
	url := base + "/"
	if token != "" {
		url += "#token=" + token
	}
	b.do("open the map", chromedp.Navigate(url))
	b.waitJS("the page to start", `window.geotag && window.geotag.ready === true`)
	return b, base, token
}

// brTypeReport fills the new-report form through the keyboard.
func brTypeReport(b *brBrowser, title, text string) {
	b.t.Helper()
	b.do("open the form", chromedp.Click(`#tab-new`), chromedp.WaitVisible(`#f-text`))
	b.do("type the report",
		chromedp.SendKeys(`#f-title`, title),
		chromedp.SendKeys(`#f-text`, text),
		chromedp.SetValue(`#f-source`, "https://example.org/report/1"),
	)
}

func TestBrowserMapSkeleton(t *testing.T) {
	b, base, _ := brOpenMap(t)

	// No internet: the tiles fail, and the page shows the embedded outlines.
	b.waitJS("the offline basemap", `window.geotag.basemap().mode === "outlines" && window.geotag.basemap().outlines > 100`)
	if bm := brEvalJS[map[string]any](b, `window.geotag.basemap()`); bm["loaded"].(float64) != 0 {
		t.Errorf("tiles loaded without internet: %v", bm)
	}
	attribution := brEvalJS[string](b, `document.querySelector(".leaflet-control-attribution").textContent`)
	for _, want := range []string{"GeoNames", "CC BY 4.0", "Who’s On First", "Natural Earth"} {
		if !strings.Contains(attribution, want) {
			t.Errorf("attribution %q lacks %q", attribution, want)
		}
	}
	b.screenshot("01-empty-map-offline")

	// The form tags the text as it is typed and previews the places.
	brTypeReport(b, "Shelling in Aleppo; convoys from Amman; vigil in Nice", brThreeCitiesText)
	b.waitJS("the tag preview", `window.geotag.previews().length >= 3`)
	brCheckCities(t, "preview", brEvalJS[[]brPoint](b, `window.geotag.previews()`))
	marks := brEvalJS[[]string](b, `Array.from(document.querySelectorAll("#tag-preview mark")).map(m => m.textContent)`)
	for _, name := range []string{"Aleppo", "Amman", "Nice"} {
		if !brContains(marks, name) {
			t.Errorf("preview highlights %q, want %s among them", marks, name)
		}
	}
	b.screenshot("02-form-preview")

	// The preview's main location is the one the service will choose.
	previewMain := brEvalJS[string](b, `(() => { const f = window.geotag.app.form, m = f.mentions[f.mainIndex()]; return m ? m.text + "@" + m.place.lat + "," + m.place.lon : ""; })()`)

	// Save: the report's marker and its places appear without a reload.
	b.click("save", `#f-save`)
	b.waitJS("the saved report's marker", `window.geotag.reports().some(r => r.onMap)`)
	b.waitJS("the saved report's places", `window.geotag.mentionMarkers().length >= 3`)
	brCheckCities(t, "saved report", brEvalJS[[]brPoint](b, `window.geotag.mentionMarkers()`))
	reps := brEvalJS[[]brMarkerInfo](b, `window.geotag.reports()`)
	if len(reps) != 1 {
		t.Fatalf("reports on the map: %+v, want 1", reps)
	}
	savedMain := brEvalJS[string](b, `(() => { const r = window.geotag.reports()[0]; return r.lat + "," + r.lon; })()`)
	if !strings.HasSuffix(previewMain, "@"+savedMain) {
		t.Errorf("the preview showed %q as the main location, the service chose %s", previewMain, savedMain)
	}
	if r := reps[0]; !(brNear(r.Lat, r.Lon, brCities["Aleppo"]) || brNear(r.Lat, r.Lon, brCities["Amman"]) || brNear(r.Lat, r.Lon, brCities["Nice"])) {
		t.Errorf("report marker at %v,%v, want one of the fixture's cities", r.Lat, r.Lon)
	}
	b.popupShown()
	popup := brEvalJS[string](b, `document.querySelector(".leaflet-popup .popup").textContent`)
	for _, want := range []string{"Shelling in Aleppo", "Residents of Aleppo", "Source"} {
		if !strings.Contains(popup, want) {
			t.Errorf("popup %q lacks %q", popup, want)
		}
	}
	href := brEvalJS[string](b, `document.querySelector(".leaflet-popup a.source").href`)
	if href != "https://example.org/report/1" {
		t.Errorf("source link %q", href)
	}
	b.screenshot("03-saved-report-popup")

	// The API agrees, and a reload shows the stored report again.
	fc := brGetJSON(t, base+"/api/v1/reports")
	if n := len(fc["features"].([]any)); n != 1 {
		t.Fatalf("API lists %d reports, want 1", n)
	}
	b.do("reload", chromedp.Reload())
	b.waitJS("the page to start again", `window.geotag && window.geotag.ready === true && window.geotag.reports().length === 1`)
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
	if v := b.cspViolations(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", v)
	}
}

func TestBrowserXSS(t *testing.T) {
	b, _, _ := brOpenMap(t)
	payload := `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`
	brTypeReport(b, "Attack "+payload, "Shelling reported in Aleppo today. "+payload+" More in Amman, Jordan.")
	b.waitJS("the tag preview", `window.geotag.previews().length >= 1`)
	b.click("save", `#f-save`)
	b.popupShown()

	if v := brEvalJS[string](b, `typeof window.__xss`); v != "undefined" {
		t.Fatalf("report text ran as script: window.__xss is %s", v)
	}
	if n := brEvalJS[int](b, `document.querySelectorAll('img[src="x"], .popup script, #tag-preview img').length`); n != 0 {
		t.Errorf("report text became %d HTML elements", n)
	}
	title := brEvalJS[string](b, `document.querySelector(".leaflet-popup .popup-title").textContent`)
	if title != "Attack "+payload {
		t.Errorf("popup title %q, want the literal text", title)
	}
	ex := brEvalJS[string](b, `document.querySelector(".leaflet-popup .excerpt").textContent`)
	if !strings.Contains(ex, payload) {
		t.Errorf("popup excerpt %q does not show the payload literally", ex)
	}
	b.screenshot("xss-literal")
	// Reopen from the stored copy: still text.
	b.do("reload", chromedp.Reload())
	b.waitJS("the page", `window.geotag && window.geotag.ready && window.geotag.reports().length === 1`)
	b.click("open the report", `.leaflet-marker-icon.gt-marker`)
	b.popupShown()
	if v := brEvalJS[string](b, `typeof window.__xss`); v != "undefined" {
		t.Fatalf("stored report text ran as script: window.__xss is %s", v)
	}
	if v := b.cspViolations(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", v)
	}
}

func brGetJSON(t *testing.T, url string) map[string]any {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return v
}

func brContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The API counts offsets in code points, JavaScript in UTF-16 units: with
// characters outside the Basic Multilingual Plane before the names, the
// highlights must still cover exactly the names.
func TestBrowserCodePointOffsets(t *testing.T) {
	b, _, _ := brOpenMap(t)
	text := "🔥🔥 𝐁𝐫𝐞𝐚𝐤𝐢𝐧𝐠: shelling in Aleppo 🚨 and later in Amman, Jordan."
	b.click("open the form", `#tab-new`)
	b.do("paste", chromedp.Evaluate[chromedp.Void](`void (() => { const t = document.getElementById("f-text"); t.value = `+brJsString(text)+`; t.dispatchEvent(new Event("input")); })()`))
	b.waitJS("the preview", `document.querySelectorAll("#tag-preview mark").length >= 2`)
	marks := brEvalJS[[]string](b, `Array.from(document.querySelectorAll("#tag-preview mark")).map(m => m.textContent)`)
	for _, want := range []string{"Aleppo", "Amman"} {
		if !brContains(marks, want) {
			t.Errorf("highlights %q, want exactly %q among them", marks, want)
		}
	}
	if got := brEvalJS[string](b, `document.getElementById("tag-preview").textContent`); got != text {
		t.Errorf("preview text %q, want %q", got, text)
	}
	b.click("save", `#f-save`)
	b.popupShown()
	marks = brEvalJS[[]string](b, `Array.from(document.querySelectorAll(".leaflet-popup .excerpt mark")).map(m => m.textContent)`)
	if !brContains(marks, "Aleppo") || !brContains(marks, "Amman") {
		t.Errorf("popup highlights %q", marks)
	}
}
