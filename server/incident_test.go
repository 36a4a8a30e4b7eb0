package server

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

func withIncidents(c *Config) { c.Incidents = newMemIncidents(c.Reports.(*memReports)) }

// liveBlog posts five updates of one live blog about one strike (the
// toll rising as the day goes on), a protest nearby the same day and
// the same market a week later, and returns their IDs: the five updates
// first.
func liveBlog(t *testing.T, e *env) []string {
	t.Helper()
	updates := []struct{ hour, lat, lon, fat string }{
		{"09:40", "36.2012", "37.1343", "3"}, {"10:15", "36.2010", "37.1350", "5"}, {"11:05", "36.2015", "37.1340", "8"},
		{"13:30", "36.2011", "37.1345", "8"}, {"17:55", "36.2013", "37.1347", "8"},
	}
	texts := []string{
		"Breaking: an airstrike hit the vegetable market in the old city; at least three people were killed.",
		"Update: rescuers at the vegetable market say five killed in the airstrike, dozens wounded.",
		"The death toll from the market airstrike in the old city rises to eight.",
		"Civil defence: eight killed in this morning's airstrike on the vegetable market, search ongoing.",
		"Evening summary: the airstrike on the old city vegetable market killed eight people.",
	}
	var ids []string
	for i, u := range updates {
		r := e.create(t, fmt.Sprintf(`{"title":"Live: market strike, update %d","text":%q,"time":"2024-03-01T%s:00Z",
			"source":"https://news.example/live#u%d","location":{"lat":%s,"lon":%s},
			"event_type":"Explosions/Remote violence","sub_event_type":"Air/drone strike","fatalities":%s}`,
			i+1, texts[i], u.hour, i+1, u.lat, u.lon, u.fat))
		ids = append(ids, r.ID)
	}
	ids = append(ids, e.create(t, `{"title":"Teachers protest","text":"Teachers protested over pay outside the governorate building.",
		"time":"2024-03-01T12:00:00Z","location":{"lat":36.205,"lon":37.14},"event_type":"Protests"}`).ID)
	ids = append(ids, e.create(t, `{"title":"Market reopens","text":"The vegetable market in the old city reopened after the airstrike.",
		"time":"2024-03-08T12:00:00Z","location":{"lat":36.2012,"lon":37.1343}}`).ID)
	return ids
}

// A live blog with five updates about one strike becomes one incident
// with five sources: each update's same-event candidates are the other
// four (likely), not the protest or the next week's report; the incident
// has one location, time, type and death count, each with its rule.
func TestIncidentFromLiveBlog(t *testing.T) {
	e := newEnv(t, withIncidents)
	ids := liveBlog(t, e)
	w := e.do(t, "GET", "/api/v1/reports/"+ids[0]+"/same-event", "")
	if w.Code != http.StatusOK {
		t.Fatalf("same-event: %d %s", w.Code, w.Body)
	}
	ans := decode[struct {
		Incident   string                      `json:"incident"`
		Candidates []geotag.SameEventCandidate `json:"candidates"`
	}](t, w)
	likely := map[string]bool{}
	for _, c := range ans.Candidates {
		if c.Likely {
			likely[c.ReportID] = true
		}
		if c.ReportID == ids[5] || c.ReportID == ids[6] {
			t.Errorf("candidate %s (%v): the protest and the next week's report are other events", c.Title, c.Reasons)
		}
	}
	for _, id := range ids[1:5] {
		if !likely[id] {
			t.Errorf("update %s is not a likely candidate: %+v", id, ans.Candidates)
		}
	}
	body := fmt.Sprintf(`{"report_ids":["%s"]}`, strings.Join(ids[:5], `","`))
	w = e.do(t, "POST", "/api/v1/incidents", body, "token")
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	inc := decode[geotag.Incident](t, w)
	g := inc.Figures
	if len(inc.Sources) != 5 || inc.Title != "Live: market strike, update 1" || g.EventType != "Explosions/Remote violence" ||
		g.SubEventType != "Air/drone strike" || *g.Fatalities != 8 || g.FatalitiesRule != geotag.RuleMostSources ||
		g.TimeRule != geotag.RuleEarliest || g.Time.Hour() != 9 || g.Location == nil || g.LocationRule != geotag.RuleMostPrecise {
		t.Errorf("incident %+v", inc)
	}
	if w.Header().Get("ETag") != `"i1"` {
		t.Errorf("ETag %q", w.Header().Get("ETag"))
	}
	got := decode[incidentAnswer](t, e.do(t, "GET", "/api/v1/incidents/"+inc.ID, ""))
	if len(got.SourceReports) != 5 || got.SourceReports[0].Title == "" {
		t.Errorf("sources %+v", got.SourceReports)
	}
	ans = decode[struct {
		Incident   string                      `json:"incident"`
		Candidates []geotag.SameEventCandidate `json:"candidates"`
	}](t, e.do(t, "GET", "/api/v1/reports/"+ids[0]+"/same-event", ""))
	if ans.Incident != inc.ID || ans.Candidates[0].Incident != inc.ID {
		t.Errorf("after linking: %+v", ans)
	}
	if w := e.do(t, "POST", "/api/v1/incidents", `{"report_ids":["`+ids[4]+`"]}`, "token"); w.Code != http.StatusConflict {
		t.Errorf("a linked report in a second incident: %d", w.Code)
	}
}

