package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// serve sends req to e's server and returns the answer.
func (e *env) serve(req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	return w
}

// TestMetricsLabelsBounded: made-up methods and paths share one label
// value each, so /metrics stops growing after the first of them.
func TestMetricsLabelsBounded(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Metrics = NewMetrics(nil) })
	series := func() int {
		n := 0
		for _, l := range strings.Split(e.do(t, "GET", "/metrics", "").Body.String(), "\n") {
			if strings.HasPrefix(l, "geotag_http_requests_total{") {
				n++
			}
		}
		return n
	}
	hostile := func(i int) {
		m := fmt.Sprintf("X%04d%s", i, strings.Repeat("M", 4000))
		for _, p := range []string{"/api/v1/reports", fmt.Sprintf("/api/v1/nothing/%d", i), fmt.Sprintf("/x%d", i)} {
			e.serve(httptest.NewRequest(m, p, nil))
		}
		e.do(t, "GET", fmt.Sprintf("/api/v1/nothing/%d", i), "")
	}
	hostile(0)
	series() // its own GET /metrics series
	before := series()
	for i := 1; i < 50; i++ {
		hostile(i)
	}
	body := e.do(t, "GET", "/metrics", "").Body.String()
	if after := series(); after != before {
		t.Errorf("series grew from %d to %d with made-up methods and paths", before, after)
	}
	if strings.Contains(body, "MMMM") || strings.Contains(body, "/x1") || strings.Contains(body, "nothing") {
		t.Errorf("/metrics holds a client's method or path (%d bytes)", len(body))
	}
	if !strings.Contains(body, `method="other"`) || !strings.Contains(body, `route="unmatched"`) {
		t.Errorf("no shared labels in /metrics")
	}
}

// TestAuthorizationHeaderKeepsAddressLimit: on routes that do not
// authenticate, an Authorization header does not move the request out of
// the address's bucket.
func TestAuthorizationHeaderKeepsAddressLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RateIP = 1 })
	for _, p := range []string{"/api/v1/config", "/api/v1/openapi.json", "/api/v1"} {
		codes := map[int]int{}
		for i := 0; i < 5; i++ {
			codes[e.do(t, "GET", p, "", "Authorization: junk", "X-Test: "+p).Code]++
		}
		if codes[429] == 0 {
			t.Errorf("%s with Authorization: junk: never limited: %v", p, codes)
		}
		e = newEnv(t, func(c *Config) { c.RateIP = 1 })
	}
	// A route that authenticates still charges a bad token to the address.
	codes := map[int]int{}
	for i := 0; i < 5; i++ {
		codes[e.do(t, "GET", "/api/v1/reports", "", "Authorization: junk").Code]++
	}
	if codes[429] == 0 || codes[401] == 0 {
		t.Errorf("bad tokens on /api/v1/reports: %v", codes)
	}
}

// TestMetricsNeedReadToken: with ReadsNeedToken, /metrics is for token
// holders only.
func TestMetricsNeedReadToken(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Metrics = NewMetrics(nil); c.ReadsNeedToken = true })
	if w := e.do(t, "GET", "/metrics", ""); w.Code != http.StatusUnauthorized || strings.Contains(w.Body.String(), "geotag_") {
		t.Errorf("/metrics without a token: %d", w.Code)
	}
	if w := e.do(t, "GET", "/metrics", "", "Authorization: Bearer "+readerToken); w.Code != 200 || !strings.Contains(w.Body.String(), "geotag_http_requests_total") {
		t.Errorf("/metrics with a read token: %d", w.Code)
	}
	e = newEnv(t, func(c *Config) { c.Metrics = NewMetrics(nil) })
	if w := e.do(t, "GET", "/metrics", ""); w.Code != 200 {
		t.Errorf("/metrics with public reads: %d", w.Code)
	}
}

// TestHealthNotRateLimited: a client over its rate still gets its health
// and readiness answers.
func TestHealthNotRateLimited(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RateIP = 1 })
	for i := 0; i < 5; i++ {
		e.do(t, "GET", "/api/v1/reports", "")
	}
	if w := e.do(t, "GET", "/api/v1/reports", ""); w.Code != 429 {
		t.Fatalf("the bucket is not empty: %d", w.Code)
	}
	for i := 0; i < 5; i++ {
		for _, p := range []string{"/healthz", "/readyz"} {
			if w := e.do(t, "GET", p, ""); w.Code != 200 {
				t.Errorf("%s #%d: %d", p, i, w.Code)
			}
		}
	}
}

