package main

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
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

// A browser west of UTC (New York): a day-precision date shows and edits
// as that day, never the evening before; an exact time is labelled with
// its zone, UTC by default, and the zone button switches to local time.
func TestBrowserTimesWestOfUTC(t *testing.T) {
	t.Setenv("TZ", "America/New_York") // chromium reads its zone from TZ
	base, token := startService(t)
	day := brPostReport(t, base, token, map[string]any{"title": "Dated report", "text": "Something happened.", "time": "2024-03-01",
		"location": map[string]float64{"lat": 36.2, "lon": 37.15}})
	exact := brPostReport(t, base, token, map[string]any{"title": "Timed report", "text": "Something else happened.", "time": "2024-03-01T14:30:00Z",
		"location": map[string]float64{"lat": 31.95, "lon": 35.93}})
	b := brNewBrowser(t)
	brOpenDetail(t, b, base, token, day)
	if off := brEvalJS[int](b, `new Date("2024-03-01T00:00:00Z").getTimezoneOffset()`); off <= 0 {
		t.Fatalf("the browser's zone is %d minutes from UTC: not west of it, so this test proves nothing", off)
	}
	shown := brEvalJS[string](b, `document.querySelector("#report-detail time").textContent`)
	if !strings.Contains(shown, "Mar") || !strings.Contains(shown, "1") || strings.Contains(shown, "Feb") || strings.Contains(shown, ":") {
		t.Errorf("a report of 2024-03-01 (day) shows as %q", shown)
	}
	b.screenshot("day-precision")
	b.click("edit", `#d-edit`)
	b.waitJS("the edit form", `document.getElementById("e-time") !== null`)
	typ := brEvalJS[string](b, `document.getElementById("e-time").type + " " + document.getElementById("e-time").value`)
	if typ != "date 2024-03-01" {
		t.Errorf("the edit form's time field is %q, want a date field holding 2024-03-01", typ)
	}
	brSetField(b, "#e-time", "2024-03-05")
	b.click("save", `#e-save`)
	b.waitJS("saved", `document.getElementById("edit-form") === null`)
	r := brGetJSON(t, base+"/api/v1/reports/"+day+"?format=json")
	if r["time"] != "2024-03-05T00:00:00Z" || r["time_precision"] != "day" {
		t.Errorf("after editing the date: time %v precision %v, want 2024-03-05 at day precision", r["time"], r["time_precision"])
	}

	brOpenDetail(t, b, base, token, exact)
	shown = brEvalJS[string](b, `document.querySelector("#report-detail time").textContent`)
	if !strings.Contains(shown, "UTC") || !strings.Contains(shown, "02:30") {
		t.Errorf("2024-03-01T14:30Z shows as %q, want 02:30 PM labelled UTC", shown)
	}
	b.click("edit", `#d-edit`)
	b.waitJS("the edit form", `document.getElementById("e-time") !== null`)
	if v := brEvalJS[string](b, `document.getElementById("e-time").value + " " + document.querySelector('label[for="e-time"]').textContent`); v != "2024-03-01T14:30 Event time (UTC)" {
		t.Errorf("exact time field %q", v)
	}
	b.click("cancel", `#e-cancel`)
	b.click("local time", `#tz`)
	b.waitJS("local time shown", `/EST|GMT-5/.test(document.querySelector("#report-detail time").textContent)`)
	if shown := brEvalJS[string](b, `document.querySelector("#report-detail time").textContent`); !strings.Contains(shown, "09:30") {
		t.Errorf("in local time 14:30 UTC shows as %q, want 09:30 EST", shown)
	}
	b.screenshot("local-time")
}

