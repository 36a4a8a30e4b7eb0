package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// xssPayload returns markup that, if the page ever parsed it as HTML, would
// set window.__xss to the field's name.
func xssPayload(field string) string {
	return fmt.Sprintf(`"'><img src=x onerror="window.__xss='%s'"><script>window.__xss='%s'</script><svg onload="window.__xss='%s'">`, field, field, field)
}

// TestBrowserStoredXSS stores a report whose every client-supplied string
// is an HTML/JS payload — title, text, tags, source URL, the client's
// mentions with their place names, country and division, an alternative's
// name, a manual point's label, and the name of the token that corrected
// it (shown in the history) — and opens it everywhere the page shows it:
// the marker popup, the review list and the report panel. Nothing may run
// and no payload may become an element.
func TestBrowserStoredXSS(t *testing.T) {
	base, admin := startService(t)
	api := func(method, path, token string, body any) []byte {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		rb, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, rb)
		}
		return rb
	}

	// Sources that would be script in a link are refused outright.
	for _, src := range []string{"javascript:window.__xss='source'", "data:text/html,<script>1</script>", "vbscript:x", " JaVaScRiPt:alert(1)"} {
		b, _ := json.Marshal(map[string]any{"title": "x", "text": "y", "source": src})
		req, _ := http.NewRequest("POST", base+"/api/v1/reports", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("source %q: %d, want 400", src, resp.StatusCode)
		}
	}

	var tok struct {
		Token string `json:"token"`
	}
	json.Unmarshal(api("POST", "/api/v1/tokens", admin, map[string]any{"name": xssPayload("token name")}), &tok)
	if tok.Token == "" {
		t.Fatal("no token")
	}

	text := "Shelling hit Aleppo on Monday. " + xssPayload("text") + " Aid reached Amman."
	aleppo := strings.Index(text, "Aleppo")
	place := func(field string, id int64, lat, lon float64) map[string]any {
		return map[string]any{"id": id, "name": xssPayload(field + " name"), "lat": lat, "lon": lon, "country": "SY",
			"country_name": xssPayload(field + " country"), "admin1": xssPayload(field + " admin1"), "feature": "P.PPL"}
	}
	var created struct {
		ID string `json:"id"`
	}
	json.Unmarshal(api("POST", "/api/v1/reports", admin, map[string]any{
		"title":  xssPayload("title"),
		"text":   text,
		"tags":   []string{xssPayload("tag"), "ok"},
		"source": `https://example.org/a?q="><img src=x onerror="window.__xss='source'">`,
		"time":   "2026-03-01T10:00:00Z",
		"mentions": []map[string]any{{
			"start": aleppo, "end": aleppo + len("Aleppo"), "text": "Aleppo", "kind": "place", "confidence": 0.9, "precision": 1,
			"place":        place("place", 170063, 36.2, 37.16),
			"alternatives": []map[string]any{{"place": place("alternative", 7643289, 36.22, 37.13), "score": 0.2}},
		}},
	}), &created)
	if created.ID == "" {
		t.Fatal("no report id")
	}
	lat, lon := 36.21, 37.15
	api("POST", "/api/v1/reports/"+created.ID+"/corrections", tok.Token, map[string]any{"action": "point", "lat": lat, "lon": lon, "name": xssPayload("point label")})

	b := brNewBrowser(t)
	noScript := func(where string) {
		t.Helper()
		if v := brEvalJS[string](b, `String(window.__xss)`); v != "undefined" {
			t.Fatalf("%s: the %s payload ran as script", where, v)
		}
		if n := brEvalJS[int](b, `document.querySelectorAll('img[src="x"], svg[onload], body script:not([src])').length`); n != 0 {
			html := brEvalJS[string](b, `Array.from(document.querySelectorAll('img[src="x"], svg[onload], body script:not([src])')).map(e => e.outerHTML).join("\n")`)
			t.Errorf("%s: payloads became %d elements:\n%s", where, n, html)
		}
	}

	b.do("open the review list", chromedp.Navigate(base+"/?p=review#token="+admin))
	b.waitJS("the review list", `window.geotag && window.geotag.ready && document.querySelectorAll("#review-list li").length === 1`)
	noScript("review list")
	if got := brEvalJS[string](b, `document.querySelector("#review-list li").textContent`); !strings.Contains(got, "window.__xss='title'") {
		t.Errorf("the review list does not show the title as text: %q", got)
	}
	b.do("focus the list", chromedp.Focus(`#review-list`))
	b.do("open the report", chromedp.KeyEvent("\r"))
	b.waitJS("the report panel", `!document.getElementById("panel-report").hidden && document.querySelector(".detail-title") !== null`)
	noScript("report panel")
	panel := brEvalJS[string](b, `document.getElementById("panel-report").textContent`)
	for _, field := range []string{"title", "text"} { // tags are not shown in the panel (yet)
		if !strings.Contains(panel, "window.__xss='"+field+"'") {
			t.Errorf("the report panel does not show the %s as text", field)
		}
	}
	// Every link in the panel is http(s).
	if bad := brEvalJS[string](b, `Array.from(document.querySelectorAll("#panel-report a[href]")).map(a => a.href).filter(h => !/^https?:/.test(h)).join(" ")`); bad != "" {
		t.Errorf("links that are not http(s) in the panel: %s", bad)
	}

	b.do("open the map", chromedp.Navigate(base+"/#token="+admin))
	b.waitJS("the map", `window.geotag && window.geotag.ready && window.geotag.reports().length === 1`)
	b.do("open the popup", chromedp.Click(`.leaflet-marker-icon.gt-marker`))
	b.popupShown()
	noScript("map popup")
	if got := brEvalJS[string](b, `document.querySelector(".leaflet-popup").textContent`); !strings.Contains(got, "window.__xss='title'") {
		t.Errorf("the popup does not show the title as text: %q", got)
	}
	b.screenshot("stored-xss")
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}
