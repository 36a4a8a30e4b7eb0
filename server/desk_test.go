package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// memDesk keeps rules, desk places and their audit log in memory: the
// contract of the store's, for the handlers' tests.
type memDesk struct {
	mu     sync.Mutex
	rules  []geotag.Rule
	places []geotag.DeskPlace
	log    []geotag.AuditEntry
	seq    int
}

func (m *memDesk) audit(kind, id, action, by string, before, after any) {
	enc := func(v any) json.RawMessage {
		if v == nil {
			return nil
		}
		b, _ := json.Marshal(v)
		return b
	}
	m.log = append(m.log, geotag.AuditEntry{Seq: uint64(len(m.log) + 1), At: time.Now().UTC(), By: by, Kind: kind, ID: id, Action: action, Before: enc(before), After: enc(after)})
}

func (m *memDesk) Rules(ctx context.Context) ([]geotag.Rule, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.rules), nil
}

func (m *memDesk) CreateRule(ctx context.Context, r *geotag.Rule) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	r.ID, r.Created, r.Updated = fmt.Sprintf("r%d", m.seq), time.Now().UTC(), time.Now().UTC()
	m.rules = append(m.rules, *r)
	m.audit(geotag.AuditRule, r.ID, "create", r.By, nil, *r)
	return nil
}

func (m *memDesk) UpdateRule(ctx context.Context, id, by string, fn func(*geotag.Rule) error) (geotag.Rule, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, r := range m.rules {
		if r.ID == id {
			if err := fn(&r); err != nil {
				return geotag.Rule{}, err
			}
			r.Updated = time.Now().UTC()
			m.audit(geotag.AuditRule, id, "update", by, m.rules[i], r)
			m.rules[i] = r
			return r, nil
		}
	}
	return geotag.Rule{}, geotag.Errorf(geotag.ENOTFOUND, "no rule %q", id)
}

func (m *memDesk) DeleteRule(ctx context.Context, id, by string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, r := range m.rules {
		if r.ID == id {
			m.rules = slices.Delete(m.rules, i, i+1)
			m.audit(geotag.AuditRule, id, "delete", by, r, nil)
			return nil
		}
	}
	return geotag.Errorf(geotag.ENOTFOUND, "no rule %q", id)
}

func (m *memDesk) DeskPlaces(ctx context.Context) ([]geotag.DeskPlace, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.places), nil
}

func (m *memDesk) CreateDeskPlace(ctx context.Context, d *geotag.DeskPlace) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d.ID = geotag.DeskPlaceIDBase - int64(len(m.places))
	m.places = append(m.places, *d)
	m.audit(geotag.AuditDeskPlace, strconv.FormatInt(d.ID, 10), "create", d.By, nil, *d)
	return nil
}

func (m *memDesk) UpdateDeskPlace(ctx context.Context, id int64, by string, fn func(*geotag.DeskPlace) error) (geotag.DeskPlace, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, d := range m.places {
		if d.ID == id {
			if err := fn(&d); err != nil {
				return geotag.DeskPlace{}, err
			}
			m.audit(geotag.AuditDeskPlace, strconv.FormatInt(id, 10), "update", by, m.places[i], d)
			m.places[i] = d
			return d, nil
		}
	}
	return geotag.DeskPlace{}, geotag.Errorf(geotag.ENOTFOUND, "no desk place %d", id)
}

func (m *memDesk) DeleteDeskPlace(ctx context.Context, id int64, by string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, d := range m.places {
		if d.ID == id {
			m.places = slices.Delete(m.places, i, i+1)
			m.audit(geotag.AuditDeskPlace, strconv.FormatInt(id, 10), "delete", by, d, nil)
			return nil
		}
	}
	return geotag.Errorf(geotag.ENOTFOUND, "no desk place %d", id)
}

func (m *memDesk) Audit(ctx context.Context, f geotag.AuditFilter) ([]geotag.AuditEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []geotag.AuditEntry{}
	for _, e := range slices.Backward(m.log) {
		if (f.Kind == "" || e.Kind == f.Kind) && (f.ID == "" || e.ID == f.ID) {
			out = append(out, e)
		}
	}
	return out, nil
}

// withDesk wires the desk as cmd/geotag does: the rule tagger over the
// test tagger, the desk's gazetteer over the test places.
func withDesk(m *memDesk) func(*Config) {
	return func(c *Config) {
		g := geotag.NewDeskGazetteer(c.Places)
		rt := geotag.NewRuleTagger(c.Tagger)
		c.Places, c.Tagger = g, rt
		c.Rules = geotag.SyncRules{RuleService: m, Tagger: rt}
		c.DeskPlaces = geotag.SyncDeskPlaces{DeskPlaceService: m, Gazetteer: g, Tagger: rt}
		c.Audit = m
	}
}

