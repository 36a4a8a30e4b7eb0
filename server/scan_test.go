package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// meteredReports charges the context's meter as store.DB does, roughly:
// recordBytes per report read, a text search reading every report.
type meteredReports struct{ *memReports }

const recordBytes = 8 << 10

func (m meteredReports) charge(ctx context.Context, n int) {
	if mt := geotag.MeterFrom(ctx); mt != nil && n > 0 {
		mt.Charge(int64(n) * recordBytes)
	}
}

func (m meteredReports) FindReports(ctx context.Context, f geotag.ReportFilter) (geotag.ReportPage, error) {
	p, err := m.memReports.FindReports(ctx, f)
	if f.Q != "" {
		m.charge(ctx, len(m.reports))
	} else {
		m.charge(ctx, len(p.Reports))
	}
	return p, err
}

func (m meteredReports) EachReport(ctx context.Context, f geotag.ReportFilter, fn func(*geotag.Report) error) error {
	m.charge(ctx, len(m.reports))
	return m.memReports.EachReport(ctx, f, fn)
}

func (m meteredReports) Tags(ctx context.Context, f geotag.ReportFilter, prefix string, limit int) (geotag.TagList, error) {
	m.charge(ctx, len(m.reports))
	return m.memReports.Tags(ctx, f, prefix, limit)
}

// from sends a GET from a client address, with optional headers.
func (e *env) from(t testing.TB, addr, path string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = addr + ":1234"
	for _, h := range headers {
		if h == "token" {
			h = "Authorization: Bearer " + adminToken
		}
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	return w
}

// refused checks a 429 of a spent scan budget: Retry-After, problem+json.
func refused(t *testing.T, w *httptest.ResponseRecorder, what string) {
	t.Helper()
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(w.Body.String(), `"status":429`) {
		t.Fatalf("%s: %d %q %s, want a 429 problem", what, w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	if s, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || s < 1 {
		t.Fatalf("%s: Retry-After %q", what, w.Header().Get("Retry-After"))
	}
}

// A client looping over text searches, filtered tag counts, offset walks
// and exports spends its scan budget and is refused with 429 and
// Retry-After, each scan charged for what it read, not once per request;
// meanwhile another address, a token and the same client's map queries
// are served, and the budget refills with time.
func TestScanBudget(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	e := newEnv(t, func(c *Config) {
		c.Reports = meteredReports{c.Reports.(*memReports)}
		c.ScanRateIP = 64 << 10 // a bucket of 1 MiB: some 120 reports read
		c.ScanRateToken = 64 << 10
		c.Now = func() time.Time { return now }
	})
	for i := range 40 {
		e.create(t, `{"title":"r`+strconv.Itoa(i)+`","text":"Shelling in Aleppo","time":"2024-03-01","tags":["shelling"]}`)
	}
	scans := []string{
		"/api/v1/reports?q=shelling&limit=5",
		"/api/v1/tags?text=aleppo",
		"/ogc/collections/reports/items?offset=30&limit=5",
		"/api/v1/export/geojson",
	}
	const attacker, other = "198.51.100.7", "203.0.113.9"
	for _, path := range scans {
		n := 0
		for ; n < 100; n++ {
			if w := e.from(t, attacker, path); w.Code != 200 {
				refused(t, w, path)
				break
			}
		}
		// 40 reports a scan, 1 MiB of 8 KiB reports: the fourth scan at
		// the latest finds the bucket spent.
		if n == 100 || n > 4 {
			t.Fatalf("%s: %d scans before the 429", path, n)
		}
		for _, p := range []string{path, "/api/v1/cells?zoom=3", "/api/v1/histogram", "/api/v1/reports?limit=2000&whole=true&bbox=30,30,40,40"} {
			if w := e.from(t, other, p); w.Code != 200 {
				t.Fatalf("another client's %s: %d %s", p, w.Code, w.Body)
			}
		}
		for _, p := range []string{"/api/v1/cells?zoom=3", "/api/v1/histogram", "/api/v1/reports?limit=50", "/api/v1/tags"} {
			if w := e.from(t, attacker, p); w.Code != 200 {
				t.Fatalf("the map's %s of the spent client: %d %s", p, w.Code, w.Body)
			}
		}
		if w := e.from(t, attacker, path, "token"); w.Code != 200 {
			t.Fatalf("the same address with a token: %d %s", w.Code, w.Body)
		}
		now = now.Add(time.Minute) // refilled
		if w := e.from(t, attacker, path); w.Code != 200 {
			t.Fatalf("%s after a minute: %d %s", path, w.Code, w.Body)
		}
		now = now.Add(time.Minute)
	}
	// Big pages are scans; a page of the map's size is not.
	for n := 0; ; n++ {
		if w := e.from(t, attacker, "/api/v1/reports?limit=2001"); w.Code != 200 {
			refused(t, w, "pages of 2,001")
			break
		}
		if n > 100 {
			t.Fatal("pages of 2,001 never refused")
		}
	}
	if w := e.from(t, attacker, "/api/v1/reports?limit=2000"); w.Code != 200 {
		t.Fatalf("a page of 2,000: %d", w.Code)
	}
}

// OGC pages that follow next links are not counted by the per-address
// request limit, so that GDAL, which pages by 10, copies a large
// collection; offset pages and other requests still are.
func TestOGCNextLinksNotRateLimited(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RateIP = 1 }) // a burst of 2
	for i := range 30 {
		e.create(t, `{"title":"r`+strconv.Itoa(i)+`","text":"Aleppo","time":"2024-03-01"}`)
	}
	url := "/ogc/collections/reports/items?limit=1"
	pages := 0
	for ; url != ""; pages++ {
		w := e.from(t, "192.0.2.50", url)
		if w.Code != 200 {
			t.Fatalf("page %d: %d %s", pages, w.Code, w.Body)
		}
		url = strings.TrimPrefix(decode[collection](t, w).link("next"), "http://example.com")
	}
	if pages != 30 {
		t.Fatalf("%d pages, want 30", pages)
	}
	codes := map[int]int{}
	for range 5 {
		codes[e.from(t, "192.0.2.50", "/ogc/collections/reports/items?limit=1&offset=3").Code]++
	}
	if codes[429] == 0 {
		t.Errorf("offset pages were not rate limited: %v", codes)
	}
	// Without a scan budget, next links count like any request.
	e = newEnv(t, func(c *Config) { c.RateIP = 1; c.ScanRateIP = -1 })
	e.create(t, `{"title":"a","text":"Aleppo","time":"2024-03-01"}`)
	e.create(t, `{"title":"b","text":"Aleppo","time":"2024-03-02"}`)
	codes = map[int]int{}
	for range 5 {
		codes[e.from(t, "192.0.2.50", "/ogc/collections/reports/items?limit=1&cursor=1").Code]++
	}
	if codes[429] == 0 {
		t.Errorf("next links without a budget were not rate limited: %v", codes)
	}
}

// Bulk scans take turns: with every turn held, exports, text searches,
// offset walks and filtered tag counts wait and get 503, while cluster
// counts, histograms, marker pages and next-link pages are served.
func TestBulkTurns(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxBulk = 1 })
	seedReports(t, e)
	e.srv.bulkWait = 20 * time.Millisecond
	if !e.srv.bulk.acquire(context.Background(), 1, 0) {
		t.Fatal("no turn")
	}
	for _, p := range []string{"/api/v1/export/csv", "/api/v1/reports?q=aleppo", "/ogc/collections/reports/items?offset=1", "/api/v1/tags?tag=shelling"} {
		w := e.do(t, "GET", p, "")
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
			t.Errorf("%s with the turns held: %d %s", p, w.Code, w.Body)
		}
	}
	for _, p := range []string{"/api/v1/cells?zoom=3", "/api/v1/histogram", "/api/v1/reports?bbox=30,30,40,40&whole=true", "/api/v1/tags",
		"/ogc/collections/reports/items?limit=1", "/ogc/collections/reports/items?limit=1&cursor=1"} {
		if w := e.do(t, "GET", p, ""); w.Code != 200 {
			t.Errorf("%s with the bulk turns held: %d %s", p, w.Code, w.Body)
		}
	}
	e.srv.bulk.release(1)
	if w := e.do(t, "GET", "/api/v1/export/csv", ""); w.Code != 200 {
		t.Errorf("export after release: %d", w.Code)
	}
	if e.srv.bulk.free != 1 {
		t.Errorf("free %d after the scans, want 1", e.srv.bulk.free)
	}
}

