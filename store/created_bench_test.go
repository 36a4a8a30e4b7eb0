package store_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// What a webhook round costs a view over a store of 20,000 reports with
// 10 new ones: walking every match of its filter (Walk, what the
// follower would do without EachReportCreated) against reading the
// reports created after its cursor (Created).
func BenchmarkWebhookRound(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "geotag.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rs := make([]*geotag.Report, 20000)
	for i := range rs {
		rs[i] = &geotag.Report{Title: fmt.Sprintf("r%d", i), Text: "Shelling reported in the north of the city overnight.", Tags: []string{"watch"}}
	}
	if _, err := db.Import(ctx, rs); err != nil {
		b.Fatal(err)
	}
	after := rs[len(rs)-11].ID
	f := geotag.ReportFilter{Tag: "watch"}
	count := func(n *int) func(*geotag.Report) error {
		return func(r *geotag.Report) error {
			if r.ID > after && f.Match(r) {
				*n++
			}
			return nil
		}
	}
	b.Run("Walk", func(b *testing.B) {
		for b.Loop() {
			n := 0
			if err := db.EachReport(ctx, f, count(&n)); err != nil || n != 10 {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("Created", func(b *testing.B) {
		for b.Loop() {
			n := 0
			if err := db.EachReportCreated(ctx, after, rs[0].Created, count(&n)); err != nil || n != 10 {
				b.Fatal(n, err)
			}
		}
	})
}
