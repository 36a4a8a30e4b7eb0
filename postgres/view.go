package postgres

import (
	"context"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// Saved views are rows of views, the record holding the webhook's secret
// (which the view's JSON never shows) as the bbolt store's does. The
// webhook's cursor (Webhook.After) is moved by UpdateView under the row's
// lock, and one server at a time follows a view (Claim, lease.go), so two
// servers never send the same notice.

var _ geotag.ViewService = (*DB)(nil)

// viewLock is the transaction-scoped advisory lock key that serialises
// creating views, so that servers sharing the database cannot together
// pass the maximum.
const viewLock = migrationLock + 1

func (db *DB) maxViews() int {
	if db.opts.MaxViews > 0 {
		return db.opts.MaxViews
	}
	return geotag.DefaultMaxViews
}

func viewNotFound(id string) error {
	return geotag.FieldErrorf(geotag.ENOTFOUND, "id", "no view has id %q", id)
}

// CreateView implements geotag.ViewService: EINVALID if v fails Validate,
// EUNPROCESSABLE when the database holds Options.MaxViews views.
func (db *DB) CreateView(ctx context.Context, v *geotag.View) (err error) {
	defer unavailable(&err)
	if err := v.Validate(); err != nil {
		return err
	}
	now := db.now().UTC()
	nv := *v
	nv.ID = db.ids.next(now)
	nv.Created, nv.Updated = now, now
	val, err := geotag.EncodeView(&nv)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(viewLock)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM views`).Scan(&n); err != nil {
			return err
		}
		if n >= db.maxViews() {
			return geotag.Errorf(geotag.EUNPROCESSABLE, "the service holds %d saved views, its maximum: delete one first", n)
		}
		_, err := tx.Exec(ctx, `INSERT INTO views (id, record) VALUES ($1, $2)`, nv.ID, val)
		return err
	})
	if err == nil {
		*v = nv
	}
	return err
}

// RestoreView stores a view as another store kept it (ID, times, webhook
// and cursor unchanged), for geotag migrate; a view whose ID is stored
// already is left as it is.
func (db *DB) RestoreView(ctx context.Context, v *geotag.View) (err error) {
	defer unavailable(&err)
	val, err := geotag.EncodeView(v)
	if err != nil {
		return err
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO views (id, record) VALUES ($1, $2) ON CONFLICT DO NOTHING`, pgText(v.ID), val)
	return err
}

// FindViewByID implements geotag.ViewService.
func (db *DB) FindViewByID(ctx context.Context, id string) (_ *geotag.View, err error) {
	defer unavailable(&err)
	var rec geotag.ViewRecord
	found, err := getRecord(ctx, db.pool, &rec, `SELECT record FROM views WHERE id = $1`, pgText(id))
	if err == nil && !found {
		err = viewNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	return rec.Restored(), nil
}

// FindViews implements geotag.ViewService: oldest first.
func (db *DB) FindViews(ctx context.Context) (_ []*geotag.View, err error) {
	defer unavailable(&err)
	recs, err := listRecords[geotag.ViewRecord](ctx, db, `SELECT record FROM views ORDER BY id`)
	if err != nil {
		return nil, err
	}
	vs := make([]*geotag.View, len(recs))
	for i, rec := range recs {
		vs[i] = rec.Restored()
	}
	return vs, nil
}

// UpdateView implements geotag.ViewService: the row is locked (FOR
// UPDATE) while fn runs, so servers sharing the database take turns.
func (db *DB) UpdateView(ctx context.Context, id string, fn func(*geotag.View) error) (_ *geotag.View, err error) {
	defer unavailable(&err)
	var out *geotag.View
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var rec geotag.ViewRecord
		found, err := getRecord(ctx, tx, &rec, `SELECT record FROM views WHERE id = $1 FOR UPDATE`, pgText(id))
		if err != nil {
			return err
		}
		if !found {
			return viewNotFound(id)
		}
		v := rec.Restored()
		if err := fn(v); err != nil {
			return err
		}
		if err := v.Validate(); err != nil {
			return err
		}
		v.ID, v.Updated = id, db.now().UTC()
		val, err := geotag.EncodeView(v)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE views SET record = $2 WHERE id = $1`, id, val); err != nil {
			return err
		}
		out = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteView implements geotag.ViewService.
func (db *DB) DeleteView(ctx context.Context, id string) (err error) {
	defer unavailable(&err)
	tag, err := db.pool.Exec(ctx, `DELETE FROM views WHERE id = $1`, pgText(id))
	if err == nil && tag.RowsAffected() == 0 {
		err = viewNotFound(id)
	}
	return err
}
