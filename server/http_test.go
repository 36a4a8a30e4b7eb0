package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

func TestFrontend(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		path   string
		status int
		ctype  string
	}{
		{"/", 200, "text/html; charset=utf-8"},
		{"/index.html", 200, "text/html; charset=utf-8"},
		{"/js/main.js", 200, "text/javascript; charset=utf-8"},
		{"/css/app.css", 200, "text/css; charset=utf-8"},
		{"/vendor/", 404, "application/problem+json"},
		{"/missing.js", 404, "application/problem+json"},
		{"/../../etc/passwd", 404, "application/problem+json"},
		{"/js/../../server.go", 404, "application/problem+json"},
		{"/api/v2/", 404, "application/problem+json"},
		{"/api", 404, "application/problem+json"},
	}
	for _, tt := range tests {
		w := e.do(t, "GET", tt.path, "")
		if w.Code != tt.status || w.Header().Get("Content-Type") != tt.ctype {
			t.Errorf("GET %s: %d %q, want %d %q", tt.path, w.Code, w.Header().Get("Content-Type"), tt.status, tt.ctype)
		}
	}
	if w := e.do(t, "POST", "/index.html", `{}`); w.Code != 405 {
		t.Errorf("POST to a page: %d", w.Code)
	}
	if w := e.do(t, "GET", "/", ""); !strings.Contains(w.Body.String(), "<title>geotag</title>") {
		t.Errorf("index: %s", w.Body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/", "/api/v1/reports", "/api/v1/nothing", "/ogc"} {
		w := e.do(t, "GET", path, "")
		h := w.Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline'; img") && strings.Contains(csp, "script-src 'self' 'unsafe-inline'") ||
			!strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
}

// A plain-HTTP tile server (an air-gapped network's) is allowed as an image
// source, and nothing else is added to the policy.
func TestTileOriginCSP(t *testing.T) {
	for _, tt := range []struct{ tiles, want string }{
		{"", ""},
		{"https://tile.openstreetmap.org/{z}/{x}/{y}.png", ""},
		{"http://tiles.lan:8081/{z}/{x}/{y}.png", "http://tiles.lan:8081"},
		{"http://{s}.tiles.lan/{z}/{x}/{y}.png", "http://*.tiles.lan"},
		{"http://10.0.0.5/osm/{z}/{x}/{y}.png", "http://10.0.0.5"},
		{"http://evil; script-src *;/{z}.png", ""},
		{"http://a*b.lan/{z}.png", ""},
		{"none", ""},
	} {
		if got := tileOrigin(tt.tiles); got != tt.want {
			t.Errorf("tileOrigin(%q)=%q, want %q", tt.tiles, got, tt.want)
		}
	}
	e := newEnv(t, func(c *Config) { c.TileURL = "http://tiles.lan:8081/{z}/{x}/{y}.png" })
	csp := e.do(t, "GET", "/", "").Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "img-src 'self' data: blob: https: http://tiles.lan:8081;") || !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("CSP %q", csp)
	}
}

func TestCORS(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, "GET", "/api/v1/reports", "", "Origin: https://evil.example")
	if w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("CORS allowed by default")
	}
	if w := e.do(t, "OPTIONS", "/api/v1/reports", "", "Origin: https://evil.example", "Access-Control-Request-Method: POST"); w.Code != 403 {
		t.Errorf("preflight from a foreign origin: %d", w.Code)
	}
	e = newEnv(t, func(c *Config) { c.CORSOrigins = []string{"https://news.example"} })
	w = e.do(t, "OPTIONS", "/api/v1/reports", "", "Origin: https://news.example", "Access-Control-Request-Method: POST")
	if w.Code != 204 || w.Header().Get("Access-Control-Allow-Origin") != "https://news.example" ||
		!strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", w.Code, w.Header())
	}
	w = e.do(t, "GET", "/api/v1/reports", "", "Origin: https://news.example")
	if w.Header().Get("Access-Control-Allow-Origin") != "https://news.example" {
		t.Errorf("allowed origin: %v", w.Header())
	}
	if w := e.do(t, "GET", "/api/v1/reports", "", "Origin: https://other.example"); w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("another origin allowed")
	}
}

// readRoutes are the routes that write nothing, although some are POSTs.
var readRoutes = map[string]bool{"POST /api/v1/tag": true, "POST /api/v1/preview": true, "POST /api/v1/split": true}

