package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// The incident limits a server is given (serve's flags) bound what a
// client gets: sources and title past them are 400, a list page holds at
// most MaxPage incidents (with a next link), same-event answers at most
// MaxSameEvent candidates, the history keeps the first and newest
// revisions; the API document states the sources limit.
func TestIncidentLimits(t *testing.T) {
	lim := geotag.IncidentLimits{MaxSources: 3, MaxTitle: 10, MaxRevisions: 3, MaxPage: 1, MaxSameEvent: 2}
	e := newEnv(t, withIncidents, func(c *Config) { c.IncidentLimits = lim })
	ids := liveBlog(t, e)
	body := func(title string, n int) string {
		return fmt.Sprintf(`{"title":%q,"report_ids":["%s"]}`, title, strings.Join(ids[:n], `","`))
	}
	if w := e.do(t, "POST", "/api/v1/incidents", body("Strike", 4), "token"); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "report_ids") {
		t.Errorf("4 sources over a limit of 3: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "POST", "/api/v1/incidents", body("Market strike", 3), "token"); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "title") {
		t.Errorf("a 13-byte title over a limit of 10: %d %s", w.Code, w.Body)
	}
	w := e.do(t, "POST", "/api/v1/incidents", body("Strike", 3), "token")
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	inc := decode[geotag.Incident](t, w)
	path := "/api/v1/incidents/" + inc.ID
	if w := e.do(t, "POST", path+"/sources", `{"report_id":"`+ids[3]+`"}`, "token"); w.Code != http.StatusBadRequest {
		t.Errorf("linking a 4th source: %d %s", w.Code, w.Body)
	}
	for i := range 4 {
		if w := e.do(t, "PATCH", path, fmt.Sprintf(`{"set":{"fatalities":%d}}`, i), "token"); w.Code != http.StatusOK {
			t.Fatalf("set: %d %s", w.Code, w.Body)
		}
	}
	got := decode[geotag.Incident](t, e.do(t, "GET", path, ""))
	if h := got.History; len(h) != 3 || h[0].Action != "create" || *h[2].After.Fatalities != 3 {
		t.Errorf("history %+v: want the creation and the two newest", h)
	}
	e.do(t, "POST", "/api/v1/incidents", `{"report_ids":["`+ids[5]+`"]}`, "token")
	fc := decode[map[string]any](t, e.do(t, "GET", "/api/v1/incidents?limit=100", ""))
	if n := len(fc["features"].([]any)); n != 1 || len(fc["links"].([]any)) != 1 {
		t.Errorf("limit=100 over a page limit of 1: %d features, links %v", n, fc["links"])
	}
	ans := decode[struct {
		Candidates []geotag.SameEventCandidate `json:"candidates"`
	}](t, e.do(t, "GET", "/api/v1/reports/"+ids[0]+"/same-event", ""))
	if len(ans.Candidates) != 2 {
		t.Errorf("%d same-event candidates, want 2", len(ans.Candidates))
	}
	doc := decode[map[string]any](t, e.do(t, "GET", "/api/v1/openapi.json", ""))
	post := doc["paths"].(map[string]any)["/incidents"].(map[string]any)["post"].(map[string]any)
	schema := post["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	if m := schema["properties"].(map[string]any)["report_ids"].(map[string]any)["maxItems"]; m != 3.0 {
		t.Errorf("the API document's maxItems %v, want 3", m)
	}
}
