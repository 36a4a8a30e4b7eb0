package main

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
	"github.com/geotag/geotag/geo"
	"github.com/geotag/geotag/geo/newstext"
)

var bench struct {
	once  sync.Once
	gaz   *gazetteer.Gazetteer
	docs  []string
	bytes int
	names map[string]struct{}
}

// benchSetup loads the bundled gazetteer, generates 200 reports of about
// 3 KB, and builds the bare-scan baseline's Go map: the normalised primary
// name of every gazetteer place with a GeoNames id.
func benchSetup(b *testing.B) {
	bench.once.Do(func() {
		g, err := gazetteer.Open()
		if err != nil {
			b.Fatal(err)
		}
		bench.gaz = g
		for i := range 200 {
			d := newstext.Doc(uint64(i), 3000)
			bench.docs = append(bench.docs, d)
			bench.bytes += len(d)
		}
		bench.names = map[string]struct{}{}
		for id := int64(1); id < 13_000_000; id++ {
			if p, ok := g.Place(id); ok {
				bench.names[geotag.NameKey(p.Name)] = struct{}{}
			}
		}
	})
	if bench.gaz == nil {
		b.Fatal("no gazetteer")
	}
}

// BenchmarkTag tags generated multi-paragraph reports with the bundled
// gazetteer on one goroutine (recognition and resolution), beside a bare
// scan of the same text in the same run: split into words, lower-case, look
// every 1–4-word span up in a Go map of gazetteer names. Compare the MB/s of
// the two sub-benchmarks; allocs/op is allocations per document.
func BenchmarkTag(b *testing.B) {
	benchSetup(b)
	per := int64(bench.bytes / len(bench.docs))
	b.Run("tagger", func(b *testing.B) {
		t := geo.NewTagger(bench.gaz)
		ctx := context.Background()
		b.SetBytes(per)
		b.ReportAllocs()
		n := 0
		cpu := startCPU()
		for i := 0; b.Loop(); i++ {
			ms, err := t.Tag(ctx, bench.docs[i%len(bench.docs)], geotag.TagOptions{})
			if err != nil {
				b.Fatal(err)
			}
			n += len(ms)
		}
		cpu.report(b, per)
		b.ReportMetric(float64(n)/float64(b.N), "mentions/doc")
	})
	b.Run("barescan", func(b *testing.B) {
		b.SetBytes(per)
		b.ReportAllocs()
		n := 0
		cpu := startCPU()
		for i := 0; b.Loop(); i++ {
			n += newstext.BareScan(bench.docs[i%len(bench.docs)], bench.names)
		}
		cpu.report(b, per)
		b.ReportMetric(float64(n)/float64(b.N), "hits/doc")
	})
}

// cpuClock measures a benchmark loop's CPU time on its locked OS thread.
type cpuClock struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuClock {
	runtime.LockOSThread()
	t, ok := threadCPU()
	return cpuClock{t, ok}
}

// report adds "cpu-MB/s": bytes per second of this thread's CPU time, which
// other processes on a busy machine do not change (wall-clock MB/s does).
// Work the garbage collector does on other threads is not counted.
func (c cpuClock) report(b *testing.B, per int64) {
	defer runtime.UnlockOSThread()
	t, ok := threadCPU()
	if !c.ok || !ok || t <= c.start {
		return
	}
	b.ReportMetric(float64(per)*float64(b.N)/(t-c.start).Seconds()/1e6, "cpu-MB/s")
}