// Every registered route that can change data refuses requests without a
// token (401) and with a read-only token (403); reads stay public unless
// configured otherwise.
func TestWriteRoutesNeedToken(t *testing.T) {
	e := newEnv(t)
	path := func(p string) string { return strings.ReplaceAll(p, ":id", "r1") }
	writes := 0
	for _, rt := range e.srv.Routes() {
		key := rt.Method + " " + rt.Path
		body := `{"title":"x","text":"Aleppo","action":"review"}`
		if strings.HasPrefix(rt.Path, "/api/v1/tokens") {
			// Token management needs an admin token.
			if w := e.do(t, rt.Method, path(rt.Path), body); w.Code != 401 {
				t.Errorf("%s without token: %d, want 401", key, w.Code)
			}
			for _, tok := range []string{readerToken, "writer-secret"} {
				if w := e.do(t, rt.Method, path(rt.Path), body, "Authorization: Bearer "+tok); w.Code != 403 {
					t.Errorf("%s with %s: %d, want 403", key, tok, w.Code)
				}
			}
			continue
		}
		if rt.Method == "GET" || rt.Method == "HEAD" || readRoutes[key] {
			if w := e.do(t, rt.Method, path(rt.Path)+"?q=a", body); w.Code == 401 || w.Code == 403 {
				t.Errorf("%s: read refused without a token: %d", key, w.Code)
			}
			continue
		}
		writes++
		if w := e.do(t, rt.Method, path(rt.Path), body); w.Code != 401 {
			t.Errorf("%s without token: %d, want 401", key, w.Code)
		}
		if w := e.do(t, rt.Method, path(rt.Path), body, "Authorization: Bearer "+readerToken); w.Code != 403 {
			t.Errorf("%s with a read-only token: %d, want 403", key, w.Code)
		}
	}
	if writes < 5 {
		t.Errorf("only %d write routes found", writes)
	}

	// With reads protected, only the health checks stay open.
	e = newEnv(t, func(c *Config) { c.ReadsNeedToken = true })
	for _, rt := range e.srv.Routes() {
		key := rt.Method + " " + rt.Path
		w := e.do(t, rt.Method, path(rt.Path), `{"text":"a"}`)
		open := key == "GET /healthz" || key == "GET /readyz" || key == "GET /api/v1/config" || key == "GET /api/v1/me" || key == "GET /api/v1" || key == "GET /api/v1/openapi.json" || key == "GET /metrics"
		if !open && w.Code != 401 {
			t.Errorf("%s without token, reads protected: %d", key, w.Code)
		}
		if key == "GET /api/v1/reports" {
			if w := e.do(t, "GET", "/api/v1/reports", "", "Authorization: Bearer "+readerToken); w.Code != 200 {
				t.Errorf("read with read-only token: %d", w.Code)
			}
		}
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RateIP = 1; c.RateToken = 1 })
	codes := map[int]int{}
	var retry string
	for i := 0; i < 5; i++ {
		w := e.do(t, "GET", "/api/v1/reports", "")
		codes[w.Code]++
		if w.Code == 429 {
			retry = w.Header().Get("Retry-After")
			if decode[Problem](t, w).Code != geotag.ERATELIMIT {
				t.Errorf("429 body: %s", w.Body)
			}
		}
	}
	if codes[200] != 2 || codes[429] != 3 || retry == "" || retry == "0" {
		t.Errorf("per IP: codes %v, Retry-After %q", codes, retry)
	}
	// A token has its own bucket.
	codes = map[int]int{}
	for i := 0; i < 5; i++ {
		codes[e.do(t, "GET", "/api/v1/reports", "", "token").Code]++
	}
	if codes[200] != 2 || codes[429] != 3 {
		t.Errorf("per token: codes %v", codes)
	}
}

func TestMetricsAndHealth(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Metrics = NewMetrics(func() float64 { return 4096 }) })
	e.do(t, "POST", "/api/v1/tag", `{"text":"Aleppo"}`)
	e.create(t, `{"text":"Aleppo"}`)
	e.do(t, "GET", "/api/v1/reports/r1", "")
	for _, p := range []string{"/healthz", "/readyz"} {
		if w := e.do(t, "GET", p, ""); w.Code != http.StatusOK {
			t.Errorf("%s: %d", p, w.Code)
		}
	}
	w := e.do(t, "GET", "/metrics", "")
	body := w.Body.String()
	for _, want := range []string{
		`geotag_http_requests_total{code="200",method="GET",route="/api/v1/reports/:id"} 1`,
		`geotag_http_requests_total{code="201",method="POST",route="/api/v1/reports"} 1`,
		`geotag_http_request_duration_seconds_count{method="POST",route="/api/v1/tag"} 1`,
		`geotag_tagging_duration_seconds_count 2`,
		`geotag_reports_created_total 1`,
		`geotag_store_size_bytes 4096`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	w = e.do(t, "GET", "/api/v1/config", "")
	if !strings.Contains(w.Body.String(), `"auth_required":true`) {
		t.Errorf("config: %s", w.Body)
	}
}

