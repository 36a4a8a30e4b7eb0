package server

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// mentionIndex returns the index of the nth mention (from 0) whose text is
// text, -1 if there is none.
func mentionIndex(r *geotag.Report, text string, nth int) int {
	for i, m := range r.Mentions {
		if m.Text == text {
			if nth == 0 {
				return i
			}
			nth--
		}
	}
	return -1
}

// carrySummary writes carries as "action text #mention", "; "-separated.
func carrySummary(cs []geotag.Carry) string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s #%d", c.Action, c.Text, c.Mention))
	}
	return strings.Join(out, "; ")
}

// tickingClock returns a clock that moves one second each time it is read.
func tickingClock() func() time.Time {
	n := 0
	return func() time.Time { n++; return time.Date(2024, 1, 1, 0, 0, n, 0, time.UTC) }
}

// A text edit carries the corrections made by hand to the new mentions,
// each kept where its words are and reported in the answer and the edit's
// revision; the words gone are reported as dropped.
func TestEditCarriesCorrections(t *testing.T) {
	type fix func(r *geotag.Report) string // a correction's body, given the report
	pick := func(text string, nth int, p geotag.Place) fix {
		return func(r *geotag.Report) string {
			return fmt.Sprintf(`{"action":"pick","mention":%d,"place_id":%d}`, mentionIndex(r, text, nth), p.ID)
		}
	}
	point := func(text string, lat, lon float64) fix {
		return func(r *geotag.Report) string {
			return fmt.Sprintf(`{"action":"point","mention":%d,"lat":%g,"lon":%g}`, mentionIndex(r, text, 0), lat, lon)
		}
	}
	remove := func(text string) fix {
		return func(r *geotag.Report) string {
			return fmt.Sprintf(`{"action":"remove","mention":%d}`, mentionIndex(r, text, 0))
		}
	}
	mainAt := func(text string) fix {
		return func(r *geotag.Report) string {
			return fmt.Sprintf(`{"action":"main","mention":%d}`, mentionIndex(r, text, 0))
		}
	}
	add := func(start, end int, lat, lon float64) fix {
		return func(r *geotag.Report) string {
			return fmt.Sprintf(`{"action":"add","start":%d,"end":%d,"lat":%g,"lon":%g}`, start, end, lat, lon)
		}
	}
	placeOf := func(t *testing.T, r *geotag.Report, text string, nth int) *geotag.Mention {
		t.Helper()
		i := mentionIndex(r, text, nth)
		if i < 0 {
			t.Fatalf("no mention %q #%d in %+v", text, nth, r.Mentions)
		}
		return &r.Mentions[i]
	}

	for _, tt := range []struct {
		name        string
		text        string
		fixes       []fix
		method      string // PATCH unless set
		body        string
		wantCarried string // carrySummary; "-" for no carried field in the answer
		wantDropped string
		check       func(t *testing.T, r *geotag.Report)
	}{
		{name: "pick", text: "Khalidiyah was hit.", fixes: []fix{pick("Khalidiyah", 0, khalidiyaA)},
			body: `{"text":"Overnight, Khalidiyah was hit again."}`, wantCarried: "pick Khalidiyah #0",
			check: func(t *testing.T, r *geotag.Report) {
				m := placeOf(t, r, "Khalidiyah", 0)
				if m.Start != 11 || m.Place.ID != khalidiyaA.ID || !m.Manual || len(m.Alternatives) != 1 || m.Alternatives[0].ID != khalidiyaH.ID {
					t.Errorf("picked mention %+v", m)
				}
			}},
		{name: "point", text: "Shelling in Aleppo.", fixes: []fix{point("Aleppo", 36.3, 37.2)},
			body: `{"text":"Heavy shelling in Aleppo today."}`, wantCarried: "point Aleppo #0",
			check: func(t *testing.T, r *geotag.Report) {
				if m := placeOf(t, r, "Aleppo", 0); m.Place.Lat != 36.3 || m.Place.Lon != 37.2 || !m.Manual || m.Start != 18 {
					t.Errorf("pointed mention %+v", m)
				}
			}},
		{name: "add", text: "Shelling in Raqqa and Aleppo.", fixes: []fix{add(12, 17, 35.95, 39.01)},
			body: `{"text":"Shelling in Aleppo, then Raqqa."}`, wantCarried: "add Raqqa #1",
			check: func(t *testing.T, r *geotag.Report) {
				if m := placeOf(t, r, "Raqqa", 0); m.Start != 25 || m.Place.Lat != 35.95 || !m.Manual {
					t.Errorf("added mention %+v", m)
				}
				if placeOf(t, r, "Aleppo", 0).Manual {
					t.Error("Aleppo became manual")
				}
			}},
		{name: "remove everywhere", text: "Jordan Smith visited Amman.", fixes: []fix{remove("Jordan")},
			body: `{"text":"Jordan Smith left Amman; Jordan said so."}`, wantCarried: "remove Jordan #-1; remove Jordan #-1",
			check: func(t *testing.T, r *geotag.Report) {
				if len(r.Mentions) != 1 || r.Mentions[0].Text != "Amman" {
					t.Errorf("mentions %+v, want only Amman", r.Mentions)
				}
			}},
		{name: "main follows its mention", text: "Aleppo and Amman.", fixes: []fix{mainAt("Amman")},
			body: `{"text":"Convoys: Aleppo and Amman."}`, wantCarried: "main Amman #1",
			check: func(t *testing.T, r *geotag.Report) {
				if l := r.Location; l == nil || l.Mention != 1 || l.PlaceID != amman.ID || l.Provenance.Method != geotag.MethodManual || l.Provenance.By != "admin" {
					t.Errorf("location %+v", l)
				}
			}},
		{name: "picked and main", text: "Khalidiyah and Aleppo.", fixes: []fix{pick("Khalidiyah", 0, khalidiyaA), mainAt("Khalidiyah")},
			body: `{"text":"In Aleppo and Khalidiyah."}`, wantCarried: "pick Khalidiyah #1; main Khalidiyah #1",
			check: func(t *testing.T, r *geotag.Report) {
				if l := r.Location; l == nil || l.Mention != 1 || l.PlaceID != khalidiyaA.ID {
					t.Errorf("location %+v", l)
				}
			}},
		{name: "moved occurrence", text: "Khalidiyah was hit. Aleppo too.", fixes: []fix{pick("Khalidiyah", 0, khalidiyaA)},
			body: `{"text":"Aleppo too. Khalidiyah was hit."}`, wantCarried: "pick Khalidiyah #1",
			check: func(t *testing.T, r *geotag.Report) {
				if m := placeOf(t, r, "Khalidiyah", 0); m.Start != 12 || m.Place.ID != khalidiyaA.ID {
					t.Errorf("moved mention %+v", m)
				}
			}},
		{name: "duplicated name", text: "Khalidiyah was hit; later Khalidiyah again.", fixes: []fix{pick("Khalidiyah", 1, khalidiyaA)},
			body: `{"text":"News: Khalidiyah was hit; later, Khalidiyah again."}`, wantCarried: "pick Khalidiyah #1",
			check: func(t *testing.T, r *geotag.Report) {
				if a, b := placeOf(t, r, "Khalidiyah", 0), placeOf(t, r, "Khalidiyah", 1); a.Manual || a.Place.ID != khalidiyaH.ID || !b.Manual || b.Place.ID != khalidiyaA.ID {
					t.Errorf("the correction went to the wrong occurrence: %+v / %+v", a, b)
				}
			}},
		{name: "words removed", text: "Khalidiyah and Aleppo and Amman.", fixes: []fix{pick("Khalidiyah", 0, khalidiyaA), mainAt("Amman")},
			body: `{"text":"Only Aleppo now."}`, wantCarried: "", wantDropped: "pick Khalidiyah #-1; main Amman #-1",
			check: func(t *testing.T, r *geotag.Report) {
				if l := r.Location; l == nil || l.PlaceID != aleppo.ID || l.Provenance.Method != geotag.MethodAuto {
					t.Errorf("location %+v, want Aleppo automatically", l)
				}
				if d := r.History[len(r.History)-1].Dropped; len(d) != 2 || d[0].Start != 0 || d[0].End != 10 || d[0].Place.ID != khalidiyaA.ID {
					t.Errorf("dropped %+v, want the old span and the place", d)
				}
			}},
		{name: "case change", text: "Shelling in Aleppo.", fixes: []fix{point("Aleppo", 36.3, 37.2)},
			body: `{"text":"SHELLING IN ALEPPO."}`, wantCarried: "point ALEPPO #0",
			check: func(t *testing.T, r *geotag.Report) {
				if m := placeOf(t, r, "ALEPPO", 0); m.Place.Lat != 36.3 || !m.Manual || m.Start != 12 {
					t.Errorf("mention %+v", m)
				}
			}},
		{name: "exact case first", text: "Shelling in Aleppo.", fixes: []fix{point("Aleppo", 36.3, 37.2)},
			body: `{"text":"ALEPPO: shelling in Aleppo."}`, wantCarried: "point Aleppo #0",
			check: func(t *testing.T, r *geotag.Report) {
				if m := placeOf(t, r, "Aleppo", 0); m.Place.Lat != 36.3 || m.Start != 20 {
					t.Errorf("mention %+v", m)
				}
			}},
		{name: "client mentions are authoritative", text: "Khalidiyah was hit.", fixes: []fix{pick("Khalidiyah", 0, khalidiyaA)},
			body:        `{"text":"Khalidiyah was hit hard.","mentions":[{"start":0,"end":10,"text":"Khalidiyah","confidence":0.5,"place":{"id":169304,"name":"Khalidiyah","lat":34.75,"lon":36.7,"feature":"P.PPL"}}]}`,
			wantCarried: "-",
			check: func(t *testing.T, r *geotag.Report) {
				if m := placeOf(t, r, "Khalidiyah", 0); m.Manual || m.Place.ID != khalidiyaH.ID {
					t.Errorf("mention %+v, want the client's", m)
				}
			}},
		{name: "PUT", text: "Shelling in Aleppo.", fixes: []fix{point("Aleppo", 36.3, 37.2)}, method: "PUT",
			body: `{"title":"t","text":"Heavy shelling in Aleppo."}`, wantCarried: "point Aleppo #0",
			check: func(t *testing.T, r *geotag.Report) {
				if m := placeOf(t, r, "Aleppo", 0); m.Place.Lat != 36.3 || r.Title != "t" {
					t.Errorf("mention %+v, title %q", m, r.Title)
				}
			}},
		{name: "a new main point, text unchanged", text: "Khalidiyah and Amman.", fixes: []fix{pick("Khalidiyah", 0, khalidiyaA), mainAt("Amman")},
			body: `{"location":{"lat":1,"lon":2}}`, wantCarried: "pick Khalidiyah #0",
			check: func(t *testing.T, r *geotag.Report) {
				if l := r.Location; l.Mention != -1 || l.Lat != 1 {
					t.Errorf("location %+v, want the new point", l)
				}
				if placeOf(t, r, "Khalidiyah", 0).Place.ID != khalidiyaA.ID {
					t.Error("the pick was lost")
				}
			}},
		// The title is tagged with the text: a new title tags both again,
		// the corrections carried as for a text edit.
		{name: "title only", text: "Khalidiyah was hit.", fixes: []fix{pick("Khalidiyah", 0, khalidiyaA)},
			body: `{"title":"new"}`, wantCarried: "pick Khalidiyah #0",
			check: func(t *testing.T, r *geotag.Report) {
				if r.History[len(r.History)-1].Action != geotag.ActionEdit || placeOf(t, r, "Khalidiyah", 0).Place.ID != khalidiyaA.ID || len(r.TitleMentions) != 0 {
					t.Errorf("a title change lost the pick: %+v, title mentions %+v", r.History[len(r.History)-1], r.TitleMentions)
				}
			}},
		{name: "a title naming a place", text: "Shelling in Khalidiyah and Amman.",
			body: `{"title":"Amman under fire"}`, wantCarried: "",
			check: func(t *testing.T, r *geotag.Report) {
				if len(r.TitleMentions) != 1 || r.TitleMentions[0].Start != 0 || r.TitleMentions[0].End != 5 || r.TitleMentions[0].Place.ID != amman.ID {
					t.Errorf("title mentions %+v", r.TitleMentions)
				}
				if l := r.Location; l == nil || l.PlaceID != amman.ID || l.Mention != 1 || !strings.Contains(l.Why, "named in the headline") {
					t.Errorf("location %+v, want Amman of the text, named in the headline", l)
				}
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.Now = tickingClock() })
			r := e.create(t, `{"title":"t","text":`+quote(tt.text)+`}`)
			fixedAt := map[string]time.Time{}
			for _, f := range tt.fixes {
				res := e.correct(t, r.ID, f(r))
				r = res.Report
				fixedAt[res.Revisions[0].Action] = res.Revisions[0].At
			}
			method := tt.method
			if method == "" {
				method = "PATCH"
			}
			w := e.do(t, method, "/api/v1/reports/"+r.ID, tt.body, "token")
			if w.Code != 200 {
				t.Fatalf("%s: %d %s", method, w.Code, w.Body)
			}
			a := decode[editAnswer](t, w)
			var raw map[string]json.RawMessage
			_ = json.Unmarshal(w.Body.Bytes(), &raw)
			if tt.wantCarried == "-" {
				if _, ok := raw["carried"]; ok || a.Carried != nil || a.Dropped != nil {
					t.Errorf("carried/dropped in an answer without carrying: %s", w.Body)
				}
			} else {
				if a.Carried == nil || a.Dropped == nil {
					t.Fatalf("no carried/dropped: %s", w.Body)
				}
				if got := carrySummary(*a.Carried); got != tt.wantCarried {
					t.Errorf("carried %q, want %q", got, tt.wantCarried)
				}
				if got := carrySummary(*a.Dropped); got != tt.wantDropped {
					t.Errorf("dropped %q, want %q", got, tt.wantDropped)
				}
				last := a.History[len(a.History)-1]
				if last.Action != geotag.ActionEdit || carrySummary(last.Carried) != tt.wantCarried || carrySummary(last.Dropped) != tt.wantDropped {
					t.Errorf("the edit revision does not record them: %+v", last)
				}
				for _, c := range *a.Carried {
					if c.Mention >= 0 && (a.Mentions[c.Mention].Start != c.Start || a.Mentions[c.Mention].Text != c.Text) {
						t.Errorf("carried %+v does not name mention %d %+v", c, c.Mention, a.Mentions[c.Mention])
					}
					// The correction's own author and time, not the edit's.
					if c.By != "admin" || !c.At.Equal(fixedAt[c.Action]) {
						t.Errorf("carried %+v: provenance is not the correction's (%v)", c, fixedAt[c.Action])
					}
				}
			}
			stored, err := e.reports.FindReportByID(context.Background(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(stored.Mentions, a.Mentions) {
				t.Errorf("the answer's mentions are not the stored ones")
			}
			tt.check(t, a.Report)
		})
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// An edit with a stale If-Match is refused and changes nothing; a current
// one carries the corrections.
func TestEditCarryIfMatch(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Now = tickingClock() })
	r := e.create(t, `{"text":"Khalidiyah was hit."}`)
	stale := e.do(t, "GET", "/api/v1/reports/"+r.ID, "").Header().Get("ETag")
	e.correct(t, r.ID, fmt.Sprintf(`{"action":"pick","mention":0,"place_id":%d}`, khalidiyaA.ID))
	if w := e.do(t, "PATCH", "/api/v1/reports/"+r.ID, `{"text":"Nothing."}`, "token", "If-Match: "+stale); w.Code != 412 {
		t.Fatalf("stale If-Match: %d %s", w.Code, w.Body)
	}
	got, _ := e.reports.FindReportByID(context.Background(), r.ID)
	if got.Text != "Khalidiyah was hit." || got.Mentions[0].Place.ID != khalidiyaA.ID {
		t.Errorf("a refused edit changed the report: %+v", got)
	}
	cur := e.do(t, "GET", "/api/v1/reports/"+r.ID, "").Header().Get("ETag")
	w := e.do(t, "PATCH", "/api/v1/reports/"+r.ID, `{"text":"Again Khalidiyah was hit."}`, "token", "If-Match: "+cur)
	if w.Code != 200 {
		t.Fatalf("current If-Match: %d %s", w.Code, w.Body)
	}
	if a := decode[editAnswer](t, w); a.Mentions[0].Place.ID != khalidiyaA.ID || carrySummary(*a.Carried) != "pick Khalidiyah #0" {
		t.Errorf("answer %+v", a)
	}
}

