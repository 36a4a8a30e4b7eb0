package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Hostile-input fuzz targets (issue 8). They send arbitrary request bodies
// and query strings to the handlers (on the test fakes) and check that no
// input is answered with a 5xx or a panic, and that every error is a
// problem+json document carrying the status it was sent with. Requests are
// parsed by net/http from raw bytes, as the real server does. Run one with
//
//	go test -run='^$' -fuzz='^FuzzHostileBodies$' -fuzztime=1m ./server

// hostileBodyRoutes are the routes that decode a body: JSON, and the
// import's CSV and GeoJSON forms (new routes go at the end, so that the
// stored corpus keeps its routes).
var hostileBodyRoutes = []struct{ method, path, ct string }{
	{"POST", "/api/v1/tag", "application/json"},
	{"POST", "/api/v1/reports", "application/json"},
	{"PUT", "/api/v1/reports/r1", "application/json"},
	{"PATCH", "/api/v1/reports/r1", "application/json"},
	{"POST", "/api/v1/reports/r1/corrections", "application/json"},
	{"POST", "/api/v1/import", "application/json"},
	{"POST", "/api/v1/import", "application/x-ndjson"},
	{"POST", "/api/v1/tokens", "application/json"},
	{"POST", "/api/v1/import", "text/csv"},
	{"POST", "/api/v1/import", "application/geo+json"},
	{"POST", "/api/v1/import", "application/geo+json-seq"},
}

// hostileQueryRoutes are the routes that parse query parameters.
var hostileQueryRoutes = []string{
	"/api/v1/reports",
	"/api/v1/cells",
	"/api/v1/histogram",
	"/api/v1/places",
	"/api/v1/export/csv",
	"/api/v1/export/geojson",
	"/ogc/collections/reports/items",
	"/api/v1/reports/r1",
	"/api/v1/tag",
}

