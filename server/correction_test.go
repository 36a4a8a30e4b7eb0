package server

import (
	"fmt"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// correct posts a correction and returns the result.
func (e *env) correct(t *testing.T, id, body string) correctionResult {
	t.Helper()
	w := e.do(t, "POST", "/api/v1/reports/"+id+"/corrections", body, "token")
	if w.Code != 200 {
		t.Fatalf("correction %s: %d %s", body, w.Code, w.Body)
	}
	return decode[correctionResult](t, w)
}

func TestCorrections(t *testing.T) {
	e := newEnv(t)
	// Khalidiyah is the main location (a confident town, first); it is
	// named twice.
	r := e.create(t, `{"title":"t","text":"Khalidiyah in Aleppo was hit; Khalidiyah again."}`)
	if len(r.Mentions) != 3 || r.Location.PlaceID != khalidiyaH.ID {
		t.Fatalf("setup: %+v %+v", r.Mentions, r.Location)
	}

	// Pick the alternative for the first Khalidiyah only.
	res := e.correct(t, r.ID, fmt.Sprintf(`{"action":"pick","mention":0,"place_id":%d}`, khalidiyaA.ID))
	m := res.Report.Mentions[0]
	if m.Place.ID != khalidiyaA.ID || !m.Manual || m.Confidence != 1 || len(m.Alternatives) != 1 || m.Alternatives[0].ID != khalidiyaH.ID {
		t.Errorf("picked mention = %+v", m)
	}
	if res.Report.Mentions[2].Place.ID != khalidiyaH.ID {
		t.Error("pick without all changed the other mention")
	}
	// The automatic location follows the corrected mention: the district
	// (precision 2) now loses to Aleppo (precision 1)… unless confident
	// ties; here the picked mention has confidence 1, the rest 0.9.
	if len(res.Revisions) != 1 || res.Revisions[0].Before.Place.ID != khalidiyaH.ID || res.Revisions[0].After.Place.ID != khalidiyaA.ID || res.Revisions[0].By != "admin" {
		t.Errorf("revisions = %+v", res.Revisions)
	}
	if l := res.Report.Location; l == nil || l.Provenance.Method != geotag.MethodAuto {
		t.Errorf("location = %+v", l)
	}

	// Apply to all identical mentions.
	res = e.correct(t, r.ID, fmt.Sprintf(`{"action":"pick","mention":2,"place_id":%d,"all":true}`, khalidiyaA.ID))
	if len(res.Revisions) != 2 || res.Report.Mentions[0].Place.ID != khalidiyaA.ID || res.Report.Mentions[2].Place.ID != khalidiyaA.ID {
		t.Errorf("pick all: %d revisions, %+v", len(res.Revisions), res.Report.Mentions)
	}

	// Choose the main location by hand; it follows that mention.
	res = e.correct(t, r.ID, `{"action":"main","mention":1}`)
	if l := res.Report.Location; l.PlaceID != aleppo.ID || l.Provenance.Method != geotag.MethodManual || l.Provenance.By != "admin" || l.Mention != 1 {
		t.Errorf("main = %+v", l)
	}
	if rv := res.Revisions[0]; rv.BeforeLocation == nil || rv.AfterLocation.PlaceID != aleppo.ID {
		t.Errorf("main revision = %+v", rv)
	}

	// Removing the first mention shifts the main mention's index.
	res = e.correct(t, r.ID, `{"action":"remove","mention":0}`)
	if len(res.Report.Mentions) != 2 || res.Report.Location.Mention != 0 || res.Report.Location.PlaceID != aleppo.ID {
		t.Errorf("after remove: %+v %+v", res.Report.Mentions, res.Report.Location)
	}
	// Removing the main mention falls back to automatic.
	res = e.correct(t, r.ID, `{"action":"remove","mention":0}`)
	if l := res.Report.Location; len(res.Report.Mentions) != 1 || l == nil || l.Provenance.Method != geotag.MethodAuto || l.PlaceID != khalidiyaA.ID {
		t.Errorf("after removing main: %+v", l)
	}

	// Add a missed mention by span ("Aleppo" at 14..20), by place id.
	res = e.correct(t, r.ID, fmt.Sprintf(`{"action":"add","start":14,"end":20,"place_id":%d}`, aleppo.ID))
	if len(res.Report.Mentions) != 2 || res.Report.Mentions[0].Text != "Aleppo" || res.Report.Mentions[0].Start != 14 || !res.Report.Mentions[0].Manual {
		t.Errorf("after add: %+v", res.Report.Mentions)
	}
	if res.Revisions[0].Action != "add" || res.Revisions[0].After == nil || res.Revisions[0].Mention != 0 {
		t.Errorf("add revision: %+v", res.Revisions)
	}
	// An overlapping span is a conflict.
	if w := e.do(t, "POST", "/api/v1/reports/"+r.ID+"/corrections", `{"action":"add","start":15,"end":18,"lat":1,"lon":1}`, "token"); w.Code != 409 {
		t.Errorf("overlapping add: %d %s", w.Code, w.Body)
	}

	// A manual point for a mention, then for the report.
	res = e.correct(t, r.ID, `{"action":"point","mention":1,"lat":34.5,"lon":36.5,"name":"Khalidiyah (checkpoint)"}`)
	if p := res.Report.Mentions[1].Place; p.Lat != 34.5 || p.ID != 0 || p.Name != "Khalidiyah (checkpoint)" {
		t.Errorf("mention point: %+v", p)
	}
	res = e.correct(t, r.ID, `{"action":"point","lat":35,"lon":38}`)
	if l := res.Report.Location; l.Lat != 35 || l.Mention != -1 || l.Provenance.Method != geotag.MethodManual {
		t.Errorf("report point: %+v", l)
	}
	// It stays through later mention corrections.
	res = e.correct(t, r.ID, `{"action":"remove","mention":0}`)
	if l := res.Report.Location; l.Lat != 35 {
		t.Errorf("manual point moved: %+v", l)
	}

	res = e.correct(t, r.ID, `{"action":"review"}`)
	if res.Report.Status != geotag.StatusReviewed {
		t.Errorf("status = %q", res.Report.Status)
	}

	// Everything is in the history, in order.
	w := e.do(t, "GET", "/api/v1/reports/"+r.ID+"/history", "")
	h := decode[struct{ Revisions []geotag.Revision }](t, w)
	var actions []string
	for _, rv := range h.Revisions {
		actions = append(actions, rv.Action)
	}
	want := "[create pick pick pick main remove remove add point point remove review]"
	if fmt.Sprint(actions) != want {
		t.Errorf("history = %v, want %s", actions, want)
	}
}

func TestAddAll(t *testing.T) {
	e := newEnv(t)
	r := e.create(t, `{"text":"Idlib and Idlibs and Idlib.","mentions":[]}`)
	res := e.correct(t, r.ID, `{"action":"add","start":0,"end":5,"lat":35.9,"lon":36.6,"all":true}`)
	if len(res.Report.Mentions) != 2 || res.Report.Mentions[1].Start != 21 || len(res.Revisions) != 2 {
		t.Errorf("add all: %+v", res.Report.Mentions)
	}
	if res.Report.Location == nil || res.Report.Location.Lat != 35.9 {
		t.Errorf("location after add = %+v", res.Report.Location)
	}
}

// Concurrent editors: If-Match names the version a client read; a change
// to another version is refused with 412, and a correction naming the
// mention's text is refused with 409 when the index moved.
func TestOptimisticConcurrency(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		n := 0
		c.Now = func() time.Time { n++; return time.Date(2024, 1, 1, 0, 0, n, 0, time.UTC) }
	})
	r := e.create(t, `{"text":"Aleppo and Amman"}`)
	w := e.do(t, "GET", "/api/v1/reports/"+r.ID, "")
	tag := w.Header().Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	if w := e.do(t, "GET", "/api/v1/reports/"+r.ID, "", "If-None-Match: "+tag); w.Code != 304 {
		t.Errorf("If-None-Match: %d", w.Code)
	}
	w = e.do(t, "POST", "/api/v1/reports/"+r.ID+"/corrections", `{"action":"remove","mention":0,"text":"Aleppo"}`, "token", "If-Match: "+tag)
	if w.Code != 200 || w.Header().Get("ETag") == tag {
		t.Fatalf("first correction: %d %s", w.Code, w.Body)
	}
	w = e.do(t, "POST", "/api/v1/reports/"+r.ID+"/corrections", `{"action":"review"}`, "token", "If-Match: "+tag)
	if w.Code != 412 || decode[Problem](t, w).Field != "If-Match" {
		t.Errorf("stale If-Match: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "PATCH", "/api/v1/reports/"+r.ID, `{"title":"x"}`, "token", "If-Match: "+tag); w.Code != 412 {
		t.Errorf("stale If-Match on PATCH: %d", w.Code)
	}
	w = e.do(t, "POST", "/api/v1/reports/"+r.ID+"/corrections", `{"action":"remove","mention":0,"text":"Aleppo"}`, "token")
	if w.Code != 409 || decode[Problem](t, w).Field != "text" {
		t.Errorf("moved mention: %d %s", w.Code, w.Body)
	}
}

