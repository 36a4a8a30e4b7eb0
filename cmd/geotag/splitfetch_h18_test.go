package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSplitFetchEndToEnd splits a live blog the real service fetches by
// URL through its safe client: a page on an allowed address splits, the
// same page on a loopback address outside --allow-fetch-hosts is refused.
func TestSplitFetchEndToEnd(t *testing.T) {
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<html><head><title>Talks live</title></head><body><h1>Talks live</h1>
<p id="e2"><b>UPDATE 1415 GMT:</b> Delegates left Amman.</p>
<p id="e1"><b>UPDATE 0930 GMT:</b> Shelling in Aleppo overnight.</p></body></html>`))
	}))
	defer page.Close()
	base, token := startService(t, feedFlags...)
	code, b, _ := apiDo(t, "POST", base+"/api/v1/split", token, `{"url":"`+page.URL+`/live","date":"2024-05-06"}`)
	var ans struct {
		Title   string
		Entries []struct{ Time, Source string }
	}
	if code != http.StatusOK || json.Unmarshal(b, &ans) != nil {
		t.Fatalf("split by url: %d %s", code, b)
	}
	if ans.Title != "Talks live" || len(ans.Entries) != 2 || ans.Entries[0].Time != "2024-05-06T14:15:00Z" || ans.Entries[0].Source != page.URL+"/live#e2" {
		t.Errorf("answer %+v", ans)
	}
	if code, b, _ := apiDo(t, "POST", base+"/api/v1/split", "", `{"url":"`+page.URL+`/live"}`); code != http.StatusUnauthorized {
		t.Errorf("without a token: %d %s", code, b)
	}
	// The New report form: an address as the source, no text, Split.
	br := brNewBrowser(t)
	br.do("open the map", chromedp.Navigate(base+"/?c=34,36&z=5#token="+token))
	br.waitJS("the page", `window.geotag && window.geotag.ready`)
	br.click("the New report tab", "#tab-new")
	br.do("the address", chromedp.SetValue("#f-source", page.URL+"/live"))
	br.click("Split into updates", "#f-split")
	br.waitJS("the fetched page's updates", `document.querySelectorAll('#split-list li').length === 2`)

	port := page.URL[strings.LastIndex(page.URL, ":"):]
	code, b, _ = apiDo(t, "POST", base+"/api/v1/split", token, `{"url":"http://127.0.0.2`+port+`/live"}`)
	if code != http.StatusUnprocessableEntity || !strings.Contains(string(b), "refusing to fetch") {
		t.Errorf("a loopback address outside --allow-fetch-hosts: %d %s", code, b)
	}
}
