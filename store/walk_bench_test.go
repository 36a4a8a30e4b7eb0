package store_test

import (
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// benchDB is a store of n generated reports for the benchmarks.
func benchDB(b *testing.B, n int) *store.DB {
	db := mustOpen(b)
	g := newGen(9)
	rs := make([]*geotag.Report, n)
	for i := range rs {
		rs[i] = g.report()
	}
	if _, err := db.Import(ctx, rs); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkWalks times the index walks of a map view: cluster counts, the
// time histogram and a first page with its (capped) total, on the whole
// world and on a region.
func BenchmarkWalks(b *testing.B) {
	db := benchDB(b, 50000)
	levant := &geotag.BBox{W: 30, S: 29, E: 40, N: 40}
	for _, bb := range []struct {
		name string
		f    geotag.ReportFilter
		zoom int
	}{{"World", geotag.ReportFilter{BBox: &geotag.BBox{W: -180, S: -90, E: 180, N: 90}}, 2}, {"Region", geotag.ReportFilter{BBox: levant}, 6}} {
		b.Run("Cells"+bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.Cells(ctx, bb.f, bb.zoom); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Histogram"+bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.Histogram(ctx, bb.f, 1000); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Features"+bb.name, func(b *testing.B) {
			f := bb.f
			f.Limit = 2000
			for b.Loop() {
				if _, err := db.FindFeatures(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReindex rebuilds every index of 20,000 generated reports in one
// transaction.
func BenchmarkReindex(b *testing.B) {
	db := benchDB(b, 20000)
	for b.Loop() {
		if err := db.Reindex(); err != nil {
			b.Fatal(err)
		}
	}
}
