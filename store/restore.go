package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"slices"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// Restoring is putting things in as another store kept them — IDs, times,
// history, cursors unchanged — for geotag migrate (PostgreSQL → bbolt).
// Each Restore skips what is stored already, so a copy can run again after
// an interruption.

// Restore stores reports as another store kept them, with their indexes,
// cell-day counts and the count, in one transaction; a report whose ID or
// external id is stored already is skipped (counted in Duplicates). The
// reports are not validated against today's rules, only trimmed to the
// limits as every write is; rs is not changed.
func (db *DB) Restore(ctx context.Context, rs []*geotag.Report) (geotag.ImportResult, error) {
	if err := ctx.Err(); err != nil {
		return geotag.ImportResult{}, err
	}
	var res geotag.ImportResult
	err := db.write(func(tx *bolt.Tx) error {
		res = geotag.ImportResult{}
		var keys []indexKey
		reports, ext := tx.Bucket(bucketReports), tx.Bucket(bucketExt)
		for _, r := range rs {
			id, ok := parseID(r.ID)
			if !ok {
				return geotag.Errorf(geotag.EINVALID, "report %q: not a report ID", r.ID)
			}
			if reports.Get(id[:]) != nil || (r.ExternalID != "" && ext.Get([]byte(r.ExternalID)) != nil) {
				res.Duplicates++
				continue
			}
			c := *r
			rec, err := db.encode(&c)
			if err != nil {
				return err
			}
			if err := reports.Put(id[:], rec); err != nil {
				return err
			}
			ks := indexKeys(id[:], &c)
			if c.ExternalID != "" {
				if err := ext.Put([]byte(c.ExternalID), id[:]); err != nil {
					return err
				}
				ks = slices.DeleteFunc(ks, func(k indexKey) bool { return bytes.Equal(k.bucket, bucketExt) })
			}
			keys = append(keys, ks...)
			res.Created++
		}
		sortKeys(keys)
		for _, k := range keys {
			if err := tx.Bucket(k.bucket).Put(k.key, k.value); err != nil {
				return err
			}
		}
		d := map[string]cellDay{}
		addCellDays(d, keys, 1)
		if err := applyCellDays(tx, d); err != nil {
			return err
		}
		return addCount(tx, int64(res.Created))
	})
	return res, err
}

// RestoreToken stores a token under the SHA-256 hash of its secret, as
// another store kept it; a token whose hash is stored already is left as
// it is.
func (db *DB) RestoreToken(ctx context.Context, hash []byte, t geotag.Token) error {
	if len(hash) != 32 || t.ID == "" {
		return geotag.Errorf(geotag.EINVALID, "token %q: not a SHA-256 hash or no id", t.ID)
	}
	v, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketTokens)
		if err != nil || b.Get(hash) != nil {
			return err
		}
		return b.Put(bytes.Clone(hash), v)
	})
}

// restoreJSON puts v under key in the bucket unless the key is taken.
func (db *DB) restoreJSON(bucket, key []byte, v any) error {
	val, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucket)
		if err != nil || b.Get(key) != nil {
			return err
		}
		return b.Put(key, val)
	})
}

// RestoreFeed stores a feed as another store kept it; one whose ID or URL
// is stored already is left as it is.
func (db *DB) RestoreFeed(ctx context.Context, f *geotag.Feed) error {
	v, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketFeeds)
		if err != nil || b.Get([]byte(f.ID)) != nil {
			return err
		}
		if dup, err := feedWithURL(b, f.URL, ""); err != nil || dup != nil {
			return err
		}
		return b.Put([]byte(f.ID), v)
	})
}

// RestoreFeedItems records, in one transaction, the states of the feed's
// items by the hash of their keys (the first 16 bytes of the SHA-256, as
// map keys); ENOTFOUND when the feed is gone.
func (db *DB) RestoreFeedItems(ctx context.Context, feedID string, items map[string]geotag.FeedItemState) error {
	vals := make(map[string][]byte, len(items))
	for h, st := range items {
		v, err := json.Marshal(st)
		if err != nil {
			return err
		}
		vals[h] = v
	}
	return db.write(func(tx *bolt.Tx) error {
		if _, err := getFeed(tx, feedID); err != nil {
			return err
		}
		b, err := tx.CreateBucketIfNotExists(bucketFeedItems)
		if err != nil {
			return err
		}
		for h, v := range vals {
			if err := b.Put(append(append([]byte(feedID), 0), h...), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// EachFeedItem calls fn with every item state of the feed, by key hash.
func (db *DB) EachFeedItem(ctx context.Context, feedID string, fn func(hash []byte, st geotag.FeedItemState) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeedItems)
		if b == nil {
			return nil
		}
		prefix := append([]byte(feedID), 0)
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var st geotag.FeedItemState
			if err := json.Unmarshal(v, &st); err != nil {
				return err
			}
			if err := fn(bytes.Clone(k[len(prefix):]), st); err != nil {
				return err
			}
		}
		return nil
	})
}

// RestoreView stores a view as another store kept it (webhook, secret and
// cursor too); one whose ID is stored already is left as it is.
func (db *DB) RestoreView(ctx context.Context, v *geotag.View) error {
	return db.restoreJSON(bucketViews, []byte(v.ID), geotag.NewViewRecord(v))
}

// RestoreDeliveries stores deliveries as another store kept them, in one
// transaction; one whose ID is stored already is left as it is. The log
// keeps its bound: the oldest past MaxDeliveries are dropped.
func (db *DB) RestoreDeliveries(ctx context.Context, ds []*geotag.WebhookDelivery) error {
	vals := make([][]byte, len(ds))
	for i, d := range ds {
		v, err := json.Marshal(d)
		if err != nil {
			return err
		}
		vals[i] = v
	}
	return db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketDeliveries)
		if err != nil {
			return err
		}
		for i, d := range ds {
			if b.Get([]byte(d.ID)) == nil {
				if err := b.Put([]byte(d.ID), vals[i]); err != nil {
					return err
				}
			}
		}
		c := b.Cursor()
		for k, _ := c.First(); k != nil && b.Stats().KeyN > MaxDeliveries; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
}

// EachBulk calls fn with every bulk record, by ID.
func (db *DB) EachBulk(ctx context.Context, fn func(geotag.BulkRecord) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBulks)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var r geotag.BulkRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			return fn(r)
		})
	})
}

// RestoreAudit stores an audit entry as another store kept it (its Seq
// too) and moves the log's sequence past it; an entry whose Seq is stored
// already is left as it is.
func (db *DB) RestoreAudit(ctx context.Context, e geotag.AuditEntry) error {
	if e.Seq == 0 {
		return geotag.Errorf(geotag.EINVALID, "audit entry: sequence number 0")
	}
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketAudit)
		if err != nil {
			return err
		}
		key := binary.BigEndian.AppendUint64(nil, e.Seq)
		if b.Get(key) != nil {
			return nil
		}
		if b.Sequence() < e.Seq {
			if err := b.SetSequence(e.Seq); err != nil {
				return err
			}
		}
		return b.Put(key, v)
	})
}

// EachDelivery calls fn with every delivery of the log, oldest first.
func (db *DB) EachDelivery(ctx context.Context, fn func(*geotag.WebhookDelivery) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeliveries)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			d := new(geotag.WebhookDelivery)
			if err := json.Unmarshal(v, d); err != nil {
				return err
			}
			return fn(d)
		})
	})
}
