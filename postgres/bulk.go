package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// Finished bulk corrections are rows of bulk_jobs (the record's JSON by
// its ID), so that an undo outlives a restart and works through any
// server sharing the database.

var (
	_ geotag.BulkLog            = (*DB)(nil)
	_ geotag.ReportBatchUpdater = (*DB)(nil)
)

// SaveBulk stores (or replaces) the record of a finished bulk correction
// or undo.
func (db *DB) SaveBulk(ctx context.Context, b geotag.BulkRecord) (err error) {
	defer unavailable(&err)
	v, err := json.Marshal(b)
	if err != nil {
		return err
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO bulk_jobs (id, record) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET record = excluded.record`, pgText(b.ID), v)
	return err
}

// FindBulk returns the record of a bulk job, or ENOTFOUND.
func (db *DB) FindBulk(ctx context.Context, id string) (_ geotag.BulkRecord, err error) {
	defer unavailable(&err)
	var out geotag.BulkRecord
	found, err := getRecord(ctx, db.pool, &out, `SELECT record FROM bulk_jobs WHERE id = $1`, pgText(id))
	if err == nil && !found {
		err = geotag.Errorf(geotag.ENOTFOUND, "no bulk correction has id %q", id)
	}
	return out, err
}

// EachBulk calls fn with every bulk record, by ID, for geotag migrate.
func (db *DB) EachBulk(ctx context.Context, fn func(geotag.BulkRecord) error) (err error) {
	defer unavailable(&err)
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		return eachRecord(ctx, tx, `SELECT record FROM bulk_jobs ORDER BY id`, nil, func(rec []byte) error {
			var b geotag.BulkRecord
			if err := decodeJSON(rec, &b); err != nil {
				return err
			}
			return fn(b)
		})
	})
}

// errPass leaves one report of UpdateReports as it is.
var errPass = errors.New("left as it is")

// UpdateReports changes several reports in one transaction (see
// geotag.ReportBatchUpdater), each under a savepoint and its row's lock
// as UpdateReport changes one: a report fn returns false for, that is
// gone, or that fails the limits (or takes another's external id) is left
// as it was; the others are stored with their indexes and counts.
func (db *DB) UpdateReports(ctx context.Context, ids []string, fn func(*geotag.Report) bool) (_ []string, err error) {
	defer unavailable(&err)
	var stored []string
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for _, id := range ids {
			if !validID(id) {
				continue
			}
			err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error { return db.updateOne(ctx, sp, id, fn) })
			switch {
			case err == nil:
				stored = append(stored, id)
			case errors.Is(err, errPass):
			case geotag.ErrorCode(err) != geotag.EINTERNAL:
				// gone, or over the limits: this one stays as it was
			default:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

// updateOne is one report of UpdateReports in the savepoint tx.
func (db *DB) updateOne(ctx context.Context, tx pgx.Tx, id string, fn func(*geotag.Report) bool) error {
	old, err := findBy(ctx, tx, `id = $1 FOR UPDATE`, id)
	if err != nil {
		return err
	}
	r, err := decodeRecordCopy(old)
	if err != nil {
		return err
	}
	if !fn(r) {
		return errPass
	}
	return db.rewrite(ctx, tx, old, r)
}

// decodeRecordCopy is a deep copy of r, through its JSON.
func decodeRecordCopy(r *geotag.Report) (*geotag.Report, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	return decodeRecord(b)
}
