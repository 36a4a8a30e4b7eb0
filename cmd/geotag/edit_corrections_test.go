package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// ecAnswer is what PUT and PATCH answer: the report, and what became of
// the corrections made by hand when the text was tagged again.
type ecAnswer struct {
	geotag.Report
	Carried *[]geotag.Carry `json:"carried"`
	Dropped *[]geotag.Carry `json:"dropped"`
}

// ecDo sends a request with the admin token and an optional If-Match
// (pgDo), decodes a 200 or 201 answer into out, and stops the test when the
// request cannot be sent.
func ecDo(t *testing.T, method, url, token, body, ifMatch string, out any) (int, http.Header) {
	t.Helper()
	code, h := pgDo(t, method, url, token, body, ifMatch, out)
	if code == 0 {
		t.FailNow()
	}
	return code, h
}

// ecMention is the index of the first mention with the text, -1 if none.
func ecMention(r *geotag.Report, text string) int {
	for i, m := range r.Mentions {
		if m.Text == text {
			return i
		}
	}
	return -1
}

// On the real service and store: corrections made by hand survive a PATCH
// of the text in that one request (a point, a removal, a main location),
// a correction whose words are gone is answered as dropped, a stale
// If-Match changes nothing, the edit revision outlives a restart, and undo
// brings back the old text with its corrected mentions.
func TestEditKeepsCorrectionsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	base, stop := runService(t, filepath.Join(dir, "data"), "--admin-token-file", tokenFile)
	raw, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(raw))

	var r geotag.Report
	code, resp, _ := apiDo(t, "POST", base+"/api/v1/reports", token, `{"title":"Shelling","text":"Shelling in Aleppo and Amman, Jordan."}`)
	if code != http.StatusCreated || json.Unmarshal(resp, &r) != nil {
		t.Fatalf("create: %d %s", code, resp)
	}
	correct := func(text, body string) {
		t.Helper()
		var res struct{ Report *geotag.Report }
		i := ecMention(&r, text)
		if i < 0 {
			t.Fatalf("no mention %q in %+v", text, r.Mentions)
		}
		body = strings.Replace(body, "{", `{"mention":`+strconv.Itoa(i)+`,`, 1)
		if code, _ := ecDo(t, "POST", base+"/api/v1/reports/"+r.ID+"/corrections", token, body, "", &res); code != http.StatusOK {
			t.Fatalf("correction %s: %d", body, code)
		}
		r = *res.Report
	}
	correct("Amman", `{"action":"point","lat":32,"lon":36}`)
	correct("Jordan", `{"action":"point","lat":31.5,"lon":36.5}`)
	correct("Aleppo", `{"action":"remove"}`)
	correct("Amman", `{"action":"main"}`)
	corrected := r
	_, h := ecDo(t, "GET", base+"/api/v1/reports/"+r.ID, token, "", "", nil)
	etag := h.Get("ETag")

	// A stale If-Match is refused before anything changes.
	if code, _ := ecDo(t, "PATCH", base+"/api/v1/reports/"+r.ID, token, `{"text":"x"}`, `"stale"`, nil); code != http.StatusPreconditionFailed {
		t.Fatalf("stale If-Match: %d", code)
	}

	var a ecAnswer
	if code, _ := ecDo(t, "PATCH", base+"/api/v1/reports/"+r.ID, token, `{"text":"Overnight shelling in Aleppo; convoys waited in Amman."}`, etag, &a); code != http.StatusOK {
		t.Fatalf("PATCH: %d", code)
	}
	if a.Carried == nil || a.Dropped == nil {
		t.Fatalf("the answer has no carried/dropped: %+v", a)
	}
	summary := func(cs []geotag.Carry) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Action+" "+c.Text)
		}
		return strings.Join(out, ", ")
	}
	if got := summary(*a.Carried); got != "point Amman, main Amman, remove Aleppo" {
		t.Errorf("carried %q", got)
	}
	if got := summary(*a.Dropped); got != "point Jordan" {
		t.Errorf("dropped %q", got)
	}
	i := ecMention(&a.Report, "Amman")
	if i < 0 || !a.Mentions[i].Manual || a.Mentions[i].Place.Lat != 32 || ecMention(&a.Report, "Aleppo") >= 0 {
		t.Errorf("mentions after the edit %+v", a.Mentions)
	}
	if a.Location == nil || a.Location.Mention != i || a.Location.Provenance.Method != geotag.MethodManual {
		t.Errorf("location %+v, want Amman chosen by hand", a.Location)
	}

	// The store keeps the edit revision, carried, dropped and what it
	// replaced, across a restart.
	stop()
	base, _ = runService(t, filepath.Join(dir, "data"), "--admin-token-file", tokenFile)
	var stored geotag.Report
	if code, _ := ecDo(t, "GET", base+"/api/v1/reports/"+r.ID+"?format=json", token, "", "", &stored); code != http.StatusOK {
		t.Fatalf("GET: %d", code)
	}
	last := stored.History[len(stored.History)-1]
	if last.Action != "edit" || last.BeforeText == nil || *last.BeforeText != corrected.Text || len(last.BeforeMentions) != len(corrected.Mentions) ||
		summary(last.Carried) != summary(*a.Carried) || summary(last.Dropped) != "point Jordan" {
		t.Errorf("stored edit revision %+v", last)
	}

	// Undo the edit: the old text and its corrected mentions come back.
	var res struct{ Report *geotag.Report }
	if code, _ := ecDo(t, "POST", base+"/api/v1/reports/"+r.ID+"/corrections", token, `{"action":"undo"}`, "", &res); code != http.StatusOK {
		t.Fatalf("undo: %d", code)
	}
	if res.Report.Text != corrected.Text || !reflect.DeepEqual(res.Report.Mentions, corrected.Mentions) || !reflect.DeepEqual(res.Report.Location, corrected.Location) {
		t.Errorf("after undo:\n got %q %+v %+v\nwant %q %+v %+v", res.Report.Text, res.Report.Mentions, res.Report.Location, corrected.Text, corrected.Mentions, corrected.Location)
	}
	// The text index follows: the old words are found again.
	code, body, _ := apiDo(t, "GET", base+"/api/v1/reports?q=Jordan", "", "")
	if code != http.StatusOK || !strings.Contains(string(body), r.ID) {
		t.Errorf("search for the restored text: %d %s", code, body)
	}
}
