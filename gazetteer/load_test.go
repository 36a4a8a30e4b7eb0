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

// openRun times loads: each returns g; ready waits for what g builds in
// the background after it (the key index). ns/op is the wall time until
// ready; open-ms the wall time until load returned; cpu-ms the CPU time of
// every goroutine, the background's included.
func openRun(b *testing.B, load func() (*Gazetteer, error)) *Gazetteer {
	var g *Gazetteer
	var open time.Duration
	c0 := cpuTime()
	for b.Loop() {
		g = nil
		t0 := time.Now()
		var err error
		if g, err = load(); err != nil {
			b.Fatal(err)
		}
		open += time.Since(t0)
		<-g.keyIxDone
	}
	b.ReportMetric(float64(open.Microseconds())/1e3/float64(b.N), "open-ms")
	b.ReportMetric(float64((cpuTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op")
	return g
}

// BenchmarkOpen measures start-to-ready of the bundled gazetteer (what
// Open costs a starting process) and reports the live heap it holds once
// its background work is done.
func BenchmarkOpen(b *testing.B) {
	g := openRun(b, Open)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "inuse-MB")
	b.ReportMetric(float64(len(bundled))/(1<<20), "file-MB")
	runtime.KeepAlive(g)
}

// BenchmarkLoadFiles compares gazetteer files in one run (the machine is
// shared and noisy): GEOTAG_GAZETTEERS=old.gz,new.gz go test -bench
// LoadFiles -run '^$' ./gazetteer/ loads each file as Load does and reports
// its wall and CPU time (openRun), the live heap it holds and its size. Without the
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
			g = openRun(b, func() (*Gazetteer, error) { return load(data) })
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapAlloc-min(ms.HeapAlloc, before.HeapAlloc))/(1<<20), "heap-MB")
			b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
			runtime.KeepAlive(g)
		})
	}
}
