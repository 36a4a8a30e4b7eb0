package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync/atomic"
	"time"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout of the file this package writes. Open
// migrates older files and refuses newer ones.
const SchemaVersion = 7

// Bucket names.
var (
	bucketMeta    = []byte("meta")
	bucketReports = []byte("reports")
	bucketTime    = []byte("ix_time")
	bucketCell    = []byte("ix_cell")
	bucketPlace   = []byte("ix_place")
	bucketStatus  = []byte("ix_status")
	bucketTag     = []byte("ix_tag")
	bucketExt     = []byte("ix_ext")
	bucketEvent   = []byte("ix_event")
	bucketActor   = []byte("ix_actor")
	bucketCellEv  = []byte("ix_cell_event")

	// indexBuckets are rebuilt from the records by Reindex.
	indexBuckets = [][]byte{bucketTime, bucketCell, bucketPlace, bucketStatus, bucketTag, bucketExt, bucketEvent, bucketActor, bucketCellEv}

	keySchema = []byte("schema")
	keyCount  = []byte("count")
)

// Options configure Open. A nil *Options means the defaults.
type Options struct {
	// Timeout bounds the wait for the file lock that another process may
	// hold. Zero means one second.
	Timeout time.Duration

	// NoSync skips fsync after each transaction: faster, but a crash or
	// power loss can lose or corrupt acknowledged writes. For throwaway
	// databases (benchmarks, tests) only.
	NoSync bool

	// NoBatch makes every CreateReport, UpdateReport, DeleteReport and
	// token write its own transaction and fsync, as before group commit.
	// By default concurrent writes are grouped (bbolt's DB.Batch): writes
	// that arrive while one is waiting or committing share the next
	// transaction and its fsync, and each returns only after that commit,
	// so acknowledged writes are as durable either way. For baselines.
	NoBatch bool

	// BatchDelay is how long a write waits for others to join its
	// transaction before committing. Zero means 1 ms; it is added to a lone
	// writer's latency.
	BatchDelay time.Duration

	// ImportBatch is the number of reports Import writes per transaction.
	// Zero means 10,000.
	ImportBatch int

	// MmapSize is the initial size of the memory map, in bytes. While the
	// file fits, growing it never remaps (which copies every node a write
	// transaction has touched). It costs address space, not memory. Zero
	// means 1 GiB; negative means bbolt's default (grow from 32 KiB).
	MmapSize int

	// Now returns the current time; nil means time.Now. For tests.
	Now func() time.Time

	// Limits bound each stored report (zero fields: the defaults). Every
	// write checks them and trims the history (see validate).
	Limits geotag.ReportLimits

	// MaxViews bounds the saved views (CreateView refuses more). Zero
	// means geotag.DefaultMaxViews.
	MaxViews int
}

// DB is a report store in one bbolt file. It implements
// geotag.ReportService and is safe for concurrent use.
type DB struct {
	bolt  *bolt.DB
	path  string
	opts  Options
	ids   *idGen
	now   func() time.Time
	batch int

	writers atomic.Int64 // writes in progress, for write
}

var _ geotag.ReportService = (*DB)(nil)

// Open opens or creates the store at path. It returns EUNAVAILABLE when
// another process holds the file for longer than the timeout, or when the
// file was written by a newer schema than this build knows; EINTERNAL for
// a file that is not a store or cannot be read. Older schemas are migrated
// in one transaction before Open returns.
func Open(path string, opts *Options) (*DB, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	if o.BatchDelay <= 0 {
		o.BatchDelay = time.Millisecond
	}
	if o.MmapSize == 0 {
		o.MmapSize = 1 << 30
	} else if o.MmapSize < 0 {
		o.MmapSize = 0
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:         o.Timeout,
		NoSync:          o.NoSync,
		FreelistType:    bolt.FreelistMapType,
		InitialMmapSize: o.MmapSize,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, geotag.Errorf(geotag.EUNAVAILABLE,
			"store %s is in use by another process (waited %v for its lock)", path, o.Timeout)
	} else if err != nil {
		return nil, &geotag.Error{Code: geotag.EINTERNAL, Message: fmt.Sprintf("store %s: %v", path, err)}
	}
	bdb.MaxBatchDelay = o.BatchDelay
	db := &DB{bolt: bdb, path: path, opts: o, ids: newIDGen(), now: o.Now, batch: o.ImportBatch}
	if db.now == nil {
		db.now = time.Now
	}
	if db.batch <= 0 {
		db.batch = 10000
	}
	if err := db.bolt.Update(db.init); err != nil {
		bdb.Close()
		return nil, err
	}
	return db, nil
}