// Linking and unlinking: If-Match guards each change (412 for an old
// version), a report from another incident is 409, an unknown one 404,
// the last source cannot go (422); PATCH sets the analyst's figures,
// whose rule is then "analyst"; every change is a revision.
func TestIncidentLinking(t *testing.T) {
	e := newEnv(t, withIncidents)
	ids := liveBlog(t, e)
	inc := decode[geotag.Incident](t, e.do(t, "POST", "/api/v1/incidents", `{"title":"Market strike","report_ids":["`+ids[0]+`","`+ids[1]+`"]}`, "token"))
	other := decode[geotag.Incident](t, e.do(t, "POST", "/api/v1/incidents", `{"report_ids":["`+ids[5]+`"]}`, "token"))
	path := "/api/v1/incidents/" + inc.ID
	link := func(report, etag string) *http.Response {
		w := e.do(t, "POST", path+"/sources", `{"report_id":"`+report+`"}`, "token", "If-Match: "+etag)
		return w.Result()
	}
	if r := link(ids[2], `"i1"`); r.StatusCode != http.StatusOK || r.Header.Get("ETag") != `"i2"` {
		t.Fatalf("link: %d %s", r.StatusCode, r.Header.Get("ETag"))
	}
	if r := link(ids[3], `"i1"`); r.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("an old If-Match: %d", r.StatusCode)
	}
	if r := link(ids[5], `"i2"`); r.StatusCode != http.StatusConflict {
		t.Errorf("another incident's report: %d", r.StatusCode)
	}
	if r := link("01ARZ3NDEKTSV4RRFFQ69G5FAV", `"i2"`); r.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown report: %d", r.StatusCode)
	}
	w := e.do(t, "DELETE", path+"/sources/"+ids[0], "", "token", `If-Match: "i2"`)
	if w.Code != http.StatusOK {
		t.Fatalf("unlink: %d %s", w.Code, w.Body)
	}
	cur := decode[geotag.Incident](t, w)
	if len(cur.Sources) != 2 || cur.Figures.Time.Hour() != 10 {
		t.Errorf("after unlink: sources %v, time %v", cur.Sources, cur.Figures.Time)
	}
	w = e.do(t, "PATCH", path, `{"set":{"fatalities":6,"event_type":"explosions/remote violence"}}`, "token", `If-Match: "i3"`)
	cur = decode[geotag.Incident](t, w)
	if w.Code != http.StatusOK || *cur.Figures.Fatalities != 6 || cur.Figures.FatalitiesRule != geotag.RuleAnalyst || cur.Figures.TypeRule != geotag.RuleAnalyst {
		t.Errorf("PATCH: %d %+v", w.Code, cur.Figures)
	}
	if w := e.do(t, "PATCH", path, `{"set":{"event_type":"Picnic"}}`, "token"); w.Code != http.StatusBadRequest {
		t.Errorf("an unknown type: %d", w.Code)
	}
	if acts := []string{"create", "link", "unlink", "set"}; len(cur.History) != len(acts) {
		t.Errorf("history %+v", cur.History)
	} else {
		for i, h := range cur.History {
			if h.Action != acts[i] || h.By != "admin" {
				t.Errorf("revision %d: %+v", i, h)
			}
		}
	}
	one := "/api/v1/incidents/" + other.ID
	if w := e.do(t, "DELETE", one+"/sources/"+ids[5], "", "token"); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("unlinking the last source: %d", w.Code)
	}
	if w := e.do(t, "DELETE", one, "", "token"); w.Code != http.StatusNoContent {
		t.Errorf("delete: %d", w.Code)
	}
	if w := e.do(t, "POST", "/api/v1/incidents", `{"report_ids":["`+ids[5]+`"]}`, "reader"); w.Code == http.StatusCreated {
		t.Errorf("no token: %d", w.Code)
	}
}

