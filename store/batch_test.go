package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// TestConcurrentWrites runs creates (some with a taken external id),
// updates (some whose fn fails) and deletes at once, so that batched
// transactions hold failing functions and are retried without them, and
// checks that every caller saw exactly its own outcome and that the file
// holds exactly the acknowledged writes.
func TestConcurrentWrites(t *testing.T) {
	for _, noBatch := range []bool{false, true} {
		t.Run(fmt.Sprintf("NoBatch=%v", noBatch), func(t *testing.T) {
			db, err := store.Open(filepath.Join(t.TempDir(), "geotag.db"), &store.Options{NoBatch: noBatch})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			g := newGen(3)
			// Stored reports to update and delete, one with external id "taken".
			const n = 40
			olds := make([]*geotag.Report, n)
			for i := range olds {
				olds[i] = g.report()
				if i == 0 {
					olds[i].ExternalID = "taken"
				}
				if err := db.CreateReport(ctx, olds[i]); err != nil {
					t.Fatal(err)
				}
			}
			news := make([]*geotag.Report, n)
			for i := range news {
				news[i] = g.report()
				if i%5 == 0 {
					news[i].ExternalID = "taken"
				}
			}
			errFn := errors.New("fn refuses")
			updated := make([]*geotag.Report, n)
			errs := make([][3]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					errs[i][0] = db.CreateReport(ctx, news[i])
				})
				if i == 0 {
					continue // keeps "taken"
				}
				if i%2 == 0 {
					wg.Go(func() {
						errs[i][2] = db.DeleteReport(ctx, olds[i].ID)
					})
					continue
				}
				wg.Go(func() {
					updated[i], errs[i][1] = db.UpdateReport(ctx, olds[i].ID, func(r *geotag.Report) error {
						if i%3 == 0 {
							return errFn
						}
						// fn may run more than once, always on a fresh copy:
						// the stored report must hold one appended tag.
						r.Tags = append(r.Tags, "edited")
						return nil
					})
				})
			}
			wg.Wait()

			want := 0
			for i := range n {
				want++ // olds[i]
				if i%5 == 0 {
					if code := geotag.ErrorCode(errs[i][0]); code != geotag.ECONFLICT {
						t.Errorf("create %d: %v, want ECONFLICT", i, errs[i][0])
					} else if news[i].ID != olds[0].ID {
						t.Errorf("create %d: *r is %s, want the stored %s", i, news[i].ID, olds[0].ID)
					}
				} else if errs[i][0] != nil {
					t.Errorf("create %d: %v", i, errs[i][0])
				} else {
					want++
					got, err := db.FindReportByID(ctx, news[i].ID)
					if err != nil {
						t.Errorf("create %d: %v", i, err)
					} else if !reflect.DeepEqual(got, news[i]) {
						t.Errorf("create %d: stored\n%+v\nreturned\n%+v", i, got, news[i])
					}
				}
				switch {
				case i == 0:
				case i%2 == 0:
					want--
					if errs[i][2] != nil {
						t.Errorf("delete %d: %v", i, errs[i][2])
					}
					if _, err := db.FindReportByID(ctx, olds[i].ID); geotag.ErrorCode(err) != geotag.ENOTFOUND {
						t.Errorf("deleted %d: %v, want ENOTFOUND", i, err)
					}
				case i%3 == 0:
					if !errors.Is(errs[i][1], errFn) {
						t.Errorf("update %d: %v, want fn's error", i, errs[i][1])
					}
					got, err := db.FindReportByID(ctx, olds[i].ID)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, olds[i]) {
						t.Errorf("update %d failed but the report changed:\n%+v\nwant\n%+v", i, got, olds[i])
					}
				default:
					if errs[i][1] != nil {
						t.Errorf("update %d: %v", i, errs[i][1])
						continue
					}
					wantTags := append(append([]string(nil), olds[i].Tags...), "edited")
					if !reflect.DeepEqual(updated[i].Tags, wantTags) {
						t.Errorf("update %d: tags %q, want %q", i, updated[i].Tags, wantTags)
					}
					got, err := db.FindReportByID(ctx, olds[i].ID)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, updated[i]) {
						t.Errorf("update %d: stored\n%+v\nreturned\n%+v", i, got, updated[i])
					}
				}
			}
			if c, err := db.Count(); err != nil || c != want {
				t.Errorf("Count = %d, %v; want %d", c, err, want)
			}
			if err := db.Verify(); err != nil {
				t.Error(err)
			}
		})
	}
}

// BenchmarkCreateParallel times concurrent single-report creates on a
// fsynced store: one transaction and fsync per write (NoBatch) against
// group commit at several batch delays, with 64 writers (32 per CPU on
// two CPUs: b.SetParallelism) and with one, which should commit at once
// without waiting for company. ns/op is wall time per create over all
// writers. (Delays under a millisecond behave like one: the poller's
// resolution when the process is otherwise idle.)
func BenchmarkCreateParallel(b *testing.B) {
	g := newGen(5)
	rs := make([]*geotag.Report, 4096)
	for i := range rs {
		rs[i] = g.report()
	}
	for _, c := range []struct {
		name string
		opts store.Options
	}{
		{"NoBatch", store.Options{NoBatch: true}},
		{"Batch1ms", store.Options{BatchDelay: 1e6}},
		{"Batch2ms", store.Options{BatchDelay: 2e6}},
		{"Batch10ms", store.Options{BatchDelay: 10e6}},
	} {
		for _, writers := range []int{1, 64} {
			b.Run(fmt.Sprintf("%s/writers=%d", c.name, writers), func(b *testing.B) {
				opts := c.opts
				db, err := store.Open(filepath.Join(b.TempDir(), "geotag.db"), &opts)
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				var mu sync.Mutex
				next := 0
				report := func() *geotag.Report {
					mu.Lock()
					defer mu.Unlock()
					next++
					r := *rs[next%len(rs)]
					return &r
				}
				if writers == 1 {
					for b.Loop() {
						if err := db.CreateReport(ctx, report()); err != nil {
							b.Fatal(err)
						}
					}
					return
				}
				b.SetParallelism((writers + 1) / 2)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := db.CreateReport(ctx, report()); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}
