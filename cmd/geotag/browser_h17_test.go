package main

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/geotag/geotag"
)

// brSeedEvents stores three coded reports and one uncoded, each at a point
// set by hand: a strike with 12 killed near Aleppo, a protest in Amman by
// an actor, a riot near Homs, and an uncoded note in Nice.
func brSeedEvents(t *testing.T, base, token string) map[string]string {
	t.Helper()
	at := func(lat, lon float64) map[string]float64 { return map[string]float64{"lat": lat, "lon": lon} }
	return map[string]string{
		"strike": brPostReport(t, base, token, map[string]any{"title": "Strike on the bakery", "text": "A strike hit a bakery.", "time": "2024-03-01T10:00:00Z",
			"location": at(36.2, 37.15), "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "fatalities": 12}),
		"protest": brPostReport(t, base, token, map[string]any{"title": "Teachers march", "text": "Teachers marched.", "time": "2024-03-02T10:00:00Z",
			"location": at(31.95, 35.93), "event_type": "Protests", "sub_event_type": "Peaceful protest", "fatalities": 0,
			"actors": []map[string]any{{"name": "Teachers Union", "side": 1}}}),
		"riot": brPostReport(t, base, token, map[string]any{"title": "Riot at the depot", "text": "A crowd looted the depot.", "time": "2024-03-03T10:00:00Z",
			"location": at(34.73, 36.72), "event_type": "Riots", "fatalities": 2}),
		"note": brPostReport(t, base, token, map[string]any{"title": "Festival", "text": "A festival opened.", "time": "2024-03-03T12:00:00Z",
			"location": at(43.7, 7.27)}),
	}
}

// The map by event: an icon per event type in its colour, sized and
// labelled by deaths, the uncoded report keeps the precision pin, a
// cluster's ring holds its types, the legend names the six types, the
// Events menu filters by several types, a fatalities range and an actor
// (in the URL and the API query), and the time bar stacks by type.
func TestBrowserEventMap(t *testing.T) {
	base, token := startService(t)
	ids := brSeedEvents(t, base, token)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=36,36&z=6#token="+token))
	b.waitJS("the three Levant reports", `window.geotag && window.geotag.ready && window.geotag.reports().length === 3`)
	icon := func(id string) string {
		return brEvalJS[string](b, `(() => { const m = window.geotag.app.layer.markers.get(`+brJsString(id)+`); const o = m.options.icon.options; return o.className + " | " + (o.html || "") + " | " + o.iconSize[0]; })()`)
	}
	strike, protest := icon(ids["strike"]), icon(ids["protest"])
	if !strings.Contains(strike, "gt-event") || !strings.Contains(strike, "#E69F00") || !strings.Contains(strike, `gt-fatal">12<`) {
		t.Errorf("strike icon %q: want the explosion colour and a 12 label", strike)
	}
	if !strings.Contains(protest, "#0072B2") || strings.Contains(protest, "gt-fatal") {
		t.Errorf("protest icon %q: want the protest colour, no label for 0 killed", protest)
	}
	size := func(s string) int { n, _ := strconv.Atoi(s[strings.LastIndex(s, "|")+2:]); return n }
	if size(strike) <= size(protest) {
		t.Errorf("the strike with 12 killed is not drawn larger: %d vs %d", size(strike), size(protest))
	}
	if n := brEvalJS[int](b, `document.querySelectorAll("#event-legend [data-type]").length`); n != len(geotag.EventTypes) {
		t.Errorf("legend names %d types", n)
	}
	// Zoomed out, the three Levant reports cluster: the ring holds their types.
	b.do("zoom out", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.map.setView([34, 36], 3, {animate: false})`))
	b.waitJS("a type ring", `document.querySelector(".gt-event-cluster .ring") !== null`)
	mix := brEvalJS[string](b, `document.querySelector(".gt-event-cluster .ring").title`)
	for _, want := range []string{"Explosions/Remote violence", "Protests", "Riots"} {
		if !strings.Contains(mix, want) {
			t.Errorf("cluster ring %q lacks %s", mix, want)
		}
	}
	b.screenshot("event-map")

	b.click("open the Events menu", `#event-filter > summary`)
	b.click("Protests", `#event-filter input[data-type="Protests"]`)
	b.click("Riots", `#event-filter input[data-type="Riots"]`)
	b.waitJS("two types", `window.geotag.lastLoaded().includes("event_type=Protests%2CRiots") && window.geotag.reports().length === 2`)
	if !strings.Contains(brEvalJS[string](b, `location.search`), "event_type=Protests%2CRiots") {
		t.Errorf("the URL lacks the types: %s", brEvalJS[string](b, `location.search`))
	}
	brSetField(b, "#ev-fmin", "1")
	brSetField(b, "#ev-fmax", "5")
	b.waitJS("the fatalities range", `window.geotag.lastLoaded().includes("fatalities_max=5") && window.geotag.reports().length === 1 && window.geotag.reports()[0].title === "Riot at the depot"`)
	b.click("clear", `#ev-clear`)
	brSetField(b, "#ev-actor", "teachers union")
	b.waitJS("the actor", `window.geotag.lastLoaded().includes("actor=teachers+union") && window.geotag.reports().length === 1 && window.geotag.reports()[0].title === "Teachers march"`)
	b.click("clear", `#ev-clear`)
	b.waitJS("all again", `window.geotag.reports().length === 4`)

	b.click("stack the time bar", `#stack-types`)
	b.waitJS("stacked bars", `document.querySelectorAll("#histogram rect.hstack").length > 0`)
	types := brEvalJS[string](b, `[...new Set([...document.querySelectorAll("#histogram rect.hstack")].map(r => r.dataset.type))].sort().join("|")`)
	if types != "Explosions/Remote violence|Protests|Riots" {
		t.Errorf("stacked types %q", types)
	}
	b.screenshot("event-timebar")
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// The New report form suggests the event from the text with the words
// that led to it; Accept all fills the fields, the analyst changes one,
// and the saved report has the fields as the form showed them.
func TestBrowserEventForm(t *testing.T) {
	base, token := startService(t)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=36,36&z=5#token="+token))
	b.waitJS("ready", `window.geotag && window.geotag.ready`)
	b.click("new report", `#tab-new`)
	brSetField(b, "#f-title", "Market strike")
	brSetField(b, "#f-text", "An airstrike hit the market in Aleppo on Monday, killing 12 people.")
	b.waitJS("the suggestion", `document.querySelector('#f-ev-suggest [data-accept="type"]') !== null && document.querySelector('#f-ev-suggest [data-suggest="fatalities"]') !== null`)
	words := brEvalJS[string](b, `document.querySelector('#f-ev-suggest [data-suggest="type"] .ev-words').textContent`)
	if !strings.Contains(strings.ToLower(words), "airstrike") {
		t.Errorf("type suggested from %q", words)
	}
	b.screenshot("event-form")
	b.click("accept all", `#f-ev-accept-all`)
	if v := brEvalJS[string](b, `document.getElementById("f-ev-type").value + "|" + document.getElementById("f-ev-sub").value + "|" + document.getElementById("f-ev-fatalities").value`); v != "Explosions/Remote violence|Air/drone strike|12" {
		t.Errorf("accepted fields %q", v)
	}
	brSetField(b, "#f-ev-fatalities", "13")
	b.click("save", `#f-save`)
	b.waitJS("saved", `window.geotag.reports().some(r => r.title === "Market strike")`)
	id := brEvalJS[string](b, `window.geotag.reports().find(r => r.title === "Market strike").id`)
	r := brStored(t, base, id)
	if r["event_type"] != "Explosions/Remote violence" || r["sub_event_type"] != "Air/drone strike" || r["fatalities"] != 13.0 {
		t.Errorf("stored %v %v %v", r["event_type"], r["sub_event_type"], r["fatalities"])
	}
}

// The report panel shows the coding and the text's suggestions with their
// words; Accept stores a suggestion at once (an event revision), and
// Change… edits the fields.
func TestBrowserEventPanel(t *testing.T) {
	base, token := startService(t)
	id := brPostReport(t, base, token, map[string]any{"title": "Shelling", "text": "Shelling killed three civilians in Aleppo overnight.",
		"location": map[string]float64{"lat": 36.2, "lon": 37.15}})
	b := brNewBrowser(t)
	brOpenDetail(t, b, base, token, id)
	b.waitJS("the suggestion", `document.querySelector('#detail-event [data-accept="type"]') !== null`)
	if s := brEvalJS[string](b, `document.querySelector("#detail-event .ev-coded").textContent`); !strings.Contains(s, "not coded") {
		t.Errorf("coding shown %q", s)
	}
	b.click("accept the type", `#detail-event [data-accept="type"]`)
	b.waitJS("stored", `document.querySelector("#detail-event .ev-coded") && document.querySelector("#detail-event .ev-coded").textContent.includes("Explosions/Remote violence")`)
	r := brStored(t, base, id)
	hist := r["history"].([]any)
	if r["event_type"] != "Explosions/Remote violence" || hist[len(hist)-1].(map[string]any)["action"] != "event" {
		t.Errorf("after accept: %v, last revision %v", r["event_type"], hist[len(hist)-1])
	}
	b.click("change", `#d-ev-change`)
	brSetField(b, "#d-ev-fatalities", "4")
	brSetField(b, "#d-ev-actor1", "Government forces")
	b.click("save the event", `#d-ev-save`)
	b.waitJS("saved", `document.querySelector("#detail-event .ev-coded") && document.querySelector("#detail-event .ev-coded").textContent.includes("4 killed")`)
	r = brStored(t, base, id)
	if r["fatalities"] != 4.0 || !strings.Contains(brEvalJS[string](b, `document.querySelector("#detail-event .ev-coded").textContent`), "Government forces") {
		t.Errorf("after change: %v %v", r["fatalities"], r["actors"])
	}
	b.screenshot("event-panel")
}

// brSeedLiveBlog stores five live-blog updates about one strike (the toll
// rising) and a protest nearby the same day; the updates first.
func brSeedLiveBlog(t *testing.T, base, token string) []string {
	t.Helper()
	texts := []string{
		"Breaking: an airstrike hit the vegetable market in the old city; at least three people were killed.",
		"Update: rescuers at the vegetable market say five killed in the airstrike, dozens wounded.",
		"The death toll from the market airstrike in the old city rises to eight.",
		"Civil defence: eight killed in this morning's airstrike on the vegetable market, search ongoing.",
		"Evening summary: the airstrike on the old city vegetable market killed eight people.",
	}
	fat := []int{3, 5, 8, 8, 8}
	var ids []string
	for i, text := range texts {
		ids = append(ids, brPostReport(t, base, token, map[string]any{"title": "Live: market strike, update " + strconv.Itoa(i+1), "text": text,
			"time": "2024-03-01T" + strconv.Itoa(9+i*2) + ":00:00Z", "location": map[string]float64{"lat": 36.2012 + float64(i)*0.0002, "lon": 37.1343},
			"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "fatalities": fat[i]}))
	}
	ids = append(ids, brPostReport(t, base, token, map[string]any{"title": "Teachers protest", "text": "Teachers protested over pay.",
		"time": "2024-03-01T12:00:00Z", "location": map[string]float64{"lat": 36.205, "lon": 37.14}, "event_type": "Protests"}))
	return ids
}

// Incident linking in the browser: the report panel lists the other four
// updates as likely the same event (ticked) and not the protest; Link
// makes one incident with five sources, shown with its figures and their
// rules; Unlink drops a source (If-Match); the map shows incidents
// instead of reports, with the event filters.
func TestBrowserIncidentLinking(t *testing.T) {
	base, token := startService(t)
	ids := brSeedLiveBlog(t, base, token)
	b := brNewBrowser(t)
	brOpenDetail(t, b, base, token, ids[0])
	b.waitJS("the candidates", `document.querySelectorAll("#detail-same-event [data-candidate]").length >= 4`)
	ticked := brEvalJS[string](b, `[...document.querySelectorAll("#detail-same-event input:checked")].map(c => c.dataset.report).sort().join(",")`)
	want := append([]string(nil), ids[1:5]...)
	slices.Sort(want)
	if ticked != strings.Join(want, ",") {
		t.Errorf("ticked %s, want the four other updates %v", ticked, want)
	}
	if n := brEvalJS[int](b, `document.querySelectorAll('#detail-same-event [data-candidate="`+ids[5]+`"]').length`); n != 0 {
		t.Error("the protest is offered as the same event")
	}
	b.screenshot("same-event")
	b.click("link", `#d-link-incident`)
	b.waitJS("the incident panel", `!document.getElementById("panel-incident").hidden && document.querySelectorAll("#incident-sources [data-source]").length === 5`)
	killed := brEvalJS[string](b, `[...document.querySelectorAll(".incident-figures dd")][3].textContent`)
	if !strings.Contains(killed, "8") || !strings.Contains(killed, "most sources") {
		t.Errorf("killed shown as %q", killed)
	}
	b.screenshot("incident")
	incID := brEvalJS[string](b, `document.getElementById("incident-detail").dataset.incident`)
	b.click("unlink", `#incident-sources [data-unlink="`+ids[4]+`"]`)
	b.waitJS("four sources", `document.querySelectorAll("#incident-sources [data-source]").length === 4`)
	inc := brGetJSON(t, base+"/api/v1/incidents/"+incID)
	if src := inc["sources"].([]any); len(src) != 4 || inc["version"] != 2.0 {
		t.Errorf("stored incident: %d sources, version %v", len(src), inc["version"])
	}
	b.click("show incidents", `#show-incidents`)
	b.waitJS("one incident on the map", `window.geotag.mode() === "incidents" && window.geotag.app.incidents.markers.size === 1`)
	csv := brEvalJS[string](b, `fetch(window.geotag.app.incidents.downloadURL("csv"), {headers: {Authorization: "Bearer " + localStorage.getItem("geotag.token")}}).then(r => r.text())`)
	if rows := strings.Split(strings.TrimSpace(csv), "\n"); len(rows) != 2 || !strings.HasPrefix(rows[0], "id,title,time") || !strings.Contains(rows[1], ",4,") {
		t.Errorf("incidents CSV of the view: %q", csv)
	}
	if brEvalJS[bool](b, `document.querySelector(".incident-downloads").hidden`) {
		t.Error("the incident downloads are hidden while incidents are shown")
	}
	b.click("open the Events menu", `#event-filter > summary`)
	b.click("Protests", `#event-filter input[data-type="Protests"]`)
	b.waitJS("no protest incident", `window.geotag.lastLoaded() !== "" && window.geotag.app.incidents.markers.size === 0`)
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// Splitting in the panel: selecting one incident's sentence of a daily
// summary offers "Split off"; the new report appears on the map with the
// summary's source and time, the summary keeps the rest, and both
// histories say so.
func TestBrowserSplitReport(t *testing.T) {
	base, token := startService(t)
	text := "Daily summary. Shelling hit Aleppo on Monday. Protesters marched in Amman."
	id := brPostReport(t, base, token, map[string]any{"title": "Summary", "text": text, "source": "https://news.example/daily",
		"time": "2024-03-01T08:00:00Z", "location": map[string]float64{"lat": 36.2, "lon": 37.15}})
	b := brNewBrowser(t)
	brOpenDetail(t, b, base, token, id)
	want := "Protesters marched in Amman."
	// Select the sentence in the panel's text, as a drag would, and let go.
	b.do("select", chromedp.Evaluate[chromedp.Void](`void (() => {
		const c = document.getElementById("detail-text"), t = c.textContent, i = t.indexOf(`+brJsString(want)+`);
		const w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT); let n, at = 0, r = document.createRange(), s = false;
		while ((n = w.nextNode())) { const l = n.textContent.length;
			if (!s && i < at + l) { r.setStart(n, i - at); s = true; }
			if (s && i + `+strconv.Itoa(len(want))+` <= at + l) { r.setEnd(n, i + `+strconv.Itoa(len(want))+` - at); break; }
			at += l; }
		const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r);
		c.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
	})()`))
	b.waitJS("the split button", `document.getElementById("d-split") !== null`)
	b.click("split", `#d-split`)
	b.waitJS("split", `document.querySelector("#detail-text") && !document.querySelector("#detail-text").textContent.includes("Amman")`)
	orig := brStored(t, base, id)
	hist := orig["history"].([]any)
	last := hist[len(hist)-1].(map[string]any)
	into, _ := last["split_into"].([]any)
	if last["action"] != "split" || len(into) != 1 {
		t.Fatalf("original's last revision %v", last)
	}
	n := brStored(t, base, into[0].(string))
	if n["text"] != want || n["source"] != "https://news.example/daily" || n["time"] != "2024-03-01T08:00:00Z" {
		t.Errorf("new report %v %v %v", n["text"], n["source"], n["time"])
	}
	nh := n["history"].([]any)
	if f := nh[len(nh)-1].(map[string]any); f["action"] != "split" || f["split_from"] != id {
		t.Errorf("new report's history %v", nh)
	}
	b.click("history", `#report-detail .history-box summary`)
	if h := brEvalJS[string](b, `document.querySelector("#report-detail .history").textContent`); !strings.Contains(h, "split") {
		t.Errorf("the panel's history does not show the split: %q", h)
	}
	b.screenshot("split")
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}