// TestRedirectSecurityHeaders: the router's own trailing-slash redirects
// carry the security headers too.
func TestRedirectSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/api/v1/reports/", "/ogc/collections/", "/api/v1/config/"} {
		w := e.do(t, "GET", p, "")
		if w.Code < 300 || w.Code > 308 {
			t.Errorf("%s: %d, want a redirect", p, w.Code)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
			if w.Header().Get(h) == "" {
				t.Errorf("%s: redirect without %s", p, h)
			}
		}
	}
}

// TestPublicURL: absolute links come from the configured public URL, and
// without one never from a Host header that is not a plain host.
func TestPublicURL(t *testing.T) {
	links := func(e *env, host string) []string {
		req := httptest.NewRequest("GET", "/ogc", nil)
		req.Host = host
		var landing struct{ Links []Link }
		json.Unmarshal(e.serve(req).Body.Bytes(), &landing)
		var out []string
		for _, l := range landing.Links {
			out = append(out, l.Href)
		}
		return out
	}
	e := newEnv(t, func(c *Config) { c.PublicURL = "https://geotag.example.org/base/" })
	for _, l := range links(e, "evil.example") {
		if !strings.HasPrefix(l, "https://geotag.example.org/base/ogc") {
			t.Errorf("with a public URL: link %q", l)
		}
	}
	e = newEnv(t)
	for _, host := range []string{"evil.example/x?y=", "a b", "evil.example:8080@x", `x"><script>`} {
		for _, l := range links(e, host) {
			if !strings.HasPrefix(l, "http://localhost/ogc") {
				t.Errorf("Host %q: link %q", host, l)
			}
		}
	}
	for _, l := range links(e, "geotag.lan:8080") {
		if !strings.HasPrefix(l, "http://geotag.lan:8080/ogc") {
			t.Errorf("plain Host: link %q", l)
		}
	}
	for _, bad := range []string{"ftp://x", "https://u:p@x", "https://x/?q=1", "/relative", "https://"} {
		if _, err := ParsePublicURL(bad); err == nil {
			t.Errorf("ParsePublicURL(%q) accepted", bad)
		}
	}
}

// TestRateLimitIPv6Network: one IPv6 /64 shares one bucket.
func TestRateLimitIPv6Network(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RateIP = 1 })
	get := func(addr string) int {
		req := httptest.NewRequest("GET", "/api/v1/reports", nil)
		req.RemoteAddr = addr
		return e.serve(req).Code
	}
	codes := map[int]int{}
	for i := 1; i <= 4; i++ {
		codes[get(fmt.Sprintf("[2001:db8:0:7::%x]:1234", i*7919))]++
	}
	if codes[429] != 2 {
		t.Errorf("four addresses of one /64: %v, want two refused", codes)
	}
	if c := get("[2001:db8:0:8::1]:1234"); c != 200 {
		t.Errorf("another /64: %d", c)
	}
	for addr, want := range map[string]string{
		"192.0.2.1": "192.0.2.1", "::ffff:192.0.2.1": "192.0.2.1", "2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"fe80::1%eth0": "fe80::/64", "junk": "junk",
	} {
		if got := clientKey(addr); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestRateLimitTableBounded: a flood of distinct clients never holds more
// buckets than the cap, and a client seen recently keeps its bucket while
// idle ones make room.
func TestRateLimitTableBounded(t *testing.T) {
	now := time.Unix(1e9, 0)
	l := newLimiters(1, 1, 100, func() time.Time { return now })
	for i := 0; i < 10000; i++ {
		l.reserve(l.ip, l.ipRate, fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255))
		if len(l.ip) > 100 {
			t.Fatalf("%d buckets after %d clients", len(l.ip), i+1)
		}
	}
	l = newLimiters(1, 1, 100, func() time.Time { return now })
	for i := 0; i < 99; i++ {
		l.reserve(l.ip, l.ipRate, fmt.Sprint("idle", i))
	}
	now = now.Add(time.Minute / 2)
	for i := 0; i < 3; i++ {
		l.reserve(l.ip, l.ipRate, "busy")
	}
	for i := 0; i < 50; i++ {
		l.reserve(l.ip, l.ipRate, fmt.Sprint("new", i))
	}
	if d := l.reserve(l.ip, l.ipRate, "busy"); d == 0 {
		t.Errorf("a busy client's bucket was dropped for idle ones")
	}
}

