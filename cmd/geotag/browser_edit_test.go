package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The map's tag filter, editing a stored report and importing a file, in
// headless chromium against the real service.

// brSeedTags stores brSeed's three reports (Aleppo 40 days ago, Amman 10
// days ago, Nice two hours ago, at manual points) and tags them: Aleppo
// "shelling", Amman "convoy" and "Shelling" (tags match without regard to
// case), Nice "vigil".
func brSeedTags(t *testing.T, base, token string) map[string]string {
	t.Helper()
	ids := brSeed(t, base, token)
	for city, tags := range map[string][]string{"Aleppo": {"shelling"}, "Amman": {"convoy", "Shelling"}, "Nice": {"vigil"}} {
		brPatch(t, base, token, ids[city], map[string]any{"tags": tags})
	}
	return ids
}

// brSeededDetail seeds brSeedTags' reports, runs setup (a viewport) and
// opens the map on city's report panel.
func brSeededDetail(t *testing.T, city string, setup ...chromedp.Action[chromedp.Void]) (b *brBrowser, base, token string, ids map[string]string) {
	t.Helper()
	base, token = startService(t)
	ids = brSeedTags(t, base, token)
	b = brNewBrowser(t)
	if len(setup) > 0 {
		b.do("set up the browser", setup...)
	}
	brOpenDetail(t, b, base, token, ids[city])
	return b, base, token, ids
}

// brTagLoaded waits until the page has loaded the markers for the tag in
// its address, and the tag box shows that tag.
func brTagLoaded(b *brBrowser, tag string) {
	b.t.Helper()
	b.waitJS("loaded with tag "+tag, `(() => { const q = new URLSearchParams(location.search), l = new URLSearchParams(window.geotag.lastLoaded());
		return (q.get("tag") || "") === `+brJsString(tag)+` && (l.get("tag") || "") === `+brJsString(tag)+` && document.getElementById("tag-filter").value === `+brJsString(tag)+`; })()`)
}

// brTitles lists the titles of the reports the map holds, sorted.
func brTitles(b *brBrowser) string {
	b.t.Helper()
	return brEvalJS[string](b, `window.geotag.reports().map(r => r.title).sort().join("|")`)
}