// Undo after an edit brings back the old text and the old mentions, with
// their corrections; the corrections before the edit can then be undone;
// the creation cannot. An edit recorded before edits kept what they
// replaced cannot be undone.
func TestUndoEdit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Now = tickingClock() })
	r := e.create(t, `{"text":"Khalidiyah in Aleppo was hit; Jordan said."}`)
	e.correct(t, r.ID, fmt.Sprintf(`{"action":"pick","mention":0,"place_id":%d}`, khalidiyaA.ID))
	res := e.correct(t, r.ID, fmt.Sprintf(`{"action":"remove","mention":%d}`, mentionIndex(res0(e, t, r.ID), "Jordan", 0)))
	before := res.Report

	w := e.do(t, "PATCH", "/api/v1/reports/"+r.ID, `{"text":"Jordan: Aleppo and Khalidiyah hit again."}`, "token")
	if w.Code != 200 {
		t.Fatalf("edit: %d %s", w.Code, w.Body)
	}
	edited := decode[editAnswer](t, w)
	if carrySummary(*edited.Carried) != "pick Khalidiyah #1; remove Jordan #-1" {
		t.Fatalf("carried %q", carrySummary(*edited.Carried))
	}

	res = e.correct(t, r.ID, `{"action":"undo"}`)
	if res.Report.Text != before.Text || !reflect.DeepEqual(res.Report.Mentions, before.Mentions) || !reflect.DeepEqual(res.Report.Location, before.Location) {
		t.Errorf("undo of the edit:\n got %q %+v %+v\nwant %q %+v %+v", res.Report.Text, res.Report.Mentions, res.Report.Location, before.Text, before.Mentions, before.Location)
	}
	if rv := res.Revisions; len(rv) != 1 || rv[0].Action != geotag.ActionUndo || rv[0].BeforeText == nil || *rv[0].BeforeText != edited.Text || len(rv[0].BeforeMentions) != len(edited.Mentions) {
		t.Errorf("undo revision %+v, want the edited text and mentions it replaced", rv)
	}
	res = e.correct(t, r.ID, `{"action":"undo"}`)
	if mentionIndex(res.Report, "Jordan", 0) < 0 || res.Report.Text != before.Text {
		t.Errorf("undo of the removal after undoing the edit: %+v", res.Report.Mentions)
	}
	res = e.correct(t, r.ID, `{"action":"undo"}`)
	if m := res.Report.Mentions[0]; m.Manual || m.Place.ID != khalidiyaH.ID {
		t.Errorf("undo of the pick: %+v", m)
	}
	if w := e.do(t, "POST", "/api/v1/reports/"+r.ID+"/corrections", `{"action":"undo"}`, "token"); w.Code != 409 {
		t.Errorf("undo of the creation: %d %s", w.Code, w.Body)
	}

	// An edit revision without what it replaced (recorded before) is final.
	e.reports.mu.Lock()
	old := e.reports.reports[r.ID]
	old.History = append(old.History, geotag.Revision{At: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), Action: geotag.ActionEdit, Mention: -1})
	e.reports.mu.Unlock()
	if w := e.do(t, "POST", "/api/v1/reports/"+r.ID+"/corrections", `{"action":"undo"}`, "token"); w.Code != 409 {
		t.Errorf("undo of an edit without before_text: %d %s", w.Code, w.Body)
	}
}

