package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// txReports is memReports that records when a transaction's function is
// running and, as a grouped commit may, runs it twice; before the
// transactions it names, it lets a concurrent edit change the report.
type txReports struct {
	*memReports
	inTx    atomic.Bool
	between func(id string, n int) // called before the nth UpdateReport (from 1)
	updates int
}

func (t *txReports) UpdateReport(ctx context.Context, id string, fn func(*geotag.Report) error) (*geotag.Report, error) {
	t.updates++
	if t.between != nil {
		t.between(id, t.updates)
	}
	return t.memReports.UpdateReport(ctx, id, func(r *geotag.Report) error {
		t.inTx.Store(true)
		defer t.inTx.Store(false)
		if err := fn(clone(r)); err != nil { // a first run whose batch is retried
			return err
		}
		return fn(r)
	})
}

// txTagger counts the tagger's runs, and those inside a transaction.
type txTagger struct {
	*fakeTagger
	rs             *txReports
	runs, insideTx int
}

func (t *txTagger) Tag(ctx context.Context, text string, opt geotag.TagOptions) ([]geotag.Mention, error) {
	t.runs++
	if t.rs.inTx.Load() {
		t.insideTx++
	}
	return t.fakeTagger.Tag(ctx, text, opt)
}

func newTxEnv(t *testing.T) (*env, *txReports, *txTagger) {
	rs := &txReports{memReports: newMemReports()}
	tg := &txTagger{fakeTagger: &fakeTagger{}, rs: rs}
	e := newEnv(t, func(c *Config) { c.Reports, c.Tagger = rs, tg })
	e.reports = rs.memReports
	return e, rs, tg
}

// An edit tags the new text before the write transaction, once, and never
// while it holds the store's write lock, even when the transaction's
// function runs twice.
func TestEditTagsBeforeTheTransaction(t *testing.T) {
	e, _, tg := newTxEnv(t)
	r := e.create(t, `{"title":"t","text":"Shelling in Aleppo."}`)
	tg.runs = 0
	for _, m := range []string{"PATCH", "PUT"} {
		w := e.do(t, m, "/api/v1/reports/"+r.ID, `{"title":"t","text":"Refugees reached Amman `+m+`."}`, "token")
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", m, w.Code, w.Body)
		}
		got := decode[*geotag.Report](t, w)
		if len(got.Mentions) != 1 || got.Mentions[0].Text != "Amman" {
			t.Errorf("%s: mentions %+v", m, got.Mentions)
		}
	}
	if tg.insideTx != 0 || tg.runs != 2 {
		t.Errorf("the tagger ran %d times for two edits, %d of them inside the write transaction; want 2 and 0", tg.runs, tg.insideTx)
	}
}

// When the text to tag changes between the tagging and the transaction (a
// point set while another request edits the text), the edit tags the
// stored text again instead of storing mentions of a text that is gone;
// when it keeps changing, the answer is a 409, and nothing is stored.
func TestEditRetagsAStaleText(t *testing.T) {
	e, rs, _ := newTxEnv(t)
	r := e.create(t, `{"title":"t","text":"Shelling in Aleppo."}`)
	concurrent := func(id string, text string) {
		rs.mu.Lock()
		rs.reports[id].Text = text
		rs.mu.Unlock()
	}
	rs.between = func(id string, n int) {
		if n == 1 {
			concurrent(id, "Refugees reached Amman.")
		}
	}
	w := e.do(t, "PATCH", "/api/v1/reports/"+r.ID, `{"location":{"lat":1,"lon":2}}`, "token")
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	got := decode[*geotag.Report](t, w)
	if got.Text != "Refugees reached Amman." || len(got.Mentions) != 1 || got.Mentions[0].Text != "Amman" {
		t.Errorf("the edit stored the mentions of the old text: %q %+v", got.Text, got.Mentions)
	}
	rs.between = func(id string, n int) { concurrent(id, fmt.Sprint("Aleppo, take ", n)) }
	w = e.do(t, "PATCH", "/api/v1/reports/"+r.ID, `{"location":{"lat":3,"lon":4}}`, "token")
	if w.Code != http.StatusConflict || decode[Problem](t, w).Code != geotag.ECONFLICT {
		t.Errorf("a text that keeps changing: %d %s, want 409", w.Code, w.Body)
	}
	if l := e.reports.reports[r.ID].Location; l == nil || l.Lat == 3 {
		t.Errorf("the refused edit was stored: %+v", l)
	}
}

