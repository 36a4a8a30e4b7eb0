package store

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/geotag/geotag"
	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"
)

// validate checks what the store needs of a report (geotag.ReportLimits.Storable
// with Options.Limits), which every write goes through; encode then trims the
// history and checks the record's size.
func (db *DB) validate(r *geotag.Report) error { return db.opts.Limits.Storable(r) }

// CreateReport assigns r an ID, sets Created and Updated to now and Status
// to unreviewed when empty, and stores it durably (fsynced) before
// returning; concurrent writes share transactions and fsyncs (see
// Options.NoBatch). It returns EINVALID if r fails validation
// (Report.Validate, tags with control characters, an external id over
// 1 KiB), and ECONFLICT if r.ExternalID is already stored, in which case *r
// is replaced by the stored report and nothing is written. *r is changed
// only when CreateReport returns nil or ECONFLICT.
func (db *DB) CreateReport(ctx context.Context, r *geotag.Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := db.validate(r); err != nil {
		return err
	}
	// The ID and time are chosen once: a batched transaction may run fn
	// more than once, so fn works on a copy and only the run that commits
	// is published.
	now := db.now().UTC()
	id := db.ids.next(now)
	var w geotag.Report
	var stored *geotag.Report
	err := db.write(func(tx *bolt.Tx) error {
		w = *r
		var err error
		stored, err = db.insert(tx, &w, id, now)
		if err != nil {
			return err
		}
		if stored != nil {
			return geotag.Errorf(geotag.ECONFLICT, "a report with external id %q exists: %s", stored.ExternalID, stored.ID)
		}
		return nil
	})
	switch {
	case err == nil:
		*r = w
	case stored != nil && geotag.ErrorCode(err) == geotag.ECONFLICT:
		*r = *stored
	}
	return err
}

// insert stores a validated r in tx with the id and creation time. When
// r.ExternalID is already stored it writes nothing and returns the stored
// report.
func (db *DB) insert(tx *bolt.Tx, r *geotag.Report, id ulid.ULID, now time.Time) (*geotag.Report, error) {
	stored, keys, err := db.insertRecord(tx, r, id, now)
	if stored != nil || err != nil {
		return stored, err
	}
	sortKeys(keys)
	for _, k := range keys {
		if err := tx.Bucket(k.bucket).Put(k.key, k.value); err != nil {
			return nil, err
		}
	}
	d := map[string]cellDay{}
	addCellDays(d, keys, 1)
	if err := applyCellDays(tx, d); err != nil {
		return nil, err
	}
	return nil, addCount(tx, 1)
}

// recordFill is the fill percent of the reports bucket: IDs grow, so pages
// are only ever appended to and can be filled (bbolt's default of half full
// suits random inserts).
const recordFill = 0.95

// insertRecord sets r's ID (id, or a fresh one in the never-seen case that
// id is taken), Created, Updated (now), Status and Time, writes r's record
// and external-id key and returns the other index keys for the caller to
// put. When r.ExternalID is already stored it writes nothing and returns
// the stored report.
func (db *DB) insertRecord(tx *bolt.Tx, r *geotag.Report, id ulid.ULID, now time.Time) (*geotag.Report, []indexKey, error) {
	ext := tx.Bucket(bucketExt)
	if r.ExternalID != "" {
		if id := ext.Get([]byte(r.ExternalID)); id != nil {
			stored, err := get(tx, id)
			return stored, nil, err
		}
	}
	reports := tx.Bucket(bucketReports)
	reports.FillPercent = recordFill
	for reports.Get(id[:]) != nil { // never in practice: 80 random bits
		id = db.ids.next(now)
	}
	r.ID = id.String()
	r.Created, r.Updated = now, now
	if r.Status == "" {
		r.Status = geotag.StatusUnreviewed
	}
	r.Time = r.Time.UTC()
	rec, err := db.encode(r)
	if err != nil {
		return nil, nil, err
	}
	if err := reports.Put(id[:], rec); err != nil {
		return nil, nil, err
	}
	keys := indexKeys(id[:], r)
	if r.ExternalID != "" {
		if err := ext.Put([]byte(r.ExternalID), id[:]); err != nil {
			return nil, nil, err
		}
		keys = slices.DeleteFunc(keys, func(k indexKey) bool { return bytes.Equal(k.bucket, bucketExt) })
	}
	return nil, keys, nil
}