// One report years older than the rest does not stretch the time bar:
// the axis fits the bulk (30 reports of the last month), ends at the
// newest report (not in the future), and marks the outlier at its start;
// clicking the mark shows the whole span.
func TestBrowserTimeBarFitsTheBulk(t *testing.T) {
	base, token := startService(t)
	now := time.Now().UTC()
	for i := range 30 {
		brPostReport(t, base, token, map[string]any{"title": fmt.Sprint("Recent ", i), "text": "Something happened.",
			"time": now.Add(-time.Duration(i*23+5) * time.Hour).Format(time.RFC3339), "location": map[string]float64{"lat": 36.2, "lon": 37.15}})
	}
	brPostReport(t, base, token, map[string]any{"title": "Old", "text": "Long ago.", "time": "2016-05-03T10:00:00Z",
		"location": map[string]float64{"lat": 36.2, "lon": 37.15}})
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=36,37&z=6#token="+token))
	b.waitJS("the histogram", `window.geotag && window.geotag.ready && document.querySelectorAll("#histogram rect.hbar").length > 5`)
	b.screenshot("fit-bulk")
	dom := brEvalJS[[]float64](b, `window.geotag.app.timebar.domain()`)
	newest := float64(now.Add(-5 * time.Hour).UnixMilli())
	oldestRecent := float64(now.Add(-time.Duration(29*23+5) * time.Hour).UnixMilli())
	if dom[0] < oldestRecent-5*24*3600e3 || dom[1] > newest+2*24*3600e3 || dom[1] > float64(time.Now().UnixMilli())+3600e3 {
		t.Errorf("axis %v – %v, want about %v – %v (the bulk, ending at the newest report)",
			time.UnixMilli(int64(dom[0])).UTC(), time.UnixMilli(int64(dom[1])).UTC(), time.UnixMilli(int64(oldestRecent)).UTC(), time.UnixMilli(int64(newest)).UTC())
	}
	mark := brEvalJS[string](b, `(() => { const e = document.querySelector('#histogram [data-outliers="early"]'); return e ? e.textContent : ""; })()`)
	if !strings.Contains(mark, "1 earlier") {
		t.Errorf("outlier mark %q, want one earlier report marked", mark)
	}
	if l := brEvalJS[string](b, `document.getElementById("time-label").textContent`); !strings.Contains(l, "1 outlier") {
		t.Errorf("time label %q does not say an outlier is off the axis", l)
	}
	b.do("show all", chromedp.Evaluate[chromedp.Void](`document.querySelector('#histogram [data-outliers="early"]').dispatchEvent(new PointerEvent("pointerdown", {bubbles: true}))`))
	dom = brEvalJS[[]float64](b, `window.geotag.app.timebar.domain()`)
	if y := time.UnixMilli(int64(dom[0])).UTC().Year(); y != 2016 {
		t.Errorf("after showing the whole span the axis starts in %d, want 2016", y)
	}
}

// Play keeps the chosen window's length (a 7-day preset plays as 7-day
// steps from the start of the range, not an eighth of it) and ends with
// the window at the range's end; a rolling preset in a bookmarked address
// rolls: ?since=7d opens on the last 7 days, whatever its stale from says.
func TestBrowserPlayAndRollingPresets(t *testing.T) {
	b, base, token := brOpenSeeded(t, brSeed) // reports 40 days, 10 days and 2 hours old
	b.click("choose 7 days", `[data-preset="7d"]`)
	b.waitJS("7 days in the address", `new URLSearchParams(location.search).get("since") === "7d"`)
	b.click("play", `#play`)
	b.waitJS("a window", `new URLSearchParams(location.search).has("to")`)
	span := func() float64 {
		return brEvalJS[float64](b, `(() => { const q = new URLSearchParams(location.search); return (Date.parse(q.get("to")) - Date.parse(q.get("from"))) / 864e5; })()`)
	}
	if d := span(); d < 6.99 || d > 7.01 {
		t.Errorf("play's first window is %.2f days long, want the chosen 7", d)
	}
	if s := brEvalJS[string](b, `new URLSearchParams(location.search).get("since") || ""`); s != "" {
		t.Errorf("a played window is still rolling (since=%s)", s)
	}
	first := brEvalJS[string](b, `new URLSearchParams(location.search).get("from")`)
	b.waitJS("the window to move on", `new URLSearchParams(location.search).get("from") !== `+brJsString(first))
	if d := span(); d < 6.99 || d > 7.01 {
		t.Errorf("play's next window is %.2f days long, want 7", d)
	}
	b.click("pause", `#play`)

	b2 := brNewBrowser(t)
	b2.do("open a bookmark", chromedp.Navigate(base+"/?c=38,20&z=4&since=7d&from=2020-01-01T00:00:00Z#token="+token))
	b2.waitJS("the page", `window.geotag && window.geotag.ready`)
	age := brEvalJS[float64](b2, `(Date.now() - Date.parse(window.geotag.filters().from)) / 864e5`)
	if age < 6.99 || age > 7.01 {
		t.Errorf("a bookmarked 7-day preset starts %.2f days ago, want 7", age)
	}
	if p := brEvalJS[string](b2, `document.querySelector('[data-preset="7d"]').getAttribute("aria-pressed")`); p != "true" {
		t.Errorf("7-day preset not shown as chosen")
	}
	if n := brEvalJS[int](b2, `window.geotag.reports().length`); n != 1 {
		t.Errorf("%d reports in the last 7 days, want 1", n)
	}
}

