package postgres

import (
	"context"
	"encoding/json"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// The webhook delivery log is rows of webhook_deliveries keyed by the
// delivery's ID (a ULID: oldest first), with its view and state as
// columns for ListDeliveries; it keeps the newest MaxDeliveries.

// MaxDeliveries is how many deliveries the log keeps (the bbolt store's
// number); adding one more drops the oldest.
const MaxDeliveries = 10000

var _ geotag.WebhookLog = (*DB)(nil)

// AddDelivery stores a new delivery, dropping the oldest past
// MaxDeliveries, in one transaction.
func (db *DB) AddDelivery(ctx context.Context, d *geotag.WebhookDelivery) (err error) {
	defer unavailable(&err)
	now := db.now().UTC()
	nd := *d
	nd.ID = db.ids.next(now)
	nd.Created = now
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := insertDelivery(ctx, tx, &nd); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE id <=
			(SELECT id FROM webhook_deliveries ORDER BY id DESC OFFSET $1 LIMIT 1)`, MaxDeliveries)
		return err
	})
	if err == nil {
		*d = nd
	}
	return err
}

func insertDelivery(ctx context.Context, tx pgx.Tx, d *geotag.WebhookDelivery) error {
	v, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO webhook_deliveries (id, view_id, state, record) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, pgText(d.ID), pgText(d.ViewID), pgText(d.State), v)
	return err
}

// RestoreDeliveries stores deliveries as another store kept them, in one
// transaction, for geotag migrate; one whose ID is stored already is left
// as it is.
func (db *DB) RestoreDeliveries(ctx context.Context, ds []*geotag.WebhookDelivery) (err error) {
	defer unavailable(&err)
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for _, d := range ds {
			if err := insertDelivery(ctx, tx, d); err != nil {
				return err
			}
		}
		return nil
	})
}

// UpdateDelivery locks the delivery's row and changes it with fn in one
// transaction; ENOTFOUND if no delivery has the id, or fn's error.
func (db *DB) UpdateDelivery(ctx context.Context, id string, fn func(*geotag.WebhookDelivery) error) (_ *geotag.WebhookDelivery, err error) {
	defer unavailable(&err)
	var out *geotag.WebhookDelivery
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		d := new(geotag.WebhookDelivery)
		found, err := getRecord(ctx, tx, d, `SELECT record FROM webhook_deliveries WHERE id = $1 FOR UPDATE`, pgText(id))
		if err != nil {
			return err
		}
		if !found {
			return geotag.Errorf(geotag.ENOTFOUND, "no delivery has the id %q", id)
		}
		if err := fn(d); err != nil {
			return err
		}
		d.ID = id
		v, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET view_id = $2, state = $3, record = $4 WHERE id = $1`,
			id, pgText(d.ViewID), pgText(d.State), v); err != nil {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListDeliveries returns at most limit deliveries, newest first, of the
// view and in the state when those are not "". EINVALID for a limit
// outside 1…1000.
func (db *DB) ListDeliveries(ctx context.Context, viewID, state string, limit int) (_ []*geotag.WebhookDelivery, err error) {
	defer unavailable(&err)
	if limit < 1 || limit > 1000 {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be 1…1000")
	}
	return listRecords[geotag.WebhookDelivery](ctx, db, `SELECT record FROM webhook_deliveries
		WHERE ($1 = '' OR view_id = $1) AND ($2 = '' OR state = $2) ORDER BY id DESC LIMIT $3`,
		pgText(viewID), pgText(state), limit)
}

// EachDelivery calls fn with every delivery of the log, oldest first, for
// geotag migrate.
func (db *DB) EachDelivery(ctx context.Context, fn func(*geotag.WebhookDelivery) error) (err error) {
	defer unavailable(&err)
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		return eachRecord(ctx, tx, `SELECT record FROM webhook_deliveries ORDER BY id`, nil, func(rec []byte) error {
			d := new(geotag.WebhookDelivery)
			if err := decodeJSON(rec, d); err != nil {
				return err
			}
			return fn(d)
		})
	})
}
