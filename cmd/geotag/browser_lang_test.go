package main

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// An Arabic report in the form: the text area, the highlighted preview and
// the report panel run right to left, each place is highlighted over its
// own words in reading order (the first name further right), a name the
// tagger missed is added by selecting it in the preview, and the place
// search finds Arabic and Cyrillic names.
func TestBrowserRightToLeft(t *testing.T) {
	b, base, _ := brOpenMap(t)

	b.do("search in Arabic", chromedp.SendKeys(`#place-q`, "حلب"))
	b.waitJS("Arabic suggestions", `window.geotag.app.places.items.length > 0 && !document.getElementById("place-results").hidden`)
	if name := brEvalJS[string](b, `window.geotag.app.places.items[0].name`); name != "Aleppo" {
		t.Errorf("first suggestion for حلب: %q", name)
	}
	b.do("clear", chromedp.Evaluate[chromedp.Void](`void (document.getElementById("place-q").value = "")`))
	b.do("search in Ukrainian", chromedp.SendKeys(`#place-q`, "Харків"))
	b.waitJS("Cyrillic suggestions", `window.geotag.app.places.items.length > 0 && window.geotag.app.places.items[0].name === "Kharkiv"`)

	text := "قصفت الطائرات حلب ودير الزور ليلا، ونزحت عائلات من قرية زززستان المجاورة."
	brTypeReport(b, "قصف ليلي", text)
	b.waitJS("the preview", `window.geotag.app.form.taggedText === document.getElementById("f-text").value && document.querySelectorAll("#tag-preview mark").length >= 2`)
	for _, sel := range []string{"#f-text", "#f-title", "#tag-preview"} {
		if dir := brEvalJS[string](b, `getComputedStyle(document.querySelector(`+brJsString(sel)+`)).direction`); dir != "rtl" {
			t.Errorf("%s runs %s, want rtl", sel, dir)
		}
	}
	marks := brEvalJS[[]string](b, `Array.from(document.querySelectorAll("#tag-preview mark")).map(m => m.textContent)`)
	if len(marks) < 2 || marks[0] != "حلب" || marks[1] != "دير الزور" {
		t.Fatalf("marks %q, want حلب then دير الزور (without the clitic و)", marks)
	}
	if !brEvalJS[bool](b, `(() => { const m = document.querySelectorAll("#tag-preview mark"), a = m[0].getBoundingClientRect(), c = m[1].getBoundingClientRect();
		return Math.abs(a.top - c.top) < 2 ? a.left > c.right : a.top < c.top; })()`) {
		t.Errorf("the first place is not before the second in right-to-left reading order")
	}
	b.screenshot("rtl-01-preview")

	b.do("select the missed name in the preview", chromedp.Evaluate[chromedp.Void](`void (() => {
		const p = document.getElementById("tag-preview"), w = "زززستان";
		const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
		for (let n = walk.nextNode(); n; n = walk.nextNode()) {
			const i = n.data.indexOf(w);
			if (i < 0) continue;
			const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + w.length);
			const s = getSelection(); s.removeAllRanges(); s.addRange(r);
			p.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
			return;
		}
	})()`))
	b.waitJS("the add button", `document.querySelector(".add-selection") !== null`)
	if got := brEvalJS[string](b, `document.querySelector(".add-selection bdi").textContent`); got != "زززستان" {
		t.Errorf("add button offers %q", got)
	}
	b.click("add it", `.add-selection`)
	b.waitJS("the added mention", `window.geotag.app.form.mentions.some(m => m.text === "زززستان")`)
	start := brEvalJS[int](b, `window.geotag.app.form.mentions.find(m => m.text === "زززستان").start`)
	if want := len([]rune(text[:indexOf(text, "زززستان")])); start != want {
		t.Errorf("added mention starts at %d, want code point %d", start, want)
	}
	b.click("pick a point", `#tag-list .mention-panel .mp-point`)
	xy := brEvalJS[[]float64](b, `(() => { const m = window.geotag.app.map, p = m.latLngToContainerPoint([36.3, 37.3]), r = m.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; })()`)
	b.do("click the map", chromedp.MouseClickXY(xy[0], xy[1]))
	b.waitJS("the point", `window.geotag.app.form.mentions.some(m => m.text === "زززستان" && m.place)`)
	b.click("save", `#f-save`)
	b.waitJS("the saved report", `window.geotag.reports().length === 1`)
	id := brEvalJS[string](b, `window.geotag.reports()[0].id`)
	r := brFetchReport(t, base, id)
	if r.mention("زززستان") < 0 || r.mention("حلب") < 0 {
		t.Errorf("stored mentions %+v", r.Mentions)
	}

	b.popupShown()
	if dir := brEvalJS[string](b, `getComputedStyle(document.querySelector(".leaflet-popup .excerpt")).direction`); dir != "rtl" {
		t.Errorf("popup excerpt runs %s", dir)
	}
	b.click("open the report", `.leaflet-popup .popup-actions .link-button`)
	b.waitJS("the report panel", `document.getElementById("detail-text") !== null`)
	for _, sel := range []string{"#detail-text", ".detail-title"} {
		if dir := brEvalJS[string](b, `getComputedStyle(document.querySelector(`+brJsString(sel)+`)).direction`); dir != "rtl" {
			t.Errorf("%s runs %s, want rtl", sel, dir)
		}
	}
	b.screenshot("rtl-02-report-panel")
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
