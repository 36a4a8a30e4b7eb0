package server

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/geotag/geotag"
)

// labelPlaces adds map labels to the test gazetteer: the places in the
// box by population.
type labelPlaces struct {
	fakePlaces
	zoom int
}

func (l *labelPlaces) Labels(box geotag.BBox, zoom, limit int) []geotag.Place {
	l.zoom = zoom
	var out []geotag.Place
	for _, p := range testPlaces {
		if box.Contains(p.Lat, p.Lon) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b geotag.Place) int { return int(b.Population - a.Population) })
	return out[:min(limit, len(out))]
}

func TestPlaceLabels(t *testing.T) {
	lp := &labelPlaces{}
	e := newEnv(t, func(c *Config) { c.Places = lp })
	w := e.do(t, "GET", "/api/v1/places/labels?bbox=30,25,40,40&zoom=7&limit=2", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/geo+json" {
		t.Fatalf("%d %s: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	var fc struct {
		Features []geotag.PlaceFeature `json:"features"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 2 || fc.Features[0].Properties.Name != "Aleppo" || fc.Features[1].Properties.Name != "Amman" ||
		fc.Features[0].Properties.Rank != 1 || fc.Features[0].Properties.Label != "Aleppo, Syria" || lp.zoom != 7 {
		t.Errorf("labels %s (zoom passed %d)", w.Body, lp.zoom)
	}
	if w := e.do(t, "GET", "/api/v1/places/170063", ""); w.Code != 200 {
		t.Errorf("a place by id beside the labels route: %d", w.Code)
	}
	for _, q := range []string{"zoom=7", "bbox=30,25,40,40", "bbox=30,25,40,40&zoom=23", "bbox=30,25,40,40&zoom=x",
		"bbox=30,25,40,40&zoom=5&limit=0", "bbox=30,25,40,40&zoom=5&limit=501", "bbox=30,45,40,40&zoom=5"} {
		if w := e.do(t, "GET", "/api/v1/places/labels?"+q, ""); w.Code != 400 {
			t.Errorf("%s: %d, want 400", q, w.Code)
		}
	}
	// A gazetteer without labels says so.
	if w := newEnv(t).do(t, "GET", "/api/v1/places/labels?bbox=30,25,40,40&zoom=7", ""); w.Code != 404 {
		t.Errorf("no labels: %d, want 404", w.Code)
	}
}

// readyLabels is a labeler whose index is built in the background.
type readyLabels struct {
	labelPlaces
	ready bool
}

func (r *readyLabels) LabelsReady() bool { return r.ready }

// A labels request before the index is built gets 503 with Retry-After at
// once, not a wait; once built, the labels.
func TestPlaceLabelsBuilding(t *testing.T) {
	rl := &readyLabels{}
	e := newEnv(t, func(c *Config) { c.Places = rl })
	const q = "/api/v1/places/labels?bbox=30,25,40,40&zoom=7&limit=2"
	w := e.do(t, "GET", q, "")
	if w.Code != 503 || w.Header().Get("Retry-After") != labelsRetryAfter {
		t.Fatalf("before the index: %d, Retry-After %q: %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	rl.ready = true
	if w := e.do(t, "GET", q, ""); w.Code != 200 {
		t.Fatalf("after the index: %d %s", w.Code, w.Body)
	}
}