// Offsets are bounded and the bounds and page sizes are declared: in the
// API definition (QGIS reads the limit's default and maximum there) and
// the collection.
func TestOGCPagingDeclared(t *testing.T) {
	e := newEnv(t)
	seedReports(t, e)
	if w := e.do(t, "GET", "/ogc/collections/reports/items?offset="+strconv.Itoa(ogcMaxOffset+1), ""); w.Code != 400 ||
		!strings.Contains(w.Body.String(), "next") {
		t.Errorf("an offset past the bound: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "GET", "/ogc/collections/reports/items?offset="+strconv.Itoa(ogcMaxOffset), ""); w.Code != 200 {
		t.Errorf("the largest offset: %d %s", w.Code, w.Body)
	}
	api := decode[struct {
		Paths map[string]struct {
			Get struct {
				Parameters []struct {
					Name   string
					Schema map[string]any
				}
			}
		}
	}](t, e.do(t, "GET", "/ogc/api", ""))
	got := map[string]map[string]any{}
	for _, p := range api.Paths["/collections/reports/items"].Get.Parameters {
		got[p.Name] = p.Schema
	}
	if got["limit"]["default"] != float64(1000) || got["limit"]["maximum"] != float64(10000) ||
		got["offset"]["maximum"] != float64(ogcMaxOffset) || got["cursor"] == nil {
		t.Errorf("items parameters: %v", got)
	}
	col := decode[map[string]any](t, e.do(t, "GET", "/ogc/collections/reports", ""))
	if col["defaultLimit"] != float64(1000) || col["maxLimit"] != float64(10000) {
		t.Errorf("collection: %v", col)
	}
	c := decode[collection](t, e.do(t, "GET", "/ogc/collections/reports/items", ""))
	if c.NumberReturned != 3 {
		t.Errorf("the default page: %d", c.NumberReturned)
	}
}

// A client whose bucket holds less than a request's fixed cost is still
// served once (and then owes the rest): the request's own cost never
// refuses it after it has waited for a bulk turn.
func TestScanBudget_NearlySpent(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	e := newEnv(t, func(c *Config) { c.ScanRateIP = 64 << 10; c.Now = func() time.Time { return now } })
	seedReports(t, e)
	const addr = "198.51.100.8"
	if w := e.from(t, addr, "/api/v1/export/csv"); w.Code != 200 {
		t.Fatalf("first export: %d", w.Code)
	}
	e.srv.scans.buckets["address "+addr].bal = 1 << 10 // 1 KiB left
	if w := e.from(t, addr, "/api/v1/export/csv"); w.Code != 200 {
		t.Fatalf("with 1 KiB left: %d %s", w.Code, w.Body)
	}
	refused(t, e.from(t, addr, "/api/v1/export/csv"), "in debt")
}
