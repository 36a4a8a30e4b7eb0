package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"strconv"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// Desk places: one bucket of JSON records keyed by their sequence number
// (big-endian), which gives the id: geotag.DeskPlaceIDBase - (seq - 1).
// Every change writes an audit entry in the same transaction.
var bucketDeskPlaces = []byte("desk_places")

var _ geotag.DeskPlaceService = (*DB)(nil)

func deskKey(id int64) ([]byte, bool) {
	if !geotag.IsDeskPlaceID(id) {
		return nil, false
	}
	return binary.BigEndian.AppendUint64(nil, uint64(geotag.DeskPlaceIDBase-id)+1), true
}

// DeskPlaces lists every desk place, oldest first.
func (db *DB) DeskPlaces(ctx context.Context) ([]geotag.DeskPlace, error) {
	out := []geotag.DeskPlace{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeskPlaces)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var d geotag.DeskPlace
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	})
	return out, err
}

// CreateDeskPlace stores a new desk place (see geotag.DeskPlaceService).
func (db *DB) CreateDeskPlace(ctx context.Context, d *geotag.DeskPlace) error {
	now := db.now().UTC()
	d.Created, d.Updated = now, now
	return db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketDeskPlaces)
		if err != nil {
			return err
		}
		if b.Stats().KeyN >= geotag.MaxDeskPlaces {
			return geotag.Errorf(geotag.ETOOLARGE, "the desk has %d places, the most it may have", geotag.MaxDeskPlaces)
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		d.ID = geotag.DeskPlaceIDBase - int64(seq-1)
		v, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if err := b.Put(binary.BigEndian.AppendUint64(nil, seq), v); err != nil {
			return err
		}
		return db.audit(tx, geotag.AuditDeskPlace, strconv.FormatInt(d.ID, 10), "create", d.By, nil, v)
	})
}

// UpdateDeskPlace changes a desk place (see geotag.DeskPlaceService).
func (db *DB) UpdateDeskPlace(ctx context.Context, id int64, by string, fn func(*geotag.DeskPlace) error) (geotag.DeskPlace, error) {
	var out geotag.DeskPlace
	notFound := geotag.Errorf(geotag.ENOTFOUND, "no desk place has id %d", id)
	key, ok := deskKey(id)
	if !ok {
		return out, notFound
	}
	err := db.write(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeskPlaces)
		var old []byte
		if b != nil {
			old = bytes.Clone(b.Get(key))
		}
		if old == nil {
			return notFound
		}
		d, v, err := geotag.ReviseDeskPlace(old, id, fn, db.now().UTC())
		if err != nil {
			return err
		}
		if err := b.Put(key, v); err != nil {
			return err
		}
		out = d
		return db.audit(tx, geotag.AuditDeskPlace, strconv.FormatInt(id, 10), "update", by, old, v)
	})
	return out, err
}

// DeleteDeskPlace removes a desk place (see geotag.DeskPlaceService).
func (db *DB) DeleteDeskPlace(ctx context.Context, id int64, by string) error {
	notFound := geotag.Errorf(geotag.ENOTFOUND, "no desk place has id %d", id)
	key, ok := deskKey(id)
	if !ok {
		return notFound
	}
	return db.write(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeskPlaces)
		var old []byte
		if b != nil {
			old = bytes.Clone(b.Get(key))
		}
		if old == nil {
			return notFound
		}
		if err := b.Delete(key); err != nil {
			return err
		}
		return db.audit(tx, geotag.AuditDeskPlace, strconv.FormatInt(id, 10), "delete", by, old, nil)
	})
}
