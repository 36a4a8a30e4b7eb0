package gazetteer

import (
	"slices"
	"testing"

	"github.com/geotag/geotag"
)

// BenchmarkLabelsScan is what Labels would cost without its index: a scan
// of the place columns for the box's labelled places, ranked. Compare
// with BenchmarkLabels.
func BenchmarkLabelsScan(b *testing.B) {
	g, err := Open()
	if err != nil {
		b.Fatal(err)
	}
	box := geotag.BBox{W: 36.6, S: 35.9, E: 37.7, N: 36.6}
	for b.Loop() {
		var hits []int32
		for i := range g.ids {
			if labelled(g.features[g.feature[i]]) && box.Contains(float64(g.lat[i])/1e5, float64(g.lon[i])/1e5) {
				hits = append(hits, int32(i))
			}
		}
		slices.SortFunc(hits, g.labelBefore)
	}
}

// The index's first label for a box is the box's most important labelled
// place, as a scan of every place finds it, at every zoom.
func TestLabelsLeadLikeAScan(t *testing.T) {
	g, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	for _, box := range []geotag.BBox{
		{W: 36.6, S: 35.9, E: 37.7, N: 36.6}, {W: 30, S: 46, E: 40, N: 52}, {W: -0.3, S: 51.4, E: 0.1, N: 51.6}, {W: -75, S: -15, E: -70, N: -10},
	} {
		best := int32(-1)
		for i := range g.ids {
			if labelled(g.features[g.feature[i]]) && box.Contains(float64(g.lat[i])/1e5, float64(g.lon[i])/1e5) &&
				(best < 0 || g.labelBefore(int32(i), best) < 0) {
				best = int32(i)
			}
		}
		for zoom := 0; zoom <= 16; zoom += 4 {
			ps := g.Labels(box, zoom, 10)
			if len(ps) == 0 || ps[0].ID != g.ids[best] {
				t.Errorf("box %v zoom %d: first label %v, want %s", box, zoom, names(ps), g.place(best).Name)
			}
		}
	}
}

func names(ps []geotag.Place) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}