func TestUndo(t *testing.T) {
	e := newEnv(t)
	r := e.create(t, `{"text":"Khalidiyah in Aleppo was hit; Khalidiyah again."}`)
	orig := r
	if w := e.do(t, "POST", "/api/v1/reports/"+r.ID+"/corrections", `{"action":"undo"}`, "token"); w.Code != 409 {
		t.Errorf("undo with nothing to undo: %d %s", w.Code, w.Body)
	}
	e.correct(t, r.ID, fmt.Sprintf(`{"action":"pick","mention":0,"place_id":%d,"all":true}`, khalidiyaA.ID))
	e.correct(t, r.ID, `{"action":"main","mention":1}`)
	e.correct(t, r.ID, `{"action":"remove","mention":0,"all":true}`)
	res := e.correct(t, r.ID, `{"action":"review"}`)
	if len(res.Report.Mentions) != 1 || res.Report.Status != geotag.StatusReviewed {
		t.Fatalf("setup: %+v", res.Report)
	}

	// Undo, newest first: review, the removal of both, the main choice,
	// the pick of both.
	res = e.correct(t, r.ID, `{"action":"undo"}`)
	if res.Report.Status != geotag.StatusUnreviewed {
		t.Errorf("undo review: %q", res.Report.Status)
	}
	res = e.correct(t, r.ID, `{"action":"undo"}`)
	if m := res.Report.Mentions; len(m) != 3 || m[0].Place.ID != khalidiyaA.ID || m[2].Place.ID != khalidiyaA.ID || len(res.Revisions) != 2 {
		t.Errorf("undo remove: %+v", res.Report.Mentions)
	}
	if l := res.Report.Location; l.PlaceID != aleppo.ID || l.Mention != 1 || l.Provenance.Method != geotag.MethodManual {
		t.Errorf("location after undoing the removal: %+v", l)
	}
	res = e.correct(t, r.ID, `{"action":"undo"}`)
	if l := res.Report.Location; l.Provenance.Method != geotag.MethodAuto {
		t.Errorf("undo main: %+v", l)
	}
	res = e.correct(t, r.ID, `{"action":"undo"}`)
	for i, m := range res.Report.Mentions {
		if m.Place.ID != orig.Mentions[i].Place.ID || m.Manual {
			t.Errorf("undo pick: mention %d = %+v", i, m)
		}
	}
	if l := res.Report.Location; l.PlaceID != orig.Location.PlaceID || l.Mention != orig.Location.Mention {
		t.Errorf("location after undoing everything: %+v, want %+v", l, orig.Location)
	}
	if w := e.do(t, "POST", "/api/v1/reports/"+r.ID+"/corrections", `{"action":"undo"}`, "token"); w.Code != 409 {
		t.Errorf("undo past the start: %d %s", w.Code, w.Body)
	}

	// An add is undone too.
	e.correct(t, r.ID, `{"action":"add","start":22,"end":26,"lat":1,"lon":2}`)
	res = e.correct(t, r.ID, `{"action":"undo"}`)
	if len(res.Report.Mentions) != 3 {
		t.Errorf("undo add: %+v", res.Report.Mentions)
	}
}
