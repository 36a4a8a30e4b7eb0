package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAbuseEdges runs the edge cases of the abuse suite (issue 12) against
// the real service with a per-address rate limit on: made-up methods do
// not grow /metrics, a junk Authorization header does not escape the
// address's limit, health checks do not share it, redirects carry the
// security headers, links come from --public-url whatever Host says,
// event times outside 1900…2200 are refused, any histogram query answers,
// and CSV cells are defused for every separator a spreadsheet may use.
func TestAbuseEdges(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	ch := startChild(t, filepath.Join(dir, "data"), "--admin-token-file", tokenFile, "--rate-ip", "2", "--rate-token", "-1",
		"--public-url", "https://geotag.example.org")
	tb, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	base, auth := ch.base, "Authorization: Bearer "+strings.TrimSpace(string(tb))
	jsonCT := "Content-Type: application/json"
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	raw := func(method, path, host string, headers ...string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if host != "" {
			req.Host = host
		}
		for _, h := range headers {
			k, v, _ := strings.Cut(h, ":")
			req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	t.Run("metrics labels", func(t *testing.T) {
		size := func() int {
			code, b := abuseDo(t, "GET", base+"/metrics", nil, auth)
			if code != 200 {
				t.Fatalf("/metrics: %d", code)
			}
			return len(b)
		}
		for i := range 3 {
			raw(fmt.Sprintf("M%d%s", i, strings.Repeat("X", 8000)), fmt.Sprintf("/nothing/%d", i), "")
		}
		size()
		before := size()
		for i := range 200 {
			raw(fmt.Sprintf("N%d%s", i, strings.Repeat("Y", 8000)), fmt.Sprintf("/api/v1/nothing/%d", i), "")
		}
		// Counter values may gain digits; series may not appear.
		after := size()
		if after > before+2000 {
			t.Errorf("/metrics grew from %d to %d bytes with 200 made-up methods", before, after)
		}
		t.Logf("/metrics: %d bytes before 200 made-up 8 KB methods, %d after", before, after)
	})

	t.Run("junk Authorization", func(t *testing.T) {
		codes := map[int]int{}
		for range 12 {
			codes[raw("GET", "/api/v1/config", "", "Authorization: junk").StatusCode]++
		}
		if codes[429] == 0 {
			t.Errorf("Authorization: junk escaped the address's limit: %v", codes)
		}
		// The address is over its limit now; its health checks still pass.
		for _, p := range []string{"/healthz", "/readyz", "/healthz", "/readyz", "/healthz"} {
			if c := raw("GET", p, "").StatusCode; c != 200 {
				t.Errorf("%s while over the limit: %d", p, c)
			}
		}
	})

	t.Run("redirect headers", func(t *testing.T) {
		for _, p := range []string{"/api/v1/reports/", "/ogc/collections/"} {
			resp := raw("GET", p, "", auth)
			if resp.StatusCode < 300 || resp.StatusCode > 308 || resp.Header.Get("Content-Security-Policy") == "" ||
				resp.Header.Get("X-Frame-Options") == "" || resp.Header.Get("X-Content-Type-Options") == "" {
				t.Errorf("%s: %d %v", p, resp.StatusCode, resp.Header)
			}
		}
	})

	t.Run("Host header", func(t *testing.T) {
		for _, host := range []string{"evil.example", "evil.example/x?y", "127.0.0.1"} {
			req, _ := http.NewRequest("GET", base+"/ogc", nil)
			req.Host = host
			req.Header.Set("Authorization", strings.TrimPrefix(auth, "Authorization: "))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var landing struct{ Links []struct{ Href string } }
			json.NewDecoder(resp.Body).Decode(&landing)
			resp.Body.Close()
			if len(landing.Links) == 0 {
				t.Errorf("Host %q: %d, no links", host, resp.StatusCode)
			}
			for _, l := range landing.Links {
				if !strings.HasPrefix(l.Href, "https://geotag.example.org/ogc") {
					t.Errorf("Host %q: link %q", host, l.Href)
				}
			}
		}
	})

	t.Run("extreme dates", func(t *testing.T) {
		for _, tm := range []string{"0001-01-01", "9999-12-31", "2400-01-01", "1899-12-31"} {
			body := `{"title":"t","text":"Aleppo","time":"` + tm + `"}`
			if code, b := abuseDo(t, "POST", base+"/api/v1/reports", strings.NewReader(body), auth, jsonCT); code != 422 {
				t.Errorf("create at %s: %d %s", tm, code, b)
			}
			imp := `[{"title":"t","text":"Aleppo","time":"` + tm + `"}]`
			if code, b := abuseDo(t, "POST", base+"/api/v1/import", strings.NewReader(imp), auth, jsonCT); code != 200 || !strings.Contains(string(b), `"status":422`) {
				t.Errorf("import at %s: %d %s", tm, code, b)
			}
		}
		for _, tm := range []string{"1900-01-01", "2199-12-31", "1969-12-31", "1970-01-01"} {
			body := `{"title":"t","text":"Aleppo","time":"` + tm + `"}`
			if code, b := abuseDo(t, "POST", base+"/api/v1/reports", strings.NewReader(body), auth, jsonCT); code != 201 {
				t.Errorf("create at %s: %d %s", tm, code, b)
			}
		}
		for _, q := range []string{"bins=1", "bins=1000", "from=0001-01-01&to=9999-12-31&bins=1", "from=9999-01-01",
			"bbox=-180,-90,180,90&bins=1", "bbox=30,30,40,40&from=1900-01-01&to=2200-01-01&bins=3", "to=0001-01-01", "bins=0"} {
			code, b := abuseDo(t, "GET", base+"/api/v1/histogram?"+q, nil, auth)
			if code == 400 {
				continue
			}
			var h struct {
				From, To *time.Time
				Width    int64 `json:"width_seconds"`
				Total    int
			}
			if code != 200 || json.Unmarshal(b, &h) != nil || h.Total > 0 && (h.From == nil || !h.To.After(*h.From) || h.Width <= 0) {
				t.Errorf("histogram %s: %d %s", q, code, b)
			}
		}
	})

	t.Run("CSV separators", func(t *testing.T) {
		payloads := []string{";=cmd|' /C calc'!A0", "Kyiv;=HYPERLINK(\"http://evil.example\")", "a, @SUM(1+1)", "x;\t=1+1", "line\n+1+cmd"}
		for i, p := range payloads {
			body, _ := json.Marshal(map[string]any{"title": p, "text": p + " Aleppo", "tags": []string{strings.NewReplacer("\t", " ", "\n", " ").Replace(p)}, "external_id": fmt.Sprint("sep-", i)})
			if code, b := abuseDo(t, "POST", base+"/api/v1/reports", bytes.NewReader(body), auth, jsonCT); code != http.StatusCreated {
				t.Fatalf("create %q: %d %s", p, code, b)
			}
		}
		code, b := abuseDo(t, "GET", base+"/api/v1/export/csv", nil, auth)
		if code != 200 {
			t.Fatalf("export: %d", code)
		}
		for _, line := range strings.Split(string(b), "\n") {
			for _, sep := range []string{";", ",", "\t", "\r"} {
				for _, piece := range strings.Split(line, sep) {
					p := strings.TrimPrefix(strings.TrimLeft(piece, " "), `"`)
					if p == "" || !strings.ContainsRune("=+-@\t\r", rune(p[0])) {
						continue
					}
					if _, err := strconv.ParseFloat(strings.TrimSuffix(p, `"`), 64); err != nil {
						t.Errorf("split on %q: a cell starts a formula: %q", sep, piece)
					}
				}
			}
		}
	})
}

// TestAbuseMetricsNeedToken: with --token-required-for-reads, /metrics
// (request counts, routes, memory) is for token holders only.
func TestAbuseMetricsNeedToken(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	ch := startChild(t, filepath.Join(dir, "data"), "--admin-token-file", tokenFile, "--token-required-for-reads")
	tb, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	if code, b := abuseDo(t, "GET", ch.base+"/metrics", nil); code != 401 || strings.Contains(string(b), "geotag_") {
		t.Errorf("/metrics without a token: %d", code)
	}
	if code, b := abuseDo(t, "GET", ch.base+"/metrics", nil, "Authorization: Bearer "+strings.TrimSpace(string(tb))); code != 200 || !strings.Contains(string(b), "geotag_http_requests_total") {
		t.Errorf("/metrics with the admin token: %d", code)
	}
}
