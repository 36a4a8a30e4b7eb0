package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// incidentList answers the incident list's features by incident ID: its
// stored figures, as a desk sees them.
func incidentList(t *testing.T, e *env) map[string]map[string]any {
	t.Helper()
	w := e.do(t, "GET", "/api/v1/incidents", "")
	if w.Code != http.StatusOK {
		t.Fatalf("list: %d %s", w.Code, w.Body)
	}
	out := map[string]map[string]any{}
	for _, f := range decode[map[string]any](t, w)["features"].([]any) {
		p := f.(map[string]any)["properties"].(map[string]any)
		out[p["id"].(string)] = p
	}
	return out
}

// Deleting a source report takes it out of its incident: the figures are
// derived again from the sources left (the list shows them, no source is
// "missing"), the analyst's own figures stay, the history says who deleted
// which source; an incident whose last source is deleted is deleted too.
func TestIncidentSourceDeleted(t *testing.T) {
	e := newEnv(t, withIncidents)
	ids := liveBlog(t, e)
	inc := decode[geotag.Incident](t, e.do(t, "POST", "/api/v1/incidents", `{"title":"Market strike","report_ids":["`+strings.Join(ids[:5], `","`)+`"]}`, "token"))
	lone := decode[geotag.Incident](t, e.do(t, "POST", "/api/v1/incidents", `{"report_ids":["`+ids[5]+`"]}`, "token"))
	if w := e.do(t, "PATCH", "/api/v1/incidents/"+inc.ID, `{"set":{"event_type":"Battles"}}`, "token"); w.Code != http.StatusOK {
		t.Fatalf("set: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "DELETE", "/api/v1/reports/"+ids[0], "", "token"); w.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", w.Code, w.Body)
	}
	got := decode[geotag.Incident](t, e.do(t, "GET", "/api/v1/incidents/"+inc.ID, ""))
	g := got.Figures
	if len(got.Sources) != 4 || got.Sources[0] != ids[1] || len(g.Missing) != 0 || g.Time.Hour() != 10 || g.TimeRule != geotag.RuleEarliest {
		t.Errorf("after deleting the first source: sources %v, missing %v, time %v (%s)", got.Sources, g.Missing, g.Time, g.TimeRule)
	}
	if g.EventType != "Battles" || g.TypeRule != geotag.RuleAnalyst || *g.Fatalities != 8 {
		t.Errorf("figures %+v: the analyst's type is kept, 8 killed by most sources", g)
	}
	last := got.History[len(got.History)-1]
	if last.Action != geotag.ActionSourceDeleted || last.Report != ids[0] || last.By != "admin" || got.Version != 3 {
		t.Errorf("history %+v, version %d", got.History, got.Version)
	}
	p := incidentList(t, e)[inc.ID]
	if p == nil || p["source_count"].(float64) != 4 || !strings.HasPrefix(p["time"].(string), "2024-03-01T10:15") {
		t.Errorf("the list shows %v", p)
	}
	if w := e.do(t, "DELETE", "/api/v1/reports/"+ids[5], "", "token"); w.Code != http.StatusNoContent {
		t.Fatalf("delete the last source: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "GET", "/api/v1/incidents/"+lone.ID, ""); w.Code != http.StatusNotFound {
		t.Errorf("an incident without sources: %d %s", w.Code, w.Body)
	}
	if l := incidentList(t, e); len(l) != 1 {
		t.Errorf("the list has %d incidents, want 1", len(l))
	}
	if w := e.do(t, "DELETE", "/api/v1/reports/"+ids[6], "", "token"); w.Code != http.StatusNoContent {
		t.Errorf("a report in no incident: %d", w.Code)
	}
	if w := e.do(t, "DELETE", "/api/v1/reports/"+ids[0], "", "token"); w.Code != http.StatusNotFound {
		t.Errorf("deleting again: %d", w.Code)
	}
}

// Editing a source report derives its incident's figures again (event
// type, death toll, time, location), as the list shows them, keeping the
// analyst's own figures; an edit that changes no figure writes nothing.
func TestIncidentSourceEdited(t *testing.T) {
	e := newEnv(t, withIncidents)
	ids := liveBlog(t, e)
	inc := decode[geotag.Incident](t, e.do(t, "POST", "/api/v1/incidents", `{"report_ids":["`+strings.Join(ids[:3], `","`)+`"]}`, "token"))
	if g := inc.Figures; *g.Fatalities != 3 || g.FatalitiesRule != geotag.RuleLowestOfTied {
		t.Fatalf("created with %+v", g)
	}
	path := "/api/v1/incidents/" + inc.ID
	edit := func(id, body string) {
		t.Helper()
		if w := e.do(t, "PATCH", "/api/v1/reports/"+id, body, "token"); w.Code != http.StatusOK {
			t.Fatalf("edit %s: %d %s", body, w.Code, w.Body)
		}
	}
	edit(ids[2], `{"fatalities":5}`)
	p := incidentList(t, e)[inc.ID]
	if p["fatalities"].(float64) != 5 || p["fatalities_rule"] != geotag.RuleMostSources {
		t.Errorf("after the toll of a source changed, the list shows %v killed (%v)", p["fatalities"], p["fatalities_rule"])
	}
	edit(ids[1], `{"time":"2024-03-01T08:00:00Z","location":{"lat":36.3,"lon":37.2}}`)
	edit(ids[0], `{"event_type":"Battles","sub_event_type":"Armed clash"}`)
	edit(ids[2], `{"event_type":"Battles","sub_event_type":"Armed clash"}`)
	p = incidentList(t, e)[inc.ID]
	if !strings.HasPrefix(p["time"].(string), "2024-03-01T08:00") || p["event_type"] != "Battles" || p["sub_event_type"] != "Armed clash" {
		t.Errorf("after the sources' time and type changed, the list shows %v", p)
	}
	if w := e.do(t, "PATCH", path, `{"set":{"fatalities":9}}`, "token"); w.Code != http.StatusOK {
		t.Fatalf("set: %d %s", w.Code, w.Body)
	}
	edit(ids[0], `{"fatalities":5}`)
	got := decode[geotag.Incident](t, e.do(t, "GET", path, ""))
	if *got.Figures.Fatalities != 9 || got.Figures.FatalitiesRule != geotag.RuleAnalyst {
		t.Errorf("the analyst's toll after an edit: %+v", got.Figures)
	}
	version := got.Version
	edit(ids[0], `{"text":"Breaking: an airstrike hit the vegetable market; several killed."}`)
	got = decode[geotag.Incident](t, e.do(t, "GET", path, ""))
	if got.Version != version {
		t.Errorf("an edit that changes no figure wrote the incident (version %d, was %d)", got.Version, version)
	}
	n := 0
	for _, h := range got.History {
		if h.Action == geotag.ActionSourceEdited {
			n++
			if h.By != "admin" || h.Report == "" {
				t.Errorf("revision %+v", h)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d source_edited revisions, want 3 (toll, time and place, type once a majority; not the first type edit, the analyst's toll or the text)", n)
	}
}

// A bulk correction that moves its reports' main place moves the
// incident they are sources of, once the job is done.
func TestIncidentSourcesBulkCorrected(t *testing.T) {
	e := newEnv(t, withIncidents)
	var ids []string
	for i := range 3 {
		ids = append(ids, e.create(t, fmt.Sprintf(`{"title":"r%d","text":"Khalidiyah in Aleppo, report %d.","time":"2024-03-01T1%d:00:00Z"}`, i, i, i)).ID)
	}
	inc := decode[geotag.Incident](t, e.do(t, "POST", "/api/v1/incidents", `{"report_ids":["`+ids[0]+`","`+ids[1]+`"]}`, "token"))
	if l := inc.Figures.Location; l == nil || l.PlaceID != khalidiyaH.ID {
		t.Fatalf("created at %+v", l)
	}
	w := e.do(t, "POST", "/api/v1/corrections/bulk", fmt.Sprintf(`{"words":"al-Khalidiyah","place_id":%d,"action":"pick","to_place_id":%d}`, khalidiyaH.ID, khalidiyaA.ID), "token")
	if w.Code != http.StatusAccepted {
		t.Fatalf("bulk: %d %s", w.Code, w.Body)
	}
	if j := e.waitJob(t, decode[bulkJob](t, w).ID); j.State != jobDone || j.Progress.Changed != 3 {
		t.Fatalf("job %+v", j)
	}
	r, _ := e.reports.FindReportByID(t.Context(), ids[0])
	if l := r.Location; l == nil || (l.Lat == inc.Figures.Location.Lat && l.Lon == inc.Figures.Location.Lon) {
		t.Fatalf("the bulk did not move the report: %+v", l)
	}
	fc := decode[map[string]any](t, e.do(t, "GET", "/api/v1/incidents", ""))
	g := fc["features"].([]any)[0].(map[string]any)["geometry"].(map[string]any)["coordinates"].([]any)
	if g[0].(float64) != r.Location.Lon || g[1].(float64) != r.Location.Lat {
		t.Errorf("the list puts the incident at %v, want its earliest source's new place %v,%v", g, r.Location.Lon, r.Location.Lat)
	}
	got := decode[geotag.Incident](t, e.do(t, "GET", "/api/v1/incidents/"+inc.ID, ""))
	if last := got.History[len(got.History)-1]; last.Action != geotag.ActionSourceEdited || last.By != "admin" {
		t.Errorf("history %+v", got.History)
	}
}
