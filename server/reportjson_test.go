package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// bigReport has n mentions, each with alternatives, and n revisions.
func bigReport(n int) *geotag.Report {
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	text := strings.Repeat("Aleppo ", n)
	r := &geotag.Report{ID: "r1", ExternalID: "x<&>", Title: "t", Text: text, Source: "https://example.org/a", Time: t0, TimePrecision: "day",
		Created: t0, Updated: t0, Status: geotag.StatusReviewed, Tags: []string{"a", "b"}}
	for i := range n {
		a := aleppo
		r.Mentions = append(r.Mentions, geotag.Mention{Start: 7 * i, End: 7*i + 6, Text: "Aleppo", Kind: geotag.KindPlace, Confidence: 0.5,
			Precision: 1, Place: &a, Alternatives: []geotag.Candidate{{Place: amman, Score: 0.1}}})
		before := "old"
		r.History = append(r.History, geotag.Revision{At: t0.Add(time.Duration(i)), By: "me", Action: "edit", Mention: -1, BeforeText: &before})
	}
	r.Location = &geotag.Location{Lat: aleppo.Lat, Lon: aleppo.Lon, Precision: 1, PlaceID: aleppo.ID, Provenance: geotag.Provenance{Method: geotag.MethodAuto},
		Why: "most mentioned"}
	a := amman
	r.TitleMentions = []geotag.Mention{{Start: 0, End: 1, Text: "t", Kind: geotag.KindPlace, Confidence: 0.6, Place: &a, Alternatives: []geotag.Candidate{}}}
	return r
}

// sameJSON checks that two JSON texts hold the same value.
func sameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: the streamed answer is not JSON: %v: %.300s", what, err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: streamed\n%.600s\nwant\n%.600s", what, got, want)
	}
}

func TestReportStreamedAsMarshalled(t *testing.T) {
	for _, r := range []*geotag.Report{bigReport(3), {ID: "r2", Title: "bare"}} {
		var b strings.Builder
		if err := writeReportJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(r)
		sameJSON(t, "report "+r.ID, []byte(b.String()), want)
		b.Reset()
		if err := writeReportFeature(&b, r); err != nil {
			t.Fatal(err)
		}
		want, _ = json.Marshal(fullReportFeature(r))
		sameJSON(t, "feature "+r.ID, []byte(b.String()), want)
	}
}

// writeSizes records the largest single write of an answer.
type writeSizes struct {
	*httptest.ResponseRecorder
	max, total int
}

func (w *writeSizes) Write(p []byte) (int, error) {
	w.max, w.total = max(w.max, len(p)), w.total+len(p)
	return w.ResponseRecorder.Write(p)
}

// GET /api/v1/reports/{id} (both forms) and its history stream: a report
// of a few MB goes out in writes of at most a buffer, never as one
// value built whole.
func TestReportAnswersStream(t *testing.T) {
	e := newEnv(t)
	r := bigReport(4000)
	if err := e.reports.CreateReport(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"", "?format=json", "/history"} {
		req := httptest.NewRequest("GET", "/api/v1/reports/"+r.ID+path, nil)
		req.RemoteAddr = "192.0.2.1:1234"
		w := &writeSizes{ResponseRecorder: httptest.NewRecorder()}
		e.srv.Handler().ServeHTTP(w, req)
		if w.Code != http.StatusOK || !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s: %d %.200s", path, w.Code, w.Body)
		}
		if w.total < 256<<10 || w.max > 64<<10 {
			t.Errorf("%s: %d bytes in writes of up to %d bytes, want more than 256 KiB in writes of at most 64 KiB", path, w.total, w.max)
		}
	}
}
