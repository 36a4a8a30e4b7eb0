package store

import (
	"context"
	"encoding/binary"
	"encoding/json"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
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
	if err := ctx.Err(); err != nil {
		return false, err
	}
	err = db.write(func(tx *bolt.Tx) error {
		stored = false
		if b := tx.Bucket(bucketIncidents); b != nil && b.Get([]byte(inc.ID)) != nil {
			return nil
		}
		links, err := tx.CreateBucketIfNotExists(bucketReportIncident)
		if err != nil {
			return err
		}
		for _, r := range inc.Sources {
			if other := links.Get([]byte(r)); other != nil && string(other) != inc.ID {
				return geotag.Errorf(geotag.ECONFLICT, "report %s of incident %s is a source of incident %s already", r, inc.ID, other)
			}
			if err := links.Put([]byte(r), []byte(inc.ID)); err != nil {
				return err
			}
		}
		stored = true
		return putIncident(tx, nil, inc)
	})
	return stored && err == nil, err
}

// RestoreRule stores r.
func (db *DB) RestoreRule(ctx context.Context, r geotag.Rule) (stored bool, err error) {
	v, err := json.Marshal(r)
	if err != nil {
		return false, err
	}
	err = db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketRules)
		if err != nil {
			return err
		}
		if stored = b.Get([]byte(r.ID)) == nil; !stored {
			return nil
		}
		return b.Put([]byte(r.ID), v)
	})
	return stored && err == nil, err
}

// RestoreDeskPlace stores d, moving the bucket's sequence past its id so
// that no new place takes it. EINVALID for an id that is not a desk
// place's.
func (db *DB) RestoreDeskPlace(ctx context.Context, d geotag.DeskPlace) (stored bool, err error) {
	key, ok := deskKey(d.ID)
	if !ok {
		return false, geotag.Errorf(geotag.EINVALID, "%d is not a desk place id", d.ID)
	}
	v, err := json.Marshal(d)
	if err != nil {
		return false, err
	}
	err = db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketDeskPlaces)
		if err != nil {
			return err
		}
		if seq := binary.BigEndian.Uint64(key); b.Sequence() < seq {
			if err := b.SetSequence(seq); err != nil {
				return err
			}
		}
		if stored = b.Get(key) == nil; !stored {
			return nil
		}
		return b.Put(key, v)
	})
	return stored && err == nil, err
}
