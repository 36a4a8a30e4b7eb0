package server

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/geotag/geotag"
)

// POST /api/v1/preview answers the main location and corrections the
// service would make, by the domain's rules, and stores nothing.
func TestPreview(t *testing.T) {
	e := newEnv(t)
	text := "Khalidiyah near Aleppo"
	// Neither mention carries a precision: each takes its place's, so the
	// town (1) is finer than the district (2) found first.
	ms := []geotag.Mention{
		{Start: 0, End: 10, Text: "Khalidiyah", Kind: "place", Confidence: 0.9, Place: &khalidiyaA},
		{Start: 16, End: 22, Text: "Aleppo", Kind: "place", Confidence: 0.9, Place: &aleppo},
	}
	post := func(corrections string) previewAnswer {
		t.Helper()
		b, _ := json.Marshal(ms)
		w := e.do(t, "POST", "/api/v1/preview", fmt.Sprintf(`{"text":%q,"mentions":%s,"corrections":%s}`, text, b, corrections))
		if w.Code != 200 {
			t.Fatalf("preview %s: %d %s", corrections, w.Code, w.Body)
		}
		return decode[previewAnswer](t, w)
	}
	a := post(`[]`)
	if a.Location == nil || a.Location.Mention != 1 || a.Location.Precision != 1 || a.Location.Provenance.Method != geotag.MethodAuto {
		t.Errorf("automatic main: %+v", a.Location)
	}
	a = post(fmt.Sprintf(`[{"action":"pick","mention":0,"place_id":%d}]`, khalidiyaH.ID))
	if m := a.Mentions[0]; !m.Manual || m.Place.ID != khalidiyaH.ID || m.Precision != 1 || a.Location.Mention != 0 || len(a.Revisions) != 1 {
		t.Errorf("pick: %+v, location %+v", m, a.Location)
	}
	a = post(`[{"action":"main","mention":0},{"action":"remove","mention":1}]`)
	if len(a.Mentions) != 1 || a.Location.Mention != 0 || a.Location.Provenance.Method != geotag.MethodManual {
		t.Errorf("main then remove: %+v, location %+v", a.Mentions, a.Location)
	}
	if len(e.reports.reports) != 0 {
		t.Errorf("a preview stored %d reports", len(e.reports.reports))
	}

	w := e.do(t, "POST", "/api/v1/preview", `{"text":"Aleppo","mentions":[],"corrections":[{"action":"main","mention":3}]}`)
	if p := decode[Problem](t, w); w.Code != 422 || p.Field != "corrections[0].mention" {
		t.Errorf("bad correction: %d %s", w.Code, w.Body)
	}
	w = e.do(t, "POST", "/api/v1/preview", `{"text":"Aleppo","mentions":[{"start":0,"end":9}]}`)
	if p := decode[Problem](t, w); w.Code != 422 || p.Field != "mentions[0].start" {
		t.Errorf("bad mention: %d %s", w.Code, w.Body)
	}
	many := "["
	for i := range maxPreviewCorrections + 1 {
		if i > 0 {
			many += ","
		}
		many += `{"action":"review"}`
	}
	w = e.do(t, "POST", "/api/v1/preview", `{"text":"Aleppo","corrections":`+many+`]}`)
	if w.Code != 422 {
		t.Errorf("%d corrections: %d %s", maxPreviewCorrections+1, w.Code, w.Body)
	}
}