// Tags, tag lengths and texts over the report limits are refused with a
// 422 problem naming the field, before the text is tagged, by POST, PUT
// and PATCH; tags are de-duplicated first.
func TestReportLimitsHTTP(t *testing.T) {
	rs := &txReports{memReports: newMemReports()}
	tg := &txTagger{fakeTagger: &fakeTagger{}, rs: rs}
	e := newEnv(t, func(c *Config) {
		c.Reports, c.Tagger = rs, tg
		c.ReportLimits = geotag.ReportLimits{MaxTextBytes: 100}
	})
	e.reports = rs.memReports
	tags := func(n int, size int) string {
		ts := make([]string, n)
		for i := range ts {
			ts[i] = fmt.Sprintf("%0*d", size, i)
		}
		b, _ := json.Marshal(ts)
		return string(b)
	}
	r := e.create(t, `{"title":"t","text":"Aleppo","tags":`+tags(geotag.DefaultMaxTags, 3)+`}`)
	dup := `["a",` + strings.Repeat(`"a",`, 50_000) + `"b"]` // two tags
	e.create(t, `{"title":"t","text":"Aleppo","tags":`+dup+`}`)
	tg.runs = 0
	for _, tt := range []struct {
		name, body, field string
	}{
		{"TooManyTags", `{"title":"t","text":"Aleppo","tags":` + tags(geotag.DefaultMaxTags+1, 3) + `}`, "tags"},
		{"TagOver32KiB", `{"title":"t","text":"Aleppo","tags":` + tags(1, 40<<10) + `}`, "tags"},
		{"TagOverLimit", `{"title":"t","text":"Aleppo","tags":` + tags(1, geotag.DefaultMaxTagBytes+1) + `}`, "tags"},
		{"TextOverLimit", `{"title":"t","text":"Aleppo ` + strings.Repeat("x", 100) + `"}`, "text"},
	} {
		for _, m := range []string{"POST", "PUT", "PATCH"} {
			path := "/api/v1/reports"
			if m != "POST" {
				path += "/" + r.ID
			}
			w := e.do(t, m, path, tt.body, "token")
			p := decode[Problem](t, w)
			if w.Code != http.StatusUnprocessableEntity || p.Field != tt.field || w.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s %s: %d %.200s, want a 422 problem on %q", tt.name, m, w.Code, w.Body, tt.field)
			}
		}
	}
	if tg.runs != 0 {
		t.Errorf("the tagger ran %d times on refused reports", tg.runs)
	}
	if got := e.reports.reports[r.ID]; len(got.Tags) != geotag.DefaultMaxTags {
		t.Errorf("a refused edit changed the report's tags: %d", len(got.Tags))
	}
	cfg := decode[map[string]any](t, e.do(t, "GET", "/api/v1/config", ""))
	lim, _ := cfg["report_limits"].(map[string]any)
	if lim["max_tags"] != float64(geotag.DefaultMaxTags) || lim["max_text_bytes"] != float64(100) || lim["max_revisions"] != float64(geotag.DefaultMaxRevisions) {
		t.Errorf("config report_limits = %v", cfg["report_limits"])
	}
}

