package store_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
	bolt "go.etcd.io/bbolt"
)

// withBolt closes db and runs fn on the raw bbolt file.
func withBolt(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func TestBackup(t *testing.T) {
	db := mustOpen(t)
	o := seed(t, db, newGen(8), 200)
	var buf bytes.Buffer
	n, err := db.Backup(&buf)
	if err != nil {
		t.Fatal(err)
	} else if n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup returned %d, wrote %d bytes", n, buf.Len())
	}
	// Writes after the snapshot are not in it.
	if err := db.CreateReport(ctx, &geotag.Report{Title: "after"}); err != nil {
		t.Fatal(err)
	}
	cp := openSnapshot(t, buf.Bytes())
	if got, _ := cp.Count(); got != len(o) {
		t.Fatalf("copy has %d reports, want %d", got, len(o))
	}
	for id, want := range o {
		got, err := cp.FindReportByID(ctx, id)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("copy of %s: %+v, %v", id, got, err)
		}
	}

	file := filepath.Join(t.TempDir(), "b.db")
	if _, err := db.BackupFile(file); err != nil {
		t.Fatal(err)
	}
	if _, err := db.BackupFile(file); err == nil {
		t.Fatal("BackupFile overwrote an existing file")
	}
}

func TestVerify_Corrupt(t *testing.T) {
	for _, tt := range []struct {
		name string
		fn   func(tx *bolt.Tx) error
		want string
	}{
		{"MissingIndexKey", func(tx *bolt.Tx) error {
			c := tx.Bucket([]byte("ix_cell")).Cursor()
			k, _ := c.First()
			return tx.Bucket([]byte("ix_cell")).Delete(k)
		}, "missing key"},
		{"ExtraIndexKey", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("ix_tag")).Put([]byte("ghost\x00012345678901234567890123456"), make([]byte, 17))
		}, "ix_tag has"},
		{"StaleEntry", func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("ix_time"))
			k, v := b.Cursor().Last()
			v = bytes.Clone(v)
			v[0] ^= 2
			return b.Put(bytes.Clone(k), v)
		}, "stale value"},
		{"BadCount", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("meta")).Put([]byte("count"), binary.BigEndian.AppendUint64(nil, 7))
		}, "count is 7"},
		{"CorruptRecord", func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("reports"))
			k, _ := b.Cursor().First()
			return b.Put(bytes.Clone(k), []byte{1, 200})
		}, "corrupt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "geotag.db")
			db, err := store.Open(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			seed(t, db, newGen(9), 50)
			db.Close()
			withBolt(t, path, tt.fn)
			db, err = store.Open(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			err = db.Verify()
			if geotag.ErrorCode(err) != geotag.EINTERNAL || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Verify: %v, want an error about %q", err, tt.want)
			}
			if tt.name != "CorruptRecord" {
				if err := db.Reindex(); err != nil {
					t.Fatal(err)
				}
				if err := db.Verify(); err != nil {
					t.Fatalf("after Reindex: %v", err)
				}
			}
		})
	}
}

func TestOpen_Schema(t *testing.T) {
	t.Run("MigrateFrom0", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "geotag.db")
		db, err := store.Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		o := seed(t, db, newGen(10), 100)
		db.Close()
		// Schema 0: the records only.
		withBolt(t, path, func(tx *bolt.Tx) error {
			for _, name := range []string{"meta", "ix_time", "ix_cell", "ix_place", "ix_status", "ix_tag", "ix_ext"} {
				if err := tx.DeleteBucket([]byte(name)); err != nil {
					return err
				}
			}
			return nil
		})
		db = mustOpenPath(t, path)
		if got, _ := db.Count(); got != len(o) {
			t.Fatalf("Count=%d after migration, want %d", got, len(o))
		}
		f := geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 29, E: 40, N: 40}, Limit: 1000}
		if got, _ := findAll(t, db, f); len(got) != len(o.find(f)) {
			t.Fatalf("query after migration: %d reports, want %d", len(got), len(o.find(f)))
		}
	})
	t.Run("Newer", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "geotag.db")
		db, err := store.Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		withBolt(t, path, func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, store.SchemaVersion+1))
		})
		if _, err := store.Open(path, nil); geotag.ErrorCode(err) != geotag.EUNAVAILABLE ||
			!strings.Contains(err.Error(), "newer") {
			t.Fatalf("err=%v, want EUNAVAILABLE about a newer schema", err)
		}
	})
	t.Run("NotAStore", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "geotag.db")
		os.WriteFile(path, []byte(strings.Repeat("not a bolt file ", 1000)), 0o600)
		if _, err := store.Open(path, nil); geotag.ErrorCode(err) != geotag.EINTERNAL {
			t.Fatalf("err=%v, want EINTERNAL", err)
		}
	})
}

func TestImport(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "geotag.db"), &store.Options{ImportBatch: 7})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	g := newGen(11)
	rs := make([]*geotag.Report, 50)
	for i := range rs {
		rs[i] = g.report()
		rs[i].ExternalID = "feed:" + string(rune('a'+i%40)) // 10 duplicates within the import
	}
	res, err := db.Import(ctx, rs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 40 || res.Duplicates != 10 {
		t.Fatalf("Import=%+v, want 40 created, 10 duplicates", res)
	}
	// Running it again stores nothing new.
	res, err = db.Import(ctx, rs)
	if err != nil || res.Created != 0 || res.Duplicates != 50 {
		t.Fatalf("second Import=%+v, %v", res, err)
	}
	if n, _ := db.Count(); n != 40 {
		t.Fatalf("Count=%d, want 40", n)
	}
	// An invalid report fails the whole import before anything is written.
	bad := []*geotag.Report{g.report(), {}}
	if _, err := db.Import(ctx, bad); geotag.ErrorCode(err) != geotag.EINVALID || !strings.Contains(err.Error(), "report 1") {
		t.Fatalf("err=%v, want EINVALID naming report 1", err)
	}
	if n, _ := db.Count(); n != 40 {
		t.Fatalf("Count=%d after a failed import, want 40", n)
	}
	if err := db.Verify(); err != nil {
		t.Fatal(err)
	}
}
