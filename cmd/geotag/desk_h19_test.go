package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// The bundled gazetteer's places these tests use: "Palmyra" resolves to
// Tadmur (Syria), with Palmyra, Missouri among its alternatives.
const (
	tadmurID      = 163808
	palmyraMissID = 4402381
)

// h19Job is the part of a bulk job the tests read.
type h19Job struct {
	ID       string              `json:"id"`
	State    string              `json:"state"`
	Progress geotag.BulkProgress `json:"progress"`
	Error    string              `json:"error"`
}

func getJob(t *testing.T, base, id string) h19Job {
	t.Helper()
	code, b, _ := apiDo(t, "GET", base+"/api/v1/corrections/bulk/"+id, "", "")
	var j h19Job
	if code != 200 || json.Unmarshal(b, &j) != nil {
		t.Fatalf("job %s: %d %s", id, code, b)
	}
	return j
}

func waitH19Job(t *testing.T, base, id string) h19Job {
	t.Helper()
	for range 6000 {
		if j := getJob(t, base, id); j.State != "running" {
			return j
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("job %s did not finish", id)
	return h19Job{}
}

// importPalmyra stores n reports naming Palmyra.
func importPalmyra(t *testing.T, base, token string, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"title":"item %d","text":"Shelling was reported near Palmyra on day %d.","time":"2026-11-%02dT10:00:00Z"}`, i, i, 1+i%28)
	}
	b.WriteString("]")
	code, body, _ := apiDo(t, "POST", base+"/api/v1/import", token, b.String())
	if code != 200 || !strings.Contains(string(body), fmt.Sprintf(`"created":%d`, n)) {
		t.Fatalf("import: %d %.300s", code, body)
	}
}

// TestH19BulkCorrectionWritesContinue runs a bulk correction over 1,000
// stored reports with a preview and one undo, and shows that another
// client's writes succeed while it runs: the bulk writes a batch of 100
// reports per transaction, never the whole set in one.
func TestH19BulkCorrectionWritesContinue(t *testing.T) {
	base, token := startService(t)
	const n = 1000
	importPalmyra(t, base, token, n)

	bulk := fmt.Sprintf(`{"words":"Palmyra","place_id":%d,"action":"pick","to_place_id":%d`, tadmurID, palmyraMissID)
	code, b, _ := apiDo(t, "POST", base+"/api/v1/corrections/bulk", token, bulk+`,"dry_run":true}`)
	if code != 200 || !strings.Contains(string(b), fmt.Sprintf(`"reports":%d`, n)) {
		t.Fatalf("preview: %d %s; %d reports at Tadmur", code, b, listPlace(t, base, tadmurID))
	}
	code, b, _ = apiDo(t, "POST", base+"/api/v1/corrections/bulk", token, bulk+`}`)
	var j h19Job
	if code != http.StatusAccepted || json.Unmarshal(b, &j) != nil {
		t.Fatalf("bulk: %d %s", code, b)
	}
	// Another client creates reports while the job runs; each create
	// returns before the job is done.
	during := 0
	for i := 0; ; i++ {
		postReport(t, base, token, fmt.Sprintf("meanwhile %d", i), "Aid reached Amman.", "2026-11-30T10:00:00Z")
		cur := getJob(t, base, j.ID)
		if cur.State != "running" {
			break
		}
		if cur.Progress.Done < n {
			during++
		}
	}
	done := waitH19Job(t, base, j.ID)
	if during == 0 {
		t.Error("no other write completed while the bulk correction ran")
	}
	if done.State != "done" || done.Progress.Changed != n {
		t.Fatalf("job = %+v", done)
	}
	t.Logf("%d creates by another client completed while the bulk ran", during)

	// Every report now names Palmyra, Missouri; one of them is then
	// corrected again by hand, and the undo leaves it alone.
	page := listPlace(t, base, palmyraMissID)
	if page != n {
		t.Fatalf("%d reports at Palmyra, Missouri after the bulk, want %d", page, n)
	}
	code, b, _ = apiDo(t, "GET", base+fmt.Sprintf("/api/v1/reports?place=%d&limit=1", palmyraMissID), "", "")
	var fc struct {
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	if json.Unmarshal(b, &fc) != nil || len(fc.Features) != 1 {
		t.Fatalf("one report: %d %s", code, b)
	}
	if code, b, _ := apiDo(t, "POST", base+"/api/v1/reports/"+fc.Features[0].ID+"/corrections", token, `{"action":"review"}`); code != 200 {
		t.Fatalf("review: %d %s", code, b)
	}
	code, b, _ = apiDo(t, "POST", base+"/api/v1/corrections/bulk/"+j.ID+"/undo", token, "")
	var u h19Job
	if code != http.StatusAccepted || json.Unmarshal(b, &u) != nil {
		t.Fatalf("undo: %d %s", code, b)
	}
	u = waitH19Job(t, base, u.ID)
	if u.Progress.Changed != n-1 || u.Progress.Skipped != 1 {
		t.Fatalf("undo = %+v", u)
	}
	if got := listPlace(t, base, palmyraMissID); got != 1 {
		t.Errorf("%d reports still at Palmyra, Missouri after the undo, want the 1 changed since", got)
	}
}

// listPlace counts the reports naming a place.
func listPlace(t *testing.T, base string, id int64) int {
	t.Helper()
	code, b, _ := apiDo(t, "GET", base+fmt.Sprintf("/api/v1/reports?place=%d&limit=1", id), "", "")
	var fc struct {
		Total int `json:"numberMatched"`
	}
	if code != 200 || json.Unmarshal(b, &fc) != nil {
		t.Fatalf("list: %d %.300s", code, b)
	}
	return fc.Total
}

// tagText asks the service to tag a text and returns its mentions.
func tagText(t *testing.T, base, text string) []geotag.Mention {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"text": text})
	code, b, _ := apiDo(t, "POST", base+"/api/v1/tag", "", string(body))
	var out struct{ Mentions []geotag.Mention }
	if code != 200 || json.Unmarshal(b, &out) != nil {
		t.Fatalf("tag: %d %s", code, b)
	}
	return out.Mentions
}

// TestH19RuleRetagAndDeskPlace: a rule changes the next tag and, by its
// re-tag (previewed first), the stored reports; a desk place is found by
// search and by the tagger; both survive a restart, are audited and
// exported, and the rules export is a file `geotag tag --rules` reads.
func TestH19RuleRetagAndDeskPlace(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	base, stop := runService(t, filepath.Join(dir, "data"), "--admin-token-file", tokenFile)
	raw, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(raw))
	importPalmyra(t, base, token, 30)
	const text = "Shelling was reported near Palmyra."
	if ms := tagText(t, base, text); len(ms) != 1 || ms[0].Place.ID != tadmurID {
		t.Fatalf("before the rule: %+v", ms)
	}

	// "Remember this": Palmyra is Palmyra, Missouri, for this desk.
	code, b, _ := apiDo(t, "POST", base+"/api/v1/rules", token, fmt.Sprintf(`{"words":"palmyra","action":"place","place_id":%d,"from_place_id":%d}`, palmyraMissID, tadmurID))
	var rule geotag.Rule
	if code != http.StatusCreated || json.Unmarshal(b, &rule) != nil || rule.By != "admin" || rule.Key != "palmyra" {
		t.Fatalf("create rule: %d %s", code, b)
	}
	ms := tagText(t, base, text)
	if len(ms) != 1 || ms[0].Place.ID != palmyraMissID || ms[0].Rule == nil || ms[0].Rule.ID != rule.ID || ms[0].Rule.By != "admin" {
		t.Fatalf("the next tag: %+v", ms)
	}
	if !slices.ContainsFunc(ms[0].Alternatives, func(c geotag.Candidate) bool { return c.ID == tadmurID }) {
		t.Errorf("the gazetteer's choice is not among the alternatives: %+v", ms[0].Alternatives)
	}
	// A new report is tagged by the rule.
	if r := postReport(t, base, token, "new", text, "2026-11-30T10:00:00Z"); r.Mentions[0].Place.ID != palmyraMissID {
		t.Errorf("new report: %+v", r.Mentions)
	}

	// The re-tag of the stored reports: preview, then the job.
	code, b, _ = apiDo(t, "POST", base+"/api/v1/rules/"+rule.ID+"/retag", token, `{"dry_run":true}`)
	if code != 200 || !strings.Contains(string(b), `"reports":30`) {
		t.Fatalf("retag preview: %d %s", code, b)
	}
	code, b, _ = apiDo(t, "POST", base+"/api/v1/rules/"+rule.ID+"/retag", token, `{}`)
	var j h19Job
	if code != http.StatusAccepted || json.Unmarshal(b, &j) != nil {
		t.Fatalf("retag: %d %s", code, b)
	}
	if j = waitH19Job(t, base, j.ID); j.Progress.Changed != 30 {
		t.Fatalf("retag job = %+v", j)
	}
	if n := listPlace(t, base, palmyraMissID); n != 31 {
		t.Errorf("%d reports at Palmyra, Missouri after the re-tag, want 31", n)
	}

	// Disabled, the rule no longer applies.
	if code, b, _ := apiDo(t, "PATCH", base+"/api/v1/rules/"+rule.ID, token, `{"disabled":true}`); code != 200 {
		t.Fatalf("disable: %d %s", code, b)
	}
	if ms := tagText(t, base, text); ms[0].Place.ID != tadmurID {
		t.Errorf("disabled rule applied: %+v", ms[0])
	}

	// A desk place: found by search and by the tagger.
	code, b, _ = apiDo(t, "POST", base+"/api/v1/desk-places", token,
		`{"type":"Feature","geometry":{"type":"Point","coordinates":[38.21,34.58]},"properties":{"names":["Camp Zarqa Seven","Mukhayyam Zarqa"],"country":"SY","feature":"S.CMP"}}`)
	if code != http.StatusCreated || !strings.Contains(string(b), `"names":["Camp Zarqa Seven","Mukhayyam Zarqa"]`) {
		t.Fatalf("desk place: %d %s", code, b)
	}
	code, b, _ = apiDo(t, "GET", base+"/api/v1/places?q=Camp+Zarqa", "", "")
	if code != 200 || !strings.Contains(string(b), `"name":"Camp Zarqa Seven"`) {
		t.Errorf("search: %d %.400s", code, b)
	}
	ms = tagText(t, base, "Families fled Mukhayyam Zarqa overnight.")
	if len(ms) != 1 || ms[0].Place == nil || ms[0].Place.ID != geotag.DeskPlaceIDBase || ms[0].Text != "Mukhayyam Zarqa" {
		t.Fatalf("desk place not tagged: %+v", ms)
	}

	// The rules export is a rules file for geotag tag.
	code, export, _ := apiDo(t, "GET", base+"/api/v1/rules?format=jsonl", "", "")
	if code != 200 || !bytes.Contains(export, []byte(rule.ID)) {
		t.Fatalf("rules export: %d %s", code, export)
	}
	code, b, _ = apiDo(t, "PATCH", base+"/api/v1/rules/"+rule.ID, token, `{"disabled":false}`)
	if code != 200 {
		t.Fatalf("enable: %d %s", code, b)
	}
	_, export, _ = apiDo(t, "GET", base+"/api/v1/rules?format=jsonl", "", "")
	rulesFile := filepath.Join(dir, "rules.jsonl")
	if err := os.WriteFile(rulesFile, export, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runTagCmd(t, text, "--rules", rulesFile)
	var tagged tagOutput
	if err != nil || json.Unmarshal([]byte(out), &tagged) != nil || len(tagged.Mentions) != 1 || tagged.Mentions[0].Place.ID != palmyraMissID || tagged.Mentions[0].Rule == nil {
		t.Fatalf("geotag tag --rules: %v %s", err, out)
	}
	if out, _ := runTagCmd(t, text); strings.Contains(out, fmt.Sprint(`"id":`, palmyraMissID, `,"name"`)) && !strings.Contains(out, `"id":163808,"name"`) {
		t.Errorf("geotag tag without --rules applied a rule: %s", out)
	}

	// The audit log says who did what.
	code, b, _ = apiDo(t, "GET", base+"/api/v1/audit?kind=rule&id="+rule.ID, "", "")
	if code != 200 || strings.Count(string(b), `"action":"update"`) != 2 || !strings.Contains(string(b), `"action":"create"`) || !strings.Contains(string(b), `"by":"admin"`) {
		t.Errorf("audit: %d %.600s", code, b)
	}

	// After a restart the rule and the desk place still apply.
	stop()
	base, _ = runService(t, filepath.Join(dir, "data"), "--admin-token-file", tokenFile)
	if ms := tagText(t, base, text+" Families fled Camp Zarqa Seven."); len(ms) != 2 || ms[0].Place.ID != palmyraMissID || ms[1].Place.ID != geotag.DeskPlaceIDBase {
		t.Errorf("after a restart: %+v", ms)
	}
	code, b, _ = apiDo(t, "GET", base+"/api/v1/desk-places", "", "")
	if code != 200 || !strings.Contains(string(b), `"coordinates":[38.21,34.58]`) {
		t.Errorf("desk places export: %d %s", code, b)
	}
	// The re-tag is still undoable as one action after the restart.
	code, b, _ = apiDo(t, "POST", base+"/api/v1/corrections/bulk/"+j.ID+"/undo", token, "")
	var u h19Job
	if code != http.StatusAccepted || json.Unmarshal(b, &u) != nil {
		t.Fatalf("undo after a restart: %d %s", code, b)
	}
	if u = waitH19Job(t, base, u.ID); u.Progress.Changed != 30 || listPlace(t, base, tadmurID) != 30 {
		t.Errorf("undo after a restart = %+v, %d at Tadmur", u, listPlace(t, base, tadmurID))
	}
	if code, _, _ := apiDo(t, "POST", base+"/api/v1/corrections/bulk/"+j.ID+"/undo", token, ""); code != http.StatusConflict {
		t.Errorf("a second undo: %d", code)
	}
}
