package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// Desk rules are rows of rules (the rule as JSON, keyed by its ID: a
// lower-case ULID, so in creation order). Every change moves the desk's
// change counter and writes an audit entry in its transaction.

var _ geotag.RuleService = (*DB)(nil)

// Rules lists every rule, oldest first.
func (db *DB) Rules(ctx context.Context) (_ []geotag.Rule, err error) {
	defer unavailable(&err)
	out := []geotag.Rule{}
	err = eachRecord(ctx, db.pool, `SELECT record FROM rules ORDER BY id`, nil, func(v []byte) error {
		var r geotag.Rule
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// CreateRule stores a new rule (see geotag.RuleService).
func (db *DB) CreateRule(ctx context.Context, r *geotag.Rule) (err error) {
	defer unavailable(&err)
	now := db.now().UTC()
	c := *r
	c.ID = strings.ToLower(db.ids.next(now))
	c.Created, c.Updated = now, now
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	err = db.deskWrite(ctx, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM rules`).Scan(&n); err != nil {
			return err
		}
		if n >= geotag.MaxRules {
			return geotag.Errorf(geotag.ETOOLARGE, "the desk has %d rules, the most it may have", geotag.MaxRules)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rules (id, record) VALUES ($1, $2)`, c.ID, v); err != nil {
			return err
		}
		return db.audit(ctx, tx, geotag.AuditRule, c.ID, "create", c.By, nil, v)
	})
	if err == nil {
		*r = c
	}
	return err
}

// UpdateRule changes a rule (see geotag.RuleService).
func (db *DB) UpdateRule(ctx context.Context, id, by string, fn func(*geotag.Rule) error) (_ geotag.Rule, err error) {
	defer unavailable(&err)
	var out geotag.Rule
	if !textOK(id) {
		return out, geotag.Errorf(geotag.ENOTFOUND, "no rule has id %q", id)
	}
	err = db.deskWrite(ctx, func(tx pgx.Tx) error {
		var old []byte
		err := tx.QueryRow(ctx, `SELECT record FROM rules WHERE id = $1`, id).Scan(&old)
		if errors.Is(err, pgx.ErrNoRows) {
			return geotag.Errorf(geotag.ENOTFOUND, "no rule has id %q", id)
		}
		if err != nil {
			return err
		}
		r, v, err := geotag.ReviseRule(old, id, fn, db.now().UTC())
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE rules SET record = $2 WHERE id = $1`, id, v); err != nil {
			return err
		}
		out = r
		return db.audit(ctx, tx, geotag.AuditRule, id, "update", by, old, v)
	})
	return out, err
}

// DeleteRule removes a rule (see geotag.RuleService).
func (db *DB) DeleteRule(ctx context.Context, id, by string) (err error) {
	defer unavailable(&err)
	if !textOK(id) {
		return geotag.Errorf(geotag.ENOTFOUND, "no rule has id %q", id)
	}
	return db.deskWrite(ctx, func(tx pgx.Tx) error {
		var old []byte
		err := tx.QueryRow(ctx, `DELETE FROM rules WHERE id = $1 RETURNING record`, id).Scan(&old)
		if errors.Is(err, pgx.ErrNoRows) {
			return geotag.Errorf(geotag.ENOTFOUND, "no rule has id %q", id)
		}
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, geotag.AuditRule, id, "delete", by, old, nil)
	})
}

// deskWrite runs fn in a transaction that first moves the desk's change
// counter: the counter's row lock makes rule and desk place writes take
// turns (so the count checks against MaxRules and MaxDeskPlaces hold
// between servers), and other servers see the new count (DeskVersion).
func (db *DB) deskWrite(ctx context.Context, fn func(pgx.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE desk_changes SET n = n + 1`); err != nil {
			return err
		}
		return fn(tx)
	})
}

// DeskVersion returns the desk's change counter: it moves with every
// committed change of a rule or desk place, by any server. A server polls
// it to reload its tagger when another server changed the desk.
func (db *DB) DeskVersion(ctx context.Context) (n int64, err error) {
	defer unavailable(&err)
	err = db.pool.QueryRow(ctx, `SELECT n FROM desk_changes`).Scan(&n)
	return n, err
}