// encode trims r's history to the limits (geotag.ReportLimits.TrimHistory)
// and returns its record, or EUNPROCESSABLE when the record is over
// MaxReportBytes.
func (db *DB) encode(r *geotag.Report) ([]byte, error) {
	db.opts.Limits.TrimHistory(r)
	rec := encodeReport(nil, r)
	if err := db.opts.Limits.CheckSize(len(rec)); err != nil {
		return nil, err
	}
	return rec, nil
}

func get(tx *bolt.Tx, id []byte) (*geotag.Report, error) {
	v := tx.Bucket(bucketReports).Get(id)
	if v == nil {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "report %s not found", idString(id))
	}
	return decodeReport(id, v)
}

func notFound(id string) error {
	return geotag.Errorf(geotag.ENOTFOUND, "report %q not found", id)
}

// FindReportByID returns the report with the id, or ENOTFOUND (also for a
// string that is not a report ID).
func (db *DB) FindReportByID(ctx context.Context, id string) (*geotag.Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	key, ok := parseID(id)
	if !ok {
		return nil, notFound(id)
	}
	var r *geotag.Report
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		r, err = get(tx, key[:])
		return err
	})
	return r, err
}

// UpdateReport loads the report, calls fn on it and stores the result, all
// in one durable transaction, and returns the stored report. Concurrent
// writes share transactions, so fn may be called more than once, each time
// on a fresh copy of the stored report: it must change only that copy (or
// state it resets on every call). ID and Created
// are kept whatever fn does, Updated is set to now, an empty Status becomes
// unreviewed, and every index follows the new values. It returns ENOTFOUND
// if no report has the id; fn's error unchanged, in which case nothing is
// stored; EINVALID if the result fails validation; ECONFLICT if fn sets an
// external id another report has.
func (db *DB) UpdateReport(ctx context.Context, id string, fn func(*geotag.Report) error) (*geotag.Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	key, ok := parseID(id)
	if !ok {
		return nil, notFound(id)
	}
	now := db.now().UTC()
	var out *geotag.Report
	err := db.write(func(tx *bolt.Tx) error {
		var err error
		out, err = db.updateTx(tx, key[:], now, fn)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteReport removes the report and its index keys durably. It returns
// ENOTFOUND if no report has the id.
func (db *DB) DeleteReport(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	key, ok := parseID(id)
	if !ok {
		return notFound(id)
	}
	return db.write(func(tx *bolt.Tx) error {
		old, err := get(tx, key[:])
		if err != nil {
			return err
		}
		if err := deleteIndexes(tx, key[:], old); err != nil {
			return err
		}
		if err := tx.Bucket(bucketReports).Delete(key[:]); err != nil {
			return err
		}
		return addCount(tx, -1)
	})
}

// Count returns the number of stored reports.
func (db *DB) Count() (int, error) {
	var n uint64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		n = getUint(tx.Bucket(bucketMeta), keyCount)
		return nil
	})
	return int(n), err
}

// updateTx is UpdateReport's work in tx: it loads the report of key,
// calls fn on a copy and stores the result with its indexes.
func (db *DB) updateTx(tx *bolt.Tx, key []byte, now time.Time, fn func(*geotag.Report) error) (*geotag.Report, error) {
	old, err := get(tx, key)
	if err != nil {
		return nil, err
	}
	r, err := get(tx, key) // a separate copy for fn to change
	if err != nil {
		return nil, err
	}
	if err := fn(r); err != nil {
		return nil, err
	}
	r.ID, r.Created = old.ID, old.Created
	r.Updated = now
	if r.Status == "" {
		r.Status = geotag.StatusUnreviewed
	}
	r.Time = r.Time.UTC()
	if err := db.validate(r); err != nil {
		return nil, err
	}
	rec, err := db.encode(r)
	if err != nil {
		return nil, err
	}
	if r.ExternalID != "" && r.ExternalID != old.ExternalID {
		if other := tx.Bucket(bucketExt).Get([]byte(r.ExternalID)); other != nil {
			return nil, geotag.FieldErrorf(geotag.ECONFLICT, "external_id",
				"report %s already has external id %q", idString(other), r.ExternalID)
		}
	}
	if err := deleteIndexes(tx, key, old); err != nil {
		return nil, err
	}
	if err := tx.Bucket(bucketReports).Put(key, rec); err != nil {
		return nil, err
	}
	if err := putIndexes(tx, key, r); err != nil {
		return nil, err
	}
	return r, nil
}
