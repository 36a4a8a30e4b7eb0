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
