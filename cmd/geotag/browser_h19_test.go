package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// firstReportID returns the id of the newest stored report.
func firstReportID(t *testing.T, base string) string {
	t.Helper()
	code, b, _ := apiDo(t, "GET", base+"/api/v1/reports?limit=1", "", "")
	var fc struct {
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	if code != 200 || json.Unmarshal(b, &fc) != nil || len(fc.Features) == 0 {
		t.Fatalf("reports: %d %.300s", code, b)
	}
	return fc.Features[0].ID
}

// From a stored report's mention panel: a bulk correction over 1,000
// reports (preview, progress bar, done, one undo), then "remember this"
// as a desk rule that the next report is tagged by (the panel says so),
// its re-tag of the stored reports from the Rules panel, and a desk
// place added there and found by the panel's gazetteer search.
func TestBrowserH19BulkRulesDeskPlaces(t *testing.T) {
	base, token := startService(t)
	const n = 1000
	importPalmyra(t, base, token, n)
	b := brNewBrowser(t)
	brOpenDetail(t, b, base, token, firstReportID(t, base))
	openDesk := func() {
		b.click("open the mention", `#detail-mentions li[data-mention="0"] .mention-open`)
		b.waitJS("the desk part", `document.querySelector("#detail-mentions .mp-desk") !== null`)
		b.click("open every report", `#detail-mentions .mp-desk summary`)
	}
	openDesk()
	b.do("choose Palmyra, Missouri", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`void (() => { const s = document.querySelector("#detail-mentions .desk-target"); s.value = "place:%d"; s.dispatchEvent(new Event("change")); })()`, palmyraMissID)))
	b.click("preview", `#detail-mentions .bulk-preview`)
	b.waitJS("the preview count", fmt.Sprintf(`document.querySelector("#detail-mentions .bulk-line").textContent.includes("%d stored reports")`, n))
	if got := listPlace(t, base, palmyraMissID); got != 0 {
		t.Fatalf("the preview changed %d reports", got)
	}
	b.click("apply", `#detail-mentions .bulk-run`)
	b.waitJS("the bulk done", fmt.Sprintf(`document.querySelector("#detail-mentions .bulk-line").textContent.startsWith("Done: %d reports changed")`, n))
	if v := brEvalJS[string](b, `(() => { const p = document.querySelector("#detail-mentions .bulk-progress"); return p.value + "/" + p.max + (p.hidden ? " hidden" : ""); })()`); v != fmt.Sprintf("%d/%d", n, n) {
		t.Errorf("progress bar at %s", v)
	}
	b.screenshot("h19-bulk-done")
	if got := listPlace(t, base, palmyraMissID); got != n {
		t.Fatalf("%d reports at Palmyra, Missouri after the bulk, want %d", got, n)
	}
	b.click("undo", `#detail-mentions .bulk-undo`)
	b.waitJS("the undo done", `document.querySelector("#detail-mentions .bulk-line").textContent.startsWith("Undone.")`)
	if got := listPlace(t, base, tadmurID); got != n {
		t.Fatalf("%d reports at Tadmur after the undo, want %d", got, n)
	}

	// Remember this: a desk rule, which the next report is tagged by.
	b.click("remember", `#detail-mentions .desk-remember`)
	b.waitJS("the rule saved", `document.querySelector("#detail-mentions .mp-desk .hint[role=status]").textContent.startsWith("Rule saved")`)
	id := brPostReport(t, base, token, map[string]any{"title": "After the rule", "text": "Shelling was reported near Palmyra."})
	brOpenDetail(t, b, base, token, id)
	b.click("open the new mention", `#detail-mentions li[data-mention="0"] .mention-open`)
	b.waitJS("the rule's reason", `(document.querySelector("#detail-mentions .mp-rule") || {}).textContent === undefined ? false : document.querySelector("#detail-mentions .mp-rule").textContent.includes("desk rule by admin")`)
	b.screenshot("h19-rule-reason")

	// The Rules panel: the rule, its re-tag of the stored reports.
	b.click("rules tab", `#tab-rules`)
	b.waitJS("the rule listed", `document.querySelector("#rules-list li.rule .bulk-preview") !== null`)
	b.click("re-tag preview", `#rules-list li.rule .bulk-preview`)
	b.waitJS("the re-tag count", fmt.Sprintf(`document.querySelector("#rules-list .bulk-line").textContent.includes("%d stored reports")`, n))
	b.click("re-tag", `#rules-list li.rule .bulk-run`)
	b.waitJS("the re-tag done", fmt.Sprintf(`document.querySelector("#rules-list .bulk-line").textContent.startsWith("Done: %d reports changed")`, n))
	if got := listPlace(t, base, palmyraMissID); got != n+1 {
		t.Errorf("%d reports at Palmyra, Missouri after the re-tag, want %d", got, n+1)
	}

	// A desk place, added in the panel, is found by the gazetteer search.
	brSetField(b, "#desk-names", "Camp Zarqa Seven, Mukhayyam Zarqa")
	brSetField(b, "#desk-lat", "34.58")
	brSetField(b, "#desk-lon", "38.21")
	b.click("add the desk place", `#desk-add-go`)
	b.waitJS("the desk place listed", `[...document.querySelectorAll("#desk-places li.desk-place b")].some(e => e.textContent === "Camp Zarqa Seven")`)
	b.screenshot("h19-rules-panel")
	brOpenDetail(t, b, base, token, id)
	b.click("open the mention again", `#detail-mentions li[data-mention="0"] .mention-open`)
	b.click("open the search", `#detail-mentions .mp-more summary`)
	brSetField(b, "#detail-mentions .mp-search", "Camp Zarqa")
	b.waitJS("the desk place found", `[...document.querySelectorAll("#detail-mentions .mp-results .alt-name")].some(e => e.textContent === "Camp Zarqa Seven")`)
	if ex := b.exceptions(); len(ex) > 0 || len(b.cspViolations()) > 0 {
		t.Errorf("page exceptions %v, CSP violations %v", ex, b.cspViolations())
	}
	if s := brEvalJS[string](b, `document.body.innerHTML`); !strings.Contains(s, "Camp Zarqa Seven") {
		t.Error("the desk place is not on the page")
	}
}
