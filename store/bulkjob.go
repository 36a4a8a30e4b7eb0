package store

import (
	"context"
	"encoding/json"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// Finished bulk corrections: one bucket of JSON records keyed by the
// job's id, so that an undo outlives a restart.
var bucketBulks = []byte("bulk_jobs")

var _ geotag.BulkLog = (*DB)(nil)

// SaveBulk stores the record of a finished bulk correction or undo.
func (db *DB) SaveBulk(ctx context.Context, b geotag.BulkRecord) error {
	v, err := json.Marshal(b)
	if err != nil {
		return err
	}
	return db.write(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists(bucketBulks)
		if err != nil {
			return err
		}
		return bk.Put([]byte(b.ID), v)
	})
}

// FindBulk returns the record of a bulk job, or ENOTFOUND.
func (db *DB) FindBulk(ctx context.Context, id string) (geotag.BulkRecord, error) {
	var out geotag.BulkRecord
	err := db.bolt.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketBulks)
		var v []byte
		if bk != nil {
			v = bk.Get([]byte(id))
		}
		if v == nil {
			return geotag.Errorf(geotag.ENOTFOUND, "no bulk correction has id %q", id)
		}
		return json.Unmarshal(v, &out)
	})
	return out, err
}
