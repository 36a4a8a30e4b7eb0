package store_test

import (
	"testing"

	"github.com/geotag/geotag"
)

// BenchmarkEach times full exports of 50,000 reports through
// EachReport and EachFeature, with a filter read from the index and with
// one decoded to filter (text).
func BenchmarkEach(b *testing.B) {
	db := benchDB(b, 50000)
	for _, bb := range []struct {
		name string
		f    geotag.ReportFilter
	}{{"All", geotag.ReportFilter{}}, {"Text", geotag.ReportFilter{Q: "a"}}} {
		b.Run("Report"+bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := db.EachReport(ctx, bb.f, func(*geotag.Report) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Feature"+bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := db.EachFeature(ctx, bb.f, geotag.FullFeature, func([]byte) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