// The tag filter narrows the markers, the review list, the histogram and
// the export, survives a reload through the address, clears, and a tag
// clicked in a popup applies it.
func TestBrowserTagFilter(t *testing.T) {
	b, base, token := brOpenSeeded(t, brSeedTags)
	b.waitJS("the histogram", `document.querySelectorAll("#histogram rect.hbar").length === 3`)
	b.click("the review list", `#tab-review`)
	b.waitJS("three to review", `document.querySelectorAll("#review-list li").length === 3`)

	// Typing a tag (any case) and Enter filters everything the page shows.
	b.do("type a tag", chromedp.SendKeys(`#tag-filter`, "SHELLING"+kb.Enter))
	brTagLoaded(b, "SHELLING")
	b.waitJS("two markers", `window.geotag.reports().length === 2`)
	if got := brTitles(b); got != "Incident in Aleppo|Incident in Amman" {
		t.Errorf("markers with the tag: %q", got)
	}
	b.waitJS("two to review", `document.querySelectorAll("#review-list li").length === 2`)
	b.waitJS("the histogram of the tag", `document.querySelectorAll("#histogram rect.hbar").length === 2`)
	if n := brAPICount(t, base, map[string][]string{"tag": {"shelling"}}); n != 2 {
		t.Errorf("the API counts %d reports tagged shelling, want 2", n)
	}
	b.click("export", `#tab-export`)
	b.waitJS("the export count", `document.getElementById("export-summary").dataset.count === "2"`)
	for _, id := range []string{"export-geojson", "export-csv"} {
		if href := brEvalJS[string](b, `document.getElementById("`+id+`").getAttribute("href")`); !strings.Contains(href, "tag=SHELLING") {
			t.Errorf("%s links to %q, without the tag", id, href)
		}
	}
	b.screenshot("01-tag-filter")

	// A reload (or a shared link) keeps the filter.
	b.do("reload", chromedp.Reload())
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	brTagLoaded(b, "SHELLING")
	b.waitJS("two markers after the reload", `window.geotag.reports().length === 2`)

	// Clearing it shows everything again.
	b.click("clear the tag", `#tag-clear`)
	brTagLoaded(b, "")
	b.waitJS("three markers again", `window.geotag.reports().length === 3`)
	if tag := brEvalJS[string](b, `window.geotag.filters().tag`); tag != "" {
		t.Errorf("filter after clearing: %q", tag)
	}

	// The tag box (focused by the clear button) suggests the service's
	// tags of the view, once each whatever their case, most used first,
	// with their counts.
	b.waitJS("the tag suggestions", `window.geotag.app.tags.asked > 0 && document.getElementById("tag-options").dataset.seq === String(window.geotag.app.tags.asked)`)
	if opts := brTagOptions(b); opts != "shelling (2)|convoy (1)|vigil (1)" {
		t.Errorf("tag suggestions %q", opts)
	}

	// A tag in a popup applies it.
	b.do("open Nice", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.openReport(window.geotag.reports().find(r => r.title === "Incident in Nice").id)`))
	brPopupStill(b)
	b.click("the popup's tag", `.leaflet-popup .tag-chip[data-tag="vigil"]`)
	brTagLoaded(b, "vigil")
	b.waitJS("one marker", `window.geotag.reports().length === 1`)
	if got := brTitles(b); got != "Incident in Nice" {
		t.Errorf("markers tagged vigil: %q", got)
	}
	b.screenshot("02-popup-tag")

	// And in the report panel.
	b.do("open Nice in the panel", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.openDetail(window.geotag.reports()[0].id)`))
	b.waitJS("the report panel", `document.querySelector("#report-detail .tag-chip[data-tag='vigil'][aria-pressed='true']") !== null`)
	b.click("clear the tag", `#tag-clear`)
	brTagLoaded(b, "")
	b.waitJS("three markers", `window.geotag.reports().length === 3`)

	// Tags on reports the page has not loaded are suggested: one stored
	// in the view after the page loaded, counted; one outside the view is
	// not (the suggestions count the view's reports).
	brPostReport(t, base, token, map[string]any{"title": "Later", "text": "Stored after the page loaded.", "time": time.Now().UTC().Format(time.RFC3339),
		"tags": []string{"Ceasefire"}, "location": map[string]float64{"lat": brCities["Aleppo"][0], "lon": brCities["Aleppo"][1]}})
	brPostReport(t, base, token, map[string]any{"title": "Far", "text": "Far from the view.", "time": time.Now().UTC().Format(time.RFC3339),
		"tags": []string{"ceasefire", "faraway"}, "location": map[string]float64{"lat": -33.87, "lon": 151.21}})
	b.do("type a prefix", chromedp.SendKeys(`#tag-filter`, "CEA"))
	b.waitJS("the suggestion of a tag not loaded", `document.querySelector("#tag-options option[value='ceasefire']") !== null`)
	if opts := brTagOptions(b); opts != "ceasefire (1)" {
		t.Errorf("suggestions for CEA: %q", opts)
	}
	if n := brEvalJS[int](b, `window.geotag.reports().filter(r => (r.tags || []).some(t => t.toLowerCase() === "ceasefire")).length`); n != 0 {
		t.Errorf("the page has loaded %d reports tagged ceasefire; the suggestion must come from the service", n)
	}
	b.do("empty the box and focus it again", chromedp.Evaluate[chromedp.Void](`(() => { const i = document.getElementById("tag-filter"); i.value = ""; i.blur(); i.focus(); })()`))
	b.waitJS("the suggestions of every tag in view", `document.querySelector("#tag-options option[value='convoy']") !== null`)
	if opts := brTagOptions(b); opts != "shelling (2)|ceasefire (1)|convoy (1)|vigil (1)" {
		t.Errorf("suggestions in view: %q (faraway is outside it)", opts)
	}
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// brTagOptions lists the tag box's suggestions as they are labelled.
func brTagOptions(b *brBrowser) string {
	b.t.Helper()
	return brEvalJS[string](b, `Array.from(document.querySelectorAll("#tag-options option")).map(o => o.label).join("|")`)
}

// brPopupStill waits until the open popup has stopped moving (the map
// pans to show it), so that a click lands where the element was found.
func brPopupStill(b *brBrowser) {
	b.t.Helper()
	b.popupShown()
	b.waitJS("the popup to stop moving", `(() => { const r = document.querySelector(".leaflet-popup").getBoundingClientRect(), k = r.left + "," + r.top;
		const same = window.__popupAt === k; window.__popupAt = k; return same; })()`)
	b.waitJS("the popup to stay", `(() => { const r = document.querySelector(".leaflet-popup").getBoundingClientRect(), k = r.left + "," + r.top;
		const same = window.__popupAt === k; window.__popupAt = k; return same; })()`)
}

// brOpenDetail opens the map on a report's panel and waits for it.
func brOpenDetail(t *testing.T, b *brBrowser, base, token, id string) {
	t.Helper()
	u := base + "/?c=38,20&z=4&r=" + id + "&p=report"
	if token != "" {
		u += "#token=" + token
	}
	b.do("open the report", chromedp.Navigate(u))
	b.waitJS("the report panel", `window.geotag && window.geotag.ready && !document.getElementById("panel-report").hidden && document.querySelector("#report-detail .detail-title") !== null`)
}

// brSetField replaces an input's value as typing would, firing input.
func brSetField(b *brBrowser, sel, value string) {
	b.t.Helper()
	b.do("set "+sel, chromedp.Evaluate[chromedp.Void](`void (() => { const e = document.querySelector(`+brJsString(sel)+`); e.value = `+brJsString(value)+`; e.dispatchEvent(new Event("input", {bubbles: true})); })()`))
}