func TestRulesAPI(t *testing.T) {
	m := &memDesk{}
	e := newEnv(t, withDesk(m))
	tag := func() []geotag.Mention {
		w := e.do(t, "POST", "/api/v1/tag", `{"text":"Jordan beat Nice in Amman."}`)
		return decode[tagResponse](t, w).Mentions
	}
	if ms := tag(); len(ms) != 3 {
		t.Fatalf("before: %+v", ms)
	}
	w := e.do(t, "POST", "/api/v1/rules", `{"words":"jordan","action":"not_place","note":"a team"}`, "token")
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	notPlace := decode[geotag.Rule](t, w)
	w = e.do(t, "POST", "/api/v1/rules", fmt.Sprintf(`{"words":"Nice","action":"place","place_id":%d,"from_place_id":%d,"bbox":"30,25,45,40"}`, aleppo.ID, nice.ID), "token")
	place := decode[geotag.Rule](t, w)
	if w.Code != http.StatusCreated || place.Place == nil || place.Place.Name != "Aleppo" || place.By != "admin" || place.BBox == nil {
		t.Fatalf("create place rule: %d %s", w.Code, w.Body)
	}
	ms := tag()
	if len(ms) != 2 || ms[0].Text != "Nice" || ms[0].Place.ID != aleppo.ID || ms[0].Rule == nil || ms[0].Rule.ID != place.ID || ms[1].Text != "Amman" {
		t.Fatalf("with the rules: %+v", ms)
	}
	// Out of the box's scope (no place of the text in it), the place rule
	// does not apply.
	w = e.do(t, "POST", "/api/v1/tag", `{"text":"A rally in Nice."}`)
	if ms := decode[tagResponse](t, w).Mentions; len(ms) != 1 || ms[0].Place.ID != nice.ID {
		t.Errorf("out of scope: %+v", ms)
	}

	for _, tc := range []struct {
		method, path, body string
		code               int
	}{
		{"POST", "/api/v1/rules", `{"words":"x","action":"place","place_id":99}`, 422},
		{"POST", "/api/v1/rules", `{"words":"","action":"not_place"}`, 400},
		{"POST", "/api/v1/rules", `{"words":"x","action":"not_place","bbox":"1,2"}`, 400},
		{"PATCH", "/api/v1/rules/nope", `{"disabled":true}`, 404},
		{"DELETE", "/api/v1/rules/nope", ``, 404},
		{"POST", "/api/v1/rules/nope/retag", `{}`, 404},
		{"POST", "/api/v1/rules/" + notPlace.ID + "/retag", `{}`, 400}, // no from_place_id, no place_id
	} {
		if w := e.do(t, tc.method, tc.path, tc.body, "token"); w.Code != tc.code {
			t.Errorf("%s %s %s: %d %s, want %d", tc.method, tc.path, tc.body, w.Code, w.Body, tc.code)
		}
	}
	if w := e.do(t, "POST", "/api/v1/rules", `{"words":"x","action":"not_place"}`, "Authorization: Bearer reader-secret"); w.Code != http.StatusForbidden {
		t.Errorf("a reader made a rule: %d", w.Code)
	}

	// Disable, then remove: the tagger follows each change.
	if w := e.do(t, "PATCH", "/api/v1/rules/"+notPlace.ID, `{"disabled":true}`, "token"); w.Code != 200 || !decode[geotag.Rule](t, w).Disabled {
		t.Fatalf("disable: %d %s", w.Code, w.Body)
	}
	if ms := tag(); len(ms) != 3 || ms[0].Text != "Jordan" {
		t.Errorf("disabled rule applied: %+v", ms)
	}
	if w := e.do(t, "DELETE", "/api/v1/rules/"+place.ID, "", "token"); w.Code != http.StatusNoContent {
		t.Fatalf("delete: %d", w.Code)
	}
	if ms := tag(); ms[1].Place.ID != nice.ID {
		t.Errorf("removed rule applied: %+v", ms)
	}
	w = e.do(t, "GET", "/api/v1/rules?format=jsonl", "")
	if w.Code != 200 || strings.Count(w.Body.String(), "\n") != 1 || !strings.Contains(w.Body.String(), `"disabled":true`) {
		t.Errorf("export: %d %s", w.Code, w.Body)
	}
	w = e.do(t, "GET", "/api/v1/audit?kind=rule", "")
	var au struct{ Entries []geotag.AuditEntry }
	if json.Unmarshal(w.Body.Bytes(), &au) != nil || len(au.Entries) != 4 || au.Entries[0].Action != "delete" || au.Entries[0].By != "admin" {
		t.Errorf("audit: %s", w.Body)
	}
	if w := e.do(t, "GET", "/api/v1/audit?limit=x", ""); w.Code != 400 {
		t.Errorf("audit limit=x: %d", w.Code)
	}
}

