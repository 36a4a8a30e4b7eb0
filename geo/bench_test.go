package geo_test

import (
	"context"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
	"github.com/geotag/geotag/geo/newstext"
)

// BenchmarkTagFixture tags generated multi-paragraph reports against the
// small fixture gazetteer, beside a bare scan of the same text in the same
// run (lower-case, split into words, look every 1–4-word span up in a Go
// map of the gazetteer's keys). It measures the tagger's own work — the
// tokeniser, recognition rules and resolution — with lookups nearly free;
// BenchmarkTag in cmd/geotag runs the same comparison on the bundled
// gazetteer, which is the figure to quote.
func BenchmarkTagFixture(b *testing.B) {
	g := newFake()
	var docs []string
	total := 0
	for i := range 100 {
		d := newstext.Doc(uint64(i), 3000)
		docs = append(docs, d)
		total += len(d)
	}
	per := int64(total / len(docs))
	b.Run("tagger", func(b *testing.B) {
		t := geo.NewTagger(g)
		b.SetBytes(per)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := t.Tag(context.Background(), docs[i%len(docs)], geotag.TagOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("barescan", func(b *testing.B) {
		names := map[string]struct{}{}
		for k := range g.byKey {
			names[k] = struct{}{}
		}
		b.SetBytes(per)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			newstext.BareScan(docs[i%len(docs)], names)
		}
	})
}

// BenchmarkTagLanguages tags generated reports in English, Arabic,
// Ukrainian and Russian of the same size against the fixture gazetteers,
// in one run: compare the MB/s of the language sub-benchmarks with "en"
// (the goal is at least half). BenchmarkTagLanguages in cmd/geotag runs
// the same comparison on the bundled gazetteer.
func BenchmarkTagLanguages(b *testing.B) {
	g := fakeOf(append(append([]fixturePlace(nil), fixturePlaces...), langPlaces...))
	for _, f := range fixtureAliases {
		g.aliases[geotag.NameKey(f.name)] = aliasEntry{f.id, f.kind}
	}
	for _, lang := range []string{"en", "ar", "uk", "ru"} {
		var docs []string
		total := 0
		for i := range 100 {
			d := newstext.LangDoc(lang, uint64(i), 3000)
			if lang == "en" {
				d = newstext.Doc(uint64(i), 3000)
			}
			docs = append(docs, d)
			total += len(d)
		}
		b.Run(lang, func(b *testing.B) {
			t := geo.NewTagger(g)
			b.SetBytes(int64(total / len(docs)))
			b.ReportAllocs()
			n := 0
			for i := 0; b.Loop(); i++ {
				ms, err := t.Tag(context.Background(), docs[i%len(docs)], geotag.TagOptions{})
				if err != nil {
					b.Fatal(err)
				}
				n += len(ms)
			}
			b.ReportMetric(float64(n)/float64(b.N), "mentions/doc")
		})
	}
}