// BenchmarkTagParallel tags the same reports on all cores, as
// "geotag tag --jsonl" does.
func BenchmarkTagParallel(b *testing.B) {
	benchSetup(b)
	t := geo.NewTagger(bench.gaz)
	b.SetBytes(int64(bench.bytes / len(bench.docs)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := t.Tag(context.Background(), bench.docs[i%len(bench.docs)], geotag.TagOptions{}); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

// BenchmarkTagHostile tags hostile texts (hostileTagTexts: runs of
// capitalised articles, one name repeated, lists of places, made-up names,
// capitalised runs, Cyrillic and Arabic runs, a thousand real names that
// many places bear, hyphen chains of names, apostrophes, long words) of
// 1 KB, 10 KB, 100 KB and 1 MB with the bundled gazetteer, each size beside
// generated news of the same size in the same run: "service" with the
// options the server tags with (5,001 mentions asked for, five
// alternatives), "unbounded" with none. cpu-ms/op is the CPU time of the benchmark's thread (other load on
// the machine does not change it much; wall-clock ns/op does): linear
// growth is ×10 a step. x-news is the CPU time a byte against the news
// text of the same size and options. degraded is 1 when the tagger's
// resolution budget was reached (geotag.TagNotes: the later names chosen
// by prior), 0 when every name was weighed in full.
func BenchmarkTagHostile(b *testing.B) {
	benchSetup(b)
	t := geo.NewTagger(bench.gaz)
	ctx := context.Background()
	for _, o := range []struct {
		name string
		opt  geotag.TagOptions
	}{{"service", geotag.TagOptions{MaxMentions: 5001, MaxAlternatives: 5}}, {"unbounded", geotag.TagOptions{}}} {
		for _, size := range []int{1 << 10, 10 << 10, 100 << 10, 1 << 20} {
			var news float64 // CPU seconds a byte of the news text of this size
			for _, h := range hostileTagTexts(size) {
				name := fmt.Sprintf("%s/%dKB/%s", o.name, size>>10, strings.ReplaceAll(h.name, " ", "_"))
				b.Run(name, func(b *testing.B) {
					b.SetBytes(int64(len(h.text)))
					b.ReportAllocs()
					cpu := startCPU()
					defer runtime.UnlockOSThread()
					n := 0
					var notes geotag.TagNotes
					opt := o.opt
					opt.Notes = &notes
					for b.Loop() {
						ms, err := t.Tag(ctx, h.text, opt)
						if err != nil {
							b.Fatal(err)
						}
						n = len(ms)
					}
					b.ReportMetric(float64(n), "mentions")
					if notes.Degraded != "" {
						b.ReportMetric(1, "degraded")
					} else {
						b.ReportMetric(0, "degraded")
					}
					used, ok := threadCPU()
					if !cpu.ok || !ok {
						return
					}
					perOp := (used - cpu.start).Seconds() / float64(b.N)
					b.ReportMetric(perOp*1e3, "cpu-ms/op")
					if h.name == "news" {
						news = perOp / float64(len(h.text))
					} else if news > 0 {
						b.ReportMetric(perOp/float64(len(h.text))/news, "x-news")
					}
				})
			}
		}
	}
}

// BenchmarkTagLanguages tags generated reports in English, Arabic,
// Ukrainian and Russian of about 3 KB with the bundled gazetteer on one
// goroutine, in one run: the MB/s of each language against "en" is the
// figure to quote (the goal is at least half).
func BenchmarkTagLanguages(b *testing.B) {
	benchSetup(b)
	for _, lang := range []string{"en", "ar", "uk", "ru"} {
		docs := bench.docs
		total := bench.bytes
		if lang != "en" {
			docs, total = nil, 0
			for i := range 200 {
				d := newstext.LangDoc(lang, uint64(i), 3000)
				docs = append(docs, d)
				total += len(d)
			}
		}
		b.Run(lang, func(b *testing.B) {
			t := geo.NewTagger(bench.gaz)
			ctx := context.Background()
			b.SetBytes(int64(total / len(docs)))
			b.ReportAllocs()
			n := 0
			for i := 0; b.Loop(); i++ {
				ms, err := t.Tag(ctx, docs[i%len(docs)], geotag.TagOptions{})
				if err != nil {
					b.Fatal(err)
				}
				n += len(ms)
			}
			b.ReportMetric(float64(n)/float64(b.N), "mentions/doc")
		})
	}
}
