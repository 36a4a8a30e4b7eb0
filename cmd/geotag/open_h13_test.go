package main

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
	"github.com/geotag/geotag/geo"
)

// BenchmarkOpenFirstTag measures what a starting process waits for before
// its first answer: opening the bundled gazetteer, then tagging one short
// report with a new tagger (the first tag pays for every lazily built
// table it touches), then a second report for comparison. ms/op is
// the three together; open-ms, first-tag-ms and next-tag-ms split it, and
// open-cpu-ms is the CPU time of the open (all goroutines), steadier than
// wall time on a busy machine.
//
//	go test -run '^$' -bench OpenFirstTag ./cmd/geotag
func BenchmarkOpenFirstTag(b *testing.B) {
	ctx := context.Background()
	first := "Airstrikes hit Saraqib and Maarat al-Numan overnight, the Syrian Observatory said from London."
	next := "Shelling of Kharkiv and Zaporizhzhia continued as Ukrainian troops held Lyman, officials in Kyiv said."
	var open, openCPU, tag1, tag2 time.Duration
	for b.Loop() {
		t0, c0 := time.Now(), processCPU()
		g, err := gazetteer.Open()
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		openCPU += processCPU() - c0
		tagger := geo.NewTagger(g)
		ms, err := tagger.Tag(ctx, first, geotag.TagOptions{})
		if err != nil || len(ms) == 0 {
			b.Fatalf("first tag: %d mentions, %v", len(ms), err)
		}
		t2 := time.Now()
		if ms, err = tagger.Tag(ctx, next, geotag.TagOptions{}); err != nil || len(ms) == 0 {
			b.Fatalf("next tag: %d mentions, %v", len(ms), err)
		}
		open, tag1, tag2 = open+t1.Sub(t0), tag1+t2.Sub(t1), tag2+time.Since(t2)
	}
	n := float64(b.N) * float64(time.Millisecond)
	b.ReportMetric(float64(open)/n, "open-ms")
	b.ReportMetric(float64(openCPU)/n, "open-cpu-ms")
	b.ReportMetric(float64(tag1)/n, "first-tag-ms")
	b.ReportMetric(float64(tag2)/n, "next-tag-ms")
}

// processCPU returns the CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