func TestRuleRetag(t *testing.T) {
	e := newEnv(t, withDesk(&memDesk{}))
	for range 3 {
		e.create(t, `{"title":"t","text":"Rally in Nice."}`)
	}
	w := e.do(t, "POST", "/api/v1/rules", fmt.Sprintf(`{"words":"Nice","action":"place","place_id":%d,"from_place_id":%d}`, aleppo.ID, nice.ID), "token")
	rule := decode[geotag.Rule](t, w)
	w = e.do(t, "POST", "/api/v1/rules/"+rule.ID+"/retag", `{"dry_run":true}`, "token")
	if got := decode[bulkAnswer](t, w); got.Reports != 3 {
		t.Fatalf("preview: %s", w.Body)
	}
	w = e.do(t, "POST", "/api/v1/rules/"+rule.ID+"/retag", `{}`, "token")
	j := e.waitJob(t, decode[bulkJob](t, w).ID)
	if j.Progress.Changed != 3 {
		t.Fatalf("job %+v", j)
	}
	p, _ := e.reports.FindReports(t.Context(), geotag.ReportFilter{PlaceID: aleppo.ID})
	if p.Total != 3 || p.Reports[0].Mentions[0].Rule == nil || p.Reports[0].Mentions[0].Manual {
		t.Fatalf("after the re-tag: %d, %+v", p.Total, p.Reports)
	}
}

func TestDeskPlacesAPI(t *testing.T) {
	e := newEnv(t, withDesk(&memDesk{}))
	fc := `{"type":"FeatureCollection","features":[
	  {"type":"Feature","geometry":{"type":"Point","coordinates":[37.1,36.2]},"properties":{"names":["Camp Seven","Mukhayyam Sab'a"],"country":"SY"}},
	  {"type":"Feature","geometry":{"type":"Point","coordinates":[36.3,33.5]},"properties":{"name":"Checkpoint Four","feature":"S.CTRB"}}]}`
	w := e.do(t, "POST", "/api/v1/desk-places", fc, "token")
	if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"stored":2`) {
		t.Fatalf("import: %d %s", w.Code, w.Body)
	}
	w = e.do(t, "GET", "/api/v1/places?q=camp+sev", "")
	if !strings.Contains(w.Body.String(), `"name":"Camp Seven"`) {
		t.Errorf("search: %s", w.Body)
	}
	w = e.do(t, "POST", "/api/v1/tag", `{"text":"Families left Camp Seven for Aleppo."}`)
	ms := decode[tagResponse](t, w).Mentions
	if len(ms) != 2 || ms[0].Text != "Camp Seven" || ms[0].Place.ID != geotag.DeskPlaceIDBase {
		t.Fatalf("tag: %+v", ms)
	}
	id := strconv.FormatInt(geotag.DeskPlaceIDBase-1, 10)
	if w := e.do(t, "PATCH", "/api/v1/desk-places/"+id, `{"names":["Checkpoint 4","Hajez Arba"]}`, "token"); w.Code != 200 || !strings.Contains(w.Body.String(), "Hajez Arba") {
		t.Fatalf("patch: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "GET", "/api/v1/places/"+id, ""); w.Code != 200 || !strings.Contains(w.Body.String(), "Checkpoint 4") {
		t.Errorf("place by id: %d %s", w.Code, w.Body)
	}
	w = e.do(t, "GET", "/api/v1/desk-places", "")
	if w.Code != 200 || strings.Count(w.Body.String(), `"type":"Feature"`) != 2 || !strings.Contains(w.Body.String(), `"coordinates":[37.1,36.2]`) {
		t.Errorf("export: %s", w.Body)
	}
	// The export imports back as it is.
	if again, err := geotag.ParseDeskPlaces(w.Body.Bytes(), 10); err != nil || len(again) != 2 || again[1].Names[1] != "Hajez Arba" {
		t.Errorf("export read back: %v %+v", err, again)
	}
	for _, tc := range []struct {
		method, path, body string
		code               int
	}{
		{"POST", "/api/v1/desk-places", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}`, 400},
		{"POST", "/api/v1/desk-places", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,95]},"properties":{"name":"x"}}`, 400},
		{"POST", "/api/v1/desk-places", `{"type":"FeatureCollection","features":[` + strings.Repeat(`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"name":"x"}},`, maxDeskImport) + `{}]}`, 413},
		{"PATCH", "/api/v1/desk-places/5", `{"note":"x"}`, 404},
		{"PATCH", "/api/v1/desk-places/x", `{"note":"x"}`, 400},
		{"DELETE", "/api/v1/desk-places/" + id, ``, 204},
		{"DELETE", "/api/v1/desk-places/" + id, ``, 404},
	} {
		if w := e.do(t, tc.method, tc.path, tc.body, "token"); w.Code != tc.code {
			t.Errorf("%s %s %.60s: %d %.200s, want %d", tc.method, tc.path, tc.body, w.Code, w.Body, tc.code)
		}
	}
	if w := e.do(t, "GET", "/api/v1/audit?kind=desk_place", ""); strings.Count(w.Body.String(), `"action":`) != 4 {
		t.Errorf("audit: %s", w.Body)
	}
}
