package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// brSeedMix stores reports of several event types and precisions in one
// region: two in a town (Aleppo, by the tagger), one in a country (Syria,
// a region's precision), and one without a type.
func brSeedMix(t *testing.T, base, token string) map[string]string {
	t.Helper()
	now := time.Now().UTC()
	for i, r := range []struct{ text, event string }{
		{"Shelling hit Aleppo overnight.", "Explosions/Remote violence"},
		{"Protesters gathered in Aleppo.", "Protests"},
		{"Clashes were reported across Syria.", "Battles"},
		{"A convoy reached Aleppo.", ""},
	} {
		body := map[string]any{"title": r.text, "text": r.text, "time": now.Add(-time.Duration(i) * time.Hour).Format(time.RFC3339)}
		if r.event != "" {
			body["event_type"] = r.event
		}
		brPostReport(t, base, token, body)
	}
	return nil
}

// A dense view's server cluster counts show what the page's own clusters
// show: the ring of the event types inside and the border of the least
// precise report.
func TestBrowserServerClusterMix(t *testing.T) {
	base, token := startService(t)
	brSeedMix(t, base, token)
	b := brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=35,38&z=2#token="+token))
	b.waitJS("four markers", `window.geotag && window.geotag.ready && window.geotag.reports().length === 4`)
	b.do("lower the marker limit", chromedp.Evaluate[chromedp.Void](`void (window.geotag.app.maxMarkers = 2, window.geotag.app.load())`))
	b.waitJS("cluster counts", `window.geotag.mode() === "cells" && document.querySelectorAll(".gt-cell").length > 0`)
	b.screenshot("server-cluster-mix")
	type cell struct {
		Class, Types, Mix, Background, Title string
		Count                                int
	}
	cells := brEvalJS[[]cell](b, `[...document.querySelectorAll(".gt-cell")].map(e => { const r = e.querySelector(".ring") || e.firstElementChild;
		return {class: e.className, types: r.dataset.types || "", mix: r.dataset.mix || "", background: r.style.background || "", title: r.title || "",
			count: Number(r.textContent.replace(/[^0-9]/g, ""))}; })`)
	if len(cells) != 1 {
		t.Fatalf("%d server clusters at zoom 2, want the region's one: %+v", len(cells), cells)
	}
	c := cells[0]
	if c.Count != 4 {
		t.Errorf("the cluster counts %d, want 4", c.Count)
	}
	for _, w := range []string{"1 Battles", "1 Explosions/Remote violence", "1 Protests", "1 no type"} {
		if !strings.Contains(c.Types, w) {
			t.Errorf("the cluster's types %q lack %q", c.Types, w)
		}
	}
	if !strings.Contains(c.Background, "conic-gradient") {
		t.Errorf("the cluster has no type ring: background %q", c.Background)
	}
	// Three in a town, one in a country: the border of a region.
	if c.Mix != "3,0,1" || !strings.Contains(c.Class, "gt-cluster-w3") {
		t.Errorf("the cluster's precision mix %q, class %q: want 3,0,1 and gt-cluster-w3", c.Mix, c.Class)
	}
	if !strings.Contains(c.Title, "3 sites or towns, 1 region or country") {
		t.Errorf("the cluster's title %q does not say its precision", c.Title)
	}
}