// brPatch changes a report through the API as another analyst would.
func brPatch(t *testing.T, base, token, id string, body map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	code, resp, _ := apiDo(t, "PATCH", base+"/api/v1/reports/"+id, token, string(raw))
	if code != http.StatusOK {
		t.Fatalf("PATCH %s: %d %s", id, code, resp)
	}
}

// brStored reads a stored report's plain JSON.
func brStored(t *testing.T, base, id string) map[string]any {
	t.Helper()
	return brGetJSON(t, base+"/api/v1/reports/"+id+"?format=json")
}

// Editing a stored report: the panel warns what a text change does to
// its places (true of the service: places tagged again, a main point set
// by hand kept), saves with If-Match, and the map, the panel and the
// review list show the new title.
func TestBrowserEditReport(t *testing.T) {
	b, base, _, ids := brSeededDetail(t, "Aleppo")
	b.click("edit", `#d-edit`)
	b.waitJS("the edit form", `document.getElementById("e-title") && document.getElementById("e-title").value === "Incident in Aleppo"`)
	if v := brEvalJS[string](b, `document.getElementById("e-tags").value`); v != "shelling" {
		t.Errorf("tags field %q", v)
	}
	if !brEvalJS[bool](b, `document.getElementById("edit-effects").hidden`) {
		t.Error("the text-change notice shows before the text changed")
	}

	brSetField(b, "#e-title", "Convoy hit near Aleppo")
	brSetField(b, "#e-text", "A convoy was hit near Aleppo; aid agencies in Amman, Jordan, paused deliveries.")
	brSetField(b, "#e-tags", "shelling, convoy, convoy")
	effects := brEvalJS[string](b, `(() => { const e = document.getElementById("edit-effects"); return e.hidden ? "" : e.textContent; })()`)
	if !strings.Contains(effects, "finds the places in the new text again") || !strings.Contains(effects, "main point set by hand") || !strings.Contains(effects, "is kept") {
		t.Errorf("text-change notice %q", effects)
	}
	b.screenshot("01-edit-form")
	b.click("save", `#e-save`)
	b.waitJS("the saved report", `document.querySelector("#report-detail .detail-title") && document.querySelector("#report-detail .detail-title").textContent === "Convoy hit near Aleppo"`)
	b.waitJS("the map's title", `window.geotag.reports().some(r => r.title === "Convoy hit near Aleppo")`)
	b.waitJS("the review list's title", `Array.from(document.querySelectorAll("#review-list li strong")).some(s => s.textContent === "Convoy hit near Aleppo")`)

	r := brStored(t, base, ids["Aleppo"])
	if r["title"] != "Convoy hit near Aleppo" || !strings.HasPrefix(r["text"].(string), "A convoy was hit") {
		t.Errorf("stored title %v text %v", r["title"], r["text"])
	}
	if tags, _ := json.Marshal(r["tags"]); string(tags) != `["shelling","convoy"]` {
		t.Errorf("stored tags %s", tags)
	}
	if r["source"] != "https://example.org/aleppo" {
		t.Errorf("the source changed to %v though it was not edited", r["source"])
	}
	loc, _ := r["location"].(map[string]any)
	if loc == nil || !brNear(loc["lat"].(float64), loc["lon"].(float64), brCities["Aleppo"]) {
		t.Errorf("the main point set by hand moved: %v", loc)
	}
	var names []string
	for _, m := range r["mentions"].([]any) {
		names = append(names, m.(map[string]any)["text"].(string))
	}
	if !brContains(names, "Amman") {
		t.Errorf("the new text was not tagged again: mentions %v", names)
	}
	hist, _ := json.Marshal(r["history"])
	if !strings.Contains(string(hist), `"edit"`) {
		t.Errorf("no edit in the history: %s", hist)
	}
	b.screenshot("02-saved")

	// Nothing changed: nothing is sent.
	b.click("edit again", `#d-edit`)
	b.waitJS("the edit form", `document.getElementById("e-title") !== null`)
	b.click("save unchanged", `#e-save`)
	b.waitJS("the panel", `document.getElementById("d-edit") !== null`)
	if h := brStored(t, base, ids["Aleppo"])["history"].([]any); len(h) != len(r["history"].([]any)) {
		t.Errorf("an unchanged save added history: %d entries, were %d", len(h), len(r["history"].([]any)))
	}
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// brCorrect posts a correction to the mention named text of a report.
func brCorrect(t *testing.T, base, token, id, text string, body map[string]any) {
	t.Helper()
	i := brFetchReport(t, base, id).mention(text)
	if i < 0 {
		t.Fatalf("report %s names no %q", id, text)
	}
	body["mention"] = i
	raw, _ := json.Marshal(body)
	if code, resp, _ := apiDo(t, "POST", base+"/api/v1/reports/"+id+"/corrections", token, string(raw)); code != http.StatusOK {
		t.Fatalf("correction %s: %d %s", raw, code, resp)
	}
}

// A text change makes the service tag the text again and, in the same
// save, carry the analyst's corrections over: the notice says so before
// saving, the toast says what was kept and dropped after, and the stored
// report holds a mention put at a point by hand, a name removed as not a
// place and the main location chosen by hand, with one "edit" revision
// and no replayed corrections; a point on words no longer in the text is
// dropped and named.
func TestBrowserEditKeepsCorrections(t *testing.T) {
	base, token := startService(t)
	id := brPostReport(t, base, token, map[string]any{"title": "Shelling", "text": "Shelling in Aleppo and Amman, Jordan."})
	brCorrect(t, base, token, id, "Amman", map[string]any{"action": "point", "lat": 32.0, "lon": 36.0})
	brCorrect(t, base, token, id, "Jordan", map[string]any{"action": "point", "lat": 31.5, "lon": 36.5})
	brCorrect(t, base, token, id, "Aleppo", map[string]any{"action": "remove"})
	brCorrect(t, base, token, id, "Amman", map[string]any{"action": "main"})
	b := brNewBrowser(t)
	brOpenDetail(t, b, base, token, id)
	b.click("edit", `#d-edit`)
	b.waitJS("the edit form", `document.getElementById("e-text") !== null`)
	brSetField(b, "#e-text", "Overnight shelling in Aleppo; convoys waited in Amman.")
	effects := brEvalJS[string](b, `document.getElementById("edit-effects").textContent`)
	for _, want := range []string{"are kept where those words are still in the text", "“Amman”", "“Jordan”", "“Aleppo”", "main location you chose (Amman) stays with its words"} {
		if !strings.Contains(effects, want) {
			t.Errorf("text-change notice %q lacks %q", effects, want)
		}
	}
	if brEvalJS[bool](b, `document.getElementById("e-replay") !== null`) {
		t.Error("the page still offers to replay the corrections itself")
	}
	b.screenshot("01-notice")
	b.click("save", `#e-save`)
	b.waitJS("saved", `document.querySelector("#report-detail .detail-title") !== null && window.geotag.app.review.report.text.startsWith("Overnight")`)
	b.waitJS("the carry note", `document.getElementById("toast").textContent.includes("dropped")`)
	toast := brEvalJS[string](b, `document.getElementById("toast").textContent`)
	for _, want := range []string{"Your correction to “Amman” was kept.", "Removed again as not a place: “Aleppo”.", "stays at “Amman”", "dropped: “Jordan”"} {
		if !strings.Contains(toast, want) {
			t.Errorf("toast %q lacks %q", toast, want)
		}
	}
	b.screenshot("02-saved")
	r := brFetchReport(t, base, id)
	if r.mention("Aleppo") >= 0 {
		t.Errorf("Aleppo, removed as not a place, is back: %+v", r.Mentions)
	}
	i := r.mention("Amman")
	if i < 0 || !r.Mentions[i].Manual || r.Mentions[i].Place == nil || r.Mentions[i].Place.Lat != 32 || r.Mentions[i].Place.Lon != 36 {
		t.Fatalf("Amman's point by hand not kept: %+v", r.Mentions)
	}
	if r.Location == nil || r.Location.Mention != i || r.Location.Lat != 32 {
		t.Errorf("main location %+v, want Amman's point (mention %d)", r.Location, i)
	}
	var after []string
	seen := false
	for _, h := range r.History {
		seen = seen || h.Action == "edit"
		if seen {
			after = append(after, h.Action)
		}
	}
	if strings.Join(after, ",") != "edit" {
		t.Errorf("history after the edit %v, want the edit alone (the service carries the corrections in it)", after)
	}
}

// Someone else saves the report while the form is open: the save gets 412,
// the form keeps what was typed, takes their value for a field left alone,
// shows theirs under the field both changed, and the next save wins
// knowingly.
func TestBrowserEditConflict(t *testing.T) {
	b, base, token, ids := brSeededDetail(t, "Amman")
	b.click("edit", `#d-edit`)
	b.waitJS("the edit form", `document.getElementById("e-title") && document.getElementById("e-title").value === "Incident in Amman"`)
	brSetField(b, "#e-title", "Mine: convoy stopped at Amman")
	brSetField(b, "#e-text", "My corrected text about Amman.")

	brPatch(t, base, token, ids["Amman"], map[string]any{"title": "Theirs: convoy in Amman", "tags": []string{"theirs"}})

	b.click("save", `#e-save`)
	b.waitJS("the conflict", `!document.getElementById("edit-conflict").hidden`)
	if v := brEvalJS[string](b, `document.getElementById("e-title").value`); v != "Mine: convoy stopped at Amman" {
		t.Errorf("typed title lost: %q", v)
	}
	if v := brEvalJS[string](b, `document.getElementById("e-text").value`); v != "My corrected text about Amman." {
		t.Errorf("typed text lost: %q", v)
	}
	if v := brEvalJS[string](b, `document.querySelector("#e-title-server .sv-value").textContent`); v != "Theirs: convoy in Amman" {
		t.Errorf("their title shown as %q", v)
	}
	if v := brEvalJS[string](b, `document.getElementById("e-tags").value`); v != "theirs" {
		t.Errorf("tags field %q, want their tags (left alone here)", v)
	}
	msg := brEvalJS[string](b, `document.getElementById("edit-conflict").textContent`)
	if !strings.Contains(msg, "Someone else saved") || !strings.Contains(msg, "The form now holds their tags") {
		t.Errorf("conflict message %q", msg)
	}
	b.screenshot("01-conflict")

	b.click("save again", `#e-save`)
	b.waitJS("saved", `document.querySelector("#report-detail .detail-title") && document.querySelector("#report-detail .detail-title").textContent === "Mine: convoy stopped at Amman"`)
	r := brStored(t, base, ids["Amman"])
	if r["title"] != "Mine: convoy stopped at Amman" || r["text"] != "My corrected text about Amman." {
		t.Errorf("stored %v / %v", r["title"], r["text"])
	}
	if tags, _ := json.Marshal(r["tags"]); string(tags) != `["theirs"]` {
		t.Errorf("their tags were overwritten: %s", tags)
	}
	b.waitJS("the map's title", `window.geotag.reports().some(r => r.title === "Mine: convoy stopped at Amman")`)
}

// Script in edited titles, texts and tags stays text everywhere the page
// shows them.
func TestBrowserEditXSS(t *testing.T) {
	b, _, _, ids := brSeededDetail(t, "Nice")
	b.click("edit", `#d-edit`)
	b.waitJS("the edit form", `document.getElementById("e-title") !== null`)
	payload := `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`
	brSetField(b, "#e-title", "T "+payload)
	brSetField(b, "#e-text", "Vigil in Nice. "+payload)
	brSetField(b, "#e-tags", `<b onmouseover="window.__xss=3">x</b>, "><svg onload=window.__xss=4>`)
	b.click("save", `#e-save`)
	b.waitJS("saved", `document.querySelector("#report-detail .detail-title") && document.querySelector("#report-detail .detail-title").textContent === "T " + `+brJsString(payload))
	b.waitJS("the map", `window.geotag.reports().some(r => r.title.startsWith("T <img"))`)
	b.do("open the popup", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.openReport(`+brJsString(ids["Nice"])+`)`))
	brPopupStill(b)
	// The newest popup (one closing may still fade out beside it under load).
	tags := brEvalJS[[]string](b, `Array.from([...document.querySelectorAll(".leaflet-popup")].pop().querySelectorAll(".tag-chip")).map(c => c.textContent)`)
	if len(tags) != 2 || tags[0] != `<b onmouseover="window.__xss=3">x</b>` {
		t.Errorf("popup tags %q, want the literal text", tags)
	}
	b.click("the popup's tag", `.leaflet-popup .tag-chip`)
	b.waitJS("filtered by the tag", `window.geotag.filters().tag.startsWith("<b")`)
	b.waitJS("the marker", `window.geotag.reports().length === 1`)
	b.do("edit again", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.openDetail(`+brJsString(ids["Nice"])+`)`))
	b.click("edit", `#d-edit`)
	b.waitJS("the edit form", `document.getElementById("e-title") !== null`)
	brSetField(b, "#e-text", "Changed. "+payload)
	b.screenshot("xss-literal")
	if v := brEvalJS[string](b, `typeof window.__xss`); v != "undefined" {
		t.Fatalf("edited content ran as script: window.__xss is %s", v)
	}
	if n := brEvalJS[int](b, `document.querySelectorAll('img[src="x"], #report-detail script, .popup script, .tag-chip b, svg[onload]').length`); n != 0 {
		t.Errorf("edited content became %d HTML elements", n)
	}
	if v := b.cspViolations(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", v)
	}
}