// TestExportCSVSeparatorLocales: however a spreadsheet splits the export's
// lines (on ";" or "," or tabs, honouring quotes or not), no piece starts
// with a formula character, and the import reads every cell back.
func TestExportCSVSeparatorLocales(t *testing.T) {
	e := newEnv(t)
	payloads := []string{";=1+1", "a;=cmd|' /C calc'!A0", "Paris; @SUM(1)", "Kyiv, -2+3", "x;\t=1", " =1", "a;'=b", "-5 killed", "line\n=2+2"}
	for i, p := range payloads {
		body, _ := json.Marshal(map[string]any{"title": p, "text": p + " Aleppo", "tags": []string{p, "+t"}, "external_id": p + fmt.Sprint(i)})
		if w := e.do(t, "POST", "/api/v1/reports", string(body), "token"); w.Code != http.StatusCreated {
			t.Fatalf("create %q: %d %s", p, w.Code, w.Body)
		}
	}
	w := e.do(t, "GET", "/api/v1/export/csv", "")
	if w.Code != 200 {
		t.Fatalf("export: %d", w.Code)
	}
	out := w.Body.String()
	for _, line := range strings.Split(out, "\n") { // lines as a reader that ignores quotes sees them
		for _, sep := range []string{";", ",", "\t", "\r"} {
			for _, piece := range strings.Split(line, sep) {
				p := strings.TrimLeft(piece, " ")
				p = strings.TrimPrefix(p, `"`)
				if p == "" || !strings.ContainsRune("=+-@\t\r", rune(p[0])) {
					continue
				}
				if _, err := strconv.ParseFloat(strings.TrimSuffix(p, `"`), 64); err == nil {
					continue // a number, like a negative longitude
				}
				t.Errorf("split on %q, a piece starts a formula: %q (line %q)", sep, piece, line)
			}
		}
	}
	recs, _, err := readCSV([]byte(out), 100)
	if err != nil || len(recs) != len(payloads) {
		t.Fatalf("import of the export: %v, %d records", err, len(recs))
	}
	seen := map[string]bool{}
	for _, r := range recs {
		if r.In.Title != nil {
			seen[*r.In.Title] = true
		}
	}
	for _, p := range payloads {
		if !seen[strings.TrimSpace(p)] {
			t.Errorf("title %q did not come back (%v)", p, seen)
		}
	}
}

// FuzzSafeCell: uncell undoes safeCell, and no start of a part of the
// defused cell (at its beginning, or after a separator and spaces) is a
// formula character.
func FuzzSafeCell(f *testing.F) {
	for _, s := range []string{"", "=1", ";=1", "a; '=b", "''", " \t", "x,,@", "a;b;c", "'=x;'-y", "-1,+2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := safeCell(s)
		if back := uncell(d); back != s {
			t.Fatalf("uncell(safeCell(%q)) = %q", s, back)
		}
		eachCellStart(d, func(i int) {
			if i < len(d) && strings.IndexByte(formulaStarts, d[i]) >= 0 {
				t.Fatalf("safeCell(%q) = %q starts a part with %q at %d", s, d, d[i], i)
			}
		})
	})
}

// TestReportTimeRange: event times outside 1900-01-01…2200-01-01 are
// refused with 422 on create, update and import; the ends are kept.
func TestReportTimeRange(t *testing.T) {
	e := newEnv(t)
	for tm, want := range map[string]int{
		"0001-01-01": 422, "9999-12-31": 422, "2400-01-01": 422, "1899-12-31T23:59:59Z": 422, "2200-01-01": 422,
		"1900-01-01": 201, "2199-12-31T23:59:59.999Z": 201, "1970": 201,
		"2200-01-01T01:00:00+02:00": 201, // 23:00 UTC the day before
	} {
		w := e.do(t, "POST", "/api/v1/reports", `{"text":"Aleppo","time":"`+tm+`"}`, "token")
		if w.Code != want {
			t.Errorf("create with time %s: %d %s", tm, w.Code, w.Body)
		}
		if w.Code == 422 && decode[Problem](t, w).Field != "time" {
			t.Errorf("time %s: %s", tm, w.Body)
		}
	}
	r := e.create(t, `{"text":"Aleppo","time":""}`)
	if r.Time.Year() < 2000 {
		t.Errorf(`time "" on create: %v`, r.Time)
	}
	for _, m := range []string{"PATCH", "PUT"} {
		if w := e.do(t, m, "/api/v1/reports/"+r.ID, `{"text":"Aleppo","time":"0001-01-01"}`, "token"); w.Code != 422 {
			t.Errorf("%s to year 1: %d %s", m, w.Code, w.Body)
		}
	}
	w := e.do(t, "POST", "/api/v1/import", `[{"text":"a","time":"9999-12-31"},{"text":"b","time":"2024-03-01"}]`, "token")
	res := decode[ImportResult](t, w)
	if w.Code != 200 || res.Created != 1 || res.Failed != 1 || res.Items[0].Status != 422 {
		t.Errorf("import: %d %s", w.Code, w.Body)
	}
	w = e.do(t, "POST", "/api/v1/import", "event_date,notes\n0001-01-01,x\n2024-03-01,y\n", "token", "Content-Type: text/csv")
	res = decode[ImportResult](t, w)
	if w.Code != 200 || res.Created != 1 || res.Failed != 1 || res.Items[0].Status != 422 {
		t.Errorf("CSV import: %d %s", w.Code, w.Body)
	}
}