// The incident list takes the report filter language (bbox, time, event
// type, fatalities, actor, q) as GeoJSON pages and CSV; place, status and
// tag are 400.
func TestIncidentList(t *testing.T) {
	e := newEnv(t, withIncidents)
	ids := liveBlog(t, e)
	e.do(t, "POST", "/api/v1/incidents", `{"title":"Market strike","report_ids":["`+strings.Join(ids[:5], `","`)+`"]}`, "token")
	e.do(t, "POST", "/api/v1/incidents", `{"title":"Pay protest","report_ids":["`+ids[5]+`"]}`, "token")
	count := func(q string) int {
		t.Helper()
		w := e.do(t, "GET", "/api/v1/incidents?"+q, "")
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", q, w.Code, w.Body)
		}
		return len(decode[map[string]any](t, w)["features"].([]any))
	}
	for q, want := range map[string]int{"": 2, "event_type=Protests": 1, "fatalities_min=8": 1, "fatalities_max=7": 0,
		"bbox=37,36,38,37": 2, "bbox=0,0,1,1": 0, "from=2024-03-01T10:00:00Z": 1, "q=protest": 1} {
		if n := count(q); n != want {
			t.Errorf("%q: %d incidents, want %d", q, n, want)
		}
	}
	fc := decode[map[string]any](t, e.do(t, "GET", "/api/v1/incidents?limit=1", ""))
	links := fc["links"].([]any)
	if len(fc["features"].([]any)) != 1 || len(links) != 1 {
		t.Errorf("first page: %v", fc)
	}
	p := fc["features"].([]any)[0].(map[string]any)["properties"].(map[string]any)
	if p["source_count"] == nil || p["fatalities_rule"] == nil {
		t.Errorf("properties %v", p)
	}
	w := e.do(t, "GET", "/api/v1/incidents?format=csv&event_type=Explosions/Remote%20violence", "")
	rows, err := csv.NewReader(w.Body).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][0] != "id" || rows[1][8] != "8" || rows[1][10] != "5" {
		t.Errorf("CSV %v %v", rows, err)
	}
	doc := decode[map[string]any](t, e.do(t, "GET", "/api/v1/openapi.json", ""))["paths"].(map[string]any)
	for _, p := range []string{"/incidents", "/incidents/{id}", "/incidents/{id}/sources", "/incidents/{id}/sources/{report}", "/reports/{id}/same-event"} {
		if doc[p] == nil {
			t.Errorf("the API document lacks %s", p)
		}
	}
	for _, q := range []string{"tag=x", "status=reviewed", "place=1", "format=xml"} {
		if w := e.do(t, "GET", "/api/v1/incidents?"+q, ""); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", q, w.Code)
		}
	}
}
