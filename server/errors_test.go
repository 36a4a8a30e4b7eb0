package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

func TestErrors(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxBody = 200 })
	r := e.create(t, `{"title":"a","text":"Aleppo"}`)
	big := `{"text":"` + strings.Repeat("x", 300) + `"}`
	tests := []struct {
		name, method, path, body string
		headers                  []string
		status                   int
		field                    string
	}{
		{"malformed JSON", "POST", "/api/v1/tag", `{"text":`, nil, 400, "body"},
		{"JSON syntax", "POST", "/api/v1/tag", `{"text" "x"}`, nil, 400, "body"},
		{"NaN is not JSON", "POST", "/api/v1/reports", `{"text":"Aleppo","location":{"lat":NaN,"lon":1}}`, []string{"token"}, 400, "body"},
		{"wrong type", "POST", "/api/v1/tag", `{"text":5}`, nil, 400, "text"},
		{"two values", "POST", "/api/v1/tag", `{"text":"a"}{}`, nil, 400, "body"},
		{"empty body", "POST", "/api/v1/tag", ``, []string{"Content-Type: application/json"}, 400, "body"},
		{"too large", "POST", "/api/v1/tag", big, nil, 413, "body"},
		{"wrong content type", "POST", "/api/v1/tag", `{"text":"a"}`, []string{"Content-Type: text/plain"}, 415, "Content-Type"},
		{"invalid UTF-8", "POST", "/api/v1/tag", "{\"text\":\"\xff\xfe\"}", nil, 400, "body"},
		{"latitude range", "POST", "/api/v1/reports", `{"text":"x","location":{"lat":91,"lon":0}}`, []string{"token"}, 422, "location.lat"},
		{"longitude range", "POST", "/api/v1/reports", `{"text":"x","location":{"lat":0,"lon":-181}}`, []string{"token"}, 422, "location.lon"},
		{"mention lat", "POST", "/api/v1/reports", `{"text":"Aleppo","mentions":[{"start":0,"end":6,"place":{"lat":100,"lon":0}}]}`, []string{"token"}, 422, "mentions[0].place.lat"},
		{"mention span", "POST", "/api/v1/reports", `{"text":"Aleppo","mentions":[{"start":0,"end":60}]}`, []string{"token"}, 422, "mentions[0].start"},
		{"mention text", "POST", "/api/v1/reports", `{"text":"Aleppo","mentions":[{"start":0,"end":3,"text":"Ale"},{"start":1,"end":2,"text":"x"}]}`, []string{"token"}, 422, "mentions[1].text"},
		{"no text", "POST", "/api/v1/reports", `{"source":"https://x.org"}`, []string{"token"}, 400, "text"},
		{"bad source", "POST", "/api/v1/reports", `{"text":"a","source":"javascript:alert(1)"}`, []string{"token"}, 400, "source"},
		{"bad time", "POST", "/api/v1/reports", `{"text":"a","time":"yesterday"}`, []string{"token"}, 400, "time"},
		{"bad status", "POST", "/api/v1/reports", `{"text":"a","status":"done"}`, []string{"token"}, 400, "status"},
		{"bad bbox", "GET", "/api/v1/reports?bbox=1,2,3", "", nil, 400, "bbox"},
		{"bbox NaN", "GET", "/api/v1/reports?bbox=NaN,0,1,1", "", nil, 400, "bbox"},
		{"bbox range", "GET", "/api/v1/reports?bbox=0,-91,1,1", "", nil, 400, "bbox"},
		{"bad from", "GET", "/api/v1/reports?from=03/01/2024", "", nil, 400, "from"},
		{"reversed range", "GET", "/api/v1/reports?from=2024-03-02&to=2024-03-01", "", nil, 400, "from"},
		{"bad datetime", "GET", "/api/v1/reports?datetime=../..", "", nil, 400, "datetime"},
		{"datetime and from", "GET", "/api/v1/reports?datetime=2024-01-01&from=2024-01-01", "", nil, 400, "datetime"},
		{"bad limit", "GET", "/api/v1/reports?limit=0", "", nil, 400, "limit"},
		{"bad place", "GET", "/api/v1/reports?place=abc", "", nil, 400, "place"},
		{"bad status filter", "GET", "/api/v1/reports?status=x", "", nil, 400, "status"},
		{"bad zoom", "GET", "/api/v1/cells?zoom=30", "", nil, 400, "zoom"},
		{"bad bins", "GET", "/api/v1/histogram?bins=0", "", nil, 400, "bins"},
		{"query not UTF-8", "GET", "/api/v1/reports?q=%FF", "", nil, 400, "q"},
		{"OGC other CRS", "GET", "/ogc/collections/reports/items?crs=EPSG:3857", "", nil, 400, "crs"},
		{"unknown report", "GET", "/api/v1/reports/nope", "", nil, 404, ""},
		{"unknown place", "GET", "/api/v1/places/1", "", nil, 404, ""},
		{"bad place id", "GET", "/api/v1/places/x", "", nil, 400, "id"},
		{"place search without q", "GET", "/api/v1/places", "", nil, 400, "q"},
		{"bad focus", "GET", "/api/v1/places?q=a&focus=1", "", nil, 400, "focus"},
		{"focus range", "GET", "/api/v1/places?q=a&focus=95,0", "", nil, 422, "focus.lat"},
		{"unknown export format", "GET", "/api/v1/export/xls", "", nil, 404, "format"},
		{"unknown API path", "GET", "/api/v1/nothing", "", nil, 404, ""},
		{"unknown OGC collection", "GET", "/ogc/collections/other/items", "", nil, 404, ""},
		{"OGC unknown parameter", "GET", "/ogc/collections/reports/items?foo=1", "", nil, 400, "foo"},
		{"OGC bad offset", "GET", "/ogc/collections/reports/items?offset=-1", "", nil, 400, "offset"},
		{"method not allowed", "DELETE", "/api/v1/tag", "", nil, 405, ""},
		{"no token", "POST", "/api/v1/reports", `{"text":"a"}`, nil, 401, ""},
		{"bad token", "POST", "/api/v1/reports", `{"text":"a"}`, []string{"Authorization: Bearer wrong"}, 401, ""},
		{"bad scheme", "POST", "/api/v1/reports", `{"text":"a"}`, []string{"Authorization: Basic YTpi"}, 401, ""},
		{"read-only token", "POST", "/api/v1/reports", `{"text":"a"}`, []string{"Authorization: Bearer " + readerToken}, 403, ""},
		{"bad token on a read", "GET", "/api/v1/reports", "", []string{"Authorization: Bearer wrong"}, 401, ""},
		{"correction without action", "POST", "/api/v1/reports/" + r.ID + "/corrections", `{}`, []string{"token"}, 400, "action"},
		{"correction mention range", "POST", "/api/v1/reports/" + r.ID + "/corrections", `{"action":"remove","mention":7}`, []string{"token"}, 422, "mention"},
		{"correction unknown place", "POST", "/api/v1/reports/" + r.ID + "/corrections", `{"action":"pick","mention":0,"place_id":5}`, []string{"token"}, 422, "place_id"},
		{"correction point range", "POST", "/api/v1/reports/" + r.ID + "/corrections", `{"action":"point","lat":0,"lon":200}`, []string{"token"}, 422, "lon"},
		{"correction of unknown report", "POST", "/api/v1/reports/nope/corrections", `{"action":"review"}`, []string{"token"}, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(t, tt.method, tt.path, tt.body, tt.headers...)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type %q", ct)
			}
			p := decode[Problem](t, w)
			if p.Status != tt.status || p.Title != http.StatusText(tt.status) || p.Detail == "" || p.Field != tt.field {
				t.Errorf("problem = %+v, want field %q", p, tt.field)
			}
			if tt.status == 405 && w.Header().Get("Allow") != "POST" {
				t.Errorf("Allow %q", w.Header().Get("Allow"))
			}
			if tt.status == 401 && w.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

// Every geotag error code maps to one status, and unknown errors to 500
// with a message that does not leak.
func TestErrorStatus(t *testing.T) {
	for code, want := range map[string]int{
		geotag.EINVALID: 400, geotag.EUNPROCESSABLE: 422, geotag.ENOTFOUND: 404, geotag.ECONFLICT: 409,
		geotag.EUNAUTHORIZED: 401, geotag.EFORBIDDEN: 403, geotag.ETOOLARGE: 413, geotag.EUNSUPPORTED: 415,
		geotag.ERATELIMIT: 429, geotag.EUNAVAILABLE: 503, geotag.EINTERNAL: 500,
	} {
		if got := ErrorStatus(geotag.Errorf(code, "x")); got != want {
			t.Errorf("%s → %d, want %d", code, got, want)
		}
	}
	e := newEnv(t)
	e.reports.findReportsFn = func(context.Context, geotag.ReportFilter) (geotag.ReportPage, error) {
		return geotag.ReportPage{}, errSecret
	}
	w := e.do(t, "GET", "/api/v1/reports", "")
	if w.Code != 500 || strings.Contains(w.Body.String(), "disk") {
		t.Errorf("internal error: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "GET", "/readyz", ""); w.Code != 503 {
		t.Errorf("readyz with a failing store: %d", w.Code)
	}
}

var errSecret = &secretError{}

type secretError struct{}

func (*secretError) Error() string { return "disk /var/secret failed" }

// A panicking handler is answered with a 500 problem and the server lives on.
func TestRecovery(t *testing.T) {
	e := newEnv(t)
	e.reports.findReportsFn = func(context.Context, geotag.ReportFilter) (geotag.ReportPage, error) {
		panic("boom")
	}
	w := e.do(t, "GET", "/api/v1/reports", "")
	if w.Code != 500 || w.Header().Get("Content-Type") != "application/problem+json" || strings.Contains(w.Body.String(), "boom") {
		t.Errorf("panic: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "GET", "/healthz", ""); w.Code != 200 {
		t.Errorf("after panic: %d", w.Code)
	}
}

// The tagger's own invalid-input error is a 400, never a 500.
func TestTaggerErrors(t *testing.T) {
	e := newEnv(t)
	e.tagger.err = geotag.FieldErrorf(geotag.EINVALID, "text", "bad text")
	if w := e.do(t, "POST", "/api/v1/tag", `{"text":"a"}`); w.Code != 400 || decode[Problem](t, w).Field != "text" {
		t.Errorf("tagger EINVALID: %d %s", w.Code, w.Body)
	}
	e.tagger.err = context.Canceled
	if w := e.do(t, "POST", "/api/v1/tag", `{"text":"a"}`); w.Code != 500 {
		t.Errorf("tagger failure: %d %s", w.Code, w.Body)
	}
}
