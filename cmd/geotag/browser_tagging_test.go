package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// brApiReport is the part of a stored report the tests read.
type brApiReport struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Text     string `json:"text"`
	Mentions []struct {
		Text   string `json:"text"`
		Manual bool   `json:"manual"`
		Place  *struct {
			ID   int64   `json:"id"`
			Name string  `json:"name"`
			Lat  float64 `json:"lat"`
			Lon  float64 `json:"lon"`
		} `json:"place"`
	} `json:"mentions"`
	Location *struct {
		Lat     float64 `json:"lat"`
		Lon     float64 `json:"lon"`
		Mention int     `json:"mention"`
	} `json:"location"`
	History []struct {
		Action  string `json:"action"`
		Mention int    `json:"mention"`
	} `json:"history"`
}

// brFetchReport reads a stored report through the API (?format=json).
func brFetchReport(t *testing.T, base, id string) brApiReport {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/reports/" + id + "?format=json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET report %s: %s", id, resp.Status)
	}
	var r brApiReport
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

// brPostReport stores a report through the API and returns its id.
func brPostReport(t *testing.T, base, token string, body map[string]any) string {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", base+"/api/v1/reports", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST report: %s", resp.Status)
	}
	var r brApiReport
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func (r brApiReport) mention(text string) int {
	for i, m := range r.Mentions {
		if m.Text == text {
			return i
		}
	}
	return -1
}

func (r brApiReport) hasHistory(action string) bool {
	for _, h := range r.History {
		if h.Action == action {
			return true
		}
	}
	return false
}

