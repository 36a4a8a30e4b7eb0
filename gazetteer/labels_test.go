package gazetteer_test

import (
	"math"
	"testing"

	"github.com/geotag/geotag"
)

// Labels for a view: inside the box, at most the limit, most important
// first, spread (at most four per half tile), the box's single most
// important place first whatever the zoom, and across the antimeridian.
func TestLabels(t *testing.T) {
	g := open(t)
	aleppo := geotag.BBox{W: 36.6, S: 35.9, E: 37.7, N: 36.6} // about a 1280×860 view at zoom 9
	ps := g.Labels(aleppo, 9, 60)
	if len(ps) == 0 || len(ps) > 60 {
		t.Fatalf("%d labels, want 1..60", len(ps))
	}
	if ps[0].Name != "Aleppo" {
		t.Errorf("first label %q, want Aleppo", ps[0].Name)
	}
	perCell := map[[2]int]int{}
	for i, p := range ps {
		if !aleppo.Contains(p.Lat, p.Lon) {
			t.Errorf("%s (%v, %v) is outside the box", p.Name, p.Lat, p.Lon)
		}
		if c := p.FeatureClass(); c != "P" && c != "A" {
			t.Errorf("%s is a %s: not a town or division", p.Name, p.Feature)
		}
		if i > 0 && g.Importance(p.ID) > g.Importance(ps[i-1].ID) {
			t.Errorf("%s ranks above %s but is more important", ps[i-1].Name, p.Name)
		}
		cell := 360 / math.Exp2(10)
		perCell[[2]int{int(math.Floor((p.Lon + 180) / cell)), int(math.Floor((p.Lat + 90) / cell))}]++
	}
	for c, n := range perCell {
		if n > 4 {
			t.Errorf("cell %v holds %d labels, want at most 4", c, n)
		}
	}
	if n := len(g.Labels(aleppo, 9, 5)); n != 5 {
		t.Errorf("limit 5 gave %d", n)
	}
	if n := len(g.Labels(aleppo, 9, 100000)); n > 500 {
		t.Errorf("a huge limit gave %d labels, want at most 500", n)
	}
	if ps := g.Labels(aleppo, 9, 0); len(ps) != 0 {
		t.Errorf("limit 0 gave %d", len(ps))
	}
	if ps := g.Labels(geotag.BBox{W: 10, S: 50, E: 5, N: 40}, 9, 10); len(ps) != 0 {
		t.Errorf("a box with south above north gave %d", len(ps))
	}

	// The whole world at any zoom reads a bounded number of cells and
	// still leads with its most important places.
	world := g.Labels(geotag.BBox{W: -180, S: -90, E: 180, N: 90}, 14, 20)
	if len(world) != 20 {
		t.Fatalf("world: %d labels", len(world))
	}
	if f := world[0].Feature; f[:5] != "A.PCL" {
		t.Errorf("world's first label %s is a %s, want a country", world[0].Name, f)
	}

	fiji := g.Labels(geotag.BBox{W: 177, S: -19, E: -178, N: -16}, 7, 60)
	east, west := false, false
	for _, p := range fiji {
		east = east || p.Lon > 0
		west = west || p.Lon < 0
	}
	if !east || !west {
		t.Errorf("a box across the antimeridian gave labels east %v, west %v: %v", east, west, labelNames(fiji))
	}
}

func labelNames(ps []geotag.Place) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// BenchmarkLabels measures a zoom-9 view; BenchmarkLabelsScan is the scan
// of every place it replaces.
func BenchmarkLabels(b *testing.B) {
	g := open(b)
	box := geotag.BBox{W: 36.6, S: 35.9, E: 37.7, N: 36.6}
	g.Labels(box, 9, 60) // builds the index
	b.ResetTimer()
	for b.Loop() {
		g.Labels(box, 9, 60)
	}
}
