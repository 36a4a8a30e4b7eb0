package main

import (
	"encoding/json"
	"fmt"
	"net/http"
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
