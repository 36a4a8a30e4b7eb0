package server

import (
	"encoding/json"
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
