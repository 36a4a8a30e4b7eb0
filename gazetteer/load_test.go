package gazetteer

import (
	"bytes"
	"runtime"
	"testing"
)

// BenchmarkFloor measures the time to read and decompress the bundled
// bytes without decoding them: the floor under BenchmarkOpen.
func BenchmarkFloor(b *testing.B) {
	b.SetBytes(int64(len(bundled)))
	for b.Loop() {
		secs, err := readSections(bytes.NewReader(bundled))
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range secs {
			if _, err := inflate(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkOpen measures start-to-ready of the bundled gazetteer and
// reports the live heap it holds.
func BenchmarkOpen(b *testing.B) {
	var g *Gazetteer
	for b.Loop() {
		var err error
		if g, err = Open(); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(len(bundled))/(1<<20), "file-MB")
	runtime.KeepAlive(g)
}
