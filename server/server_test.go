package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/geotag/geotag"
)

const (
	adminToken  = "admin-secret"
	readerToken = "reader-secret"
)

// env is a server on fakes.
type env struct {
	srv     *Server
	reports *memReports
	tagger  *fakeTagger
}

func newEnv(t testing.TB, opts ...func(*Config)) *env {
	t.Helper()
	e := &env{reports: newMemReports(), tagger: &fakeTagger{}}
	cfg := Config{
		Reports: e.reports,
		Tagger:  e.tagger,
		Places:  fakePlaces{},
		Views:   newMemViews(),
		Tokens: newFakeTokens(&geotag.Token{ID: "t1", Name: "admin", Admin: true},
			&geotag.Token{ID: "t2", Name: "reader", ReadOnly: true},
			&geotag.Token{ID: "t3", Name: "writer"}),
		Frontend: fstest.MapFS{
			"index.html":    {Data: []byte("<!doctype html><title>geotag</title>")},
			"js/main.js":    {Data: []byte("console.log(1)")},
			"css/app.css":   {Data: []byte("body{}")},
			"vendor/x.json": {Data: []byte("{}")},
		},
		RateIP:    -1,
		RateToken: -1,
	}
	for _, o := range opts {
		o(&cfg)
	}
	e.srv = New(cfg)
	return e
}

// do sends a request with an optional JSON body and headers given as
// "Name: value" strings; "token" alone stands for the admin token.
func (e *env) do(t testing.TB, method, path, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	req.RemoteAddr = "192.0.2.1:1234"
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range headers {
		if h == "token" {
			req.Header.Set("Authorization", "Bearer "+adminToken)
			continue
		}
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	return w
}

func decode[T any](t testing.TB, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %q: %v", w.Body.String(), err)
	}
	return v
}

// create posts a report and returns it.
func (e *env) create(t testing.TB, body string) *geotag.Report {
	t.Helper()
	w := e.do(t, "POST", "/api/v1/reports", body, "token")
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	return decode[*geotag.Report](t, w)
}

const seedText = "Shelling hit Khalidiyah in Aleppo on Monday. Refugees reached Amman, Jordan, and a rally was held in Nice."

func TestTag(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, "POST", "/api/v1/tag", `{"text":"From Aleppo to Amman"}`)
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	got := decode[tagResponse](t, w)
	if len(got.Mentions) != 2 || got.Mentions[0].Text != "Aleppo" || got.Mentions[1].Start != 15 || got.Mentions[1].End != 20 {
		t.Errorf("mentions = %+v", got.Mentions)
	}
	if len(e.reports.reports) != 0 {
		t.Error("tag stored a report")
	}
	w = e.do(t, "POST", "/api/v1/tag", `{"text":"nothing here"}`)
	if !strings.Contains(w.Body.String(), `"mentions":[]`) {
		t.Errorf("no places: %s", w.Body)
	}
	w = e.do(t, "POST", "/api/v1/tag?country=XYZ", `{"text":"x"}`)
	if w.Code != 400 || decode[Problem](t, w).Field != "country" {
		t.Errorf("bad country: %d %s", w.Code, w.Body)
	}
}

