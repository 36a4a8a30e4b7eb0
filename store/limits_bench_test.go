package store_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// manyTags returns n distinct tags.
func manyTags(n int) []string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = fmt.Sprintf("tag-%d", i)
	}
	return tags
}

// BenchmarkReportTags creates and deletes one report with 1,000, 10,000
// and 40,000 distinct tags (limits off, to time the indexing alone): the
// time per op must grow linearly with the tags (SECURITY.md has the
// ratios).
func BenchmarkReportTags(b *testing.B) {
	for _, n := range []int{1000, 10000, 40000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			db, err := store.Open(filepath.Join(b.TempDir(), "geotag.db"), benchTagOptions())
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			tags := manyTags(n)
			b.ResetTimer()
			for range b.N {
				r := &geotag.Report{Title: "t", Text: "x", Tags: tags}
				if err := db.CreateReport(ctx, r); err != nil {
					b.Fatal(err)
				}
				if err := db.DeleteReport(ctx, r.ID); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/tag")
		})
	}
}

func benchTagOptions() *store.Options {
	return &store.Options{NoSync: true, Limits: geotag.ReportLimits{MaxTags: -1, MaxTagBytes: -1}}
}
