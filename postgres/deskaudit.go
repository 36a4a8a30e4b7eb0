package postgres

import (
	"context"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// audit appends an entry for a change of kind/id to the audit log in tx
// (insertAudit); before and after are the thing's JSON (nil when absent).
// The desk's writes take turns (deskWrite), so entries are numbered in the
// order their changes committed.
func (db *DB) audit(ctx context.Context, tx pgx.Tx, kind, id, action, by string, before, after []byte) error {
	return insertAudit(ctx, tx, geotag.AuditEntry{At: db.now().UTC(), By: by, Kind: kind, ID: id, Action: action,
		Before: before, After: after})
}
