package server

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Bad input never gets a 500: whatever the body of a write or the query of
// a read, the answer is a success or a 4xx problem.
func FuzzReportBody(f *testing.F) {
	for _, s := range []string{
		`{"title":"a","text":"Aleppo"}`,
		`{"text":"Aleppo","mentions":[{"start":0,"end":6,"place":{"lat":1,"lon":2}}]}`,
		`{"text":"x","location":{"lat":1e400,"lon":0}}`,
		`{"text":"x","time":"2024-13-45"}`,
		`{"text":"Aleppo","mentions":[{"start":-1,"end":99}]}`,
		`{"action":"add","start":0,"end":3,"all":true}`,
		`[]`, `null`, `"x"`, `{"tags":[null]}`,
	} {
		f.Add(s)
	}
	e := newEnv(f)
	r := e.create(f, `{"text":"Khalidiyah in Aleppo, Khalidiyah"}`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, p := range []struct{ method, path string }{
			{"POST", "/api/v1/reports"}, {"POST", "/api/v1/tag"}, {"PATCH", "/api/v1/reports/" + r.ID},
			{"POST", "/api/v1/reports/" + r.ID + "/corrections"},
		} {
			if w := e.do(t, p.method, p.path, body, "token"); w.Code >= 500 {
				t.Fatalf("%s %s %q: %d %s", p.method, p.path, body, w.Code, w.Body)
			}
		}
	})
}

func FuzzQuery(f *testing.F) {
	for _, s := range []string{
		"bbox=1,2,3,4", "datetime=2024-01-01/..", "from=2024&to=2023", "limit=-1", "cursor=zz",
		"place=1e9", "q=%FF", "zoom=99", "offset=1&limit=1", "focus=1,2&q=a",
	} {
		f.Add(s)
	}
	e := newEnv(f)
	e.create(f, `{"text":"Aleppo"}`)
	f.Fuzz(func(t *testing.T, q string) {
		if strings.ContainsAny(q, " #\n\r\t") {
			return // not a query string a client can send
		}
		if _, err := url.Parse("/?" + q); err != nil {
			return
		}
		for _, p := range []string{"/api/v1/reports", "/api/v1/export/csv", "/api/v1/cells", "/api/v1/places", "/ogc/collections/reports/items"} {
			req := httptest.NewRequest("GET", p+"?"+q, nil)
			w := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("%s?%s: %d %s", p, q, w.Code, w.Body)
			}
		}
	})
}