// hostileEnv is a server with one stored report, r1, to edit and correct.
func hostileEnv(f *testing.F) *env {
	e := newEnv(&testing.T{})
	req := httptest.NewRequest("POST", "/api/v1/reports", strings.NewReader(`{"title":"Shelling","text":"`+seedText+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusCreated {
		f.Fatalf("seed report: %d %s", w.Code, w.Body)
	}
	return e
}

// hostileRequest sends a raw request through net/http's parser and the
// handler; ok is false when net/http itself refuses the bytes.
func hostileRequest(e *env, method, target, ct string, body []byte) (w *httptest.ResponseRecorder, ok bool) {
	raw := method + " " + target + " HTTP/1.1\r\nHost: example.org\r\nAuthorization: Bearer " + adminToken + "\r\n"
	if body != nil {
		raw += "Content-Type: " + ct + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n"
	}
	raw += "\r\n"
	req, err := http.ReadRequest(bufio.NewReader(io.MultiReader(strings.NewReader(raw), bytes.NewReader(body))))
	if err != nil {
		return nil, false
	}
	req.RemoteAddr = "192.0.2.1:1234"
	w = httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	return w, true
}

// checkHostileAnswer fails on a 5xx and on an error that is not
// problem+json with its status and a UTF-8 detail.
func checkHostileAnswer(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("%s: %d %s", what, w.Code, w.Body)
	}
	if w.Code >= 400 {
		var p struct {
			Status int    `json:"status"`
			Detail string `json:"detail"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Status != w.Code || p.Detail == "" {
			t.Fatalf("%s: %d answered with %q", what, w.Code, w.Body)
		}
		if !utf8.ValidString(p.Detail) {
			t.Fatalf("%s: error detail is not UTF-8: %q", what, p.Detail)
		}
	}
}

func FuzzHostileBodies(f *testing.F) {
	for _, s := range []string{
		`{"text":"Shelling hit Aleppo and Amman, Jordan."}`,
		`{"text":"Aleppo","country":"SY,JO","bbox":"35,32,42,37"}`,
		`{"title":"x","text":"Refugees reached Amman","tags":["a","b"],"time":"2024-03","status":"reviewed","source":"https://example.org/a"}`,
		`{"title":"x","text":"Nice","mentions":[{"start":0,"end":4,"text":"Nice","place":{"id":2990440,"lat":43.7,"lon":7.26}}],"location":{"lat":1,"lon":2}}`,
		`{"action":"pick","mention":0,"place_id":7643289,"all":true}`,
		`{"action":"point","lat":36.2,"lon":37.1,"name":"here"}`,
		`{"action":"add","start":0,"end":8,"place_id":170063}`,
		`{"action":"remove","mention":1}`,
		`{"action":"main","mention":0}`,
		`{"action":"review"}`,
		`{"title":"x","text":"y","location":{"lat":1e400,"lon":1}}`,
		`[[[[[[[[[[]]]]]]]]]]`,
		`{"text":"\ud800"}`,
		"{\"text\":\"\xff\"}",
		`{"time":"2024-03-01T12:00:00+02:00","text":"a"}`,
		`null`,
		`{"external_id":"e1","text":"Aleppo"}`,
		`[{"external_id":"i1","text":"Aleppo"},{"text":""},null,{"title":["x"]},{"external_id":"i1","text":"Amman"}]`,
		"{\"text\":\"Aleppo\"}\n\x1e{\"text\":\"Amman\"}\n\n{bad\n",
		`{"name":"bot","read_only":true}`,
		// CSV: an export's header and cells, an ACLED table, hostile cells.
		"event_id_cnty,external_id,event_date,event_time,title,notes,source,latitude,longitude,location_method,tags,status\r\n" +
			"01HX,'=ext,2024-03-01,2024-03-01T10:30:05.25Z,'=HYPERLINK(\"http://evil\"),''-5 dead,https://e.org/a,36.2,37.1,auto,'@x; y,reviewed\r\n",
		"event_id_cnty,event_date,event_type,country,admin1,location,latitude,longitude,source,notes,fatalities,tags,timestamp\n" +
			"SYR1,15 January 2024,Battles,Syria,Aleppo,Aleppo,36.2,37.1,Reuters; Al Jazeera,\"Clashes in Aleppo, \"\"heavy\"\"\",3,,1709900000\n" +
			"SYR2,2024-03-02,Riots,Syria,Homs,Homs,91,1e400,javascript:alert(1),x,0,,1\n",
		"\ufefftitle,text\n\"open,never closed\n",
		"title,lat,lon\na,1,2,3,4\n,,\n\x00,\xff,\n",
		// GeoJSON: a collection of exported features, one Feature, a sequence.
		`{"type":"FeatureCollection","features":[{"type":"Feature","id":"01HX","geometry":{"type":"Point","coordinates":[37.1,36.2]},"properties":{"id":"01HX","external_id":null,"title":"a","text":"Shelling in Aleppo","time":"2024-03-01T10:30:05.25Z","source":"AFP; Reuters","tags":["x"],"method":"auto"}},{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},"properties":{"title":"b"}},{"type":"Feature","properties":{"event_type":"Riots","location":"Homs","tags":[1]}}]}`,
		`{"type":"Feature","geometry":{"type":"Point","coordinates":[200,1e999]},"properties":{"title":{"x":1}}}`,
		"\x1e{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"text\":\"Amman\",\"external_id\":7}}\n\x1e{\"type\":\"Feature\",\n\"properties\":{\"title\":\"b\"}}\n\x1e{oops\n",
	} {
		for i := range hostileBodyRoutes {
			f.Add(uint8(i), []byte(s))
		}
	}
	hostileEnv(f) // fails early if the seed report cannot be made
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		e := hostileEnv(f) // fresh: r1's history must not grow across inputs
		r := hostileBodyRoutes[int(route)%len(hostileBodyRoutes)]
		w, ok := hostileRequest(e, r.method, r.path, r.ct, body)
		if !ok {
			t.Fatalf("net/http refused a request with a %d-byte body", len(body))
		}
		checkHostileAnswer(t, r.method+" "+r.path+" "+string(body), w)
		if w.Code < 300 && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s: %d answered with invalid JSON %q", r.method, r.path, w.Code, w.Body)
		}
	})
}

func FuzzHostileQueries(f *testing.F) {
	for _, s := range []string{
		"bbox=35,32,42,37&from=2024-01-01&to=2024-12&status=reviewed&tag=a&q=x&limit=5",
		"datetime=2024-03-01T00:00:00Z/..&place=170063",
		"datetime=../2024&limit=10000",
		"bbox=170,-10,-170,10&zoom=3",
		"q=Alep&focus=36.2,37.1&country=SY&limit=100",
		"offset=3&limit=2&f=json",
		"cursor=AAAA&limit=1",
		"datetime=2024-03-01T12:00:00+02:00",
		"zoom=24&bbox=-180,-90,180,90",
		"format=json",
		"limit=-1", "offset=-1", "zoom=-1", "bbox=NaN,0,1,1", "q=%ff",
	} {
		for i := range hostileQueryRoutes {
			f.Add(uint8(i), s)
		}
	}
	e := hostileEnv(f)
	f.Fuzz(func(t *testing.T, route uint8, query string) {
		path := hostileQueryRoutes[int(route)%len(hostileQueryRoutes)]
		method, body := "GET", []byte(nil)
		if path == "/api/v1/tag" {
			method, body = "POST", []byte(`{"text":"Aleppo and Amman"}`)
		}
		w, ok := hostileRequest(e, method, path+"?"+query, "application/json", body)
		if !ok {
			return // not a request line net/http accepts
		}
		checkHostileAnswer(t, method+" "+path+"?"+query, w)
	})
}

// FuzzParseFilter checks the filter parser on arbitrary query strings: it
// never panics, and a filter it accepts survives the round trip through
// filterQuery (the next links) unchanged.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"bbox=35,32,42,37&from=2024-01-01&to=2024-12&status=reviewed&tag=a&q=x&limit=5",
		"datetime=2024-03-01T00:00:00Z/..&place=170063",
		"datetime=2024",
		"datetime=../2024-02-29",
		"from=2024-03-01T12:00:00.123456789+05:30",
		"bbox=170,-10,-170,10",
		"tag=a&tag=B&tag=a&tag_mode=all&located=false",
		"cursor=abc&limit=10000",
		"from=0000-01-01&to=9999-12-31T23:59:59Z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		flt, err := parseFilter(q)
		if err != nil {
			return
		}
		again, err := parseFilter(filterQuery(flt))
		if err != nil {
			t.Fatalf("%q: parsed to %+v, whose query %q does not parse: %v", query, flt, filterQuery(flt).Encode(), err)
		}
		if !reflect.DeepEqual(flt, again) {
			t.Fatalf("%q: round trip changed the filter:\n%+v\n%+v", query, flt, again)
		}
	})
}

// FuzzParseTime checks that times and intervals never panic, and that the
// end of a parsed time's period is after it.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-03-01T12:00:00Z", "2024-03-01", "2024-03", "2024", "2024-03-01T12:00",
		"2024-03-01 12:00:00", "2024-03-01T12:00:00 02:00", "../2024", "2024/..", "2024-01/2023-12", "/", ".."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tm, prec, err := parseTime(s, "time"); err == nil {
			if e := endOf(tm, prec); !e.After(tm) {
				t.Fatalf("%q: end of %v (%s) is %v", s, tm, prec, e)
			}
		}
		parseInterval(s)
	})
}