// Tagging with a correction: in the form, the analyst opens a mention,
// picks one of its ranked alternatives, and saves; the stored report has
// that place, set by hand, with the correction in its history. Then a
// stored report is corrected in the report panel and marked reviewed.
func TestBrowserCorrectionViaAlternatives(t *testing.T) {
	b, base, _ := brOpenMap(t)
	brTypeReport(b, "Convoys", brThreeCitiesText)
	b.waitJS("the tag preview", `window.geotag.previews().length >= 3`)

	// Open the Aleppo mention from the highlighted text.
	b.click("open the Aleppo mention", `#tag-preview mark[title^="Aleppo"]`)
	b.waitJS("the alternatives", `document.querySelectorAll("#tag-list .mention-panel button.alt").length > 0`)
	alt := brEvalJS[string](b, `document.querySelector("#tag-list .mention-panel button.alt").dataset.place`)
	altName := brEvalJS[string](b, `document.querySelector("#tag-list .mention-panel button.alt .alt-name").textContent`)
	before := brEvalJS[int64](b, `window.geotag.app.form.mentions.find(m => m.text === "Aleppo").place.id`)
	if alt == "" || alt == strconv.FormatInt(before, 10) {
		t.Fatalf("first alternative of Aleppo is %q, the tagger's choice is %d", alt, before)
	}
	b.screenshot("01-alternatives-panel")
	b.click("pick the alternative", `#tag-list .mention-panel button.alt`)
	b.waitJS("the draft to change", `document.querySelector("#tag-list li.conf-manual") !== null`)
	b.screenshot("02-corrected-draft")
	b.click("save", `#f-save`)
	b.waitJS("the saved report", `window.geotag.reports().length === 1`)
	id := brEvalJS[string](b, `window.geotag.reports()[0].id`)

	r := brFetchReport(t, base, id)
	i := r.mention("Aleppo")
	if i < 0 {
		t.Fatalf("stored report lost the Aleppo mention: %+v", r.Mentions)
	}
	m := r.Mentions[i]
	if want, _ := strconv.ParseInt(alt, 10, 64); m.Place == nil || m.Place.ID != want || !m.Manual {
		t.Errorf("Aleppo mention is %+v, want the alternative %s (%s) set by hand", m.Place, alt, altName)
	}
	if !r.hasHistory("pick") {
		t.Errorf("history %+v has no pick", r.History)
	}

	// Correct the stored report in the report panel: make Amman the main
	// location, then mark the report reviewed.
	b.popupShown()
	b.click("open the report panel", `.leaflet-popup .popup .link-button`)
	b.waitJS("the report panel", `!document.getElementById("panel-report").hidden && document.querySelector("#detail-text mark") !== null`)
	b.click("open the Amman mention", `#detail-mentions li[data-mention="`+strconv.Itoa(r.mention("Amman"))+`"] .mention-open`)
	b.waitJS("the mention panel", `document.querySelector("#detail-mentions .mp-main") !== null`)
	b.click("make Amman the main location", `#detail-mentions .mp-main`)
	b.waitJS("Amman as main", `document.querySelector("#detail-mentions li.main .m-text") && document.querySelector("#detail-mentions li.main .m-text").textContent === "Amman"`)
	amman := r.Mentions[r.mention("Amman")].Place
	if amman == nil {
		t.Fatal("Amman is not resolved")
	}
	b.waitJS("the marker at Amman", fmt.Sprintf(`window.geotag.reports().length === 1 && Math.abs(window.geotag.reports()[0].lat - %f) < 0.001 && Math.abs(window.geotag.reports()[0].lon - %f) < 0.001`, amman.Lat, amman.Lon))
	b.click("mark reviewed", `#d-review`)
	b.waitJS("the reviewed status", `window.geotag.reports()[0].status === "reviewed" && document.querySelector(".gt-marker.gt-reviewed") !== null`)
	b.do("open the history", chromedp.Evaluate[chromedp.Void](`void (document.querySelector("#report-detail .history-box").open = true)`))
	hist := brEvalJS[string](b, `document.querySelector("#report-detail .history").textContent`)
	for _, want := range []string{"marked reviewed", "main location", "Aleppo"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history %q lacks %q", hist, want)
		}
	}
	b.screenshot("03-reviewed")

	r = brFetchReport(t, base, id)
	if r.Status != "reviewed" {
		t.Errorf("status %q, want reviewed", r.Status)
	}
	if r.Location == nil || r.Location.Lat != amman.Lat || r.Location.Lon != amman.Lon || r.Location.Mention != r.mention("Amman") {
		t.Errorf("main location %+v, want Amman", r.Location)
	}
	for _, a := range []string{"main", "review"} {
		if !r.hasHistory(a) {
			t.Errorf("history %+v lacks %s", r.History, a)
		}
	}
	// Delete takes two clicks and removes the marker.
	b.click("delete", `#d-delete`)
	if n := brEvalJS[int](b, `window.geotag.reports().length`); n != 1 {
		t.Fatalf("one click deleted the report")
	}
	b.click("confirm", `#d-delete`)
	b.waitJS("no report", `window.geotag.reports().length === 0 && document.querySelector(".leaflet-marker-icon.gt-marker") === null`)
	if n := len(brGetJSON(t, base+"/api/v1/reports")["features"].([]any)); n != 0 {
		t.Errorf("API still lists %d reports", n)
	}
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// The review list is keyboard driven: j/k move, a accepts.
func TestBrowserReviewKeyboard(t *testing.T) {
	base, token := startService(t)
	for i, city := range []string{"Aleppo", "Amman", "Nice"} {
		brPostReport(t, base, token, map[string]any{"title": "Report " + strconv.Itoa(i), "text": "Shelling was reported in " + city + " today.",
			"time": "2026-03-0" + strconv.Itoa(i+1) + "T10:00:00Z"})
	}
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?p=review#token="+token))
	b.waitJS("the review list", `window.geotag && window.geotag.ready && document.querySelectorAll("#review-list li").length === 3`)
	// Newest first.
	first := brEvalJS[string](b, `document.querySelector("#review-list li strong").textContent`)
	if first != "Report 2" {
		t.Errorf("first in the review list is %q, want the newest, Report 2", first)
	}
	b.do("focus the list", chromedp.Focus(`#review-list`))
	b.do("j", chromedp.KeyEvent("j"))
	b.waitJS("the second selected", `document.querySelector('#review-list li[aria-selected="true"] strong').textContent === "Report 1"`)
	b.do("a", chromedp.KeyEvent("a"))
	b.waitJS("two left", `document.querySelectorAll("#review-list li").length === 2`)
	b.screenshot("review-list")
	b.do("k", chromedp.KeyEvent("k"))
	b.do("enter", chromedp.KeyEvent("\r"))
	b.waitJS("the report panel", `!document.getElementById("panel-report").hidden && document.querySelector(".detail-title").textContent === "Report 2"`)

	fc := brGetJSON(t, base+"/api/v1/reports?status=reviewed")
	feats := fc["features"].([]any)
	if len(feats) != 1 || feats[0].(map[string]any)["properties"].(map[string]any)["title"] != "Report 1" {
		t.Errorf("reviewed reports: %v, want Report 1 only", feats)
	}
}

