package main

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// Unit tests of the page's pure functions, run in the browser on the
// modules the service serves.
func TestBrowserJSUnits(t *testing.T) {
	base, _ := startService(t)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/"))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	cases := []struct{ name, expr, want string }{
		// Code points vs UTF-16.
		{"codePointIndex", `m.text.codePointIndex("a😀b").join()`, "0,1,3,4"},
		{"utf16ToCodePoint", `String(m.text.utf16ToCodePoint("😀😀x", 4))`, "2"},
		{"highlight", `(() => { const d = document.createElement("div"); m.text.highlight(d, "🔥 Aleppo, Amman", [{start: 2, end: 8}, {start: 10, end: 15}]); return Array.from(d.querySelectorAll("mark")).map(x => x.textContent).join("|") + "/" + d.textContent; })()`, "Aleppo|Amman/🔥 Aleppo, Amman"},
		{"highlight overlapping and out of range", `(() => { const d = document.createElement("div"); m.text.highlight(d, "abcdef", [{start: 0, end: 3}, {start: 2, end: 4}, {start: 5, end: 9}]); return Array.from(d.querySelectorAll("mark")).map(x => x.textContent).join("|") + "/" + d.textContent; })()`, "abc/abcdef"},
		{"highlight markup", `(() => { const d = document.createElement("div"); m.text.highlight(d, "<b>x</b> Nice", [{start: 9, end: 13}]); return d.querySelectorAll("b").length + "/" + d.textContent; })()`, "0/<b>x</b> Nice"},
		{"excerpt keeps mentions", `(() => { const t = "x".repeat(400) + " Aleppo " + "y".repeat(400); const e = m.text.excerpt(t, [{start: 401, end: 407}], 100); const cps = Array.from(e.text); return cps.slice(e.mentions[0].start, e.mentions[0].end).join(""); })()`, "Aleppo"},
		{"placeLabel as geotag.Place.Label", `[m.text.placeLabel({name: "Syria", admin1: "Damascus", country_name: "Syria", feature: "A.PCLI"}), m.text.placeLabel({name: "ALEPPO", admin1: "Aleppo", country_name: "Syria"}), m.text.placeLabel({name: "x", label: "X, Y"})].join("|")`, "Syria|ALEPPO, Syria|X, Y"},
		{"safeURL", `[m.text.safeURL("javascript:alert(1)"), m.text.safeURL("https://example.org/a"), m.text.safeURL("data:text/html,x")].join("|")`, "|https://example.org/a|"},
		// Map helpers.
		{"bboxOf plain", `m.state.bboxOf(L.latLngBounds([30, 10], [40, 20]))`, "10.00000,30.00000,20.00000,40.00000"},
		{"bboxOf antimeridian", `m.state.bboxOf(L.latLngBounds([-20, 170], [-10, 190]))`, "170.00000,-20.00000,-170.00000,-10.00000"},
		{"bboxOf world", `m.state.bboxOf(L.latLngBounds([-80, -200], [80, 200]))`, ""},
		{"nearLng", `[m.markers.nearLng(-171, 179), m.markers.nearLng(178, -179), m.markers.nearLng(10, 0)].join()`, "189,-182,10"},
		// The URL round-trip of the state.
		{"URL state", `(() => { const s = {center: [33.5, 36.2], zoom: 6, from: "2026-01-01T00:00:00.000Z", q: "a&b", status: "reviewed", selected: "R1", panel: "review"}; return JSON.stringify(m.state.readURL("?" + m.state.toQuery(s))); })()`,
			`{"center":[33.5,36.2],"zoom":6,"from":"2026-01-01T00:00:00.000Z","q":"a&b","status":"reviewed","selected":"R1","panel":"review"}`},
		{"URL state rejects junk", `JSON.stringify(m.state.readURL("?c=99,500&z=40&from=notadate&status=bogus"))`, `{}`},
		// The corrections API's body for a panel's correction.
		// Corrections on a draft.
		{"correctionBody", `JSON.stringify(m.tagpanel.correctionBody(2, {action: "pick", place: {id: 7}, all: true}))`, `{"action":"pick","mention":2,"place_id":7,"all":true}`},
	}
	load := `Promise.all(["text", "state", "markers", "form", "tagpanel", "review"].map(n => import("/js/" + n + ".js"))).then(([text, state, markers, form, tagpanel, review]) => { window.__m = {text, state, markers, form, tagpanel, review}; return true; })`
	if !brEvalJS[bool](b, load) {
		t.Fatal("modules did not load")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := brEvalJS[string](b, `(() => { const m = window.__m; return `+c.expr+`; })()`)
			if got != c.want {
				t.Errorf("%s = %q, want %q", c.expr, got, c.want)
			}
		})
	}
}