// write runs fn in a write transaction: a batched one shared with
// concurrent writers unless Options.NoBatch. fn may run more than once (a
// batch whose other function fails is retried without it), so it must
// have no effect beyond tx except on state it resets at every call.
//
// A write with no other in progress commits at once, in a transaction of
// its own: a batch would first wait out its delay (in practice at least a
// millisecond, the poller's resolution, when the process is otherwise
// idle), which more than doubled a lone writer's latency.
func (db *DB) write(fn func(*bolt.Tx) error) error {
	n := db.writers.Add(1)
	defer db.writers.Add(-1)
	if db.opts.NoBatch || n == 1 {
		return db.bolt.Update(fn)
	}
	return db.bolt.Batch(fn)
}

// init creates the buckets of a new file, or checks and migrates the schema
// of an existing one.
func (db *DB) init(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		if tx.Bucket(bucketReports) == nil {
			// A new file.
			return db.create(tx)
		}
		// Reports without metadata: schema 0.
		var err error
		if meta, err = tx.CreateBucket(bucketMeta); err != nil {
			return err
		}
		if err := putUint(meta, keySchema, 0); err != nil {
			return err
		}
	}
	v := getUint(meta, keySchema)
	if v > SchemaVersion {
		return geotag.Errorf(geotag.EUNAVAILABLE,
			"store %s has schema %d, newer than this geotag knows (%d): upgrade geotag", db.path, v, SchemaVersion)
	}
	for ; v < SchemaVersion; v++ {
		if err := migrations[v](db, tx); err != nil {
			return fmt.Errorf("store: migrating schema %d to %d: %w", v, v+1, err)
		}
		if err := putUint(tx.Bucket(bucketMeta), keySchema, v+1); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) create(tx *bolt.Tx) error {
	for _, name := range append([][]byte{bucketMeta, bucketReports, bucketCellDay}, indexBuckets...) {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bucketMeta)
	if err := putUint(meta, keySchema, SchemaVersion); err != nil {
		return err
	}
	return putUint(meta, keyCount, 0)
}

// migrations[v] upgrades a file from schema v to v+1 inside Open's
// transaction. A migration that changes the index layout ends with reindex.
var migrations = [SchemaVersion]func(db *DB, tx *bolt.Tx) error{
	// 0 → 1: a reports bucket without indexes or counts (a file restored
	// from records only): build everything from the records.
	0: func(db *DB, tx *bolt.Tx) error { return db.reindex(tx) },
	// 1 → 2: the cell-day counts (cellday.go), built from ix_cell in
	// Open's one transaction: a few seconds per million reports.
	1: func(db *DB, tx *bolt.Tx) error { return rebuildCellDays(tx) },
	// 2 → 3: the cell-day counts gain a key per cell for all time.
	2: func(db *DB, tx *bolt.Tx) error { return rebuildCellDays(tx) },
	// 3 → 4: the event and actor indexes (event.go), empty: no record
	// written before has an event.
	3: func(db *DB, tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketEvent); err != nil {
			return err
		}
		_, err := tx.CreateBucketIfNotExists(bucketActor)
		return err
	},
	// 4 → 5: index entries carry the event type and fatality class in
	// their flags (key.go): rebuilt from the records.
	4: func(db *DB, tx *bolt.Tx) error { return db.reindex(tx) },
	// 5 → 6: the cell-event index (cellevent.go) and the event index's
	// fatality class keys (event.go), put from the records (the event
	// index's other keys are put again as they are); the other indexes
	// stay.
	5: func(db *DB, tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketCellEv); err != nil {
			return err
		}
		_, err := buildIndexes(tx, [][]byte{bucketEvent, bucketCellEv})
		return err
	},
	// 6 → 7: index entries carry the location's precision class (key.go)
	// and the cell-day counts split by precision class and event type
	// (cellday.go): both rebuilt from the records.
	6: func(db *DB, tx *bolt.Tx) error { return db.reindex(tx) },
}

// Path returns the file the store was opened from.
func (db *DB) Path() string { return db.path }

// Close closes the file. It waits for running transactions to finish.
func (db *DB) Close() error { return db.bolt.Close() }

// Backup writes a consistent snapshot of the whole store to w while the
// store keeps serving, and returns the number of bytes written. The copy
// is itself a store file that Open accepts. It is WriteBackup without a
// context or a size.
func (db *DB) Backup(w io.Writer) (int64, error) {
	return db.WriteBackup(context.Background(), func(int64) (io.Writer, error) { return w, nil })
}

