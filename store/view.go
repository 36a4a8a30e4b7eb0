package store

import (
	"context"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// Saved views live in their own bucket, keyed by their ID (a ULID string:
// the keys sort by creation), as JSON.
var bucketViews = []byte("views")

var _ geotag.ViewService = (*DB)(nil)

func (db *DB) maxViews() int {
	if db.opts.MaxViews > 0 {
		return db.opts.MaxViews
	}
	return geotag.DefaultMaxViews
}

// CreateView implements geotag.ViewService.
func (db *DB) CreateView(ctx context.Context, v *geotag.View) error {
	if err := v.Validate(); err != nil {
		return err
	}
	now := db.now().UTC()
	v.ID = db.ids.next(now).String()
	v.Created, v.Updated = now, now
	val, err := geotag.EncodeView(v)
	if err != nil {
		return err
	}
	return db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketViews)
		if err != nil {
			return err
		}
		if n := b.Stats().KeyN; n >= db.maxViews() {
			return geotag.Errorf(geotag.EUNPROCESSABLE, "the service holds %d saved views, its maximum: delete one first", n)
		}
		return b.Put([]byte(v.ID), val)
	})
}

// FindViewByID implements geotag.ViewService.
func (db *DB) FindViewByID(ctx context.Context, id string) (*geotag.View, error) {
	var v *geotag.View
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketViews)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(id))
		if raw == nil {
			return nil
		}
		var err error
		v, err = geotag.DecodeView(raw)
		return err
	})
	if err == nil && v == nil {
		err = geotag.FieldErrorf(geotag.ENOTFOUND, "id", "no view has id %q", id)
	}
	return v, err
}

// FindViews implements geotag.ViewService: oldest first, as the keys sort.
func (db *DB) FindViews(ctx context.Context) ([]*geotag.View, error) {
	vs := []*geotag.View{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketViews)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, raw []byte) error {
			v, err := geotag.DecodeView(raw)
			if err == nil {
				vs = append(vs, v)
			}
			return err
		})
	})
	return vs, err
}

// UpdateView implements geotag.ViewService. fn runs inside the write
// transaction: callers check what they can (a query, a URL) before.
func (db *DB) UpdateView(ctx context.Context, id string, fn func(*geotag.View) error) (*geotag.View, error) {
	var out *geotag.View
	err := db.write(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketViews)
		var raw []byte
		if b != nil {
			raw = b.Get([]byte(id))
		}
		if raw == nil {
			return geotag.FieldErrorf(geotag.ENOTFOUND, "id", "no view has id %q", id)
		}
		v, err := geotag.DecodeView(raw)
		if err != nil {
			return err
		}
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
		out = v
		return b.Put([]byte(id), val)
	})
	return out, err
}

// DeleteView implements geotag.ViewService.
func (db *DB) DeleteView(ctx context.Context, id string) error {
	return db.write(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketViews)
		if b == nil || b.Get([]byte(id)) == nil {
			return geotag.FieldErrorf(geotag.ENOTFOUND, "id", "no view has id %q", id)
		}
		return b.Delete([]byte(id))
	})
}
