package server

import (
	"context"

	"encoding/json"
	"github.com/geotag/geotag"
	"testing"
	"time"
)

func TestHistogram(t *testing.T) {
	e := newEnv(t)
	seedReports(t, e)
	e.create(t, `{"text":"Aleppo again","time":"2024-03-05T10:00:00Z"}`)
	var h histogramResponse
	get := func(path string) {
		t.Helper()
		w := e.do(t, "GET", path, "")
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
		h = histogramResponse{}
		if err := json.Unmarshal(w.Body.Bytes(), &h); err != nil {
			t.Fatal(err)
		}
	}
	get("/api/v1/histogram?bins=50")
	sum := 0
	for _, c := range h.Counts {
		sum += c
	}
	if h.Total != 4 || sum != 4 || h.From == nil || h.To == nil || h.WidthSeconds <= 0 ||
		!h.To.Equal(h.From.Add(time.Duration(len(h.Counts))*time.Duration(h.WidthSeconds)*time.Second)) {
		t.Errorf("histogram = %+v", h)
	}
	// The bins span the reports from 2024-03-01 to 2024-03-05T10:00.
	if oldest, newest := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC); h.From.After(oldest) ||
		!h.To.After(newest) || h.From.Before(oldest.Add(-time.Duration(h.WidthSeconds)*time.Second)) {
		t.Errorf("bins %v…%v do not span the reports", h.From, h.To)
	}
	get("/api/v1/histogram?q=again")
	if h.Total != 1 || len(h.Counts) != 1 || h.Counts[0] != 1 {
		t.Errorf("filtered histogram = %+v", h)
	}
	get("/api/v1/histogram?q=nothing-matches-this")
	if h.Total != 0 || h.Counts == nil || len(h.Counts) != 0 || h.From != nil {
		t.Errorf("empty histogram = %+v", h)
	}
}

// A total the store did not count to the end is numberMatchedAtLeast, not
// numberMatched; OGC offset paging still links to the next page.
func TestListReports_TotalCapped(t *testing.T) {
	e := newEnv(t)
	seedReports(t, e)
	e.reports.totalCap = 2
	var fc map[string]any
	get := func(path string) {
		t.Helper()
		w := e.do(t, "GET", path, "")
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
		fc = nil
		if err := json.Unmarshal(w.Body.Bytes(), &fc); err != nil {
			t.Fatal(err)
		}
	}
	get("/api/v1/reports?limit=1")
	if _, ok := fc["numberMatched"]; ok || fc["numberMatchedAtLeast"] != 2.0 || fc["numberReturned"] != 1.0 {
		t.Errorf("capped page: numberMatched %v, numberMatchedAtLeast %v", fc["numberMatched"], fc["numberMatchedAtLeast"])
	}
	get("/ogc/collections/reports/items?limit=1&offset=1")
	if _, ok := fc["numberMatched"]; ok || fc["numberMatchedAtLeast"] != 2.0 {
		t.Errorf("capped OGC page: numberMatched %v, numberMatchedAtLeast %v", fc["numberMatched"], fc["numberMatchedAtLeast"])
	}
	next := false
	for _, l := range fc["links"].([]any) {
		next = next || l.(map[string]any)["rel"] == "next"
	}
	if !next {
		t.Errorf("capped OGC page without a next link: %v", fc["links"])
	}
	e.reports.totalCap = 0
	get("/api/v1/reports?limit=1")
	if fc["numberMatched"] != 3.0 || fc["numberMatchedAtLeast"] != nil {
		t.Errorf("exact page: numberMatched %v, numberMatchedAtLeast %v", fc["numberMatched"], fc["numberMatchedAtLeast"])
	}
}

// featureReports gives memReports the store's FindFeatures.
type featureReports struct{ *memReports }

func (f featureReports) FindFeatures(ctx context.Context, rf geotag.ReportFilter) (geotag.FeaturePage, error) {
	p, err := f.FindReports(ctx, rf)
	if err != nil {
		return geotag.FeaturePage{}, err
	}
	fp := geotag.FeaturePage{ReportPage: p, N: len(p.Reports)}
	fp.Reports = nil
	for _, r := range p.Reports {
		fp.Features = append(geotag.AppendReportFeature(fp.Features, r), '\n')
	}
	return fp, nil
}

// A store's pre-encoded feature page gives the same report list as its
// reports.
func TestListReports_Features(t *testing.T) {
	plain, lean := seededPair(t, func(m *memReports) geotag.ReportService { return featureReports{m} })
	for _, path := range []string{"/api/v1/reports", "/api/v1/reports?limit=2", "/api/v1/reports?q=nothing", "/api/v1/reports?limit=1&status=unreviewed"} {
		a, b := plain.do(t, "GET", path, ""), lean.do(t, "GET", path, "")
		if a.Code != 200 || a.Body.String() != b.Body.String() {
			t.Errorf("%s:\n%d %s\n%d %s", path, a.Code, a.Body, b.Code, b.Body)
		}
	}
	if _, ok := lean.srv.reports.(featureFinder); !ok {
		t.Fatal("the test store has no FindFeatures")
	}
}

// ?whole=true answers every match or none: a map's dense view costs no
// features it would throw away for cluster counts.
func TestListReports_Whole(t *testing.T) {
	e := newEnv(t)
	seedReports(t, e)
	for _, tt := range []struct {
		path          string
		code, matched int
		features      int
	}{
		{"/api/v1/reports?limit=2&whole=true", 200, 3, 0},
		{"/api/v1/reports?limit=3&whole=true", 200, 3, 3},
		{"/api/v1/reports?whole=1", 200, 3, 3},
		{"/api/v1/reports?limit=2&whole=false", 200, 3, 2},
		{"/api/v1/reports?limit=1&whole=true&q=Aleppo", 200, 1, 1},
		{"/api/v1/reports?whole=maybe", 400, 0, 0},
	} {
		w := e.do(t, "GET", tt.path, "")
		if w.Code != tt.code {
			t.Errorf("%s: %d %s", tt.path, w.Code, w.Body)
			continue
		}
		if w.Code != 200 {
			continue
		}
		var fc struct {
			Features       []json.RawMessage
			NumberMatched  int
			NumberReturned int
		}
		if err := json.Unmarshal(w.Body.Bytes(), &fc); err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if fc.NumberMatched != tt.matched || len(fc.Features) != tt.features || fc.NumberReturned != tt.features || fc.Features == nil {
			t.Errorf("%s: %d matched, %d features (%d returned), want %d, %d: %s", tt.path, fc.NumberMatched, len(fc.Features), fc.NumberReturned, tt.matched, tt.features, w.Body)
		}
	}
}