// WriteBackup writes a consistent snapshot of the whole store in ONE read
// transaction, while the store keeps serving: it calls start with the
// snapshot's exact size in bytes (bbolt's Tx.Size), then writes exactly that
// many bytes to the writer start returns, and returns the number written.
// The copy is itself a store file that Open accepts, holding every write
// committed before the transaction began and none after.
//
// It ends early, with that error, when start fails (nothing is written),
// when a write to the writer fails, or when ctx is done (checked before each
// write of at most 32 KiB), so a reader who goes away ends the transaction
// at once. The snapshot is then incomplete: fewer bytes than size.
//
// The read transaction lasts as long as the copy. While it is open bbolt
// cannot remap the file: a write that must grow the file beyond its memory
// map (Options.MmapSize, 1 GiB by default, then the next whole GiB) waits
// until the copy ends, and so do the transactions, reads included, that
// begin after it. Such a write is rare (once per GiB of growth), but then
// the service stalls for the rest of the backup, which a slow reader can
// make long. Pages freed by writes meanwhile are reused only after it ends,
// so the file may grow faster during a backup.
func (db *DB) WriteBackup(ctx context.Context, start func(size int64) (io.Writer, error)) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		w, err := start(tx.Size())
		if err != nil {
			return err
		}
		n, err = tx.WriteTo(ctxWriter{ctx, w})
		return err
	})
	if err != nil && ctx.Err() != nil {
		err = ctx.Err() // tx.WriteTo flattens some errors to strings
	}
	return n, err
}

// ctxWriter fails every write once its context is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// BackupFile writes a snapshot to a new file at path, synced before it
// returns. It fails if path exists.
func (db *DB) BackupFile(path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := db.Backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return n, err
}

// Verify runs bbolt's page-level consistency check and then checks every
// index against the report records: each record's index keys exist with the
// right values, and no index holds any other key. It returns nil for a
// clean file, else an EINTERNAL error listing the first problems found.
func (db *DB) Verify() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
			if len(errs) >= 10 {
				break
			}
		}
		if len(errs) == 0 {
			errs = verifyIndexes(tx)
		}
		if len(errs) > 0 {
			return &geotag.Error{Code: geotag.EINTERNAL,
				Message: fmt.Sprintf("store %s fails verification: %v", db.path, errors.Join(errs...))}
		}
		return nil
	})
}

// Reindex rebuilds every index from the report records in one transaction.
func (db *DB) Reindex() error { return db.bolt.Update(db.reindex) }

func (db *DB) reindex(tx *bolt.Tx) error {
	for _, name := range indexBuckets {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	n, err := buildIndexes(tx, indexBuckets)
	if err != nil {
		return err
	}
	if err := rebuildCellDays(tx); err != nil {
		return err
	}
	return putUint(tx.Bucket(bucketMeta), keyCount, n)
}

// buildIndexes puts every index key of the records into the (empty)
// buckets, and returns the number of records.
func buildIndexes(tx *bolt.Tx, buckets [][]byte) (uint64, error) {
	// One pass over the records per index (per level for the cell index),
	// each putting its keys in key order: bbolt splits nodes only at
	// commit, so random-order puts into one large transaction would shift
	// a growing node on every insert (quadratic time), and one pass holds
	// the keys of one index in memory, not of all.
	type pass struct {
		bucket []byte
		level  int // the cell level, for bucketCell; -1 otherwise
	}
	var passes []pass
	for _, name := range buckets {
		if !bytes.Equal(name, bucketCell) && !bytes.Equal(name, bucketCellEv) {
			passes = append(passes, pass{name, -1})
			continue
		}
		for _, lv := range cellLevels {
			passes = append(passes, pass{name, int(lv)})
		}
	}
	var n uint64
	var keys []indexKey
	for i, p := range passes {
		keys = keys[:0]
		c := tx.Bucket(bucketReports).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			r, err := decodeReport(k, v)
			if err != nil {
				return 0, fmt.Errorf("report %x: %w", k, err)
			}
			for _, ik := range indexKeys(k, r) {
				if bytes.Equal(ik.bucket, p.bucket) && (p.level < 0 || int(ik.key[0]) == p.level) {
					keys = append(keys, ik)
				}
			}
			if i == 0 {
				n++
			}
		}
		slices.SortFunc(keys, func(a, b indexKey) int { return bytes.Compare(a.key, b.key) })
		b := tx.Bucket(p.bucket)
		for _, k := range keys {
			if err := b.Put(k.key, k.value); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func putUint(b *bolt.Bucket, k []byte, v uint64) error {
	return b.Put(k, binary.BigEndian.AppendUint64(nil, v))
}

func getUint(b *bolt.Bucket, k []byte) uint64 {
	v := b.Get(k)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func addCount(tx *bolt.Tx, d int64) error {
	meta := tx.Bucket(bucketMeta)
	return putUint(meta, keyCount, uint64(int64(getUint(meta, keyCount))+d))
}