// The density layer's toggle is kept in the address: a link opened with
// heat=1 shows it, and switching it off or on changes the address.
func TestBrowserDensityInURL(t *testing.T) {
	base, token := startService(t)
	brSeed(t, base, token)
	b := brNewBrowser(t)
	const densityInput = `[...document.querySelectorAll(".leaflet-control-layers-overlays label")].find(l => l.textContent.includes("Density")).querySelector("input")`
	b.do("open a link with the density layer", chromedp.Navigate(base+"/?c=38,20&z=4&heat=1#token="+token))
	b.waitJS("the map", `window.geotag && window.geotag.ready`)
	b.waitJS("the density layer on", `window.geotag.app.density.on() && `+densityInput+`.checked`)
	b.waitJS("its points", `window.geotag.app.density.points.length > 0`)
	b.do("switch it off", chromedp.Evaluate[chromedp.Void](`void `+densityInput+`.click()`))
	b.waitJS("the address without it", `!window.geotag.app.density.on() && !new URLSearchParams(location.search).has("heat")`)
	b.do("switch it on", chromedp.Evaluate[chromedp.Void](`void `+densityInput+`.click()`))
	b.waitJS("the address with it", `window.geotag.app.density.on() && new URLSearchParams(location.search).get("heat") === "1"`)
	link := brEvalJS[string](b, `location.href`)
	b.do("open the bookmark", chromedp.Navigate(link))
	b.waitJS("the map again", `window.geotag && window.geotag.ready`)
	if !brEvalJS[bool](b, `window.geotag.app.density.on() && `+densityInput+`.checked`) {
		t.Errorf("the bookmark %s opened without the density layer", link)
	}
	b.do("a link without it", chromedp.Navigate(base+"/?c=38,20&z=4#token="+token))
	b.waitJS("the map once more", `window.geotag && window.geotag.ready`)
	if brEvalJS[bool](b, `window.geotag.app.density.on()`) {
		t.Error("a link without heat=1 opened with the density layer")
	}
}

// A preview answer that arrives after the analyst added a name (and
// opened its panel) is applied to the mentions it was about: the main
// location stays on the place it named, the panel the analyst works in is
// not redrawn, the map not re-fitted. The page's previews are held until
// the add, as a slow service would.
func TestBrowserLatePreviewAfterAdd(t *testing.T) {
	b, _, _ := brOpenMap(t)
	b.do("hold the previews", chromedp.Evaluate[chromedp.Void](`void (() => {
		const orig = window.fetch.bind(window);
		let release;
		window.__gate = new Promise(r => { release = r; });
		window.__release = () => release();
		window.fetch = (url, opts) => String(url).includes("/api/v1/preview") ? window.__gate.then(() => orig(url, opts)) : orig(url, opts);
	})()`))
	text := "Zzyzxville residents heard shelling near Aleppo overnight."
	brTypeReport(b, "Late preview", text)
	b.waitJS("the tagging", `window.geotag.app.form.taggedText === document.getElementById("f-text").value && window.geotag.app.form.mentions.some(m => m.text === "Aleppo")`)
	b.do("select the missed name", chromedp.Evaluate[chromedp.Void](`void (() => { const t = document.getElementById("f-text"), i = t.value.indexOf("Zzyzxville");
		t.focus(); t.setSelectionRange(i, i + "Zzyzxville".length); t.dispatchEvent(new Event("select")); })()`))
	b.waitJS("the add button", `document.querySelector(".add-selection") !== null`)
	b.click("add it", `.add-selection`)
	b.waitJS("its panel", `document.querySelector("#tag-list .mention-panel .mp-point") !== null`)
	b.do("mark the panel and the view", chromedp.Evaluate[chromedp.Void](`void (document.querySelector("#tag-list .mention-panel").dataset.mark = "open",
		window.__view = window.geotag.app.map.getCenter().toString() + " " + window.geotag.app.map.getZoom())`))
	b.do("let the previews answer", chromedp.Evaluate[chromedp.Void](`void window.__release()`))
	b.waitJS("the preview applied", `/found/.test(document.getElementById("tag-status").textContent)`)
	if !brEvalJS[bool](b, `(() => { const p = document.querySelector("#tag-list .mention-panel"); return !!p && p.dataset.mark === "open"; })()`) {
		t.Error("the open panel was redrawn by the late preview")
	}
	if v := brEvalJS[string](b, `window.geotag.app.map.getCenter().toString() + " " + window.geotag.app.map.getZoom()`); v != brEvalJS[string](b, `window.__view`) {
		t.Errorf("the late preview moved the map to %s", v)
	}
	got := brEvalJS[string](b, `(() => { const f = window.geotag.app.form, i = f.mainIndex(); return i >= 0 && f.mentions[i] ? f.mentions[i].text : ""; })()`)
	if got != "Aleppo" {
		t.Errorf("the main location is mention %q, want Aleppo", got)
	}
}
