package server

import (
	"context"
	"net/http"
	"testing"

	"github.com/geotag/geotag"
)

// EventHistogram splits the fake's day bins by event type.
func (m *memReports) EventHistogram(ctx context.Context, f geotag.ReportFilter, bins int) (geotag.EventHistogram, error) {
	h, err := m.Histogram(ctx, f, bins)
	if err != nil {
		return geotag.EventHistogram{}, err
	}
	out := geotag.EventHistogram{Histogram: h, ByType: make([][]int, len(geotag.EventTypes))}
	for i := range out.ByType {
		out.ByType[i] = make([]int, len(h.Counts))
	}
	for _, r := range m.matching(f) {
		if c := geotag.EventTypeCode(r.EventType); c > 0 {
			out.ByType[c-1][int(r.Time.Sub(h.From).Hours()/24)]++
		}
	}
	return out, nil
}

// TestHistogramByEventType: by=event_type answers each type's counts in
// the histogram's bins; another by is 400.
func TestHistogramByEventType(t *testing.T) {
	e := newEnv(t)
	e.create(t, `{"text":"a","time":"2024-03-01T10:00:00Z","event_type":"Battles"}`)
	e.create(t, `{"text":"b","time":"2024-03-01T11:00:00Z","event_type":"Battles"}`)
	e.create(t, `{"text":"c","time":"2024-03-03T11:00:00Z","event_type":"Riots"}`)
	e.create(t, `{"text":"d","time":"2024-03-03T12:00:00Z"}`)
	w := e.do(t, "GET", "/api/v1/histogram?by=event_type", "")
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	h := decode[histogramResponse](t, w)
	if len(h.ByEventType) != len(geotag.EventTypes) || len(h.Counts) != 3 {
		t.Fatalf("answer %+v", h)
	}
	if b, r := h.ByEventType["Battles"], h.ByEventType["Riots"]; b[0] != 2 || b[2] != 0 || r[2] != 1 || h.Counts[2] != 2 {
		t.Errorf("battles %v riots %v counts %v", b, r, h.Counts)
	}
	if w := e.do(t, "GET", "/api/v1/histogram", ""); decode[histogramResponse](t, w).ByEventType != nil {
		t.Errorf("no by, a split: %s", w.Body)
	}
	if w := e.do(t, "GET", "/api/v1/histogram?by=actor", ""); w.Code != http.StatusBadRequest {
		t.Errorf("by=actor: %d", w.Code)
	}
}

// TestFatalitiesMaxFilter: fatalities_max with fatalities_min in a list;
// a max below the min, or not a count, is 400.
func TestFatalitiesMaxFilter(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"1", "5", "20", "null"} {
		e.create(t, `{"text":"x","event_type":"Battles","fatalities":`+n+`}`)
	}
	fc := decode[map[string]any](t, e.do(t, "GET", "/api/v1/reports?fatalities_min=2&fatalities_max=20", ""))
	if n := len(fc["features"].([]any)); n != 2 {
		t.Errorf("2…20: %d reports", n)
	}
	for _, q := range []string{"fatalities_min=5&fatalities_max=4", "fatalities_max=x", "fatalities_max=-1"} {
		if w := e.do(t, "GET", "/api/v1/reports?"+q, ""); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", q, w.Code)
		}
	}
}
