package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// POST /api/v1/tag tags a title with its text: the title's mentions with
// offsets in the title, the text's in the text, and the automatic main
// location with why it was chosen.
func TestTagTitleAndMain(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, "POST", "/api/v1/tag", `{"title":"Strike on Aleppo","text":"Officials in Amman said an airstrike hit Aleppo."}`)
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	a := decode[tagResponse](t, w)
	if len(a.TitleMentions) != 1 || a.TitleMentions[0].Start != 10 || a.TitleMentions[0].End != 16 || a.TitleMentions[0].Place.ID != aleppo.ID {
		t.Errorf("title mentions %+v", a.TitleMentions)
	}
	if len(a.Mentions) != 2 || a.Mentions[0].Start != 13 || a.Mentions[0].Place.ID != amman.ID || a.Mentions[1].Start != 41 {
		t.Errorf("mentions %+v", a.Mentions)
	}
	l := a.Location
	if l == nil || l.PlaceID != aleppo.ID || l.Mention != 1 || l.Provenance.Method != geotag.MethodAuto ||
		!strings.Contains(l.Why, "named in the headline") || !strings.Contains(l.Why, "Amman (only as where someone spoke)") {
		t.Errorf("location %+v", l)
	}
	// Without a title the answer has no title_mentions, and the place where
	// officials spoke still loses to the place of the strike.
	w = e.do(t, "POST", "/api/v1/tag", `{"text":"Officials in Amman said an airstrike hit Aleppo."}`)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw["title_mentions"]; ok {
		t.Errorf("title_mentions without a title: %s", w.Body)
	}
	if l := decode[tagResponse](t, w).Location; l == nil || l.PlaceID != aleppo.ID || !strings.Contains(l.Why, "where the reported events happened") {
		t.Errorf("location without a title %+v", l)
	}
	w = e.do(t, "POST", "/api/v1/tag", `{"title":"`+strings.Repeat("a", maxTitle+1)+`","text":"x"}`)
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"field":"title"`) {
		t.Errorf("a long title: %d %s", w.Code, w.Body)
	}
}

// A report of only a title is placed at the place the title names; the
// stored report and its GeoJSON feature carry the title's mentions.
func TestTitleOnlyReport(t *testing.T) {
	e := newEnv(t)
	r := e.create(t, `{"title":"Airstrike on Aleppo kills 4"}`)
	if len(r.Mentions) != 0 || len(r.TitleMentions) != 1 || r.TitleMentions[0].Text != "Aleppo" || r.TitleMentions[0].Start != 13 {
		t.Fatalf("mentions %+v, title mentions %+v", r.Mentions, r.TitleMentions)
	}
	if l := r.Location; l == nil || l.PlaceID != aleppo.ID || l.Mention != -1 || l.Provenance.Method != geotag.MethodAuto || l.Why == "" {
		t.Errorf("location %+v", l)
	}
	for _, path := range []string{"/api/v1/reports/" + r.ID, "/api/v1/reports/" + r.ID + "?format=json"} {
		w := e.do(t, "GET", path, "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"title_mentions":[{"start":13,"end":19,"text":"Aleppo"`) ||
			!strings.Contains(w.Body.String(), `"why":"the only place named (a town or site)"`) {
			t.Errorf("%s: %d %s", path, w.Code, w.Body)
		}
	}
	// A new title without a place leaves the report without one.
	w := e.do(t, "PATCH", "/api/v1/reports/"+r.ID, `{"title":"Airstrike kills 4"}`, "token")
	if got := decode[editAnswer](t, w); w.Code != http.StatusOK || got.TitleMentions != nil || got.Location != nil {
		t.Errorf("new title: %d %s", w.Code, w.Body)
	}
}

// POST /api/v1/preview reads the title's mentions too, checked against
// the title.
func TestPreviewTitle(t *testing.T) {
	e := newEnv(t)
	body := `{"title":"Amman talks","text":"Aleppo was shelled.","title_mentions":[{"start":0,"end":5,"text":"Amman","confidence":0.9,"place":` +
		mustJSON(t, amman) + `}],"mentions":[{"start":0,"end":6,"text":"Aleppo","confidence":0.9,"place":` + mustJSON(t, aleppo) + `}]}`
	w := e.do(t, "POST", "/api/v1/preview", body)
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	// Amman in the headline (1.5) against Aleppo in a sentence telling
	// an event (1.5): a tie, to the place named first.
	if l := decode[previewAnswer](t, w).Location; l == nil || l.PlaceID != amman.ID || l.Mention != -1 || !strings.Contains(l.Why, "named in the headline") {
		t.Errorf("location %+v", l)
	}
	bad := strings.Replace(body, `"start":0,"end":5`, `"start":0,"end":50`, 1)
	w = e.do(t, "POST", "/api/v1/preview", bad)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"field":"title_mentions[0].start"`) {
		t.Errorf("a title mention outside the title: %d %s", w.Code, w.Body)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
