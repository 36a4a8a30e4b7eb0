package main

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// brSeed stores three reports at manual points, so that these tests do not
// depend on the tagger's choices: Aleppo 40 days ago, Amman 10 days ago and
// Nice two hours ago.
func brSeed(t *testing.T, base, token string) map[string]string {
	t.Helper()
	now := time.Now().UTC()
	ids := map[string]string{}
	for _, s := range []struct {
		city string
		age  time.Duration
	}{{"Aleppo", 40 * 24 * time.Hour}, {"Amman", 10 * 24 * time.Hour}, {"Nice", 2 * time.Hour}} {
		ll := brCities[s.city]
		ids[s.city] = brPostReport(t, base, token, map[string]any{
			"title":    "Incident in " + s.city,
			"text":     "An incident was reported in " + s.city + ".",
			"time":     now.Add(-s.age).Format(time.RFC3339),
			"source":   "https://example.org/" + strings.ToLower(s.city),
			"location": map[string]float64{"lat": ll[0], "lon": ll[1]},
		})
	}
	return ids
}

// brLoaded waits until the page has loaded the markers for the filters
// in its address.
func brLoaded(b *brBrowser, what string) {
	b.t.Helper()
	b.waitJS(what, `(() => { const q = new URLSearchParams(location.search), l = new URLSearchParams(window.geotag.lastLoaded());
		return ["from", "to", "q", "status"].every(k => (q.get(k) || "") === (l.get(k) || "")); })()`)
}

// brAPICount asks the API how many reports match the query.
func brAPICount(t *testing.T, base string, q url.Values) int {
	t.Helper()
	q.Set("limit", "1")
	fc := brGetJSON(t, base+"/api/v1/reports?"+q.Encode())
	return int(fc["numberMatched"].(float64))
}

