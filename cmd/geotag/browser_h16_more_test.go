package main

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// brPhone makes the tab a phone's width (390 × 844).
func brPhone(b *brBrowser) {
	b.t.Helper()
	b.do("phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1), chromedp.EmulateMobile))
}

// brShot saves a screenshot once the page has painted what it drew last
// (headless chromium can capture a frame behind the DOM).
func brShot(b *brBrowser, name string) {
	b.t.Helper()
	time.Sleep(400 * time.Millisecond)
	b.screenshot(name)
}

// Offline (no tile server), zoom 9 around Aleppo: the map writes the
// gazetteer's towns and divisions of the view, most important first, none
// overlapping another, all inside the view; zooming in brings smaller
// places; switching the labels off in the layers control keeps them off.
func TestBrowserOfflinePlaceLabels(t *testing.T) {
	base, token := startService(t, "--tiles", "none")
	brSeed(t, base, token)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=36.2,37.16&z=9#token="+token))
	b.waitJS("labels", `window.geotag && window.geotag.ready && window.geotag.placeLabels().length >= 8`)
	brShot(b, "labels-z9")
	type label struct {
		Name       string
		Kind       string
		X, Y, W, H float64
	}
	labels := brEvalJS[[]label](b, `window.geotag.placeLabels()`)
	if labels[0].Name != "Aleppo" || labels[0].Kind != "city" {
		t.Errorf("first label %+v, want the city of Aleppo", labels[0])
	}
	size := brEvalJS[[]float64](b, `(() => { const s = window.geotag.app.map.getSize(); return [s.x, s.y]; })()`)
	for i, a := range labels {
		if a.X < 0 || a.Y < 0 || a.X > size[0] || a.Y > size[1] {
			t.Errorf("%s at %v,%v is outside the %v view", a.Name, a.X, a.Y, size)
		}
		for _, o := range labels[:i] {
			if a.X-a.W/2 < o.X+o.W/2 && o.X-o.W/2 < a.X+a.W/2 && a.Y-a.H < o.Y+4 && o.Y-o.H < a.Y+4 {
				t.Errorf("%s overlaps %s", a.Name, o.Name)
			}
		}
	}
	drawn := brEvalJS[int](b, `document.querySelectorAll(".leaflet-placelabels-pane .place-label").length`)
	if drawn != len(labels) {
		t.Errorf("%d label elements for %d labels", drawn, len(labels))
	}
	z9 := map[string]bool{}
	for _, l := range labels {
		z9[l.Name] = true
	}
	b.do("zoom in", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.map.setView([36.2, 37.16], 12, {animate: false})`))
	b.waitJS("labels at zoom 12", `window.geotag.placeLabels().length > 0 && window.geotag.view().zoom === 12 && window.geotag.placeLabels().some(l => l.kind === "town")`)
	b.waitJS("drawn at zoom 12", `document.querySelectorAll(".leaflet-placelabels-pane .place-label").length === window.geotag.placeLabels().length`)
	brShot(b, "labels-z12")
	fresh := 0
	for _, l := range brEvalJS[[]label](b, `window.geotag.placeLabels()`) {
		if !z9[l.Name] {
			fresh++
		}
	}
	if fresh < 3 {
		t.Errorf("zooming in to 12 brought %d new place names, want smaller places", fresh)
	}
	brPhone(b)
	b.do("back to zoom 9", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.map.setView([36.2, 37.16], 9, {animate: false})`))
	b.waitJS("labels at phone width", `window.geotag.view().zoom === 9 && window.geotag.placeLabels().length > 3 && window.geotag.placeLabels().every(l => l.x < 400)`)
	brShot(b, "labels-phone")

	// Off in the layers control: off after moving too.
	b.do("labels off", chromedp.Evaluate[chromedp.Void](`(() => { const a = window.geotag.app; a.map.removeLayer(a.labels.layer); })()`))
	b.do("move", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.map.setView([36.3, 37.0], 9, {animate: false})`))
	b.waitJS("moved", `Math.abs(window.geotag.view().lon - 37.0) < 0.01`)
	if n := brEvalJS[int](b, `document.querySelectorAll(".place-label").length`); n != 0 {
		t.Errorf("%d labels after switching them off", n)
	}
	if names := brEvalJS[string](b, `[...document.querySelectorAll(".leaflet-control-layers-overlays label")].map(l => l.textContent).join("|")`); !strings.Contains(names, "Place labels") {
		t.Errorf("layers control overlays %q, want Place labels", names)
	}
}

// Issue 16 item 16: "every report naming Kharkiv, any spelling" from the
// place search (four spellings in two scripts, one report elsewhere that
// names it not), several tags with any and all, kept in the URL, and the
// density layer counting what the filters select.
func TestBrowserPlaceFilterTagsDensity(t *testing.T) {
	base, token := startService(t, "--tiles", "none")
	for i, r := range []struct{ text, tags string }{
		{"Shelling hit Kharkiv overnight.", "shelling"},
		{"Обстріл Харкова вночі.", "shelling,convoy"},
		{"Strikes on Kharkov reported.", "convoy"},
		{"Взрывы в Харькове.", "vigil"},
		{"A vigil in Aleppo.", "vigil,shelling"},
	} {
		brPostReport(t, base, token, map[string]any{"title": "Report " + string(rune('A'+i)), "text": r.text, "tags": strings.Split(r.tags, ",")})
	}
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=43,37&z=4#token="+token))
	b.waitJS("five reports", `window.geotag && window.geotag.ready && window.geotag.total() === 5`)

	brSetField(b, "#place-q", "Kharkiv")
	b.waitJS("place results", `document.querySelector("#place-results .place-only[data-place=\"706483\"]") !== null`)
	brShot(b, "place-results")
	b.click("reports naming it", `#place-results .place-only[data-place="706483"]`)
	b.waitJS("filtered to Kharkiv", `window.geotag.filters().place == 706483 && window.geotag.total() === 4`)
	if chip := brEvalJS[string](b, `document.getElementById("place-filter").textContent`); !strings.Contains(chip, "Naming Kharkiv") {
		t.Errorf("place chip %q", chip)
	}
	if u := brEvalJS[string](b, `location.search`); !strings.Contains(u, "place=706483") {
		t.Errorf("URL %s lacks the place", u)
	}
	brShot(b, "naming-kharkiv")

	brSetField(b, "#tag-filter", "shelling, convoy")
	b.waitJS("any of two tags", `window.geotag.total() === 3 && !document.getElementById("tag-mode").hidden`)
	b.click("all tags", `#tag-mode`)
	b.waitJS("all of two tags", `window.geotag.total() === 1 && window.geotag.reports()[0].title === "Report B"`)
	if u := brEvalJS[string](b, `location.search`); !strings.Contains(u, "tag=shelling&tag=convoy") || !strings.Contains(u, "tag_mode=all") {
		t.Errorf("URL %s lacks the tags and mode", u)
	}
	brShot(b, "all-tags")
	// The link reproduces it.
	link := brEvalJS[string](b, `location.href`)
	b.do("reload the link", chromedp.Navigate(link))
	b.waitJS("same view", `window.geotag && window.geotag.ready && window.geotag.total() === 1 && window.geotag.filters().tagMode === "all" && document.getElementById("place-filter").textContent.includes("Kharkiv")`)

	b.click("place chip clear", `.place-filter-clear`)
	b.waitJS("place cleared, tags kept", `window.geotag.filters().place === "" && window.geotag.total() === 1`)
	// Choosing the place flew the map there: back to both cities.
	b.do("zoom out", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.map.setView([43, 37], 4, {animate: false})`))
	b.click("any tags", `#tag-mode`)
	b.waitJS("any again", `window.geotag.total() === 4`)

	// Density: on from the layers control, counting the matches.
	b.do("density on", chromedp.Evaluate[chromedp.Void](`(() => { const d = window.geotag.app.density; d.layer.addTo(window.geotag.app.map); })()`))
	b.waitJS("density points", `window.geotag.app.density.points.reduce((s, p) => s + p[2], 0) === 4 && document.querySelector("canvas.leaflet-heatmap-layer") !== null`)
	brSetField(b, "#tag-filter", "vigil")
	b.waitJS("density follows the filter", `window.geotag.total() === 2 && window.geotag.app.density.points.reduce((s, p) => s + p[2], 0) === 2`)
	brShot(b, "density")
	brPhone(b)
	b.waitJS("phone layout", `window.geotag.app.map.getSize().x < 400`)
	brShot(b, "density-phone")
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// Issue 16 item 10: j/k reveal a report hidden in a cluster (its marker
// shows and is highlighted), the Review badge counts the unreviewed
// reports of the visible area and filters, and "Mark reviewed, next"
// in the report panel moves on to the next report.
func TestBrowserReviewRevealsAndCountsTheView(t *testing.T) {
	base, token := startService(t, "--tiles", "none")
	now := time.Now().UTC()
	for i := range 6 { // six reports within a few hundred metres of each other: one cluster at zoom 6
		brPostReport(t, base, token, map[string]any{"title": fmt.Sprint("Close ", i), "text": "Something happened.",
			"time": now.Add(-time.Duration(i) * time.Hour).Format(time.RFC3339), "location": map[string]float64{"lat": 36.2 + float64(i)*0.002, "lon": 37.15}})
	}
	brPostReport(t, base, token, map[string]any{"title": "Far away", "text": "Elsewhere.", "time": now.Add(-10 * time.Hour).Format(time.RFC3339),
		"location": map[string]float64{"lat": 48.85, "lon": 2.35}})
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=36.2,37.15&z=6#token="+token))
	b.waitJS("clustered", `window.geotag && window.geotag.ready && window.geotag.reports().length === 6 && document.querySelectorAll(".marker-cluster, .gt-event-cluster").length > 0`)
	b.click("review tab", `#tab-review`)
	b.waitJS("badge of the view", `document.getElementById("review-count").textContent === "6" && document.querySelectorAll("#review-list li").length === 6`)

	b.do("j", chromedp.KeyEvent("j"))
	b.waitJS("revealed", `(() => { const a = window.geotag.app, id = document.querySelector('#review-list li[aria-selected="true"]').dataset.report;
		const m = a.layer.markers.get(id); return a.layer.selected === id && m && m._icon && document.body.contains(m._icon) && m._icon.classList.contains("gt-selected"); })()`)
	brShot(b, "revealed")

	// Zoomed out to both places, the badge counts seven; filtered, fewer.
	b.do("zoom out", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.map.setView([42, 20], 3, {animate: false})`))
	b.waitJS("badge of the larger view", `document.getElementById("review-count").textContent === "7"`)
	brSetField(b, "#q", "Elsewhere")
	b.waitJS("badge of the filter", `document.getElementById("review-count").textContent === "1"`)
	brSetField(b, "#q", "")
	b.waitJS("filter cleared", `document.getElementById("review-count").textContent === "7"`)

	// Accept and next, from inside the report panel.
	first := brEvalJS[string](b, `document.querySelector("#review-list li").dataset.report`)
	b.click("open the first", `#review-list li`)
	b.waitJS("report panel", `window.geotag.app.activePanel === "report" && window.geotag.app.review.report.id === `+brJsString(first))
	b.click("mark reviewed, next", `#d-review-next`)
	b.waitJS("the next report", `window.geotag.app.activePanel === "report" && window.geotag.app.review.report.id !== `+brJsString(first)+` && document.getElementById("review-count").textContent === "6"`)
	brShot(b, "accept-next")
	if r := brGetJSON(t, base+"/api/v1/reports/"+first+"?format=json"); r["status"] != "reviewed" {
		t.Errorf("first report status %v after accept-and-next", r["status"])
	}
	second := brEvalJS[string](b, `window.geotag.app.review.report.id`)
	b.do("shift+A", chromedp.KeyEvent("A", chromedp.KeyModifiers(chromedp.ModifierShift)))
	b.waitJS("a third report", `window.geotag.app.review.report.id !== `+brJsString(second))
	if r := brGetJSON(t, base+"/api/v1/reports/"+second+"?format=json"); r["status"] != "reviewed" {
		t.Errorf("second report status %v after Shift+A", r["status"])
	}
	// The next report was revealed: the view holds the cluster's six, two reviewed.
	b.waitJS("badge of the revealed view", `document.getElementById("review-count").textContent === "4"`)
	brPhone(b)
	brShot(b, "accept-next-phone")
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// Issue 16 item 11: a shared link to a report inside a cluster opens its
// popup (keeping the link's view); the popup shows the new text after an
// edit; the history line says what the edit changed; the place rings go
// when the popup closes and when a filter hides the report.
func TestBrowserSharedClusteredPopupEditRings(t *testing.T) {
	base, token := startService(t, "--tiles", "none")
	id := brPostReport(t, base, token, map[string]any{"title": "Shelling report", "text": "Shelling in Aleppo and Amman.", "tags": []string{"shelling"}})
	for i := range 3 {
		brPostReport(t, base, token, map[string]any{"title": fmt.Sprint("Neighbour ", i), "text": "Something happened.", "tags": []string{"other"},
			"location": map[string]float64{"lat": 36.2 + float64(i)*0.002, "lon": 37.16}})
	}
	b := brNewBrowser(t)
	b.do("open the shared link", chromedp.Navigate(base+"/?c=36.2,37.16&z=6&r="+id+"#token="+token))
	b.waitJS("ready", `window.geotag && window.geotag.ready`)
	clustered := brEvalJS[bool](b, `(() => { const m = window.geotag.app.layer.markers.get(`+brJsString(id)+`); return !!m && !m._icon; })()`)
	if !clustered {
		t.Fatalf("the report's marker is not inside a cluster: the test proves nothing")
	}
	b.popupShown()
	if z := brEvalJS[float64](b, `window.geotag.view().zoom`); z != 6 {
		t.Errorf("the link's zoom 6 became %v", z)
	}
	if got := brEvalJS[string](b, `document.querySelector(".leaflet-popup .popup").dataset.report`); got != id {
		t.Errorf("popup of %q, want %q", got, id)
	}
	b.waitJS("rings", `window.geotag.mentionMarkers().length === 2`)
	brShot(b, "shared-clustered")

	// Edit the text from the popup's Open & correct.
	b.click("open and correct", `.leaflet-popup .link-button`)
	b.click("edit", `#d-edit`)
	b.waitJS("the edit form", `document.getElementById("e-text") !== null`)
	brSetField(b, "#e-text", "Shelling in Aleppo, Nice and Kharkiv.")
	b.click("save", `#e-save`)
	b.waitJS("saved", `document.getElementById("edit-form") === null && document.querySelector("#report-detail .history-box") !== null`)
	b.waitJS("popup with the new text", `(() => { const p = document.querySelector(".leaflet-popup .excerpt"); return p !== null && p.textContent.includes("Kharkiv"); })()`)
	hist := brEvalJS[string](b, `document.querySelector("#report-detail .history li").textContent`)
	if !strings.Contains(hist, "text edited") || !strings.Contains(hist, "3 places changed") || !strings.Contains(hist, "+Kharkiv") || !strings.Contains(hist, "−Amman") {
		t.Errorf("history line %q, want the text edited and 3 places changed (+Nice, +Kharkiv, −Amman)", hist)
	}
	brShot(b, "edited")

	// Closing the panel and the popup takes the rings away.
	b.click("close panel", `#panel-close`)
	b.do("close popup", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.map.closePopup()`))
	b.waitJS("no rings", `window.geotag.mentionMarkers().length === 0 && document.querySelectorAll(".mention-marker").length === 0`)

	// Open again, then a filter that hides it.
	b.do("open again", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.openReport(`+brJsString(id)+`, null, {})`))
	b.waitJS("rings again", `window.geotag.mentionMarkers().length === 3`)
	brSetField(b, "#tag-filter", "other")
	b.waitJS("filtered out", `window.geotag.reports().length === 3 && window.geotag.mentionMarkers().length === 0 && document.querySelector(".leaflet-popup") === null`)
	brPhone(b)
	brShot(b, "filtered-phone")
}

// Issue 16 item 13: a cluster says the precision of what it holds (its
// border shows the least precise report, its title the mix); the
// service's cluster counts of a dense view never overlap and add up to
// the view's count; reports without a location are counted on the map and
// listed.
func TestBrowserClusterPrecisionCellsUnlocated(t *testing.T) {
	base, token := startService(t, "--tiles", "none")
	brPostReport(t, base, token, map[string]any{"title": "Town", "text": "Shelling in Aleppo."})
	brPostReport(t, base, token, map[string]any{"title": "Country", "text": "Fighting across Syria."})
	for i := range 2 {
		brPostReport(t, base, token, map[string]any{"title": fmt.Sprint("Nowhere ", i), "text": "Nothing to place here."})
	}
	// A dense field: 7 × 7 reports 0.4° apart.
	var rows []string
	for i := range 49 {
		rows = append(rows, fmt.Sprintf("Field %d,Something happened.,%.2f,%.2f", i, 33+0.4*float64(i/7), 40+0.4*float64(i%7)))
	}
	brPostCSV(t, base, token, "title,text,latitude,longitude\n"+strings.Join(rows, "\n")+"\n")
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=35,38&z=4#token="+token))
	b.waitJS("ready", `window.geotag && window.geotag.ready && window.geotag.total() === 51`)

	// The Aleppo and Syria reports share a cluster at zoom 4.
	b.waitJS("a mixed cluster", `[...document.querySelectorAll(".leaflet-marker-icon div[data-mix]")].some(d => d.dataset.mix === "1,0,1")`)
	mixed := brEvalJS[[]string](b, `(() => { const d = [...document.querySelectorAll(".leaflet-marker-icon div[data-mix]")].find(d => d.dataset.mix === "1,0,1"); return [d.parentElement.className, d.title]; })()`)
	if !strings.Contains(mixed[0], "gt-cluster-w3") || !strings.Contains(mixed[1], "1 site or town, 1 region or country") {
		t.Errorf("mixed cluster %q titled %q, want the dashed border of a region and both precisions named", mixed[0], mixed[1])
	}
	brShot(b, "cluster-precision")

	// Unlocated: counted on the map, listed, opened.
	b.waitJS("unlocated count", `(() => { const e = document.getElementById("unlocated-open"); return e !== null && e.textContent === "2 reports without a location"; })()`)
	b.click("list them", `#unlocated-open`)
	b.waitJS("listed", `document.querySelectorAll("#unlocated-list li[data-report]").length === 2`)
	brShot(b, "unlocated")
	b.click("open one", `#unlocated-list li[data-report]`)
	b.waitJS("opened", `window.geotag.app.activePanel === "report" && window.geotag.app.review.report.title.startsWith("Nowhere")`)
	b.click("close", `#panel-close`)

	// A dense view: the service's counts, as the page draws them past its
	// marker budget (lowered here from 2,000 so that 49 reports make one).
	b.do("dense", chromedp.Evaluate[chromedp.Void](`void (window.geotag.app.maxMarkers = 5, window.geotag.app.map.setView([34.2, 41.2], 6, {animate: false}))`))
	b.waitJS("cells", `window.geotag.mode() === "cells" && document.querySelectorAll(".gt-cell").length > 1`)
	brShot(b, "cells")
	type circle struct{ X, Y, R float64 }
	cells := brEvalJS[[]circle](b, `[...document.querySelectorAll(".gt-cell")].map(e => { const r = e.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2, r: r.width / 2}; })`)
	for i, a := range cells {
		for _, o := range cells[:i] {
			if math.Hypot(a.X-o.X, a.Y-o.Y) < a.R+o.R {
				t.Errorf("cluster counts at %v and %v overlap", a, o)
			}
		}
	}
	sum := brEvalJS[int](b, `[...document.querySelectorAll(".gt-cell span")].reduce((s, e) => s + Number(e.textContent.replace(/[^0-9]/g, "")), 0)`)
	if total := brEvalJS[int](b, `window.geotag.total()`); sum != total {
		t.Errorf("cluster counts add up to %d, the view's count is %d", sum, total)
	}
	brPhone(b)
	brShot(b, "cells-phone")
}

// brPostCSV imports a CSV file through POST /api/v1/import and fails
// the test unless every row is stored.
func brPostCSV(t *testing.T, base, token, csv string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/import", strings.NewReader(csv))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || strings.Contains(string(body), `"status":4`) {
		t.Fatalf("import: %s %.500s", resp.Status, body)
	}
}