// Pick a point a few pixels off a preview circle's centre: the point is
// where the analyst clicked, not the circle's place, and the map keeps the
// analyst's zoom and centre after the correction.
func TestBrowserPickPointNoSnapKeepsView(t *testing.T) {
	b, _, _ := brOpenMap(t)
	brTypeReport(b, "Pick", "Shelling hit Aleppo overnight.")
	b.waitJS("the preview", `window.geotag.previews().length >= 1 && window.geotag.app.form.taggedText === document.getElementById("f-text").value`)
	b.do("zoom in", chromedp.Evaluate[chromedp.Void](`void (() => { const p = window.geotag.app.form.mentions.find(m => m.place).place; window.geotag.app.map.setView([p.lat + 0.01, p.lon - 0.01], 12, { animate: false }); })()`))
	b.do("open the mention", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.form.openMention(window.geotag.app.form.mentions.findIndex(m => m.place))`))
	b.waitJS("its panel", `document.querySelector("#tag-list .mention-panel .mp-point") !== null`)
	// 4 px right and 3 px down of the circle's centre: on the circle.
	pick := brEvalJS[[]float64](b, `(() => { const m = window.geotag.app.map, f = window.geotag.app.form, pl = f.mentions.find(x => x.place).place;
		const p = m.latLngToContainerPoint([pl.lat, pl.lon]).add([4, 3]), r = m.getContainer().getBoundingClientRect(), ll = m.containerPointToLatLng(p);
		return [r.left + p.x, r.top + p.y, ll.lat, ll.lng, pl.lat, pl.lon]; })()`)
	// The circle is under the pointer there (before picking starts).
	if hit := brEvalJS[bool](b, fmt.Sprintf(`(() => { const e = document.elementFromPoint(%f, %f); return !!e && e.classList.contains("preview-marker"); })()`, pick[0], pick[1])); !hit {
		t.Fatalf("no preview circle under the pointer at %v: the test would not click on one", pick[:2])
	}
	b.click("pick a point", `#tag-list .mention-panel .mp-point`)
	view := brEvalJS[[]float64](b, `(() => { const m = window.geotag.app.map, c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; })()`)
	b.do("click beside the centre", chromedp.MouseClickXY(pick[0], pick[1]))
	b.waitJS("the point set", `window.geotag.app.form.mentions.some(m => m.manual && m.place)`)
	got := brEvalJS[[]float64](b, `(() => { const p = window.geotag.app.form.mentions.find(m => m.manual && m.place).place; return [p.lat, p.lon]; })()`)
	// At zoom 12 a pixel is about 30 m: 4 px off is ~0.0003°.
	if math.Abs(got[0]-pick[2]) > 0.0001 || math.Abs(got[1]-pick[3]) > 0.0001 || (got[0] == pick[4] && got[1] == pick[5]) {
		t.Errorf("picked %v, want the clicked %v, not the circle's centre %v", got, pick[2:4], pick[4:6])
	}
	b.screenshot("picked")
	after := brEvalJS[[]float64](b, `(() => { const m = window.geotag.app.map, c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; })()`)
	if after[2] != view[2] || math.Abs(after[0]-view[0]) > 1e-6 || math.Abs(after[1]-view[1]) > 1e-6 {
		t.Errorf("after the correction the map is at %v, want the analyst's view %v", after, view)
	}
	// A second point, away from every circle: the view still stays.
	b.do("open the mention", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.form.openMention(window.geotag.app.form.mentions.findIndex(m => m.place))`))
	b.waitJS("its panel", `document.querySelector("#tag-list .mention-panel .mp-point") !== null`)
	b.click("pick a point", `#tag-list .mention-panel .mp-point`)
	far := brEvalJS[[]float64](b, `(() => { const m = window.geotag.app.map, r = m.getContainer().getBoundingClientRect(); return [r.left + 120, r.top + 150]; })()`)
	b.do("click elsewhere", chromedp.MouseClickXY(far[0], far[1]))
	b.waitJS("the point moved", fmt.Sprintf(`window.geotag.app.form.mentions.some(m => m.manual && m.place && Math.abs(m.place.lat - %f) > 0.001)`, got[0]))
	after = brEvalJS[[]float64](b, `(() => { const m = window.geotag.app.map, c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; })()`)
	if after[2] != view[2] || math.Abs(after[0]-view[0]) > 1e-6 || math.Abs(after[1]-view[1]) > 1e-6 {
		t.Errorf("after the second correction the map is at %v, want the analyst's view %v", after, view)
	}
}

// The mention panel and the place search speak words, not GeoNames codes,
// and fold away the alternatives scored 0 %.
func TestBrowserFeatureWords(t *testing.T) {
	b, _, _ := brOpenMap(t)
	load := `import("/js/tagpanel.js").then(tp => { window.__tp = tp; return true; })`
	if !brEvalJS[bool](b, load) {
		t.Fatal("module did not load")
	}
	panel := `(() => { const p = window.__tp.mentionPanel({text: "Springfield", confidence: 0.72, place: {id: 1, name: "Springfield", feature: "P.PPLA3", lat: 1, lon: 2},
		alternatives: [{id: 2, name: "Springfield", country: "XX", feature: "A.PCLI", score: 0.2}, {id: 3, name: "Springfield", country: "YY", feature: "P.PPL", score: 0.001}]}, {onCorrect() {}, onClose() {}});
		document.body.append(p); return p; })()`
	b.do("build a panel", chromedp.Evaluate[chromedp.Void](`void (window.__panel = `+panel+`)`))
	text := brEvalJS[string](b, `window.__panel.textContent`)
	for _, code := range []string{"P.PPLA3", "A.PCLI", "P.PPL"} {
		if strings.Contains(text, code) {
			t.Errorf("the panel shows the code %s: %q", code, text)
		}
	}
	for _, words := range []string{"sub-district capital", "country"} {
		if !strings.Contains(text, words) {
			t.Errorf("the panel lacks %q: %q", words, text)
		}
	}
	if s := brEvalJS[string](b, `Array.from(window.__panel.querySelectorAll(".mp-alts:not(.mp-results) > li .alt-score")).filter(e => e.checkVisibility()).map(e => e.textContent).join("|")`); s != "20%" {
		t.Errorf("visible alternative scores %q, want only 20%% (the 0 %% one folded away)", s)
	}
	if n := brEvalJS[int](b, `window.__panel.querySelectorAll(".mp-unlikely li").length`); n != 1 {
		t.Errorf("%d alternatives folded away, want 1", n)
	}
	// The place search's suggestions too.
	b.do("type a place", chromedp.SendKeys(`#place-q`, "Alepp"))
	b.waitJS("suggestions", `document.querySelectorAll("#place-results li[role=option][id]").length > 0`)
	if s := brEvalJS[string](b, `document.getElementById("place-results").textContent`); regexp.MustCompile(`\b[AHLPRSTUV]\.[A-Z0-9]{2,}`).MatchString(s) {
		t.Errorf("place suggestions show codes: %q", s)
	}
	b.screenshot("place-suggestions")
}

// brRectsVisible checks at phone width that each selector's element is
// inside the viewport and is what the pointer would hit at its centre
// (nothing covers it); it returns the problems.
func brRectsVisible(b *brBrowser, sels ...string) []string {
	b.t.Helper()
	var out []string
	for _, sel := range sels {
		p := brEvalJS[string](b, `(() => { const e = document.querySelector(`+brJsString(sel)+`); if (!e) return "missing";
			const r = e.getBoundingClientRect(); if (r.width === 0) return "not shown";
			if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) return "outside the viewport at " + JSON.stringify([r.left, r.top, r.right, r.bottom]);
			const h = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
			return h && (h === e || e.contains(h)) ? "" : "covered by " + (h ? h.className || h.tagName : "nothing"); })()`)
		if p != "" {
			out = append(out, sel+": "+p)
		}
	}
	return out
}

// At phone width the header does not overflow and Sign in is reachable;
// the notice that tiles are missing does not cover the controls; "Not a
// place" is in sight when a mention's panel opens.
func TestBrowserPhoneHeaderNoticeNotAPlace(t *testing.T) {
	base, _ := startService(t, "--token-required-for-reads")
	b := brNewBrowser(t)
	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	b.do("open the map", chromedp.Navigate(base+"/"))
	b.waitJS("the sign-in tab", `!document.getElementById("tab-token").hidden`)
	b.waitJS("the fallback notice", `!document.getElementById("toast").hidden`)
	b.screenshot("01-header")
	if w := brEvalJS[int](b, `Math.max(document.documentElement.scrollWidth, document.querySelector("header").scrollWidth)`); w > 390 {
		t.Errorf("header is %dpx wide at a 390px viewport", w)
	}
	for _, p := range brRectsVisible(b, "#tab-token", "#tab-review", "#status-filter", ".leaflet-control-zoom-in", "#q", "#tag-filter", "[data-preset=\"7d\"]", "#play") {
		t.Error(p)
	}

	base2, token2 := startService(t)
	b2 := brNewBrowser(t)
	b2.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	b2.do("open the map", chromedp.Navigate(base2+"/#token="+token2))
	b2.waitJS("the page", `window.geotag && window.geotag.ready`)
	b2.click("open the form", `#tab-new`)
	b2.do("type", chromedp.SendKeys(`#f-text`, "Shelling was reported in Springfield today, and later in Alexandria."))
	b2.waitJS("the preview", `window.geotag.previews().length >= 1 && window.geotag.app.form.taggedText === document.getElementById("f-text").value`)
	// The mention with the most alternatives: the longest panel.
	b2.do("open the mention", chromedp.Evaluate[chromedp.Void](`void (() => { const ms = window.geotag.app.form.mentions; let best = 0;
		ms.forEach((m, i) => { if ((m.alternatives || []).length > (ms[best].alternatives || []).length) best = i; }); window.geotag.app.form.openMention(best); })()`))
	b2.waitJS("its panel", `document.querySelector("#tag-list .mention-panel") !== null`)
	b2.screenshot("02-mention-panel")
	for _, p := range brRectsVisible(b2, "#tag-list .mention-panel .mp-remove") {
		t.Error(p)
	}
}

// parseCoords reads decimal degrees in their common forms, degrees and
// minutes (and seconds), and MGRS; it refuses what it cannot read
// unambiguously. The MGRS vector is the Washington Monument, the usual
// worked example (18SUJ2348306479 ≈ 38.8895 N, 77.0353 W).
func TestBrowserParseCoords(t *testing.T) {
	base, _ := startService(t)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/"))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	if !brEvalJS[bool](b, `import("/js/coords.js").then(m => { window.__c = m; return true; })`) {
		t.Fatal("module did not load")
	}
	for _, c := range []struct {
		in       string
		lat, lon float64
		kind     string // "" for refused
	}{
		{"36.2021, 37.1343", 36.2021, 37.1343, "decimal"},
		{"36.2021 37.1343", 36.2021, 37.1343, "decimal"},
		{"-33.8688;151.2093", -33.8688, 151.2093, "decimal"},
		{"36.2021N 37.1343E", 36.2021, 37.1343, "decimal"},
		{"N 36.2021, E 37.1343", 36.2021, 37.1343, "decimal"},
		{"37.1343E 36.2021N", 36.2021, 37.1343, "decimal"},
		{"33.86 S, 151.2 E", -33.86, 151.2, "decimal"},
		{"36.2021°, −37.1343°", 36.2021, -37.1343, "decimal"},
		{"36,2021; 37,1343", 36.2021, 37.1343, "decimal"},
		{`36°12'07.6"N 37°08'03.5"E`, 36.202111, 37.134306, "dms"},
		{"36°12′07.6″N, 37°08′03.5″E", 36.202111, 37.134306, "dms"},
		{"36°12.127'N 37°08.058'E", 36.202117, 37.1343, "dms"},
		{"36 12 7.6 N 37 8 3.5 E", 36.202111, 37.134306, "dms"},
		{"33°52'S 151°12'E", -33.866667, 151.2, "dms"},
		{"18SUJ2348306479", 38.8895, -77.0353, "mgrs"},
		{"18S UJ 23483 06479", 38.8895, -77.0353, "mgrs"},
		{"18SUJ", 0, 0, ""},
		{"18SUJ234830647", 0, 0, ""},
		{"91, 10", 0, 0, ""},
		{"36.2, 37.1, 5", 0, 0, ""},
		{"Aleppo", 0, 0, ""},
		{"36,2021, 37,1343", 0, 0, ""},
		{"36°75'N 37°E", 0, 0, ""},
		{"N36 N37", 0, 0, ""},
		{"-36.2S 37.1E", 0, 0, ""},
	} {
		got := brEvalJS[map[string]any](b, `(() => { const r = window.__c.parseCoords(`+brJsString(c.in)+`); return r || {}; })()`)
		if c.kind == "" {
			if len(got) != 0 {
				t.Errorf("parseCoords(%q) = %v, want refused", c.in, got)
			}
			continue
		}
		lat, _ := got["lat"].(float64)
		lon, _ := got["lon"].(float64)
		if got["kind"] != c.kind || math.Abs(lat-c.lat) > 1e-4 || math.Abs(lon-c.lon) > 1e-4 {
			t.Errorf("parseCoords(%q) = %v, want %v, %v (%s)", c.in, got, c.lat, c.lon, c.kind)
		}
	}
}

// Coordinates pasted into "Go to place" fly the map there; pasted into a
// mention's search they put the place at that point.
func TestBrowserPasteCoordinates(t *testing.T) {
	b, _, _ := brOpenMap(t)
	b.do("paste DMS", chromedp.SendKeys(`#place-q`, `36°12'07.6"N 37°08'03.5"E`))
	b.waitJS("the coordinates offered", `window.geotag.app.places.items.length === 1 && window.geotag.app.places.items[0].coords === "dms"`)
	b.do("go", chromedp.KeyEvent(kb.Enter))
	b.waitJS("the map there", `(() => { const c = window.geotag.app.map.getCenter(); return Math.abs(c.lat - 36.20211) < 0.001 && Math.abs(c.lng - 37.13431) < 0.001; })()`)

	brTypeReport(b, "Coords", "Shelling hit Aleppo overnight.")
	b.waitJS("the preview", `window.geotag.previews().length >= 1 && window.geotag.app.form.taggedText === document.getElementById("f-text").value`)
	b.do("open the mention", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.form.openMention(window.geotag.app.form.mentions.findIndex(m => m.place))`))
	b.waitJS("its panel", `document.querySelector("#tag-list .mention-panel .mp-search") !== null`)
	b.do("open the search", chromedp.Evaluate[chromedp.Void](`void (document.querySelector("#tag-list .mention-panel .mp-more").open = true)`))
	brSetField(b, "#tag-list .mention-panel .mp-search", "37S DA 12345 67890")
	b.waitJS("the point offered", `document.querySelector("#tag-list .mention-panel .mp-coords") !== null`)
	b.screenshot("mgrs-offered")
	b.click("put it there", `#tag-list .mention-panel .mp-coords`)
	b.waitJS("the point set", `window.geotag.app.form.mentions.some(m => m.manual && m.place)`)
	got := brEvalJS[[]float64](b, `(() => { const p = window.geotag.app.form.mentions.find(m => m.manual && m.place).place; return [p.lat, p.lon]; })()`)
	want := brEvalJS[[]float64](b, `import("/js/coords.js").then(m => { const p = m.parseCoords("37SDA1234567890"); return [p.lat, p.lon]; })`)
	if math.Abs(got[0]-want[0]) > 1e-9 || math.Abs(got[1]-want[1]) > 1e-9 || got[0] < 30 || got[0] > 40 {
		t.Errorf("the mention is at %v, want the MGRS point %v", got, want)
	}
}

// Groups of reports are drawn in neither the legend's green (reviewed)
// nor its red (unreviewed), and the legend says what they are.
func TestBrowserClusterColours(t *testing.T) {
	b, _, _ := brOpenSeeded(t, brSeed)
	b.do("lower the marker limit", chromedp.Evaluate[chromedp.Void](`void (window.geotag.app.maxMarkers = 2, window.geotag.app.load())`))
	b.waitJS("cluster counts", `document.querySelectorAll(".gt-cell div").length > 0`)
	b.screenshot("clusters")
	for _, sel := range []string{".gt-cell", ".gt-cell div"} {
		rgb := brEvalJS[[]float64](b, `getComputedStyle(document.querySelector(`+brJsString(sel)+`)).backgroundColor.match(/[\d.]+/g).slice(0, 3).map(Number)`)
		r, g, bl := rgb[0], rgb[1], rgb[2]
		if g > r+20 && g > bl+20 || r > g+40 && r > bl+40 {
			t.Errorf("%s is drawn in rgb%v: reads as reviewed (green) or unreviewed (red)", sel, rgb)
		}
	}
	if l := brEvalJS[string](b, `document.querySelector(".map-legend").textContent`); !strings.Contains(l, "group of reports") {
		t.Errorf("legend %q does not explain the groups", l)
	}
}

// A text naming one place many times lists it once with its count; the
// count expands it into each occurrence.
func TestBrowserMentionsGroupedByPlace(t *testing.T) {
	b, _, _ := brOpenMap(t)
	brTypeReport(b, "Repeated", "Shelling hit Aleppo at dawn. In Aleppo the market burned. Aleppo residents fled to Amman. Later Aleppo was quiet.")
	b.waitJS("the preview", `window.geotag.app.form.taggedText === document.getElementById("f-text").value && window.geotag.app.form.mentions.filter(m => m.text === "Aleppo").length === 4`)
	const rowsJS = `Array.from(document.querySelectorAll("#tag-list > li")).map(li => li.querySelector(".m-text").textContent + (li.querySelector(".m-count") ? li.querySelector(".m-count").textContent : "") + (li.classList.contains("m-repeat") ? "+" : "")).join("|")`
	rows := func() string { return brEvalJS[string](b, rowsJS) }
	// The list is drawn once the service's preview (main location) answers.
	b.waitJS("the tag list", rowsJS+` !== ""`)
	if r := rows(); r != "Aleppo×4|Amman" {
		t.Errorf("tag list rows %q, want Aleppo×4|Amman", r)
	}
	b.screenshot("grouped")
	b.click("expand", `#tag-list .m-count`)
	if r := rows(); r != "Aleppo×4|Aleppo+|Aleppo+|Aleppo+|Amman" {
		t.Errorf("expanded rows %q", r)
	}
}

// The report panel has the Undo that the save note mentions: after an
// edit of the text, Undo brings the old text back.
func TestBrowserUndoInPanel(t *testing.T) {
	b, base, _, ids := brSeededDetail(t, "Aleppo")
	if n := brEvalJS[int](b, `document.querySelectorAll("#d-undo").length`); n != 0 {
		t.Errorf("an Undo offered with nothing to undo")
	}
	b.click("edit", `#d-edit`)
	b.waitJS("the edit form", `document.getElementById("e-text") !== null`)
	brSetField(b, "#e-text", "A different text naming Homs.")
	b.click("save", `#e-save`)
	b.waitJS("saved", `document.getElementById("edit-form") === null && document.getElementById("d-undo") !== null`)
	b.screenshot("undo-offered")
	b.click("undo", `#d-undo`)
	b.waitJS("the old text", `document.querySelector("#report-detail").textContent.includes("An incident was reported in Aleppo.")`)
	r := brGetJSON(t, base+"/api/v1/reports/"+ids["Aleppo"]+"?format=json")
	if r["text"] != "An incident was reported in Aleppo." {
		t.Errorf("after Undo the text is %q", r["text"])
	}
}
