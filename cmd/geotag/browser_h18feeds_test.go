package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// brArticlePage is a news page written for this test.
const brArticlePage = `<!doctype html><html><head><meta charset="utf-8"><title>Convoy reaches Aleppo</title>
<meta property="article:published_time" content="2024-03-01T10:15:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Convoy reaches Aleppo</h1>
<p>An aid convoy of forty trucks reached the eastern districts of Aleppo on Friday morning, the first in three weeks, local officials said.</p>
<p>The trucks carried flour, medicine and fuel for the city's two remaining hospitals, which had run short after the road from Homs was closed by fighting.</p>
<p>Officials said a second convoy was expected next week if the road stays open, and that the distribution would be overseen by the local council.</p>
<p>Residents queued from dawn outside the bakeries of the old city, where bread had been rationed to one bundle per family since the start of the month.</p>
</article><footer>About us</footer></body></html>`

// The Feeds panel adds a feed, whose items reach the map without a
// reload, and shows a failing feed's reason; the New report form's Fetch
// fills title, time and text from an article page and the report saves.
func TestBrowserFeedsAndFetch(t *testing.T) {
	wire := newGrowingFeed(t, "Shelling in Aleppo", "Protest in Homs")
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/story" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, brArticlePage)
			return
		}
		http.Error(w, "gone", http.StatusGone)
	}))
	defer pages.Close()
	base, token := startService(t, feedFlags...)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=36,37&z=6#token="+token))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)

	b.click("the Feeds tab", "#tab-feeds")
	b.waitJS("the empty list", `document.querySelector("#feed-list .empty") !== null`)
	brEvalJS[bool](b, `(()=>{document.getElementById("feed-url").value=`+brJsString(wire.url+"/rss")+`;`+
		`document.getElementById("feed-interval").value="1s";document.getElementById("feed-tags").value="wire";return true})()`)
	b.click("Add feed", "#feed-add")
	b.waitJS("the feed listed with its reports", `[...document.querySelectorAll("#feed-list .feed")].some(li => li.textContent.includes("Test wire") && li.textContent.includes("2 reports"))`)
	b.waitJS("the feed's reports on the map", `window.geotag.reports().length === 2`)

	// A failing feed says why.
	brEvalJS[bool](b, `(()=>{document.getElementById("feed-url").value=`+brJsString(pages.URL+"/gone")+`;`+
		`document.getElementById("feed-interval").value="1m";return true})()`)
	b.click("Add the failing feed", "#feed-add")
	b.waitJS("the failing feed's error", `[...document.querySelectorAll("#feed-list .feed-failing .feed-error")].some(e => e.textContent.includes("410"))`)
	b.screenshot("h18-feeds-panel")

	// Fetch an article into the New report form.
	b.click("the New report tab", "#tab-new")
	brEvalJS[bool](b, `(()=>{document.getElementById("f-source").value=`+brJsString(pages.URL+"/story")+`;return true})()`)
	b.click("Fetch", "#f-fetch")
	b.waitJS("the form filled", `document.getElementById("f-title").value.includes("Convoy reaches Aleppo") && document.getElementById("f-text").value.includes("forty trucks")`)
	if got := brEvalJS[string](b, `document.getElementById("f-text").value`); strings.Contains(got, "About us") || strings.Contains(got, "World") {
		t.Errorf("the fetched text holds the page's furniture: %q", got)
	}
	if got := brEvalJS[string](b, `document.getElementById("f-time").value`); !strings.HasPrefix(got, "2024-03-01") {
		t.Errorf("event time %q, want the article's date", got)
	}
	b.waitJS("the places found", `document.querySelectorAll("#tag-preview mark").length >= 2`)
	b.click("Save", "#f-save")
	b.waitJS("the saved report on the map", `window.geotag.reports().length === 3`)
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
	if v := b.cspViolations(); len(v) > 0 {
		t.Errorf("CSP violations: %v", v)
	}
}
