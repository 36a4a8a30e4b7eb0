package store_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/geotag/geotag"
)

// countMeter sums what a query charges.
type countMeter struct{ n atomic.Int64 }

func (m *countMeter) Charge(n int64) {
	if n <= 0 {
		panic("a charge of no bytes")
	}
	m.n.Add(n)
}

// PageReports pages like FindReports without counting; SkipReports lands
// where an offset would, for filters read from the index and decoded ones.
func TestPageAndSkipReports(t *testing.T) {
	db := mustOpen(t)
	g := newGen(12)
	o := seed(t, db, g, 700)
	for _, f := range []geotag.ReportFilter{{}, {Tag: "shelling"}, {Q: "floods"}, {BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}}} {
		want := o.find(f)
		var got []string
		pf := f
		pf.Limit = 45
		for pages := 0; ; pages++ {
			p, err := db.PageReports(ctx, pf)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != 0 || p.TotalCapped {
				t.Fatalf("%+v: a page without count has total %d", f, p.Total)
			}
			for _, r := range p.Reports {
				got = append(got, r.ID)
			}
			if p.Next == "" || pages > 100 {
				break
			}
			pf.Cursor = p.Next
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%+v: PageReports gave %d reports, want %d (first difference at %d)", f, len(got), len(want), firstDiff(got, want))
		}
		for _, n := range []int{0, 1, 44, 45, len(want) - 1, len(want), len(want) + 5} {
			cur, skipped, err := db.SkipReports(ctx, f, n)
			if err != nil {
				t.Fatal(err)
			}
			if skipped != min(n, len(want)) {
				t.Fatalf("%+v: skipped %d of %d, want %d", f, skipped, n, min(n, len(want)))
			}
			if n > len(want) {
				if cur != "" {
					t.Fatalf("%+v: a cursor past the end: %q", f, cur)
				}
				continue
			}
			p, err := db.PageReports(ctx, geotag.ReportFilter{BBox: f.BBox, Tag: f.Tag, Q: f.Q, Cursor: cur, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range p.Reports {
				ids = append(ids, r.ID)
			}
			if w := want[n:min(n+3, len(want))]; !slices.Equal(ids, w) {
				t.Fatalf("%+v: after skipping %d: %v, want %v", f, n, ids, w)
			}
		}
		// Skipping from a cursor goes on from there.
		half, _, _ := db.SkipReports(ctx, f, len(want)/2)
		cf := f
		cf.Cursor = half
		cur, _, _ := db.SkipReports(ctx, cf, 10)
		if w, _, _ := db.SkipReports(ctx, f, len(want)/2+10); cur != w {
			t.Fatalf("%+v: skipping from a cursor: %q, want %q", f, cur, w)
		}
	}
	if _, _, err := db.SkipReports(ctx, geotag.ReportFilter{Cursor: "%%"}, 3); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Fatalf("a bad cursor: %v", err)
	}
}

// Queries charge the context's meter for what they read: a text search
// (every report decoded) far more than a walk of the index (a decoded
// record costs its bytes and recordCost), a skip of n
// reports in proportion to n, and nothing without a meter.
func TestMeterCharges(t *testing.T) {
	db := mustOpen(t)
	seed(t, db, newGen(13), 2000)
	cost := func(run func(ctx context.Context) error) int64 {
		t.Helper()
		m := &countMeter{}
		if err := run(geotag.WithMeter(ctx, m)); err != nil {
			t.Fatal(err)
		}
		return m.n.Load()
	}
	page := func(f geotag.ReportFilter) func(ctx context.Context) error {
		return func(ctx context.Context) error { _, err := db.FindReports(ctx, f); return err }
	}
	skip := func(n int, f geotag.ReportFilter) func(ctx context.Context) error {
		return func(ctx context.Context) error { _, _, err := db.SkipReports(ctx, f, n); return err }
	}
	small := cost(page(geotag.ReportFilter{Limit: 10}))
	text := cost(page(geotag.ReportFilter{Limit: 10, Q: "no such words"}))
	if small <= 0 || text < 50*small {
		t.Errorf("a page of 10 charged %d, a text search of every report %d", small, text)
	}
	s100, s1000 := cost(skip(100, geotag.ReportFilter{})), cost(skip(1000, geotag.ReportFilter{}))
	if s100 <= 0 || s1000 < 8*s100 || s1000 > 12*s100 {
		t.Errorf("skipping 100 charged %d, 1000 %d", s100, s1000)
	}
	if textSkip := cost(skip(1000, geotag.ReportFilter{Q: "item"})); textSkip < 50*s1000 {
		t.Errorf("skipping 1000 decoded reports charged %d, on the index %d", textSkip, s1000)
	}
	exp := cost(func(ctx context.Context) error {
		return db.EachFeature(ctx, geotag.ReportFilter{}, geotag.FullFeature, func([]byte) error { return nil })
	})
	if exp < text/2 {
		t.Errorf("an export of every report charged %d, a text search %d", exp, text)
	}
	tags := cost(func(ctx context.Context) error {
		_, err := db.Tags(ctx, geotag.ReportFilter{Q: "item"}, "", 10)
		return err
	})
	if tags < text/2 {
		t.Errorf("a filtered tag count charged %d, a text search %d", tags, text)
	}
	// Without a meter the same calls run as before.
	if _, err := db.FindReports(ctx, geotag.ReportFilter{Q: "x"}); err != nil {
		t.Fatal(err)
	}
}

var errEnough = errors.New("enough")

// BenchmarkOGCPaging compares a page of 10 at the start of the reports, one
// deep in them reached by a keyset cursor, and the same deep page reached
// by an offset (skipping on the index, then paging). Run with
// -bench OGCPaging: deep/first must stay near 1; offset/first grows with
// the depth.
func BenchmarkOGCPaging(b *testing.B) {
	db := benchDB(b, 50000)
	const depth = 45000
	deep, _, err := db.SkipReports(ctx, geotag.ReportFilter{}, depth)
	if err != nil || deep == "" {
		b.Fatal(err)
	}
	var ns [4]float64
	for i, bb := range []struct {
		name string
		page func() error
	}{
		{"First", func() error { _, err := db.PageReports(ctx, geotag.ReportFilter{Limit: 10}); return err }},
		{"DeepKeyset", func() error {
			_, err := db.PageReports(ctx, geotag.ReportFilter{Limit: 10, Cursor: deep})
			return err
		}},
		{"DeepOffset", func() error {
			cur, _, err := db.SkipReports(ctx, geotag.ReportFilter{}, depth)
			if err == nil {
				_, err = db.PageReports(ctx, geotag.ReportFilter{Limit: 10, Cursor: cur})
			}
			return err
		}},
		{"DeepOffsetDecoded", func() error { // the offset walk before SkipReports
			seen, page := 0, 0
			err := db.EachReport(ctx, geotag.ReportFilter{}, func(*geotag.Report) error {
				if seen++; seen > depth {
					if page++; page == 10 {
						return errEnough
					}
				}
				return nil
			})
			if err == errEnough {
				err = nil
			}
			return err
		}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if err := bb.page(); err != nil {
					b.Fatal(err)
				}
			}
			ns[i] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		})
	}
	if ns[0] > 0 {
		b.Logf("deep keyset page / first page: %.2f; deep offset page / first page: %.1f (decoding the skipped reports: %.1f)",
			ns[1]/ns[0], ns[2]/ns[0], ns[3]/ns[0])
	}
}
