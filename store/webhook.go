package store

import (
	"context"
	"encoding/json"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// The webhook delivery log lives in its own bucket, keyed by delivery ID
// (a ULID: oldest first), as JSON; created by its first write.
var bucketDeliveries = []byte("webhook_deliveries")

// MaxDeliveries is how many deliveries the log keeps; adding one more
// drops the oldest.
const MaxDeliveries = 10000

var _ geotag.WebhookLog = (*DB)(nil)

// AddDelivery stores a new delivery, dropping the oldest past
// MaxDeliveries.
func (db *DB) AddDelivery(ctx context.Context, d *geotag.WebhookDelivery) error {
	now := db.now().UTC()
	nd := *d
	nd.ID = db.ids.next(now).String()
	nd.Created = now
	v, err := json.Marshal(&nd)
	if err != nil {
		return err
	}
	err = db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketDeliveries)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(nd.ID), v); err != nil {
			return err
		}
		c := b.Cursor()
		for k, _ := c.First(); k != nil && b.Stats().KeyN > MaxDeliveries; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		*d = nd
	}
	return err
}

// UpdateDelivery changes a delivery with fn in one transaction.
func (db *DB) UpdateDelivery(ctx context.Context, id string, fn func(*geotag.WebhookDelivery) error) (*geotag.WebhookDelivery, error) {
	var out *geotag.WebhookDelivery
	err := db.write(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeliveries)
		var v []byte
		if b != nil {
			v = b.Get([]byte(id))
		}
		if v == nil {
			return geotag.Errorf(geotag.ENOTFOUND, "no delivery has the id %q", id)
		}
		d := new(geotag.WebhookDelivery)
		if err := json.Unmarshal(v, d); err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
		d.ID = id
		nv, err := json.Marshal(d)
		if err != nil {
			return err
		}
		out = d
		return b.Put([]byte(id), nv)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListDeliveries returns at most limit deliveries, newest first.
func (db *DB) ListDeliveries(ctx context.Context, viewID, state string, limit int) ([]*geotag.WebhookDelivery, error) {
	if limit < 1 || limit > 1000 {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be 1…1000")
	}
	out := []*geotag.WebhookDelivery{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeliveries)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
			d := new(geotag.WebhookDelivery)
			if err := json.Unmarshal(v, d); err != nil {
				return err
			}
			if (viewID == "" || d.ViewID == viewID) && (state == "" || d.State == state) {
				out = append(out, d)
			}
		}
		return nil
	})
	return out, err
}
