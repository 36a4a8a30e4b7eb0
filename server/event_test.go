package server

import (
	"encoding/csv"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// TestReportEventFields: POST stores every event field (canonical spelling,
// a create revision with the event), GET answers them, PATCH changes only
// those sent (fatalities null clears) with an event revision, PUT clears
// those absent, and invalid ones are 400.
func TestReportEventFields(t *testing.T) {
	e := newEnv(t)
	r := e.create(t, `{"title":"Strike","text":"A drone strike hit the market.","event_type":"explosions/remote violence",
		"sub_event_type":"Air/drone strike","fatalities":4,"civilian_targeting":true,
		"actors":[{"name":"Air Force","side":1},{"name":"Civilians","side":2},{"name":"Farmers","side":2,"associated":true}]}`)
	if r.EventType != "Explosions/Remote violence" || r.SubEventType != "Air/drone strike" || r.Fatalities == nil ||
		*r.Fatalities != 4 || !r.CivilianTargeting || len(r.Actors) != 3 {
		t.Fatalf("created %+v", r.Event)
	}
	if h := r.History; len(h) != 1 || h[0].AfterEvent == nil || *h[0].AfterEvent.Fatalities != 4 {
		t.Errorf("create revision %+v", h)
	}
	got := decode[*geotag.Report](t, e.do(t, "GET", "/api/v1/reports/"+r.ID+"?format=json", ""))
	if !got.Event.Equal(&r.Event) {
		t.Errorf("GET json %+v", got.Event)
	}
	feat := decode[map[string]any](t, e.do(t, "GET", "/api/v1/reports/"+r.ID, ""))
	if p := feat["properties"].(map[string]any); p["event_type"] != "Explosions/Remote violence" || p["fatalities"] != 4.0 {
		t.Errorf("GET feature %v", p)
	}

	patch := func(method, body string) *geotag.Report {
		t.Helper()
		w := e.do(t, method, "/api/v1/reports/"+r.ID, body, "token")
		if w.Code != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, body, w.Code, w.Body)
		}
		return decode[*geotag.Report](t, w)
	}
	p := patch("PATCH", `{"fatalities":6}`)
	if *p.Fatalities != 6 || p.SubEventType != "Air/drone strike" || len(p.Actors) != 3 || !p.CivilianTargeting {
		t.Errorf("PATCH fatalities: %+v", p.Event)
	}
	last := p.History[len(p.History)-1]
	if last.Action != geotag.ActionEvent || *last.BeforeEvent.Fatalities != 4 || *last.AfterEvent.Fatalities != 6 {
		t.Errorf("event revision %+v", last)
	}
	if p = patch("PATCH", `{"title":"Strike"}`); len(p.History) != 2 {
		t.Errorf("an unchanged event recorded a revision: %d revisions", len(p.History))
	}
	if p = patch("PATCH", `{"fatalities":null,"event_type":"Battles"}`); p.Fatalities != nil || p.EventType != "Battles" || p.SubEventType != "" {
		t.Errorf("PATCH null fatalities, other type: %+v", p.Event)
	}
	if p = patch("PATCH", `{"sub_event_type":"Peaceful protest"}`); p.EventType != "Protests" {
		t.Errorf("a sub-type alone: %+v", p.Event)
	}
	if p = patch("PUT", `{"title":"Strike","text":"x"}`); !p.Event.IsZero() {
		t.Errorf("PUT without event fields keeps %+v", p.Event)
	}
	for _, body := range []string{`{"event_type":"Skirmish"}`, `{"event_type":"Battles","sub_event_type":"Grenade"}`,
		`{"fatalities":-1}`, `{"fatalities":"many"}`, `{"fatalities":1.5}`, `{"actors":[{"name":"a","side":3}]}`,
		`{"actors":[{"name":"","side":1}]}`} {
		if w := e.do(t, "PATCH", "/api/v1/reports/"+r.ID, body, "token"); w.Code != http.StatusBadRequest {
			t.Errorf("PATCH %s: %d %s", body, w.Code, w.Body)
		}
	}
}