// An import refuses a record over the report limits on its own (a 422
// item), stores the others, and tags none of the refused ones: CSV and
// GeoJSON alike.
func TestImportReportLimits(t *testing.T) {
	e, _, tg := newTxEnv(t)
	many := make([]string, 30_000)
	for i := range many {
		many[i] = fmt.Sprint("t", i)
	}
	csv := "title,text,tags\nok,Aleppo,a;b\nbig,Aleppo," + strings.Join(many, ";") + "\nlong,Amman," + strings.Repeat("x", 40<<10) + "\n"
	w := e.do(t, "POST", "/api/v1/import", csv, "token", "Content-Type: text/csv")
	if w.Code != http.StatusOK {
		t.Fatalf("CSV import: %d %s", w.Code, w.Body)
	}
	res := decode[ImportResult](t, w)
	if res.Created != 1 || res.Failed != 2 || res.Items[1].Status != 422 || res.Items[1].Problem.Field != "tags" || res.Items[2].Status != 422 {
		t.Errorf("CSV import: %+v", res)
	}
	b, _ := json.Marshal(many)
	geo := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"title":"big","text":"Aleppo","tags":` + string(b) + `}},` +
		`{"type":"Feature","properties":{"title":"ok","text":"Amman"}}]}`
	w = e.do(t, "POST", "/api/v1/import", geo, "token", "Content-Type: application/geo+json")
	res = decode[ImportResult](t, w)
	if w.Code != http.StatusOK || res.Created != 1 || res.Items[0].Status != 422 || res.Items[0].Problem.Code != geotag.EUNPROCESSABLE {
		t.Errorf("GeoJSON import: %d %+v", w.Code, res)
	}
	if tg.runs != 2 {
		t.Errorf("the tagger ran %d times for 2 reports stored", tg.runs)
	}
}

// Adding every occurrence of a name finds them in one pass: occurrences
// that overlap a mention or each other are skipped, a main mention keeps
// its index right, and more than the mention limit is a 422 (before, each
// added mention shifted all the others, quadratic in the occurrences).
func TestAddAllBounded(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.ReportLimits = geotag.ReportLimits{MaxMentions: 50} })
	ms := `[{"start":4,"end":9,"text":"Idlib","place":{"id":1,"name":"Idlib","lat":35.9,"lon":36.6},"manual":true}]`
	r := e.create(t, `{"text":"a a Idlib a a a, a.","mentions":`+ms+`}`)
	if w := e.do(t, "POST", "/api/v1/reports/"+r.ID+"/corrections", `{"action":"main","mention":0}`, "token"); w.Code != 200 {
		t.Fatalf("main: %d %s", w.Code, w.Body)
	}
	res := e.correct(t, r.ID, `{"action":"add","start":10,"end":13,"lat":1,"lon":2,"all":true}`)
	var spans []string
	for _, m := range res.Report.Mentions {
		spans = append(spans, fmt.Sprintf("%d-%d %s", m.Start, m.End, m.Text))
	}
	// "a a" occurs at 0, at 10 (asked) and at 12, which overlaps 10..13.
	if got := fmt.Sprint(spans); got != "[0-3 a a 4-9 Idlib 10-13 a a]" {
		t.Errorf("mentions %s", got)
	}
	if l := res.Report.Location; l == nil || l.Mention != 1 || l.Lat != 35.9 {
		t.Errorf("main location %+v, want mention 1, Idlib", l)
	}
	big := e.create(t, `{"text":"`+strings.Repeat("Aleppo ", 60)+`","mentions":[]}`)
	w := e.do(t, "POST", "/api/v1/reports/"+big.ID+"/corrections", `{"action":"add","start":0,"end":6,"lat":1,"lon":2,"all":true}`, "token")
	if w.Code != 422 || decode[Problem](t, w).Field != "all" {
		t.Errorf("60 occurrences over a limit of 50: %d %s", w.Code, w.Body)
	}
	if got := e.reports.reports[big.ID]; len(got.Mentions) != 0 {
		t.Errorf("the refused correction stored %d mentions", len(got.Mentions))
	}
}

// A correction is worked out outside the transaction on the report as
// read; when another write lands in between, it is worked again on the
// new version, so neither change is lost.
func TestCorrectionRedoneOnANewerVersion(t *testing.T) {
	e, rs, _ := newTxEnv(t)
	r := e.create(t, `{"title":"t","text":"Shelling in Aleppo and Amman."}`)
	rs.between = func(id string, n int) {
		if n == 1 { // another request renames the report meanwhile
			rs.mu.Lock()
			rs.reports[id].Title = "renamed"
			rs.reports[id].Updated = rs.reports[id].Updated.Add(time.Second)
			rs.mu.Unlock()
		}
	}
	res := e.correct(t, r.ID, `{"action":"remove","mention":0,"text":"Aleppo"}`)
	got := e.reports.reports[r.ID]
	if got.Title != "renamed" || len(got.Mentions) != 1 || got.Mentions[0].Text != "Amman" || len(res.Revisions) != 1 {
		t.Errorf("after a concurrent rename: title %q, mentions %+v", got.Title, got.Mentions)
	}
	if rs.updates != 2 {
		t.Errorf("%d transactions, want 2 (the first found the report changed)", rs.updates)
	}
}

// Two versions of a report are told apart even when written within one
// clock tick: by the fields a change sets.
func TestVersionOf(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	base := func() *geotag.Report {
		return &geotag.Report{Title: "t", Text: "x", Updated: t0, Tags: []string{"a"}, Location: &geotag.Location{Lat: 1, Provenance: geotag.Provenance{At: t0}}}
	}
	if versionOf(base()) != versionOf(base()) {
		t.Fatal("one report, two versions")
	}
	for name, change := range map[string]func(r *geotag.Report){
		"title":    func(r *geotag.Report) { r.Title = "u" },
		"tags":     func(r *geotag.Report) { r.Tags = []string{"a", "b"} },
		"location": func(r *geotag.Report) { r.Location = &geotag.Location{Lat: 2, Provenance: geotag.Provenance{At: t0}} },
		"point at": func(r *geotag.Report) { r.Location.Provenance.At = t0.Add(1) },
		"revision": func(r *geotag.Report) { r.History = append(r.History, geotag.Revision{}) },
		"updated":  func(r *geotag.Report) { r.Updated = t0.Add(1) },
	} {
		r := base()
		change(r)
		if versionOf(r) == versionOf(base()) {
			t.Errorf("a change of %s is not a new version", name)
		}
	}
}
