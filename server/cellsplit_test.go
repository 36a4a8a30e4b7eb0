package server

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// TestCellsSplit checks that a cluster count says how its reports split
// by precision and by event type.
func TestCellsSplit(t *testing.T) {
	e := newEnv(t)
	for i, r := range []struct {
		precision int
		event     string
	}{{1, "Battles"}, {2, "Battles"}, {3, "Protests"}, {1, ""}} {
		err := e.reports.CreateReport(context.Background(), &geotag.Report{Title: "r", Text: "t", Time: time.Now(),
			Location: &geotag.Location{Lat: 10 + float64(i)/100, Lon: 20, Precision: r.precision, Mention: -1},
			Event:    geotag.Event{EventType: r.event}})
		if err != nil {
			t.Fatal(err)
		}
	}
	w := e.do(t, "GET", "/api/v1/cells?zoom=2", "")
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var c struct {
		Features []struct {
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Features) != 1 {
		t.Fatalf("cells = %s, want one", w.Body)
	}
	got, _ := json.Marshal(c.Features[0].Properties)
	want := `{"by_event_type":{"Battles":2,"Protests":1},"by_precision":[2,1,1],"count":4}`
	if string(got) != want {
		t.Fatalf("cell properties %s, want %s", got, want)
	}
}
