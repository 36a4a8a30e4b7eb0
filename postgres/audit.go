package postgres

import (
	"context"
	"encoding/json"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// The audit log of desk rules and desk places is rows of audit keyed by a
// sequence number (audit_seq), each written in the transaction of the
// change it records (insertAudit), with its kind and thing's id as
// columns for the filtered reads.

var _ geotag.AuditLog = (*DB)(nil)

// insertAudit adds e to the log in tx, under the next number of
// audit_seq when e.Seq is 0 (the desk's services call it so, with At now,
// in the transaction of the change it records), else under its own
// (RestoreAudit). An entry whose Seq is stored already is left as it is.
func insertAudit(ctx context.Context, tx pgx.Tx, e geotag.AuditEntry) error {
	if e.Seq == 0 {
		var seq int64
		if err := tx.QueryRow(ctx, `SELECT nextval('audit_seq')`).Scan(&seq); err != nil {
			return err
		}
		e.Seq = uint64(seq)
	}
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO audit (seq, kind, thing_id, record) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		int64(e.Seq), pgText(e.Kind), pgText(e.ID), v)
	return err
}

// RestoreAudit stores an entry as another store kept it (its Seq too),
// for geotag migrate, and moves the sequence past it; an entry whose Seq
// is stored already is left as it is.
func (db *DB) RestoreAudit(ctx context.Context, e geotag.AuditEntry) (err error) {
	defer unavailable(&err)
	if e.Seq == 0 || e.Seq > 1<<62 {
		return geotag.Errorf(geotag.EINVALID, "audit entry: sequence number %d out of range", e.Seq)
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := insertAudit(ctx, tx, e); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `SELECT setval('audit_seq', greatest($1, (SELECT last_value FROM audit_seq)))`, int64(e.Seq))
		return err
	})
}

// Audit returns the entries matching f, newest first (see
// geotag.AuditLog): one index walk down from Before.
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
	if !textOK(f.ID) { // no stored id is malformed text
		return []geotag.AuditEntry{}, nil
	}
	before := int64(1<<63 - 1)
	if f.Before > 0 && f.Before < 1<<63 {
		before = int64(f.Before)
	}
	es, err := listRecords[geotag.AuditEntry](ctx, db, `SELECT record FROM audit
		WHERE seq < $1 AND ($2 = '' OR kind = $2) AND ($3 = '' OR thing_id = $3) ORDER BY seq DESC LIMIT $4`,
		before, f.Kind, pgText(f.ID), f.Limit)
	if err != nil {
		return nil, err
	}
	out := make([]geotag.AuditEntry, len(es))
	for i, e := range es {
		out[i] = *e
	}
	return out, nil
}