func TestCreateReport(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, "POST", "/api/v1/reports",
		`{"title":"Seed","text":"`+seedText+`","source":"https://example.org/live","time":"2024-03-01T10:00:00Z"}`, "token")
	if w.Code != http.StatusCreated {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	r := decode[*geotag.Report](t, w)
	if r.ID == "" || w.Header().Get("Location") != "/api/v1/reports/"+r.ID {
		t.Errorf("id %q, Location %q", r.ID, w.Header().Get("Location"))
	}
	if len(r.Mentions) != 5 {
		t.Fatalf("mentions = %d, want 5", len(r.Mentions))
	}
	l := r.Location
	if l == nil {
		t.Fatal("no location")
	}
	// All confident; towns (precision 1) beat Jordan (3); the first town
	// wins.
	if l.PlaceID != khalidiyaH.ID || l.Mention != 0 || l.Provenance.Method != geotag.MethodAuto || l.Provenance.Tagger != "fake-tagger/1" {
		t.Errorf("location = %+v", l)
	}
	if !r.Time.Equal(time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)) || r.Status != geotag.StatusUnreviewed {
		t.Errorf("time %v status %q", r.Time, r.Status)
	}
	if len(r.History) != 1 || r.History[0].Action != "create" || r.History[0].By != "admin" {
		t.Errorf("history = %+v", r.History)
	}

	// Idempotent by external id.
	body := `{"external_id":"x-1","title":"A","text":"Aleppo"}`
	first := e.create(t, body)
	w = e.do(t, "POST", "/api/v1/reports", body, "token")
	if w.Code != http.StatusOK || decode[*geotag.Report](t, w).ID != first.ID {
		t.Errorf("repeat external id: %d %s", w.Code, w.Body)
	}
}

func TestCreateReportClientMentions(t *testing.T) {
	e := newEnv(t)
	r := e.create(t, `{"title":"t","text":"Über Aleppo","mentions":[{"start":5,"end":11,"confidence":0.8,
		"place":{"id":170063,"name":"Aleppo","lat":36.2,"lon":37.16,"feature":"P.PPLA"}}]}`)
	if len(r.Mentions) != 1 || r.Mentions[0].Text != "Aleppo" || r.Mentions[0].Kind != "place" {
		t.Errorf("mentions = %+v", r.Mentions)
	}
	if r.Location == nil || r.Location.Provenance.Tagger != "client" || r.Location.Lat != 36.2 {
		t.Errorf("location = %+v", r.Location)
	}
	// A manual point overrides.
	r = e.create(t, `{"text":"Aleppo","location":{"lat":10,"lon":20}}`)
	if r.Location.Mention != -1 || r.Location.Provenance.Method != geotag.MethodManual || r.Location.Lat != 10 {
		t.Errorf("manual location = %+v", r.Location)
	}
}