// A read-only token sees no Edit and no Import.
func TestBrowserReadOnlyNoEdit(t *testing.T) {
	base, token := startService(t)
	ids := brSeedTags(t, base, token)
	code, body, _ := apiDo(t, "POST", base+"/api/v1/tokens", token, `{"name":"reader","read_only":true}`)
	if code != http.StatusCreated {
		t.Fatalf("read-only token: %d %s", code, body)
	}
	var tok struct{ Token string }
	json.Unmarshal(body, &tok)
	b := brNewBrowser(t)
	brOpenDetail(t, b, base, tok.Token, ids["Nice"])
	b.waitJS("signed in", `window.geotag.app.me && window.geotag.app.me.read_only === true`)
	b.waitJS("the panel re-drawn", `document.getElementById("d-review") !== null`)
	if n := brEvalJS[int](b, `document.querySelectorAll("#d-edit").length`); n != 0 {
		t.Error("a read-only token is offered Edit")
	}
	if !brEvalJS[bool](b, `document.getElementById("tab-import").hidden`) {
		t.Error("a read-only token is offered Import")
	}
}

// brImportCSV is a small fixture: a quoted multi-line text with commas,
// a row with a source the service refuses (line 5), a row with tags and a
// main point, and a blank line.
const brImportCSV = "title,text,source,tags,latitude,longitude,extra\r\n" +
	"Shelling in Aleppo,\"Residents of Aleppo reported shelling,\nheavy and long, overnight.\",https://example.org/a,shelling; night,36.20124,37.16117,x\r\n" +
	"Convoy in Amman,Aid convoys left Amman in Jordan.,https://example.org/b,convoy,,,y\r\n" +
	"Bad source,A vigil in Nice.,javascript:alert(1),vigil,43.70313,7.26608,z\r\n" +
	"\r\n"

