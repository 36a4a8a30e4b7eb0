package store

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// Desk rules: one bucket of JSON records keyed by the rule's id (a ULID,
// so in creation order). Every change writes an audit entry in the same
// transaction.
var bucketRules = []byte("rules")

var _ geotag.RuleService = (*DB)(nil)
var _ geotag.AuditLog = (*DB)(nil)

// Rules lists every rule, oldest first.
func (db *DB) Rules(ctx context.Context) ([]geotag.Rule, error) {
	out := []geotag.Rule{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRules)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var r geotag.Rule
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// CreateRule stores a new rule (see geotag.RuleService).
func (db *DB) CreateRule(ctx context.Context, r *geotag.Rule) error {
	now := db.now().UTC()
	r.ID = strings.ToLower(db.ids.next(now).String())
	r.Created, r.Updated = now, now
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketRules)
		if err != nil {
			return err
		}
		if b.Stats().KeyN >= geotag.MaxRules {
			return geotag.Errorf(geotag.ETOOLARGE, "the desk has %d rules, the most it may have", geotag.MaxRules)
		}
		if err := b.Put([]byte(r.ID), v); err != nil {
			return err
		}
		return db.audit(tx, geotag.AuditRule, r.ID, "create", r.By, nil, v)
	})
}

// UpdateRule changes a rule (see geotag.RuleService).
func (db *DB) UpdateRule(ctx context.Context, id, by string, fn func(*geotag.Rule) error) (geotag.Rule, error) {
	var out geotag.Rule
	err := db.write(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRules)
		var old []byte
		if b != nil {
			old = b.Get([]byte(id))
		}
		if old == nil {
			return geotag.Errorf(geotag.ENOTFOUND, "no rule has id %q", id)
		}
		r, v, err := geotag.ReviseRule(old, id, fn, db.now().UTC())
		if err != nil {
			return err
		}
		before := bytes.Clone(old)
		if err := b.Put([]byte(id), v); err != nil {
			return err
		}
		out = r
		return db.audit(tx, geotag.AuditRule, id, "update", by, before, v)
	})
	return out, err
}

// DeleteRule removes a rule (see geotag.RuleService).
func (db *DB) DeleteRule(ctx context.Context, id, by string) error {
	return db.write(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRules)
		var old []byte
		if b != nil {
			old = bytes.Clone(b.Get([]byte(id)))
		}
		if old == nil {
			return geotag.Errorf(geotag.ENOTFOUND, "no rule has id %q", id)
		}
		if err := b.Delete([]byte(id)); err != nil {
			return err
		}
		return db.audit(tx, geotag.AuditRule, id, "delete", by, old, nil)
	})
}
