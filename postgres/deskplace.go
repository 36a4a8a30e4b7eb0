package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// Desk places are rows of desk_places (the place as JSON, keyed by its
// id). Ids count down from geotag.DeskPlaceIDBase by desk_changes'
// place_seq, moved in the creating transaction (so never reused, as the
// bbolt store's bucket sequence). Every change moves the desk's change
// counter and writes an audit entry in its transaction.

var _ geotag.DeskPlaceService = (*DB)(nil)

// DeskPlaces lists every desk place, oldest first.
func (db *DB) DeskPlaces(ctx context.Context) (_ []geotag.DeskPlace, err error) {
	defer unavailable(&err)
	out := []geotag.DeskPlace{}
	err = eachRecord(ctx, db.pool, `SELECT record FROM desk_places ORDER BY id DESC`, nil, func(v []byte) error {
		var d geotag.DeskPlace
		if err := json.Unmarshal(v, &d); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// CreateDeskPlace stores a new desk place (see geotag.DeskPlaceService).
func (db *DB) CreateDeskPlace(ctx context.Context, d *geotag.DeskPlace) (err error) {
	defer unavailable(&err)
	now := db.now().UTC()
	c := *d
	c.Created, c.Updated = now, now
	err = db.deskWrite(ctx, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM desk_places`).Scan(&n); err != nil {
			return err
		}
		if n >= geotag.MaxDeskPlaces {
			return geotag.Errorf(geotag.ETOOLARGE, "the desk has %d places, the most it may have", geotag.MaxDeskPlaces)
		}
		var seq int64
		if err := tx.QueryRow(ctx, `UPDATE desk_changes SET place_seq = place_seq + 1 RETURNING place_seq`).Scan(&seq); err != nil {
			return err
		}
		c.ID = geotag.DeskPlaceIDBase - (seq - 1)
		v, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO desk_places (id, record) VALUES ($1, $2)`, c.ID, v); err != nil {
			return err
		}
		return db.audit(ctx, tx, geotag.AuditDeskPlace, strconv.FormatInt(c.ID, 10), "create", c.By, nil, v)
	})
	if err == nil {
		*d = c
	}
	return err
}

// UpdateDeskPlace changes a desk place (see geotag.DeskPlaceService).
func (db *DB) UpdateDeskPlace(ctx context.Context, id int64, by string, fn func(*geotag.DeskPlace) error) (_ geotag.DeskPlace, err error) {
	defer unavailable(&err)
	var out geotag.DeskPlace
	if !geotag.IsDeskPlaceID(id) {
		return out, deskPlaceNotFound(id)
	}
	err = db.deskWrite(ctx, func(tx pgx.Tx) error {
		var old []byte
		err := tx.QueryRow(ctx, `SELECT record FROM desk_places WHERE id = $1`, id).Scan(&old)
		if errors.Is(err, pgx.ErrNoRows) {
			return deskPlaceNotFound(id)
		}
		if err != nil {
			return err
		}
		d, v, err := geotag.ReviseDeskPlace(old, id, fn, db.now().UTC())
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE desk_places SET record = $2 WHERE id = $1`, id, v); err != nil {
			return err
		}
		out = d
		return db.audit(ctx, tx, geotag.AuditDeskPlace, strconv.FormatInt(id, 10), "update", by, old, v)
	})
	return out, err
}

// DeleteDeskPlace removes a desk place (see geotag.DeskPlaceService).
func (db *DB) DeleteDeskPlace(ctx context.Context, id int64, by string) (err error) {
	defer unavailable(&err)
	if !geotag.IsDeskPlaceID(id) {
		return deskPlaceNotFound(id)
	}
	return db.deskWrite(ctx, func(tx pgx.Tx) error {
		var old []byte
		err := tx.QueryRow(ctx, `DELETE FROM desk_places WHERE id = $1 RETURNING record`, id).Scan(&old)
		if errors.Is(err, pgx.ErrNoRows) {
			return deskPlaceNotFound(id)
		}
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, geotag.AuditDeskPlace, strconv.FormatInt(id, 10), "delete", by, old, nil)
	})
}

func deskPlaceNotFound(id int64) error {
	return geotag.Errorf(geotag.ENOTFOUND, "no desk place has id %d", id)
}