// Time-window filtering: presets and dragging a window on the time bar
// change the markers, in agreement with the API.
func TestBrowserTimeWindow(t *testing.T) {
	b, base, _ := brOpenSeeded(t, brSeed)
	b.waitJS("the histogram", `document.querySelectorAll("#histogram rect.hbar").length === 3`)
	b.screenshot("01-all")

	for _, c := range []struct {
		preset string
		want   []string
	}{
		{"24h", []string{"Nice"}},
		{"7d", []string{"Nice"}},
		{"30d", []string{"Amman", "Nice"}},
		{"all", []string{"Aleppo", "Amman", "Nice"}},
	} {
		b.do("preset "+c.preset, chromedp.Click(`[data-preset="`+c.preset+`"]`))
		b.waitJS(c.preset+" markers", fmt.Sprintf(`window.geotag.reports().length === %d`, len(c.want)))
		brLoaded(b, c.preset)
		var pts []brPoint
		for _, r := range brEvalJS[[]brMarkerInfo](b, `window.geotag.reports()`) {
			pts = append(pts, brPoint{Name: strings.TrimPrefix(r.Title, "Incident in "), Lat: r.Lat, Lon: r.Lon})
		}
		for _, city := range c.want {
			found := false
			for _, p := range pts {
				found = found || p.Name == city && brNear(p.Lat, p.Lon, brCities[city])
			}
			if !found {
				t.Errorf("preset %s: no marker at %s in %+v", c.preset, city, pts)
			}
		}
		if c.preset == "30d" {
			b.screenshot("02-30-days")
		}
	}

	// Drag a window over the left half of the time bar: the markers are
	// those the API finds for the window the address now holds.
	box := brEvalJS[[]float64](b, `(() => { const r = document.getElementById("histogram").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	y := box[1] + box[3]/2
	b.do("drag a window", chromedp.DragAndDropXY(box[0]+2, y, box[0]+box[2]*0.5, y, 8))
	b.waitJS("a window in the address", `new URLSearchParams(location.search).has("from") && new URLSearchParams(location.search).has("to")`)
	brLoaded(b, "the dragged window")
	q, _ := url.ParseQuery(strings.TrimPrefix(brEvalJS[string](b, `location.search`), "?"))
	want := brAPICount(t, base, url.Values{"from": {q.Get("from")}, "to": {q.Get("to")}})
	if got := brEvalJS[int](b, `window.geotag.reports().length`); got != want {
		t.Errorf("after dragging %s..%s the map shows %d reports, the API finds %d", q.Get("from"), q.Get("to"), got, want)
	}
	if want == 3 || want == 0 {
		t.Logf("dragged window holds %d of 3 reports", want)
	}
	b.screenshot("03-dragged-window")
	// Moving it with the keyboard changes the window too.
	before := q.Get("from")
	b.do("move the window", chromedp.Focus(`#histogram`), chromedp.KeyEvent(kb.ArrowRight))
	b.waitJS("a moved window", `new URLSearchParams(location.search).get("from") !== `+brJsString(before))
	brLoaded(b, "the moved window")
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// The URL holds the whole view: a copied address reproduces the map
// position, the filters and the selected report.
func TestBrowserURLRoundTrip(t *testing.T) {
	base, token := startService(t)
	ids := brSeed(t, base, token)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/#token="+token))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	b.do("pan and zoom", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.map.setView([33.5, 36.2], 6, { animate: false })`))
	b.click("choose the 30-day preset", `[data-preset="30d"]`)
	b.do("search", chromedp.SendKeys(`#q`, "Amman"))
	b.do("status", chromedp.SetValue(`#status-filter`, "unreviewed"), chromedp.Evaluate[chromedp.Void](`document.getElementById("status-filter").dispatchEvent(new Event("change"))`))
	b.waitJS("the search applied", `window.geotag.filters().q === "Amman" && window.geotag.filters().status === "unreviewed"`)
	brLoaded(b, "the filters")
	b.waitJS("one marker", `window.geotag.reports().length === 1`)
	b.click("open the report", `.leaflet-marker-icon.gt-marker`)
	b.popupShown()
	b.waitJS("the selection in the address", `new URLSearchParams(location.search).get("r") === `+brJsString(ids["Amman"]))
	b.waitJS("the view in the address", `(() => { const c = window.geotag.app.map.getCenter(); return new URLSearchParams(location.search).get("c") === c.lat.toFixed(4) + "," + c.lng.toFixed(4); })()`)
	link := brEvalJS[string](b, `location.href`)
	t.Logf("link: %s", link)
	view := brEvalJS[map[string]float64](b, `window.geotag.view()`)
	filters := brEvalJS[map[string]string](b, `window.geotag.filters()`)

	// A fresh browser (no token, no history) opens the link.
	b2 := brNewBrowser(t)
	b2.do("open the link", chromedp.Navigate(link))
	b2.waitJS("the page", `window.geotag && window.geotag.ready && window.geotag.reports().length === 1`)
	b2.popupShown()
	view2 := brEvalJS[map[string]float64](b2, `window.geotag.view()`)
	px := 360 / (256 * math.Pow(2, view["zoom"])) // degrees of longitude per pixel
	if math.Abs(view2["lat"]-view["lat"]) > 2*px || math.Abs(view2["lon"]-view["lon"]) > 2*px || view2["zoom"] != view["zoom"] {
		t.Errorf("view %v, want %v", view2, view)
	}
	// The 30-day preset rolls: the link opened later starts 30 days before
	// then, so from is compared within a minute.
	f2 := brEvalJS[map[string]string](b2, `window.geotag.filters()`)
	from1, _ := time.Parse(time.RFC3339, filters["from"])
	from2, _ := time.Parse(time.RFC3339, f2["from"])
	if d := from2.Sub(from1); d < 0 || d > time.Minute || f2["since"] != "30d" {
		t.Errorf("rolling window from %v since %q, want about %v since 30d", f2["from"], f2["since"], filters["from"])
	}
	delete(f2, "from")
	delete(filters, "from")
	if fmt.Sprint(f2) != fmt.Sprint(filters) {
		t.Errorf("filters %v, want %v", f2, filters)
	}
	if v := brEvalJS[string](b2, `document.getElementById("q").value + "|" + document.getElementById("status-filter").value`); v != "Amman|unreviewed" {
		t.Errorf("search box and status %q", v)
	}
	if title := brEvalJS[string](b2, `document.querySelector(".leaflet-popup .popup-title").textContent`); title != "Incident in Amman" {
		t.Errorf("popup %q, want the selected report", title)
	}
	if p := brEvalJS[string](b2, `document.querySelector('[data-preset="30d"]').getAttribute("aria-pressed")`); p != "true" {
		t.Errorf("30-day preset not shown as chosen")
	}
	b2.screenshot("reopened-link")
}

// Export this view: the GeoJSON and CSV downloads hold exactly the reports
// the filters and the map area select, as many as the API counts.
func TestBrowserExportView(t *testing.T) {
	b, base, _ := brOpenSeeded(t, brSeed)
	b.click("choose 30 days", `[data-preset="30d"]`)
	b.waitJS("two markers", `window.geotag.reports().length === 2`)
	b.click("open export", `#tab-export`)
	b.waitJS("the count", `document.getElementById("export-summary").dataset.count !== undefined`)
	b.screenshot("export-panel")
	count := brEvalJS[int](b, `Number(document.getElementById("export-summary").dataset.count)`)
	href := brEvalJS[string](b, `document.getElementById("export-geojson").href`)
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	api := brAPICount(t, base, u.Query())
	features := brEvalJS[int](b, `fetch(document.getElementById("export-geojson").href).then(r => r.json()).then(fc => fc.features.length)`)
	csvRows := brEvalJS[int](b, `fetch(document.getElementById("export-csv").href).then(r => r.text()).then(t => t.trim().split(/\r?\n/).length - 1)`)
	if count != 2 || api != 2 || features != 2 || csvRows != 2 {
		t.Errorf("page counts %d, API %d, GeoJSON export %d, CSV export %d; want 2 each", count, api, features, csvRows)
	}
	if !u.Query().Has("bbox") || !u.Query().Has("from") {
		t.Errorf("export %s lacks the view's bbox or time window", href)
	}
	ogc := brEvalJS[string](b, `document.getElementById("export-ogc").value`)
	if !strings.HasPrefix(ogc, base+"/ogc/collections/reports/items") {
		t.Errorf("OGC address %q", ogc)
	}
	// The OGC address answers with the same reports.
	fc := brGetJSON(t, ogc)
	if n := len(fc["features"].([]any)); n != 2 {
		t.Errorf("OGC items at %s: %d features, want 2", ogc, n)
	}
}

// Tiles configured by the server are used; when they cannot load, the
// embedded outlines take over and the page stays usable; "none" means
// outlines only, without trying.
func TestBrowserBasemap(t *testing.T) {
	const tiles = "https://tiles.example.invalid/{z}/{x}/{y}.png"
	b, _, _ := brOpenSeeded(t, brSeed, "--tiles", tiles, "--tile-attribution", "Example tiles")
	if got := brEvalJS[string](b, `window.geotag.app.basemap.tiles._url`); got != tiles {
		t.Errorf("tile URL %q, want the server's %q", got, tiles)
	}
	b.waitJS("the fallback", `window.geotag.basemap().mode === "outlines" && window.geotag.basemap().outlines > 100`)
	if n := brEvalJS[int](b, `document.querySelectorAll("#map .leaflet-outlines-pane path").length`); n < 100 {
		t.Errorf("%d outline paths drawn", n)
	}
	// Still usable: a marker opens its popup.
	b.do("open a report", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.openReport(window.geotag.reports()[0].id)`))
	b.popupShown()
	b.screenshot("fallback")

	base2, _ := startService(t, "--tiles", "none")
	b2 := brNewBrowser(t)
	b2.do("open the map", chromedp.Navigate(base2+"/"))
	b2.waitJS("outlines only", `window.geotag && window.geotag.ready && window.geotag.basemap().mode === "outlines" && window.geotag.basemap().outlines > 100`)
	if e := brEvalJS[int](b2, `window.geotag.basemap().errors`); e != 0 {
		t.Errorf("with tiles none, %d tile errors", e)
	}
}

// At phone width the page keeps the map, the form and the time bar usable.
func TestBrowserPhoneWidth(t *testing.T) {
	base, token := startService(t)
	brSeed(t, base, token)
	b := brNewBrowser(t)
	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	b.do("open the map", chromedp.Navigate(base+"/?c=38,20&z=3#token="+token))
	b.waitJS("the page", `window.geotag && window.geotag.ready && window.geotag.reports().length === 3`)
	if w := brEvalJS[int](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("page is %dpx wide at a 390px viewport", w)
	}
	b.waitJS("the histogram", `document.querySelectorAll("#histogram rect.hbar").length > 0`)
	if h := brEvalJS[float64](b, `document.getElementById("histogram").getBoundingClientRect().height`); h < 30 {
		t.Errorf("histogram is %vpx high at phone width", h)
	}
	if h := brEvalJS[float64](b, `Math.max(...Array.from(document.querySelectorAll("#histogram rect.hbar")).map(r => r.getBoundingClientRect().height))`); h < 10 {
		t.Errorf("histogram bars are drawn %vpx high at phone width", h)
	}
	b.screenshot("01-map")
	b.click("open the form", `#tab-new`)
	b.do("type", chromedp.SendKeys(`#f-text`, "Shelling was reported in Aleppo today."))
	b.waitJS("the preview", `window.geotag.previews().length >= 1`)
	vis := brEvalJS[bool](b, `(() => { const r = document.getElementById("f-save").getBoundingClientRect(); return r.width > 0 && r.height > 0; })()`)
	if !vis {
		t.Error("save button not shown at phone width")
	}
	b.screenshot("02-form")
}

// Large stores: when more reports match than the page draws one by one,
// it shows the server's cluster counts instead, and they add up to the
// API's total. Play steps the time window forward.
func TestBrowserClusterCountsAndPlay(t *testing.T) {
	b, _, _ := brOpenSeeded(t, brSeed)
	b.waitJS("markers", `window.geotag.mode() === "markers"`)
	b.do("lower the marker limit", chromedp.Evaluate[chromedp.Void](`void (window.geotag.app.maxMarkers = 2, window.geotag.app.load())`))
	b.waitJS("cluster counts", `window.geotag.mode() === "cells" && document.querySelectorAll(".gt-cell").length > 0`)
	sum := brEvalJS[int](b, `Array.from(document.querySelectorAll(".gt-cell span")).reduce((n, s) => n + Number(s.textContent), 0)`)
	if sum != 3 {
		t.Errorf("cluster counts add up to %d, want 3", sum)
	}
	if n := brEvalJS[int](b, `window.geotag.reports().filter(r => r.onMap).length`); n != 0 {
		t.Errorf("%d single markers drawn besides the counts", n)
	}
	b.screenshot("cluster-counts")

	b.do("back to markers", chromedp.Evaluate[chromedp.Void](`void (window.geotag.app.maxMarkers = 2000, window.geotag.app.load())`))
	b.waitJS("markers", `window.geotag.mode() === "markers" && window.geotag.reports().length === 3`)
	b.click("play", `#play`)
	b.waitJS("a window", `new URLSearchParams(location.search).has("to")`)
	first := brEvalJS[string](b, `new URLSearchParams(location.search).get("from")`)
	b.waitJS("the window to move on", `new URLSearchParams(location.search).get("from") !== `+brJsString(first))
	b.click("pause", `#play`)
	if p := brEvalJS[string](b, `document.getElementById("play").getAttribute("aria-pressed")`); p != "false" {
		t.Errorf("play still pressed after pausing")
	}
}

// A report over the service's body limit gets a readable 413 message and
// the form keeps the text.
func TestBrowserTooLarge(t *testing.T) {
	base, token := startService(t, "--max-body", "4096")
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/#token="+token))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	b.click("open the form", `#tab-new`)
	b.do("paste a long text", chromedp.Evaluate[chromedp.Void](`void (document.getElementById("f-text").value = "Shelling was reported in Aleppo. ".repeat(300))`))
	b.click("save", `#f-save`)
	b.waitJS("the error", `!document.getElementById("form-error").hidden`)
	msg := brEvalJS[string](b, `document.getElementById("form-error").textContent`)
	if !strings.Contains(msg, "too large") {
		t.Errorf("error %q does not say the report is too large", msg)
	}
	if n := brEvalJS[int](b, `document.getElementById("f-text").value.length`); n < 9000 {
		t.Errorf("the form lost the text (%d characters left)", n)
	}
	b.screenshot("too-large")
}

// Markers are keyboard reachable: focus one, press Enter, read its popup.
// "/" focuses the search box.
func TestBrowserKeyboardMarkers(t *testing.T) {
	b, _, _ := brOpenSeeded(t, brSeed)
	b.waitJS("focusable markers", `document.querySelectorAll(".leaflet-marker-icon.gt-marker[tabindex='0']").length === 3`)
	b.do("focus a marker", chromedp.Focus(`.leaflet-marker-icon.gt-marker`))
	b.do("enter", chromedp.KeyEvent(kb.Enter))
	b.popupShown()
	if title := brEvalJS[string](b, `document.querySelector(".leaflet-popup .popup-title").textContent`); !strings.HasPrefix(title, "Incident in ") {
		t.Errorf("popup %q", title)
	}
	outline := brEvalJS[string](b, `(() => { const e = document.querySelector(".leaflet-popup .popup-actions a"); e.focus(); return getComputedStyle(e).outlineStyle; })()`)
	if outline == "none" {
		t.Errorf("focused link has no visible outline")
	}
	b.do("slash", chromedp.Evaluate[chromedp.Void](`void document.activeElement.blur()`), chromedp.KeyEvent("/"))
	if id := brEvalJS[string](b, `document.activeElement.id`); id != "q" {
		t.Errorf("/ focused %q, want the search box", id)
	}
}

// The page loads only what the view needs: panning to another area asks
// the API for that bounding box.
func TestBrowserBBoxLoading(t *testing.T) {
	base, token := startService(t)
	brSeed(t, base, token)
	b := brNewBrowser(t)
	b.do("open the map at Nice", chromedp.Navigate(base+"/?c=43.7,7.27&z=8#token="+token))
	b.waitJS("one marker", `window.geotag && window.geotag.ready && window.geotag.reports().length === 1 && window.geotag.reports()[0].title === "Incident in Nice"`)
	if !strings.Contains(brEvalJS[string](b, `window.geotag.lastLoaded()`), "bbox=") {
		t.Errorf("the page loaded without a bbox: %s", brEvalJS[string](b, `window.geotag.lastLoaded()`))
	}
	b.do("pan to Aleppo", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.map.setView([36.2, 37.16], 8, { animate: false })`))
	b.waitJS("the Aleppo marker", `window.geotag.reports().length === 1 && window.geotag.reports()[0].title === "Incident in Aleppo"`)
}

// A view across the antimeridian asks for a wrapping bbox (W > E) and
// shows the reports on both sides.
func TestBrowserAntimeridian(t *testing.T) {
	base, token := startService(t)
	for _, p := range []struct {
		name     string
		lat, lon float64
	}{{"Fiji", -17.8, 178.4}, {"Samoa", -13.8, -171.8}} {
		brPostReport(t, base, token, map[string]any{"title": "Incident in " + p.name, "text": "An incident.",
			"location": map[string]float64{"lat": p.lat, "lon": p.lon}})
	}
	b := brNewBrowser(t)
	b.do("open the map over the Pacific", chromedp.Navigate(base+"/?c=-15,179.9&z=5#token="+token))
	b.waitJS("both markers", `window.geotag && window.geotag.ready && window.geotag.reports().length === 2`)
	bbox := brEvalJS[string](b, `new URLSearchParams(window.geotag.lastLoaded()).get("bbox")`)
	var w, s, e, n float64
	if _, err := fmt.Sscanf(strings.ReplaceAll(bbox, ",", " "), "%g %g %g %g", &w, &s, &e, &n); err != nil || w <= e {
		t.Errorf("bbox %q does not cross the antimeridian", bbox)
	}
	// Both markers are drawn inside the view, not on a far copy of the world.
	inView := brEvalJS[int](b, `(() => { const m = window.geotag.app.map, r = m.getContainer().getBoundingClientRect(); return Array.from(document.querySelectorAll(".leaflet-marker-icon.gt-marker")).filter(e => { const x = e.getBoundingClientRect(); return x.left >= r.left && x.right <= r.right; }).length; })()`)
	if inView != 2 {
		t.Errorf("%d of 2 markers inside the view", inView)
	}
	b.screenshot("antimeridian")
}