// TestEventFilters: event_type (several, any case), fatalities_min and
// actor select reports in lists, exports, cells, histograms and OGC items;
// bad values are 400.
func TestEventFilters(t *testing.T) {
	e := newEnv(t)
	e.create(t, `{"title":"a","text":"x","event_type":"Battles","fatalities":3,"actors":[{"name":"HTS","side":1}]}`)
	e.create(t, `{"title":"b","text":"x","event_type":"Riots","fatalities":0}`)
	e.create(t, `{"title":"c","text":"x","event_type":"Protests"}`)
	e.create(t, `{"title":"d","text":"x"}`)
	count := func(path string) int {
		t.Helper()
		w := e.do(t, "GET", path, "")
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
		return strings.Count(w.Body.String(), `"type":"Feature"`)
	}
	for _, tt := range []struct {
		query string
		want  int
	}{
		{"event_type=Battles", 1},
		{"event_type=battles,RIOTS", 2},
		{"event_type=Battles&event_type=Protests", 2},
		{"fatalities_min=0", 2},
		{"fatalities_min=1", 1},
		{"actor=hts", 1},
		{"actor=Wagner", 0},
		{"event_type=Riots&fatalities_min=1", 0},
	} {
		for _, path := range []string{"/api/v1/reports?", "/api/v1/export/geojson?", "/ogc/collections/reports/items?"} {
			if got := count(path + tt.query); got != tt.want {
				t.Errorf("%s%s: %d reports, want %d", path, tt.query, got, tt.want)
			}
		}
		h := decode[map[string]any](t, e.do(t, "GET", "/api/v1/histogram?"+tt.query, ""))
		if h["total"] != float64(tt.want) {
			t.Errorf("histogram %s: %v", tt.query, h)
		}
	}
	for _, q := range []string{"event_type=Skirmish", "fatalities_min=-1", "fatalities_min=x", "actor=" + strings.Repeat("a", 300)} {
		for _, path := range []string{"/api/v1/reports?", "/api/v1/cells?zoom=3&", "/api/v1/histogram?", "/ogc/collections/reports/items?"} {
			if w := e.do(t, "GET", path+q, ""); w.Code != http.StatusBadRequest {
				t.Errorf("%s%.40s: %d", path, q, w.Code)
			}
		}
	}
}

// TestACLEDEventRoundTrip: an ACLED-shaped CSV (testdata/acled-events.csv)
// imports with its event columns, and the CSV export gives them back under
// ACLED's names, cell for cell.
func TestACLEDEventRoundTrip(t *testing.T) {
	file, err := os.ReadFile("testdata/acled-events.csv")
	if err != nil {
		t.Fatal(err)
	}
	in, err := csv.NewReader(strings.NewReader(string(file))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	w := e.do(t, "POST", "/api/v1/import", string(file), "token", "Content-Type: text/csv")
	if res := decode[ImportResult](t, w); w.Code != 200 || res.Created != len(in)-1 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	w = e.do(t, "GET", "/api/v1/export/csv", "")
	out, err := csv.NewReader(w.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(rows [][]string, name string) int {
		for i, h := range rows[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s in %q", name, rows[0])
		return -1
	}
	for _, row := range in[1:] {
		for _, ext := range []string{row[col(in, "event_id_cnty")]} {
			var got []string
			for _, r := range out[1:] {
				if r[col(out, "external_id")] == ext {
					got = r
				}
			}
			if got == nil {
				t.Fatalf("%s not exported", ext)
			}
			for _, name := range csvEventHeader {
				if g, w := got[col(out, name)], row[col(in, name)]; g != w {
					t.Errorf("%s %s: exported %q, imported %q", ext, name, g, w)
				}
			}
		}
	}
	// The filters see the imported events.
	if w := e.do(t, "GET", "/api/v1/reports?event_type=Battles&actor=Northern%20Liberation%20Front", ""); strings.Count(w.Body.String(), `"type":"Feature"`) != 1 {
		t.Errorf("filter on imported events: %s", w.Body)
	}
	// A bad cell is a failed row, not a dropped value.
	w = e.do(t, "POST", "/api/v1/import", "notes,fatalities,civilian_targeting\nx,many,\ny,1,maybe\nz,2,Civilian targeting\n", "token", "Content-Type: text/csv")
	if res := decode[ImportResult](t, w); res.Created != 1 || res.Failed != 2 || res.Items[0].Problem.Field != "fatalities" ||
		res.Items[1].Problem.Field != "civilian_targeting" {
		t.Errorf("bad cells: %s", w.Body)
	}
}

type fakeEvents struct{}

func (fakeEvents) SuggestEvent(text string) geotag.EventSuggestion {
	n := len(text)
	return geotag.EventSuggestion{EventType: "Battles", SubEventType: "Armed clash", Fatalities: &n,
		TypeEvidence: &geotag.Evidence{Text: text[:1], Start: 0, End: 1}}
}

// TestTagEventSuggestion: POST /api/v1/tag answers the suggester's event
// for the text, and none without a suggester.
func TestTagEventSuggestion(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Events = fakeEvents{} })
	w := e.do(t, "POST", "/api/v1/tag", `{"text":"Clashes in Aleppo"}`, "token")
	ans := decode[struct {
		Event *geotag.EventSuggestion `json:"event"`
	}](t, w)
	if w.Code != 200 || ans.Event == nil || ans.Event.EventType != "Battles" || *ans.Event.Fatalities != 17 ||
		ans.Event.TypeEvidence.Text != "C" {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	w = newEnv(t).do(t, "POST", "/api/v1/tag", `{"text":"Clashes in Aleppo"}`, "token")
	if strings.Contains(w.Body.String(), `"event"`) {
		t.Errorf("no suggester: %s", w.Body)
	}
}