// brImportGeoJSON: one good feature and one whose point is out of range.
const brImportGeoJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[7.26608,43.70313]},"properties":{"title":"Vigil in Nice","foo":1}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[7.2,95]},"properties":{"title":"Off the map"}}]}`

// Import: the file goes to the service as it is. A CSV with one bad row
// creates the good rows, lists the bad row's line and the service's reason
// and names the ignored column; a GeoJSON file's refused feature is named
// by its number; the map shows the new reports. A file over the service's
// import limit (from /api/v1/config) is refused as soon as it is chosen;
// without that limit the service's 413 is shown, and the limit learnt from
// it refuses the next one at once.
func TestBrowserImport(t *testing.T) {
	base, token := startService(t, "--max-import-body", "4096")
	dir := t.TempDir()
	good := filepath.Join(dir, "reports.csv")
	geo := filepath.Join(dir, "reports.geojson")
	big := filepath.Join(dir, "big.csv")
	var sb strings.Builder
	sb.WriteString("title,text\n")
	for i := 0; sb.Len() < 6000; i++ {
		fmt.Fprintf(&sb, "Report %d,Something happened in Aleppo again and again (%d).\n", i, i)
	}
	big2 := filepath.Join(dir, "big2.csv")
	for f, data := range map[string]string{good: brImportCSV, geo: brImportGeoJSON, big: sb.String(), big2: sb.String()} {
		if err := os.WriteFile(f, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=38,20&z=4#token="+token))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	b.click("import", `#tab-import`)
	b.do("choose the file", chromedp.SetUploadFiles(`#import-file`, []string{good}))
	b.click("import", `#import-go`)
	b.waitJS("the summary", `!document.getElementById("import-summary").hidden`)
	if c := brEvalJS[string](b, `document.getElementById("import-summary").dataset.created`); c != "2" {
		t.Errorf("created %s, want 2: %s", c, brEvalJS[string](b, `document.getElementById("import-summary").textContent`))
	}
	errs := brEvalJS[[]string](b, `Array.from(document.querySelectorAll("#import-errors li")).map(li => li.textContent)`)
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "Line 5 (source): ") || !strings.Contains(errs[0], "http or https") {
		t.Errorf("refused rows %q, want line 5's source", errs)
	}
	if s := brEvalJS[string](b, `document.getElementById("import-status").textContent`); s != "Columns used: title, text, source, tags, latitude, longitude; ignored: extra." {
		t.Errorf("status %q does not name the columns", s)
	}
	b.waitJS("the new markers", `window.geotag.reports().length === 2`)
	b.screenshot("01-imported")

	fc := brGetJSON(t, base+"/api/v1/reports?tag=night")
	feats := fc["features"].([]any)
	if len(feats) != 1 {
		t.Fatalf("reports tagged night: %d", len(feats))
	}
	id := feats[0].(map[string]any)["properties"].(map[string]any)["id"].(string)
	r := brStored(t, base, id)
	if r["text"] != "Residents of Aleppo reported shelling,\nheavy and long, overnight." {
		t.Errorf("multi-line text stored as %q", r["text"])
	}
	loc, _ := r["location"].(map[string]any)
	if loc == nil || !brNear(loc["lat"].(float64), loc["lon"].(float64), brCities["Aleppo"]) || loc["provenance"].(map[string]any)["method"] != "manual" {
		t.Errorf("the row's point is not the manual main point: %v", loc)
	}

	// GeoJSON: sent as application/geo+json, refused features by number.
	b.do("choose the GeoJSON file", chromedp.SetUploadFiles(`#import-file`, []string{geo}))
	b.click("import", `#import-go`)
	b.waitJS("the summary", `!document.getElementById("import-summary").hidden`)
	errs = brEvalJS[[]string](b, `Array.from(document.querySelectorAll("#import-errors li")).map(li => li.textContent)`)
	if c := brEvalJS[string](b, `document.getElementById("import-summary").dataset.created`); c != "1" || len(errs) != 1 || !strings.HasPrefix(errs[0], "Feature 2 (location.lat): ") {
		t.Errorf("GeoJSON import: created %s, refused %q", c, errs)
	}
	if s := brEvalJS[string](b, `document.getElementById("import-status").textContent`); s != "Properties used: title; ignored: foo." {
		t.Errorf("status %q does not name the properties", s)
	}

	// Too large: refused when chosen (the limit from /api/v1/config) …
	b.do("choose the big file", chromedp.SetUploadFiles(`#import-file`, []string{big}))
	b.waitJS("refused at once", `document.getElementById("import-status").textContent.includes("at most 4 KiB")`)
	// … and, when the page does not know the limit, the service's 413,
	// whose limit then refuses the next file at once.
	b.do("forget the limit", chromedp.Evaluate[chromedp.Void](`void (window.geotag.app.serverConfig.max_import_body = 0)`))
	b.do("choose another big file", chromedp.SetUploadFiles(`#import-file`, []string{big2}))
	b.click("import", `#import-go`)
	b.waitJS("the refusal", `document.getElementById("import-status").textContent.includes("Too large")`)
	if s := brEvalJS[string](b, `document.getElementById("import-status").textContent`); !strings.Contains(s, "4096") {
		t.Errorf("413 message %q", s)
	}
	b.do("choose the big file again", chromedp.SetUploadFiles(`#import-file`, []string{big}))
	b.waitJS("refused at once", `document.getElementById("import-status").textContent.includes("at most 4 KiB")`)
	b.screenshot("02-too-large")
	if n := brAPICount(t, base, url.Values{}); n != 3 {
		t.Errorf("%d reports stored, want 3", n)
	}
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// At phone width the tag box, the edit form and the import panel fit.
func TestBrowserEditPhoneWidth(t *testing.T) {
	b, _, _, _ := brSeededDetail(t, "Aleppo", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	b.click("edit", `#d-edit`)
	b.waitJS("the edit form", `document.getElementById("e-title") !== null`)
	brSetField(b, "#e-text", "Changed text about Aleppo.")
	if w := brEvalJS[int](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("page is %dpx wide at a 390px viewport", w)
	}
	for _, id := range []string{"tag-filter", "e-save"} {
		if !brEvalJS[bool](b, `(() => { const r = document.getElementById("`+id+`").getBoundingClientRect(); return r.width > 40 && r.right <= 390; })()`) {
			b.do("scroll", chromedp.Evaluate[chromedp.Void](`void document.getElementById("`+id+`").scrollIntoView()`))
			if !brEvalJS[bool](b, `(() => { const r = document.getElementById("`+id+`").getBoundingClientRect(); return r.width > 40 && r.right <= 390; })()`) {
				t.Errorf("#%s not shown within the phone width", id)
			}
		}
	}
	b.screenshot("01-edit")
	b.click("import", `#tab-import`)
	b.waitJS("the import panel", `!document.getElementById("panel-import").hidden`)
	b.screenshot("02-import")
}

// Unit tests of the new modules' pure functions, in the browser.
func TestBrowserEditJSUnits(t *testing.T) {
	base, _ := startService(t)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/"))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	load := `Promise.all(["tags", "edit", "import", "state"].map(n => import("/js/" + n + ".js"))).then(([tags, edit, imp, state]) => { window.__e = {tags, edit, imp, state}; return true; })`
	if !brEvalJS[bool](b, load) {
		t.Fatal("modules did not load")
	}
	cases := []struct{ name, expr, want string }{
		{"parseTags", `JSON.stringify(m.tags.parseTags(" a, b,,a , c "))`, `["a","b","c"]`},
		{"parseTags empty", `JSON.stringify(m.tags.parseTags(""))`, `[]`},
		{"tagChips text", `(() => { const p = m.tags.tagChips(["<b>x</b>", "y"], null, "Y"); return p.querySelectorAll("b").length + "/" + Array.from(p.children).map(c => c.textContent + c.getAttribute("aria-pressed")).join(); })()`, "0/<b>x</b>false,ytrue"},
		{"URL state tag", `JSON.stringify(m.state.readURL("?" + m.state.toQuery({tag: "a&b c"})))`, `{"tag":"a&b c"}`},
		{"URL state blank tag", `JSON.stringify(m.state.readURL("?tag=%20"))`, `{}`},
		{"importType by extension", `["a.CSV", "b.geojson", "c.geojsons", "d.geojsonl", "e.jsonl", "f.json"].map(n => m.imp.importType(n, "")).join()`,
			"text/csv,application/geo+json,application/geo+json-seq,application/x-ndjson,application/x-ndjson,application/json"},
		{"importType by content", `[" [1]", "\ufeff{\"type\":\"Feature\"}", '{"a":1}\n{"a":2}', "\u001e{}", "title,text", "\x00\x01"].map(h => m.imp.importType("r.txt", h)).join()`,
			"application/json,application/json,application/x-ndjson,application/geo+json-seq,text/csv,text/csv"},
		{"itemLabel", `[m.imp.itemLabel({index: 0, line: 5}, "text/csv"), m.imp.itemLabel({index: 2}, "application/geo+json"), m.imp.itemLabel({index: 2}, "application/json", {used: []}), m.imp.itemLabel({index: 2}, "application/json")].join()`,
			"Line 5,Feature 3,Feature 3,Item 3"},
		{"columnsNote", `[m.imp.columnsNote({used: ["Title", "notes"], ignored: ["x"]}, "text/csv"), m.imp.columnsNote({used: ["title"], ignored: []}, "application/geo+json"), m.imp.columnsNote(undefined, "application/json")].join("|")`,
			"Columns used: Title, notes; ignored: x.|Properties used: title.|"},
		{"limitFrom", `[m.imp.limitFrom("an import may hold at most 4096 bytes; split it"), m.imp.limitFrom("request body is over the limit of 33554432 bytes"), m.imp.limitFrom("x")].join()`, "4096,33554432,0"},
		{"bytesWords", `[m.imp.bytesWords(4096), m.imp.bytesWords(33554432), m.imp.bytesWords(12)].join()`, "4 KiB,32 MiB,12 bytes"},
		{"patchBody only changes", `JSON.stringify(m.edit.patchBody({title: "a", text: "t", source: "", time: "", tags: "x, y"}, {title: " a ", text: "t2", source: "", time: "", tags: "x,y,x"}))`, `{"body":{"text":"t2"}}`},
		{"patchBody tags and time", `(() => { const b = m.edit.patchBody({title: "", text: "", source: "", time: "2026-01-01T10:00", tags: ""}, {title: "", text: "", source: "", time: "", tags: "p, q"}).body; return JSON.stringify(b); })()`, `{"time":"","tags":["p","q"]}`},
		{"patchBody bad source", `m.edit.patchBody({title: "", text: "", source: "", time: "", tags: ""}, {title: "", text: "", source: "javascript:alert(1)", time: "", tags: ""}).field`, "source"},
		{"textChangeEffects manual point", `m.edit.textChangeEffects({mentions: [{text: "Nice", manual: true, place: {id: 1}}], location: {name: "Here", mention: -1, provenance: {method: "manual"}}}).join(" | ")`,
			"The text changed: when you save, the service finds the places in the new text again. | Your correction to “Nice” is kept where those words are still in the text; any whose words are gone are listed when saved. | Your main point set by hand (Here) is kept."},
		{"textChangeEffects chosen mention", `m.edit.textChangeEffects({mentions: [{text: "Nice", manual: true, place: {id: 1}}], location: {name: "Nice", mention: 0, provenance: {method: "manual"}}, history: [{action: "remove", before: {text: "Paris"}}]}).slice(1).join(" | ")`,
			"Your 2 corrections to “Nice”, “Paris” are kept where those words are still in the text; any whose words are gone are listed when saved. | The main location you chose (Nice) stays with its words if they are still in the text; otherwise it is chosen again automatically."},
		{"correctionsOf", `JSON.stringify(m.edit.correctionsOf({mentions: [{text: "Nice", place: {id: 1}}, {text: "nice", manual: true, place: {id: 2}}, {text: "Amman", manual: true, place: null}],
			history: [{action: "remove", before: {text: "Paris"}}, {action: "remove", before: {text: "AMMAN"}}, {action: "remove", before: {text: "paris"}}]}).map(c => c.action + ":" + c.text))`,
			`["place:nice","remove:paris"]`},
		{"carryNote", `m.edit.carryNote({carried: [{action: "pick", text: "Nice"}, {action: "point", text: "Amman"}, {action: "remove", text: "Paris"}, {action: "remove", text: "Paris"}, {action: "main", text: "Nice"}],
			dropped: [{action: "add", text: "Homs"}, {action: "main", text: "Homs"}]})`,
			"Saved. Your 2 corrections to “Nice”, “Amman” were kept. Removed again as not places: “Paris”. The main location you chose stays at “Nice”. No longer in the text, so dropped: “Homs”, main location “Homs” (the history keeps them; Undo brings the old text back)."},
		{"carryNote nothing to say", `JSON.stringify([m.edit.carryNote({carried: [], dropped: []}), m.edit.carryNote({title: "no lists"}), m.edit.carryNote(null)])`, `["","",""]`},
		{"textChangeEffects automatic", `m.edit.textChangeEffects({mentions: [], location: {mention: 0, provenance: {method: "gazetteer"}}})[1]`, "The main location will be chosen again automatically from the new places."},
		{"localInput", `m.edit.localInput("") + "|" + m.edit.localInput("nope") + "|" + (m.edit.localInput("2026-03-01T12:30:00Z").length)`, "||16"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := brEvalJS[string](b, `(() => { const m = window.__e; return `+c.expr+`; })()`)
			if got != c.want {
				t.Errorf("%s = %q, want %q", c.expr, got, c.want)
			}
		})
	}
}
