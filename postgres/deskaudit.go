package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// The audit log of desk rules and desk places: rows of audit, numbered by
// a sequence, written in the transaction of the change they record. The
// desk's writes take turns (deskWrite), so entries are numbered in the
// order their changes committed.

var _ geotag.AuditLog = (*DB)(nil)

// audit appends an entry for a change of kind/id in tx; before and after
// are the thing's JSON (nil when absent).
func (db *DB) audit(ctx context.Context, tx pgx.Tx, kind, id, action, by string, before, after []byte) error {
	at := db.now().UTC()
	_, err := tx.Exec(ctx, `INSERT INTO audit (at, at_ns, by, kind, id, action, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		at.Truncate(time.Microsecond), at.Nanosecond(), pgText(by), kind, id, action, nullJSON(before), nullJSON(after))
	return err
}

// nullJSON is v for a json column, NULL when absent.
func nullJSON(v []byte) any {
	if v == nil {
		return nil
	}
	return json.RawMessage(v)
}

// Audit returns the audit entries matching f, newest first (see
// geotag.AuditLog).
func (db *DB) Audit(ctx context.Context, f geotag.AuditFilter) (_ []geotag.AuditEntry, err error) {
	defer unavailable(&err)
	if f.Limit < 0 || f.Limit > 1000 {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be 1..1000")
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	if f.Kind != "" && f.Kind != geotag.AuditRule && f.Kind != geotag.AuditDeskPlace {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "kind", "kind is %q or %q", geotag.AuditRule, geotag.AuditDeskPlace)
	}
	c := &cond{}
	if f.Kind != "" {
		c.and(`kind = ` + c.arg(f.Kind))
	}
	if !textOK(f.ID) {
		return []geotag.AuditEntry{}, nil
	}
	if f.ID != "" {
		c.and(`id = ` + c.arg(f.ID))
	}
	if f.Before > 0 {
		c.and(`seq < ` + c.arg(int64(min(f.Before, 1<<63-1))))
	}
	sql := `SELECT seq, at, at_ns, by, kind, id, action, before, after FROM audit WHERE ` + c.sql() + ` ORDER BY seq DESC LIMIT ` + c.arg(f.Limit)
	rows, err := db.pool.Query(ctx, sql, c.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []geotag.AuditEntry{}
	for rows.Next() {
		var e geotag.AuditEntry
		var seq int64
		var ns int
		var before, after []byte
		if err := rows.Scan(&seq, &e.At, &ns, &e.By, &e.Kind, &e.ID, &e.Action, &before, &after); err != nil {
			return nil, err
		}
		e.Seq, e.At = uint64(seq), e.At.UTC().Truncate(time.Second).Add(time.Duration(ns))
		if before != nil {
			e.Before = before
		}
		if after != nil {
			e.After = after
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