// Without a token, saving asks for one; with it, saving works.
func TestBrowserAsksForToken(t *testing.T) {
	base, token := startService(t)
	if token == "" {
		t.Fatal("the service printed no admin token")
	}
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/"))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	brTypeReport(b, "Token", "Shelling was reported in Aleppo today.")
	b.waitJS("the preview", `window.geotag.previews().length >= 1`)
	b.click("save", `#f-save`)
	b.waitJS("the token panel", `!document.getElementById("panel-token").hidden`)
	b.screenshot("asks-for-token")
	b.do("enter the token", chromedp.SendKeys(`#token-input`, token), chromedp.Click(`#token-form button[type=submit]`))
	b.waitJS("the form again", `!document.getElementById("panel-new").hidden && document.getElementById("f-text").value !== ""`)
	b.click("save again", `#f-save`)
	b.waitJS("the saved report", `window.geotag.reports().length === 1`)
	if got := brEvalJS[string](b, `localStorage.getItem("geotag.token")`); got != token {
		t.Errorf("stored token %q", got)
	}
	b.waitJS("the signed-in tab", `document.getElementById("tab-token").textContent.startsWith("Signed in: ")`)
	// A token the service does not know is reported after a reload.
	b.do("store a wrong token", chromedp.Evaluate[chromedp.Void](`void localStorage.setItem("geotag.token", "gt_wrong")`), chromedp.Reload())
	b.waitJS("the stale-token notice", `window.geotag && window.geotag.ready && document.getElementById("tab-token").textContent === "Sign in" && document.getElementById("token-status").textContent.includes("no longer accepted")`)
}

// The place search box autocompletes from the gazetteer and flies the map
// there; a place the tagger missed is added by selecting its text and
// picking a point on the map.
func TestBrowserPlaceSearchAndMissedPlace(t *testing.T) {
	b, base, _ := brOpenMap(t)
	b.do("type a place", chromedp.SendKeys(`#place-q`, "Alepp"))
	b.waitJS("suggestions", `document.querySelectorAll("#place-results li[role=option][id]").length > 0 && !document.getElementById("place-results").hidden`)
	want := brEvalJS[map[string]any](b, `(() => { const p = window.geotag.app.places.items[0]; return { name: p.name, lat: p.lat, lon: p.lon }; })()`)
	if want["name"] != "Aleppo" {
		t.Errorf("first suggestion for Alepp is %v", want)
	}
	b.screenshot("01-place-suggestions")
	b.do("choose it", chromedp.KeyEvent(kb.Enter))
	b.waitJS("the map there", fmt.Sprintf(`(() => { const c = window.geotag.app.map.getCenter(); return Math.abs(c.lat - %f) < 0.01 && Math.abs(c.lng - %f) < 0.01; })()`, want["lat"], want["lon"]))

	text := "Shelling hit Aleppo and the hamlet of Zzyzxville overnight."
	brTypeReport(b, "Missed place", text)
	// The form settled (its status says what it found), as an analyst
	// sees it before selecting: a status that changes under a click moves
	// the add button.
	b.waitJS("the preview of the whole text", `window.geotag.previews().length >= 1 && window.geotag.app.form.taggedText === document.getElementById("f-text").value &&
		/found/.test(document.getElementById("tag-status").textContent)`)
	b.do("select the missed name", chromedp.Evaluate[chromedp.Void](`void (() => { const t = document.getElementById("f-text"), i = t.value.indexOf("Zzyzxville");
		t.focus(); t.setSelectionRange(i, i + "Zzyzxville".length); t.dispatchEvent(new Event("select")); })()`))
	b.waitJS("the add button", `document.querySelector(".add-selection") !== null`)
	// Clicked through the DOM: a mouse click lands at the coordinates
	// measured just before it, which a late layout change (the event
	// suggestions, a toast) can move under a loaded CI machine.
	b.do("add it", chromedp.Evaluate[chromedp.Void](`void document.querySelector(".add-selection").click()`))
	b.waitJS("its panel", `document.querySelector("#tag-list .mention-panel .mp-point") !== null`)
	b.click("pick a point", `#tag-list .mention-panel .mp-point`)
	xy := brEvalJS[[]float64](b, `(() => { const m = window.geotag.app.map, p = m.latLngToContainerPoint([36.1, 37.0]), r = m.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; })()`)
	b.do("click the map", chromedp.MouseClickXY(xy[0], xy[1]))
	b.waitJS("the added mention", `window.geotag.app.form.mentions.some(m => m.text === "Zzyzxville" && m.place && m.manual)`)
	b.screenshot("02-added-place")
	b.click("save", `#f-save`)
	b.waitJS("the saved report", `window.geotag.reports().length === 1`)
	id := brEvalJS[string](b, `window.geotag.reports()[0].id`)
	r := brFetchReport(t, base, id)
	i := r.mention("Zzyzxville")
	if i < 0 {
		t.Fatalf("stored mentions %+v lack Zzyzxville", r.Mentions)
	}
	if p := r.Mentions[i].Place; p == nil || math.Abs(p.Lat-36.1) > 0.05 || math.Abs(p.Lon-37.0) > 0.05 || !r.Mentions[i].Manual {
		t.Errorf("Zzyzxville at %+v, want the picked point 36.1,37.0 set by hand", p)
	}
	if !r.hasHistory("add") {
		t.Errorf("history %+v lacks the add", r.History)
	}
}

