package server

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// waitJob polls a bulk job until it is no longer running.
func (e *env) waitJob(t *testing.T, id string) bulkJob {
	t.Helper()
	for range 3000 {
		w := e.do(t, "GET", "/api/v1/corrections/bulk/"+id, "")
		if w.Code != 200 {
			t.Fatalf("job %s: %d %s", id, w.Code, w.Body)
		}
		j := decode[bulkJob](t, w)
		if j.State != jobRunning {
			return j
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("job %s still running", id)
	return bulkJob{}
}

func TestBulkCorrectionPreviewApplyUndo(t *testing.T) {
	e := newEnv(t)
	const n = 1000
	var ids []string
	for i := range n {
		tag := "north"
		if i%2 == 1 {
			tag = "south"
		}
		r := e.create(t, fmt.Sprintf(`{"title":"r%d","text":"Khalidiyah in Aleppo, report %d.","tags":[%q]}`, i, i, tag))
		ids = append(ids, r.ID)
	}
	// A report corrected by hand before: never overwritten.
	e.correct(t, ids[0], `{"action":"point","mention":0,"lat":34.1,"lon":36.1}`)

	body := func(extra string) string {
		return fmt.Sprintf(`{"words":"al-Khalidiyah","place_id":%d,"action":"pick","to_place_id":%d%s}`, khalidiyaH.ID, khalidiyaA.ID, extra)
	}
	// The preview counts and changes nothing; a filter narrows it.
	w := e.do(t, "POST", "/api/v1/corrections/bulk", body(`,"dry_run":true`), "token")
	if got := decode[bulkAnswer](t, w); w.Code != 200 || got.Reports != n-1 || got.Mentions != n-1 {
		t.Fatalf("preview: %d %s", w.Code, w.Body)
	}
	w = e.do(t, "POST", "/api/v1/corrections/bulk", body(`,"dry_run":true,"filter":"tag=south"`), "token")
	if got := decode[bulkAnswer](t, w); got.Reports != n/2 {
		t.Fatalf("filtered preview: %s", w.Body)
	}
	if r, _ := e.reports.FindReportByID(t.Context(), ids[5]); r.Mentions[0].Place.ID != khalidiyaH.ID {
		t.Fatal("the preview changed a report")
	}
	// A reader may not.
	if w := e.do(t, "POST", "/api/v1/corrections/bulk", body(""), "Authorization: Bearer reader-secret"); w.Code != http.StatusForbidden {
		t.Errorf("reader: %d", w.Code)
	}

	w = e.do(t, "POST", "/api/v1/corrections/bulk", body(""), "token")
	if w.Code != http.StatusAccepted {
		t.Fatalf("bulk: %d %s", w.Code, w.Body)
	}
	j := e.waitJob(t, decode[bulkJob](t, w).ID)
	if j.State != jobDone || j.Progress != (geotag.BulkProgress{Total: n - 1, Done: n - 1, Changed: n - 1}) {
		t.Fatalf("job = %+v", j)
	}
	r, _ := e.reports.FindReportByID(t.Context(), ids[7])
	last := r.History[len(r.History)-1]
	if r.Mentions[0].Place.ID != khalidiyaA.ID || !r.Mentions[0].Manual || last.Bulk != j.ID || last.By != "admin" || last.Action != geotag.ActionPick {
		t.Fatalf("report after bulk: %+v %+v", r.Mentions[0], last)
	}
	if r, _ := e.reports.FindReportByID(t.Context(), ids[0]); r.Mentions[0].Place.ID == khalidiyaA.ID || r.History[len(r.History)-1].Bulk != "" {
		t.Error("the bulk overwrote a manual correction")
	}

	// A report corrected after the bulk is skipped by its undo.
	e.correct(t, ids[9], `{"action":"review"}`)
	w = e.do(t, "POST", "/api/v1/corrections/bulk/"+j.ID+"/undo", "", "token")
	if w.Code != http.StatusAccepted {
		t.Fatalf("undo: %d %s", w.Code, w.Body)
	}
	u := e.waitJob(t, decode[bulkJob](t, w).ID)
	if u.State != jobDone || u.Progress.Changed != n-2 || u.Progress.Skipped != 1 || u.Undoes != j.ID {
		t.Fatalf("undo job = %+v", u)
	}
	r, _ = e.reports.FindReportByID(t.Context(), ids[7])
	if r.Mentions[0].Place.ID != khalidiyaH.ID || r.Mentions[0].Manual || r.History[len(r.History)-1].Action != geotag.ActionUndo {
		t.Errorf("report after undo: %+v", r.Mentions[0])
	}
	if r, _ := e.reports.FindReportByID(t.Context(), ids[9]); r.Mentions[0].Place.ID != khalidiyaA.ID {
		t.Error("the undo reverted a report changed since")
	}
	// Once only.
	if w := e.do(t, "POST", "/api/v1/corrections/bulk/"+j.ID+"/undo", "", "token"); w.Code != http.StatusConflict {
		t.Errorf("second undo: %d %s", w.Code, w.Body)
	}
}

func TestBulkCorrectionRefuses(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxBulkReports = 2 })
	for range 3 {
		e.create(t, `{"title":"t","text":"Aleppo"}`)
	}
	for _, tc := range []struct {
		body string
		code int
	}{
		{`{"words":"","place_id":1,"action":"remove"}`, 400},
		{`{"words":"Aleppo","place_id":0,"action":"remove"}`, 400},
		{`{"words":"Aleppo","place_id":170063,"action":"fly"}`, 400},
		{`{"words":"Aleppo","place_id":170063,"action":"pick"}`, 400},
		{`{"words":"Aleppo","place_id":170063,"action":"pick","to_place_id":99}`, 422},
		{`{"words":"Aleppo","place_id":170063,"action":"point","lat":99,"lon":1}`, 422},
		{`{"words":"Aleppo","place_id":170063,"action":"remove","filter":"bbox=1,2"}`, 400},
		{`{"words":"Aleppo","place_id":170063,"action":"remove"}`, 422}, // three reports, at most two
	} {
		if w := e.do(t, "POST", "/api/v1/corrections/bulk", tc.body, "token"); w.Code != tc.code {
			t.Errorf("%s: %d %s, want %d", tc.body, w.Code, w.Body, tc.code)
		}
	}
	if w := e.do(t, "GET", "/api/v1/corrections/bulk/nope", ""); w.Code != 404 {
		t.Errorf("unknown job: %d", w.Code)
	}
}

func TestBulkRemoveNotAPlace(t *testing.T) {
	e := newEnv(t)
	r := e.create(t, `{"title":"t","text":"Jordan scored in Amman; Jordan again."}`)
	w := e.do(t, "POST", "/api/v1/corrections/bulk", fmt.Sprintf(`{"words":"jordan","place_id":%d,"action":"remove"}`, jordan.ID), "token")
	j := e.waitJob(t, decode[bulkJob](t, w).ID)
	got, _ := e.reports.FindReportByID(t.Context(), r.ID)
	if j.Progress.Changed != 1 || j.Mentions != 2 || len(got.Mentions) != 1 || got.Mentions[0].Text != "Amman" {
		t.Fatalf("job %+v, mentions %+v", j, got.Mentions)
	}
	w = e.do(t, "POST", "/api/v1/corrections/bulk/"+j.ID+"/undo", "", "token")
	e.waitJob(t, decode[bulkJob](t, w).ID)
	got, _ = e.reports.FindReportByID(t.Context(), r.ID)
	if len(got.Mentions) != 3 || got.Mentions[0].Text != "Jordan" || got.Mentions[2].Text != "Jordan" {
		t.Fatalf("after undo: %+v", got.Mentions)
	}
}
