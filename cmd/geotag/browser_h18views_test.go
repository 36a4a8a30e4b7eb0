package main

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// brLiveBlog is a small live blog written for this test: newest first,
// past midnight, with the original entry at the bottom.
const brLiveBlog = `Talks and shelling: live

UPDATE 0130 GMT: Residents of Aleppo report shelling after midnight.

UPDATE 2250 GMT: The delegations left their hotel in Amman without a statement.

UPDATE 1800 GMT: The envoy says talks resume on Monday.

ORIGINAL ENTRY: Negotiators met for a third day in Amman.
`

// Split into updates: the New report form's text is split by the service,
// previewed with each update's time, split again with the day set, and
// saved all at once; saving again stores nothing twice.
func TestBrowserSplitLiveBlog(t *testing.T) {
	base, token := startService(t)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=34,36&z=5#token="+token))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	b.click("the New report tab", "#tab-new")
	b.do("paste the page", chromedp.Evaluate[chromedp.Void](`void (() => {
		document.getElementById('f-text').value = `+brJsString(brLiveBlog)+`;
		document.getElementById('f-source').value = 'https://news.example/live/talks';
		document.getElementById('f-title').value = 'Talks and shelling';
	})()`))
	b.click("Split into updates", "#f-split")
	b.waitJS("the preview", `document.querySelectorAll('#split-list li').length === 4`)
	if how := brEvalJS[string](b, `document.getElementById('split-how').textContent`); !strings.Contains(how, "today") || !strings.Contains(how, "GMT (the zone the page writes)") || !strings.Contains(how, "newest first") {
		t.Errorf("the preview says %q", how)
	}
	b.do("set the day", chromedp.SetValue("#split-date", "2016-07-16"))
	b.click("Split again", "#split-again")
	b.waitJS("the new times", `document.querySelector('#split-list li time').getAttribute('datetime') === '2016-07-17T01:30:00Z'`)
	times := brEvalJS[[]string](b, `[...document.querySelectorAll('#split-list li time')].map(t => t.getAttribute('datetime'))`)
	if strings.Join(times, " ") != "2016-07-17T01:30:00Z 2016-07-16T22:50:00Z 2016-07-16T18:00:00Z 2016-07-16" {
		t.Errorf("times %v", times)
	}
	b.screenshot("split-preview")
	b.do("listen", chromedp.Evaluate[chromedp.Void](`void document.addEventListener('geotag:split-saved', (e) => { window.splitSaved = e.detail; })`))
	b.click("Save all", "#split-save")
	b.waitJS("saved", `window.splitSaved && window.splitSaved.created === 4`)
	fc := brGetJSON(t, base+"/api/v1/reports?"+url.Values{"from": {"2016-07-16"}, "to": {"2016-07-17"}, "limit": {"10"}}.Encode())
	if n := fc["numberMatched"].(float64); n != 4 {
		t.Fatalf("%v reports stored, want 4", n)
	}
	for _, f := range fc["features"].([]any) {
		p := f.(map[string]any)["properties"].(map[string]any)
		if p["title"] != "Talks and shelling" || !strings.HasPrefix(p["source"].(string), "https://news.example/live/talks") {
			t.Errorf("stored %v", p)
		}
	}
	// The same page again: each update is stored once.
	b.do("paste again", chromedp.Evaluate[chromedp.Void](`void (() => {
		document.getElementById('f-text').value = `+brJsString(brLiveBlog)+`;
		document.getElementById('f-source').value = 'https://news.example/live/talks';
		window.splitSaved = null;
	})()`))
	b.click("Split into updates", "#f-split")
	b.waitJS("the preview", `document.querySelectorAll('#split-list li').length === 4`)
	b.do("set the day", chromedp.SetValue("#split-date", "2016-07-16"))
	b.click("Split again", "#split-again")
	b.waitJS("the new times", `document.querySelector('#split-list li time').getAttribute('datetime') === '2016-07-17T01:30:00Z'`)
	b.click("Save all", "#split-save")
	b.waitJS("saved", `window.splitSaved && window.splitSaved.duplicates === 4 && window.splitSaved.created === 0`)
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// Saved views: the map's area and rolling window saved under a name,
// listed, opened again from another view and from the address the feed
// links to; the view's Atom feed lists its reports.
func TestBrowserSavedViews(t *testing.T) {
	b, base, token := brOpenSeeded(t, brSeed)
	b.do("preset 30d", chromedp.Click(`[data-preset="30d"]`))
	b.waitJS("30d markers", `window.geotag.reports().length === 2`)
	b.click("the Views tab", "#tab-views")
	b.waitJS("the empty list", `document.getElementById('views-status').textContent.includes('No saved views')`)
	b.do("name the view", chromedp.SetValue("#view-name", "Last month"))
	b.click("Save this view", "#view-save")
	b.waitJS("the listed view", `document.querySelectorAll('#views-list li').length === 1`)
	views := brGetJSON(t, base+"/api/v1/views")["views"].([]any)
	v := views[0].(map[string]any)
	q, _ := url.ParseQuery(v["query"].(string))
	if v["name"] != "Last month" || q.Get("since") != "30d" || q.Get("bbox") == "" || q.Has("from") {
		t.Errorf("saved %v", v)
	}
	b.screenshot("views-panel")

	// Another view: everything, elsewhere; then open the saved one.
	b.do("preset all", chromedp.Click(`[data-preset="all"]`))
	b.do("move away", chromedp.Evaluate[chromedp.Void](`void window.geotag.app.map.setView([-30, -60], 5)`))
	b.waitJS("nothing in view", `window.geotag.total() === 0`)
	b.click("open the view", "#views-list .view-open")
	b.waitJS("the view's markers", `window.geotag.reports().length === 2 && window.geotag.filters().since === '30d'`)
	brLoaded(b, "the view")

	// The feed lists the two reports of the last 30 days in the area.
	resp, err := http.Get(v["feed"].(string))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var feed struct {
		Title   string `xml:"title"`
		Entries []struct {
			Title string `xml:"title"`
			Point string `xml:"http://www.georss.org/georss point"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(body, &feed); err != nil || resp.Header.Get("ETag") == "" {
		t.Fatalf("feed: %v %s", err, body)
	}
	if feed.Title != "Last month" || len(feed.Entries) != 2 || feed.Entries[0].Title != "Incident in Nice" || !strings.HasPrefix(feed.Entries[0].Point, "43.70313 7.26608") {
		t.Errorf("feed %+v", feed)
	}

	// The feed's link to the map opens the view.
	b.do("open the map link", chromedp.Navigate(v["map"].(string)))
	b.waitJS("the view from its link", `window.geotag && window.geotag.ready && window.geotag.filters().since === '30d' && window.geotag.reports().length === 2`)

	// A view with several tags (all of them), an event type and a death
	// range opens with those filters in the map's controls.
	code, body, _ := apiDo(t, "POST", base+"/api/v1/views", token,
		`{"name":"Deadly protests","query":"tag=vigil&tag=march&tag_mode=all&event_type=Protests&fatalities_min=2&fatalities_max=9"}`)
	if code != http.StatusCreated {
		t.Fatalf("create view: %d %s", code, body)
	}
	b.click("the Views tab again", "#tab-views")
	b.waitJS("two views", `document.querySelectorAll('#views-list li').length === 2`)
	b.do("open it", chromedp.Evaluate[chromedp.Void](`void [...document.querySelectorAll('#views-list .view-open')].find(e => e.textContent === 'Deadly protests').click()`))
	b.waitJS("its filters", `(() => { const f = window.geotag.filters(), l = new URLSearchParams(window.geotag.lastLoaded());
		return f.tagMode === 'all' && f.event_type === 'Protests' && f.fatalities_min === '2' && f.fatalities_max === '9' &&
			l.getAll('tag').join() === 'vigil,march' && l.get('tag_mode') === 'all' && l.get('event_type') === 'Protests'; })()`)
	if got := brEvalJS[bool](b, `document.querySelector('#event-filter input[data-type="Protests"]').checked`); !got {
		t.Error("the Events menu does not show the view's type")
	}
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}
