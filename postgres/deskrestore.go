package postgres

import (
	"context"
	"encoding/json"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// The Restore* methods store incidents, desk rules, desk places and audit
// entries as another store kept them — ids, times, versions and history
// unchanged — for moving a desk between stores (geotag migrate). Each
// reports whether it stored the thing: false when one with its id (an
// audit entry: its seq) is there already, so a migration can be run again
// after an interruption. They write no audit entry of their own.

// RestoreIncident stores inc with its links. ECONFLICT when one of its
// sources is another incident's already.
func (db *DB) RestoreIncident(ctx context.Context, inc *geotag.Incident) (stored bool, err error) {
	defer unavailable(&err)
	rec, err := encodeIncident(inc)
	if err != nil {
		return false, err
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO incidents (id, tsec, tnsec, record) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
			inc.ID, inc.Figures.Time.Unix(), int32(inc.Figures.Time.Nanosecond()), rec)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		stored = true
		_, err = tx.Exec(ctx, `INSERT INTO incident_sources (report_id, incident_id) SELECT unnest($1::text[]), $2`, inc.Sources, inc.ID)
		if isUniqueViolation(err, "incident_sources_pkey") {
			return geotag.Errorf(geotag.ECONFLICT, "a source of incident %s is another incident's already", inc.ID)
		}
		return err
	})
	return stored && err == nil, err
}

// RestoreRule stores r.
func (db *DB) RestoreRule(ctx context.Context, r geotag.Rule) (stored bool, err error) {
	defer unavailable(&err)
	v, err := json.Marshal(r)
	if err != nil {
		return false, err
	}
	err = db.deskWrite(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO rules (id, record) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, r.ID, v)
		stored = err == nil && tag.RowsAffected() == 1
		return err
	})
	return stored, err
}

// RestoreDeskPlace stores d, moving the id sequence past its id so that
// no new place takes it. EINVALID for an id that is not a desk place's.
func (db *DB) RestoreDeskPlace(ctx context.Context, d geotag.DeskPlace) (stored bool, err error) {
	defer unavailable(&err)
	if !geotag.IsDeskPlaceID(d.ID) {
		return false, geotag.Errorf(geotag.EINVALID, "%d is not a desk place id", d.ID)
	}
	v, err := json.Marshal(d)
	if err != nil {
		return false, err
	}
	err = db.deskWrite(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO desk_places (id, record) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, d.ID, v)
		if err != nil {
			return err
		}
		stored = tag.RowsAffected() == 1
		_, err = tx.Exec(ctx, `UPDATE desk_changes SET place_seq = greatest(place_seq, $1)`, geotag.DeskPlaceIDBase-d.ID+1)
		return err
	})
	return stored, err
}