// res0 reads a report.
func res0(e *env, t *testing.T, id string) *geotag.Report {
	t.Helper()
	r, err := e.reports.FindReportByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// twiceReports runs each update's fn once more, first, on a copy it then
// throws away, as a store whose transaction is retried does.
type twiceReports struct {
	*memReports
	first *geotag.Report // what the first run made of its copy
}

func (m *twiceReports) UpdateReport(ctx context.Context, id string, fn func(*geotag.Report) error) (*geotag.Report, error) {
	c, err := m.memReports.FindReportByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := fn(c); err != nil {
		return nil, err
	}
	m.first = clone(c)
	return m.memReports.UpdateReport(ctx, id, fn)
}

// The edit's update function may run more than once: the second run on a
// fresh copy makes the same report as the first, and the answer's
// carried and dropped are that run's alone.
func TestEditCarryRepeatable(t *testing.T) {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tw := &twiceReports{memReports: newMemReports()}
	e := newEnv(t, func(c *Config) { c.Now = func() time.Time { return at }; c.Reports = tw })
	e.reports = tw.memReports
	r := e.create(t, `{"text":"Khalidiyah and Aleppo, Jordan and Amman."}`)
	e.correct(t, r.ID, fmt.Sprintf(`{"action":"pick","mention":0,"place_id":%d}`, khalidiyaA.ID))
	e.correct(t, r.ID, `{"action":"remove","mention":2}`)
	e.correct(t, r.ID, `{"action":"main","mention":2}`)
	w := e.do(t, "PATCH", "/api/v1/reports/"+r.ID, `{"text":"Jordan, Amman: Aleppo and Khalidiyah. Gone."}`, "token")
	if w.Code != 200 {
		t.Fatalf("edit: %d %s", w.Code, w.Body)
	}
	a := decode[editAnswer](t, w)
	stored := res0(e, t, r.ID)
	if !reflect.DeepEqual(clone(tw.first), stored) {
		t.Errorf("two runs differ:\nfirst  %+v\nsecond %+v", tw.first, stored)
	}
	if got := carrySummary(*a.Carried); got != "pick Khalidiyah #2; main Amman #0; remove Jordan #-1" {
		t.Errorf("carried %q (a run's lists must not add up)", got)
	}

	// carryCorrections itself changes none of its inputs.
	prev := clone(&geotag.Report{Text: "Khalidiyah and Aleppo", Mentions: stored.Mentions, History: stored.History, Location: stored.Location})
	in := geotag.CarryInput{OldText: stored.Text, Mentions: stored.Mentions, Location: stored.Location, History: stored.History,
		NewText: "Aleppo and Khalidiyah", Tagged: stored.Mentions[:1]}
	once, twice := geotag.CarryCorrections(in), geotag.CarryCorrections(in)
	if !reflect.DeepEqual(once, twice) {
		t.Errorf("carryCorrections differs between runs")
	}
	after := clone(&geotag.Report{Text: "Khalidiyah and Aleppo", Mentions: in.Mentions, History: in.History, Location: in.Location})
	if !reflect.DeepEqual(prev, after) {
		t.Errorf("carryCorrections changed its input")
	}
}