// A service whose reads need a token: the map asks for it, then loads.
func TestBrowserReadsNeedToken(t *testing.T) {
	base, token := startService(t, "--token-required-for-reads")
	brSeed(t, base, token)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=38,20&z=4"))
	b.waitJS("the token panel", `!document.getElementById("panel-token").hidden`)
	if n := brEvalJS[int](b, `window.geotag.reports().length`); n != 0 {
		t.Errorf("%d reports shown without a token", n)
	}
	b.do("enter the token", chromedp.SendKeys(`#token-input`, token), chromedp.Click(`#token-form button[type=submit]`))
	b.waitJS("the reports", `window.geotag.reports().length === 3`)
	// The export downloads carry the token too (fetched, not plain links).
	b.click("open export", `#tab-export`)
	b.waitJS("the count", `document.getElementById("export-summary").dataset.count === "3"`)
}

// The new-report form shows the service's rules, not a copy of them: its
// automatic main location and its corrections come from POST
// /api/v1/preview. Mentions without a precision of their own take their
// place's, so the town beats the district found before it.
func TestBrowserFormAsksService(t *testing.T) {
	base, _ := startService(t)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/"))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	got := brEvalJS[string](b, `(async () => {
		const f = window.geotag.app.form;
		const at = (text, start, feature, lat) => ({start, end: start + 1, text, kind: "place", confidence: 0.9, precision: 0,
			place: {id: 0, name: text, lat, lon: lat, feature}, alternatives: []});
		f.taggedText = "Q near R";
		f.mentions = [at("Q", 0, "P.PPLX", 1), at("R", 7, "P.PPL", 2)];
		f.main = -1;
		await f.previewRules([]);
		const first = f.mainIndex();
		await f.correct(1, {action: "remove"});
		const removed = f.mainIndex() + "/" + f.mentions[1].removed;
		await f.correct(0, {action: "point", lat: 5, lon: 6});
		const m = f.mentions[0];
		return [first, removed, m.place.lat + "/" + m.precision + "/" + m.manual + "/" + m.place.name].join(",");
	})()`)
	if got != "1,0/true,5/1/true/Q" {
		t.Errorf("main, after a removal, after a point = %q, want 1,0/true,5/1/true/Q", got)
	}
}