// TestHistogramAnyQuery: any window and bins give a JSON answer with to
// after from and a positive width, or a 400 naming the parameter.
func TestHistogramAnyQuery(t *testing.T) {
	e := newEnv(t)
	for _, tm := range []string{"1900-01-01", "2199-12-31", "1969-12-31", "1970-01-02"} {
		e.create(t, `{"text":"Aleppo","time":"`+tm+`"}`)
	}
	for _, q := range []string{"", "bins=1", "bins=1000", "from=0001-01-01&to=9999-12-31&bins=1", "from=9999-12-31",
		"to=0000-01-01", "from=2200-01-01&to=1900-01-01", "bbox=-180,-90,180,90&bins=1", "bins=0", "bins=-1", "bins=1001",
		"bins=99999999999999999999", "from=-1"} {
		w := e.do(t, "GET", "/api/v1/histogram?"+q, "")
		if w.Code == 400 {
			continue
		}
		var h struct {
			From, To *time.Time
			Width    int64 `json:"width_seconds"`
			Counts   []int
			Total    int
		}
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &h) != nil {
			t.Errorf("%s: %d %q", q, w.Code, w.Body)
			continue
		}
		if h.Total > 0 && (h.From == nil || h.To == nil || !h.To.After(*h.From) || h.Width <= 0) {
			t.Errorf("%s: %s", q, w.Body)
		}
	}
}

// TestOpenRoutes: the routes openRoute names are the only ones that do not
// authenticate (a bad token gets 401 everywhere else), so no route lets an
// Authorization header skip the address's rate limit unchecked.
func TestOpenRoutes(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Metrics = NewMetrics(nil) })
	open := 0
	for _, r := range e.srv.Routes() {
		path := strings.NewReplacer(":id", "x", ":format", "csv").Replace(r.Path)
		code := e.do(t, r.Method, path, "", "Authorization: Bearer not-a-token").Code
		if openRoute(r.Path) {
			open++
			if code == http.StatusUnauthorized {
				t.Errorf("%s %s is open, yet checks the token", r.Method, r.Path)
			}
		} else if code != http.StatusUnauthorized {
			t.Errorf("%s %s: %d with a bad token; a route that does not authenticate must be in openRoute", r.Method, r.Path, code)
		}
	}
	if open != 5 {
		t.Errorf("%d open routes, want 5", open)
	}
}

// BenchmarkLimiterFlood: 200,000 distinct IPv6 addresses, from 20,000 /64
// networks, against the limiter as it was (a bucket per full address, no
// cap) and as it is (per /64, capped), reporting the buckets and heap held.
func BenchmarkLimiterFlood(b *testing.B) {
	addrs := make([]string, 200000)
	for i := range addrs {
		addrs[i] = fmt.Sprintf("2001:db8:%x:%x::%x", i/10/65536, i/10%65536, i%10+1)
	}
	for _, bb := range []struct {
		name string
		max  int
		key  func(string) string
	}{
		{"full-address-uncapped", 1 << 30, func(a string) string { return a }},
		{"per64-capped-10000", 10000, clientKey},
	} {
		b.Run(bb.name, func(b *testing.B) {
			var held int
			var heap uint64
			for range b.N {
				runtime.GC()
				var m0, m1 runtime.MemStats
				runtime.ReadMemStats(&m0)
				now := time.Unix(1e9, 0)
				l := newLimiters(30, 100, bb.max, func() time.Time { return now })
				for _, a := range addrs {
					l.reserve(l.ip, l.ipRate, bb.key(a))
				}
				runtime.GC()
				runtime.ReadMemStats(&m1)
				held, heap = len(l.ip), m1.HeapAlloc-min(m0.HeapAlloc, m1.HeapAlloc)
				runtime.KeepAlive(l)
			}
			b.ReportMetric(float64(held), "buckets")
			b.ReportMetric(float64(heap)/(1<<20), "heapMiB")
		})
	}
}
