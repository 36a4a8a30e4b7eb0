package gazetteer

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the CPU time the process has used, so that the load
// benchmarks can report work done as well as wall time on a busy machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFloor measures the time to read and decompress the bundled
// bytes without decoding them: the floor under BenchmarkOpen.
func BenchmarkFloor(b *testing.B) {
	b.SetBytes(int64(len(bundled)))
	c0 := cpuTime()
	for b.Loop() {
		secs, err := splitSections(bundled)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range secs {
			if _, err := inflate(s); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64((cpuTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkOpen measures start-to-ready of the bundled gazetteer (what
// Open costs a starting process) and reports the live heap it holds.
func BenchmarkOpen(b *testing.B) {
	var g *Gazetteer
	c0 := cpuTime()
	for b.Loop() {
		var err error
		if g, err = Open(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(len(bundled))/(1<<20), "file-MB")
	runtime.KeepAlive(g)
}
