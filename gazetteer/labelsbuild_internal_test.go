package gazetteer

import (
	"runtime"
	"sync"
	"testing"

	"github.com/geotag/geotag"
)

// BenchmarkLabelsBuild measures building the map labels' index of the
// bundled gazetteer (what BuildLabels does once at serve start): its time
// per build, and the bytes the index keeps (index-bytes) and allocates on
// the way (B/op).
func BenchmarkLabelsBuild(b *testing.B) {
	g, err := Open()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var ix *labelIndex
	for b.Loop() {
		ix = g.buildLabelIndex()
	}
	kept, entries := 0, 0
	for _, l := range ix.levels {
		kept += 4 * cap(l)
		entries += len(l)
	}
	b.ReportMetric(float64(kept), "index-bytes")
	b.ReportMetric(float64(entries), "entries")
	runtime.KeepAlive(ix)
}

// BuildLabels makes LabelsReady true; Labels called while it builds waits
// for that one build and answers as after it.
func TestBuildLabels(t *testing.T) {
	g, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	if g.LabelsReady() {
		t.Fatal("labels ready before any build")
	}
	box := geotag.BBox{W: 36.6, S: 35.9, E: 37.7, N: 36.6}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		g.BuildLabels()
	}()
	during := g.Labels(box, 9, 20)
	wg.Wait()
	if !g.LabelsReady() {
		t.Fatal("labels not ready after BuildLabels")
	}
	after := g.Labels(box, 9, 20)
	if len(during) == 0 || len(during) != len(after) || during[0].ID != after[0].ID {
		t.Fatalf("labels during the build %v, after %v", during, after)
	}
	first := g.label
	g.BuildLabels()
	if g.label != first {
		t.Fatal("a second BuildLabels built the index again")
	}
}
