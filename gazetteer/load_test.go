package gazetteer

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
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
			if _, err := unzstd(s); err != nil {
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

// BenchmarkLoadFiles compares gazetteer files in one run (the machine is
// shared and noisy): GEOTAG_GAZETTEERS=old.gz,new.gz go test -bench
// LoadFiles -run '^$' ./gazetteer/ loads each file as Load does and reports
// its wall and CPU time, the live heap it holds and its size. Without the
// variable it is skipped.
func BenchmarkLoadFiles(b *testing.B) {
	files := os.Getenv("GEOTAG_GAZETTEERS")
	if files == "" {
		b.Skip("GEOTAG_GAZETTEERS not set")
	}
	for _, path := range strings.Split(files, ",") {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(path), func(b *testing.B) {
			var g *Gazetteer
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			c0 := cpuTime()
			for b.Loop() {
				g = nil
				if g, err = load(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op")
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapAlloc-min(ms.HeapAlloc, before.HeapAlloc))/(1<<20), "heap-MB")
			b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
			runtime.KeepAlive(g)
		})
	}
}