func TestRateLimitBehindProxy(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RateIP = 1; c.TrustedProxies = []string{"192.0.2.0/24"} })
	for _, client := range []string{"198.51.100.1", "198.51.100.2"} {
		for i := 0; i < 2; i++ {
			if w := e.do(t, "GET", "/api/v1/reports", "", "X-Forwarded-For: "+client); w.Code != 200 {
				t.Errorf("client %s request %d: %d", client, i, w.Code)
			}
		}
		if w := e.do(t, "GET", "/api/v1/reports", "", "X-Forwarded-For: "+client); w.Code != 429 {
			t.Errorf("client %s over its rate: %d", client, w.Code)
		}
	}
	// The page's files are not limited.
	for i := 0; i < 5; i++ {
		if w := e.do(t, "GET", "/js/main.js", "", "X-Forwarded-For: 198.51.100.1"); w.Code != 200 {
			t.Errorf("static file %d: %d", i, w.Code)
		}
	}
	// Without trusted proxies the header is ignored: all share the peer's bucket.
	e = newEnv(t, func(c *Config) { c.RateIP = 1 })
	codes := map[int]int{}
	for i := 0; i < 4; i++ {
		codes[e.do(t, "GET", "/api/v1/reports", "", "X-Forwarded-For: 198.51.100."+string(rune('1'+i))).Code]++
	}
	if codes[429] != 2 {
		t.Errorf("spoofed X-Forwarded-For: %v", codes)
	}
}

func TestTokenRoutes(t *testing.T) {
	e := newEnv(t)
	const writer = "Authorization: Bearer writer-secret"
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/api/v1/tokens", ""}, {"POST", "/api/v1/tokens", `{"name":"x"}`}, {"DELETE", "/api/v1/tokens/t2", ""},
	} {
		if w := e.do(t, r.method, r.path, r.body, writer); w.Code != 403 {
			t.Errorf("%s %s with a write token: %d, want 403", r.method, r.path, w.Code)
		}
	}
	w := e.do(t, "POST", "/api/v1/tokens", `{"name":"bot","read_only":true}`, "token")
	if w.Code != 201 || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	created := decode[struct {
		Token, ID string
		ReadOnly  bool `json:"read_only"`
	}](t, w)
	if created.Token == "" || !created.ReadOnly {
		t.Errorf("created = %+v", created)
	}
	if w := e.do(t, "GET", "/api/v1/me", "", "Authorization: Bearer "+created.Token); !strings.Contains(w.Body.String(), `"name":"bot"`) {
		t.Errorf("new token: %s", w.Body)
	}
	w = e.do(t, "GET", "/api/v1/tokens", "", "token")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"name":"bot"`) || strings.Contains(w.Body.String(), created.Token) {
		t.Errorf("list: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "DELETE", "/api/v1/tokens/"+created.ID, "", "token"); w.Code != 204 {
		t.Errorf("revoke: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "GET", "/api/v1/reports", "", "Authorization: Bearer "+created.Token); w.Code != 401 {
		t.Errorf("revoked token: %d", w.Code)
	}
	if w := e.do(t, "POST", "/api/v1/tokens", `{"name":""}`, "token"); w.Code != 400 {
		t.Errorf("no name: %d", w.Code)
	}
}

// Every request is logged once, without its token or query values.
func TestAccessLog(t *testing.T) {
	var buf strings.Builder
	e := newEnv(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&buf, nil)) })
	e.do(t, "GET", "/api/v1/reports?q=confidential-source", "", "token")
	e.do(t, "POST", "/api/v1/reports", `{"text":"a"}`, "Authorization: Bearer not-a-real-token")
	log := buf.String()
	if strings.Count(log, "msg=request") != 2 || !strings.Contains(log, "route=/api/v1/reports") || !strings.Contains(log, "by=t1") {
		t.Errorf("log:\n%s", log)
	}
	for _, secret := range []string{adminToken, "not-a-real-token", "confidential-source"} {
		if strings.Contains(log, secret) {
			t.Errorf("log holds %q:\n%s", secret, log)
		}
	}
}

func TestAPIDoc(t *testing.T) {
	e := newEnv(t)
	w := e.do(t, "GET", "/api/v1/openapi.json", "")
	var doc struct {
		OpenAPI string
		Paths   map[string]map[string]any
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || doc.OpenAPI != "3.0.3" {
		t.Fatalf("%v %s", err, w.Body)
	}
	// Every registered /api/v1 route is described.
	for _, rt := range e.srv.Routes() {
		p, ok := strings.CutPrefix(rt.Path, "/api/v1")
		if !ok || p == "" || p == "/openapi.json" {
			continue
		}
		p = strings.ReplaceAll(strings.ReplaceAll(p, ":id", "{id}"), ":format", "{format}")
		if _, ok := doc.Paths[p][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("%s %s is not in the OpenAPI description", rt.Method, rt.Path)
		}
	}
}
