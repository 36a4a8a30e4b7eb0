package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The new-report form tags its title with the text and says why the
// service chose its main location: the place of the strike named in the
// headline, not the capital where officials spoke.
func TestBrowserFormSaysWhyMain(t *testing.T) {
	base, _ := startService(t)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/"))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	brEvalJS[bool](b, `(() => {
		const set = (id, v) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); };
		set('f-title', 'Airstrike on Aleppo');
		set('f-text', 'Officials in Damascus said an airstrike hit Aleppo overnight.');
		return true;
	})()`)
	b.waitJS("the main location's why", `document.getElementById('tag-status').textContent.includes('Main location:')`)
	status := brEvalJS[string](b, `document.getElementById('tag-status').textContent`)
	if !strings.Contains(status, "Main location: Aleppo, named in the headline") || !strings.Contains(status, "Damascus (only as where someone spoke)") {
		t.Errorf("status %q", status)
	}
	main := brEvalJS[string](b, `(() => { const f = window.geotag.app.form; const m = f.mentions[f.mainIndex()]; return m ? m.text + "/" + f.titleMentions.length : "none"; })()`)
	if main != "Aleppo/1" {
		t.Errorf("main mention / title mentions = %q, want Aleppo/1", main)
	}
}
