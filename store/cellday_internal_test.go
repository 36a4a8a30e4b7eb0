package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// TestCellsFromCounts checks that Cells answered from the cell-day counts
// equals the walk of the entries on random data, across creates, updates,
// deletes, imports and a reindex, and that Verify checks the counts.
func TestCellsFromCounts(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	day0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	report := func() *geotag.Report {
		r := &geotag.Report{Title: "r", Text: "t",
			Time: day0.Add(time.Duration(rng.Int64N(int64(100 * 24 * time.Hour))))}
		if rng.IntN(10) > 0 {
			// Clustered around a few points, as news is.
			c := [][2]float64{{30, 35}, {48.5, 31.2}, {-12, -77}, {0.2, 179.9}, {-50, -178}}[rng.IntN(5)] // the last in the first cells of every level
			r.Location = &geotag.Location{Lat: c[0] + rng.NormFloat64()*2, Lon: c[1] + rng.NormFloat64()*3, Mention: -1}
			r.Location.Lat = math.Max(-89, math.Min(89, r.Location.Lat))
			r.Location.Lon = math.Max(-179.99, math.Min(179.99, r.Location.Lon))
			r.Location.Precision = rng.IntN(4) // 0 counts as a region
		}
		if k := rng.IntN(len(geotag.EventTypes) + 2); k <= len(geotag.EventTypes) && k > 0 {
			r.EventType = geotag.EventTypes[k-1].Name
		}
		if rng.IntN(3) == 0 {
			r.Status = geotag.StatusReviewed
		}
		return r
	}
	var ids []string
	for i := 0; i < 300; i++ {
		r := report()
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	var batch []*geotag.Report
	for i := 0; i < 1500; i++ {
		batch = append(batch, report())
	}
	if _, err := db.Import(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for _, r := range batch[:200] {
		ids = append(ids, r.ID)
	}
	for i, id := range ids {
		switch i % 3 {
		case 0:
			if err := db.DeleteReport(ctx, id); err != nil {
				t.Fatal(err)
			}
		case 1:
			if _, err := db.UpdateReport(ctx, id, func(r *geotag.Report) error {
				n := report()
				r.Location, r.Time = n.Location, n.Time
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.Verify(); err != nil {
		t.Fatal(err)
	}

	check := func(t *testing.T) {
		used := 0
		for i := 0; i < 300; i++ {
			var f geotag.ReportFilter
			zoom := rng.IntN(11)
			if rng.IntN(5) > 0 {
				w, s := rng.Float64()*360-180, rng.Float64()*180-90
				f.BBox = &geotag.BBox{W: w, S: s, E: math.Min(180, w+rng.Float64()*200), N: math.Min(90, s+rng.Float64()*100)}
				if rng.IntN(4) == 0 { // across the antimeridian
					f.BBox.W, f.BBox.E = 100+rng.Float64()*79, -180+rng.Float64()*79
				}
			}
			if rng.IntN(2) == 0 {
				from := day0.AddDate(0, 0, rng.IntN(60))
				f.From = &from
			}
			if rng.IntN(2) == 0 {
				to := day0.AddDate(0, 0, 20+rng.IntN(90))
				f.To = &to
			}
			if rng.IntN(8) == 0 {
				from := day0.Add(time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))
				f.From = &from // not on a day boundary: walked
			}
			want, err := db.cells(ctx, f, zoom, -1)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.cells(ctx, f, zoom, 0)
			if err != nil {
				t.Fatal(err)
			}
			err = db.bolt.View(func(tx *bolt.Tx) error {
				q, _ := compile(f)
				ok, err := q.cellCounts(tx, zoom, 360/float64(uint64(1)<<(zoom+3)), func(int32, int32, cellDay) {})
				if ok {
					used++
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("filter %+v bbox %+v zoom %d: %d cells from counts, %d from the walk", f, f.BBox, zoom, len(got), len(want))
			}
			sortCells(got) // equal counts may be ordered by slightly different means
			for j := range want {
				g, w := got[j], want[j]
				if g.Count != w.Count || g.Precision != w.Precision || g.EventTypes != w.EventTypes ||
					math.Abs(g.Lat-w.Lat) > 1e-9 || math.Abs(g.Lon-w.Lon) > 1e-9 {
					t.Fatalf("filter %+v bbox %+v zoom %d: cell %d is %+v from counts, %+v from the walk", f, f.BBox, zoom, j, g, w)
				}
			}
		}
		if used < 100 {
			t.Fatalf("the counts answered %d of 300 queries", used)
		}
	}
	t.Run("Maintained", check)
	if err := db.Reindex(); err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(); err != nil {
		t.Fatal(err)
	}
	t.Run("Reindexed", check)

	// Verify notices a wrong count.
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		k, v := tx.Bucket(bucketCellDay).Cursor().First()
		a, _ := decodeCellDay(v)
		a.n++
		return tx.Bucket(bucketCellDay).Put(k, encodeCellDay(a))
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(); err == nil {
		t.Fatal("Verify passed a wrong cell-day count")
	}
	if err := db.Reindex(); err != nil {
		t.Fatal(err)
	}
	// and a wrong split by type, the total right.
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		k, v := tx.Bucket(bucketCellDay).Cursor().First()
		a, _ := decodeCellDay(v)
		a.types[0]++
		a.types[1+slices.Index(a.types[1:], slices.Max(a.types[1:]))]--
		return tx.Bucket(bucketCellDay).Put(k, encodeCellDay(a))
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(); err == nil {
		t.Fatal("Verify passed a wrong cell-day split by type")
	}
}

// TestMigrateCellDays opens a schema-1 file, which has no cell-day
// counts, a schema-2 file, whose counts have no all-time keys, and a
// schema-5 file, whose entries have no precision class and whose counts
// are not split by precision and type.
func TestMigrateCellDays(t *testing.T) {
	for _, tt := range []struct {
		name   string
		schema uint64
		undo   func(tx *bolt.Tx) error // makes the counts those of the schema
	}{
		{"Schema1", 1, func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketCellDay) }},
		{"Schema2", 2, func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketCellDay)
			var all [][]byte
			c := b.Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				if len(k) == cellDayKeyLen && k[5] == resAll {
					all = append(all, bytes.Clone(k))
				}
			}
			if len(all) == 0 {
				return errors.New("no all-time keys to remove")
			}
			for _, k := range all {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			return nil
		}},
		{"Schema5", 5, func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketCellDay)
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				_, n := binary.Uvarint(v)
				if err := b.Put(k, bytes.Clone(v[:n+16])); err != nil {
					return err
				}
			}
			for _, name := range indexBuckets {
				b := tx.Bucket(name)
				c := b.Cursor()
				for k, v := c.First(); k != nil; k, v = c.Next() {
					if len(v) == entryLen {
						if err := b.Put(k, bytes.Clone(v[:17])); err != nil {
							return err
						}
					}
				}
			}
			return nil
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "geotag.db")
			db, err := Open(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 50; i++ {
				r := &geotag.Report{Title: "r", Text: "t", Time: time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC),
					Location: &geotag.Location{Lat: float64(i), Lon: float64(2 * i), Mention: -1, Precision: 1 + i%2}}
				if err := db.CreateReport(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.bolt.Update(func(tx *bolt.Tx) error {
				if err := tt.undo(tx); err != nil {
					return err
				}
				return putUint(tx.Bucket(bucketMeta), keySchema, tt.schema)
			}); err != nil {
				t.Fatal(err)
			}
			if err := db.Verify(); err == nil {
				t.Fatalf("Verify passed a store with schema-%d counts", tt.schema)
			}
			db.Close()
			db, err = Open(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Verify(); err != nil {
				t.Fatal(err)
			}
			got, err := db.cells(ctx, geotag.ReportFilter{}, 3, 0)
			if err != nil {
				t.Fatal(err)
			}
			n, sites := 0, 0
			for _, c := range got {
				n += c.Count
				sites += c.Precision[0]
			}
			if n != 50 || sites != 25 {
				t.Fatalf("cells from counts after migration hold %d reports (%d sites), want 50 (25)", n, sites)
			}
		})
	}
}