func TestGetReport(t *testing.T) {
	e := newEnv(t)
	r := e.create(t, `{"title":"Seed","text":"`+seedText+`"}`)
	w := e.do(t, "GET", "/api/v1/reports/"+r.ID, "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/geo+json" {
		t.Fatalf("%d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	f := decode[struct {
		Type     string
		ID       string
		Geometry struct {
			Type        string
			Coordinates []float64
		}
		Properties ReportProperties
	}](t, w)
	if f.Type != "Feature" || f.ID != r.ID || f.Geometry.Type != "Point" || f.Geometry.Coordinates[0] != khalidiyaH.Lon {
		t.Errorf("feature = %+v", f)
	}
	if len(f.Properties.Mentions) != 5 || f.Properties.Mentions[0].Place == nil || f.Properties.Text != seedText {
		t.Errorf("properties = %+v", f.Properties)
	}
	if w := e.do(t, "GET", "/api/v1/reports/nope", ""); w.Code != 404 {
		t.Errorf("unknown id: %d", w.Code)
	}
}

// collection is a decoded FeatureCollection answer.
type collection struct {
	Type     string
	Features []struct {
		ID       string
		Geometry *struct {
			Type        string
			Coordinates []float64
		}
		Properties map[string]any
	}
	NumberMatched  int
	NumberReturned int
	Next           string
	Links          []Link
}

func (c collection) link(rel string) string {
	for _, l := range c.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

func TestListReports(t *testing.T) {
	e := newEnv(t)
	e.create(t, `{"title":"a","text":"Aleppo","time":"2024-03-01T00:00:00Z","tags":["shelling"]}`)
	e.create(t, `{"title":"b","text":"Amman","time":"2024-03-02T00:00:00Z"}`)
	e.create(t, `{"title":"c","text":"Nice","time":"2024-03-03T00:00:00Z"}`)
	e.create(t, `{"title":"d","text":"nowhere","time":"2024-03-04T00:00:00Z"}`)

	tests := []struct {
		query  string
		titles string
	}{
		{"", "d c b a"},
		{"?bbox=30,25,40,40", "b a"},
		{"?from=2024-03-02&to=2024-03-03", "c b"},
		{"?datetime=2024-03-02T00:00:00Z/..", "d c b"},
		{"?datetime=../2024-03-01", "a"},
		{"?place=250441", "b"},
		{"?q=NICE", "c"},
		{"?tag=shelling", "a"},
		{"?status=reviewed", ""},
		{"?bbox=170,-10,-170,10", ""}, // across the antimeridian
	}
	for _, tt := range tests {
		w := e.do(t, "GET", "/api/v1/reports"+tt.query, "")
		if w.Code != 200 {
			t.Errorf("%s: %d %s", tt.query, w.Code, w.Body)
			continue
		}
		c := decode[collection](t, w)
		var titles []string
		for _, f := range c.Features {
			titles = append(titles, f.Properties["title"].(string))
		}
		if got := strings.Join(titles, " "); got != tt.titles || c.NumberMatched != len(titles) {
			t.Errorf("%s: titles %q (matched %d), want %q", tt.query, got, c.NumberMatched, tt.titles)
		}
	}

	// Pages with next links, and a null geometry without location.
	w := e.do(t, "GET", "/api/v1/reports?limit=3", "")
	c := decode[collection](t, w)
	if c.NumberMatched != 4 || c.NumberReturned != 3 || c.Next == "" || c.link("next") == "" {
		t.Fatalf("page 1: %+v", c)
	}
	if c.Features[0].Geometry != nil || c.Features[1].Geometry.Type != "Point" {
		t.Errorf("geometries: %+v", c.Features)
	}
	next := strings.TrimPrefix(c.link("next"), "http://example.com")
	c = decode[collection](t, e.do(t, "GET", next, ""))
	if len(c.Features) != 1 || c.Features[0].Properties["title"] != "a" || c.link("next") != "" {
		t.Errorf("page 2 (%s): %+v", next, c)
	}
}

func TestUpdateDelete(t *testing.T) {
	e := newEnv(t)
	r := e.create(t, `{"title":"a","text":"Aleppo","tags":["x"]}`)
	w := e.do(t, "PATCH", "/api/v1/reports/"+r.ID, `{"title":"b","text":"Now in Amman"}`, "token")
	if w.Code != 200 {
		t.Fatalf("patch: %d %s", w.Code, w.Body)
	}
	got := decode[*geotag.Report](t, w)
	if got.Title != "b" || len(got.Mentions) != 1 || got.Mentions[0].Text != "Amman" || got.Location.PlaceID != amman.ID || len(got.Tags) != 1 {
		t.Errorf("after patch: %+v", got)
	}
	w = e.do(t, "PATCH", "/api/v1/reports/"+r.ID, `{"status":"reviewed"}`, "token")
	got = decode[*geotag.Report](t, w)
	if n := len(got.History); got.Status != geotag.StatusReviewed || got.History[n-1].Action != "review" || got.History[n-2].Action != "edit" {
		t.Errorf("after review by PATCH: %+v", got.History)
	}
	w = e.do(t, "PUT", "/api/v1/reports/"+r.ID, `{"title":"c","text":"Now in Amman"}`, "token")
	got = decode[*geotag.Report](t, w)
	if w.Code != 200 || got.Title != "c" || len(got.Tags) != 0 {
		t.Errorf("after put: %d %+v", w.Code, got)
	}
	if w := e.do(t, "DELETE", "/api/v1/reports/"+r.ID, "", "token"); w.Code != 204 {
		t.Errorf("delete: %d", w.Code)
	}
	if w := e.do(t, "DELETE", "/api/v1/reports/"+r.ID, "", "token"); w.Code != 404 {
		t.Errorf("delete again: %d", w.Code)
	}
}
