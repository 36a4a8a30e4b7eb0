package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// Feeds live in their own bucket, keyed by ID (a ULID: oldest first), as
// JSON. The items already made into reports live in feed_items, keyed by
// the feed's ID, a zero byte and the first 16 bytes of the SHA-256 of the
// item's key (FeedItem.Key): so an item is stored once across re-polls and
// restarts, and deleting a feed deletes one key range. Both buckets are
// created by the first write that needs them (no schema change).
var (
	bucketFeeds     = []byte("feeds")
	bucketFeedItems = []byte("feed_items")
)

var _ geotag.FeedService = (*DB)(nil)

func feedItemKey(feedID, key string) []byte {
	h := sha256.Sum256([]byte(key))
	return append(append([]byte(feedID), 0), h[:16]...)
}

// CreateFeed stores a new feed. Returns ECONFLICT, f set to the stored
// one, when a feed with the same URL exists; EINVALID without a URL.
func (db *DB) CreateFeed(ctx context.Context, f *geotag.Feed) error {
	if f.URL == "" {
		return geotag.FieldErrorf(geotag.EINVALID, "url", "a feed needs a URL")
	}
	now := db.now().UTC()
	nf := *f
	nf.ID = db.ids.next(now).String()
	nf.Created, nf.Updated = now, now
	if nf.Tags == nil {
		nf.Tags = []string{}
	}
	v, err := json.Marshal(&nf)
	if err != nil {
		return err
	}
	var dup *geotag.Feed
	err = db.write(func(tx *bolt.Tx) error {
		dup = nil
		b, err := tx.CreateBucketIfNotExists(bucketFeeds)
		if err != nil {
			return err
		}
		if dup, err = feedWithURL(b, nf.URL, ""); err != nil || dup != nil {
			return err
		}
		return b.Put([]byte(nf.ID), v)
	})
	if err != nil {
		return err
	}
	if dup != nil {
		*f = *dup
		return geotag.FieldErrorf(geotag.ECONFLICT, "url", "a feed with this URL exists: %s", dup.ID)
	}
	*f = nf
	return nil
}

// feedWithURL returns the feed other than except with the url, or nil.
func feedWithURL(b *bolt.Bucket, url, except string) (*geotag.Feed, error) {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if string(k) == except || !bytes.Contains(v, []byte(`"url":`)) {
			continue
		}
		f := new(geotag.Feed)
		if err := json.Unmarshal(v, f); err != nil {
			return nil, err
		}
		if f.URL == url {
			return f, nil
		}
	}
	return nil, nil
}

// FindFeedByID returns the feed or ENOTFOUND.
func (db *DB) FindFeedByID(ctx context.Context, id string) (*geotag.Feed, error) {
	var f *geotag.Feed
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		f, err = getFeed(tx, id)
		return err
	})
	return f, err
}

func getFeed(tx *bolt.Tx, id string) (*geotag.Feed, error) {
	b := tx.Bucket(bucketFeeds)
	var v []byte
	if b != nil && id != "" {
		v = b.Get([]byte(id))
	}
	if v == nil {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "no feed has the id %q", id)
	}
	f := new(geotag.Feed)
	return f, json.Unmarshal(v, f)
}

// ListFeeds returns every feed, oldest first.
func (db *DB) ListFeeds(ctx context.Context) ([]*geotag.Feed, error) {
	fs := []*geotag.Feed{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeeds)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			f := new(geotag.Feed)
			if err := json.Unmarshal(v, f); err != nil {
				return err
			}
			fs = append(fs, f)
			return nil
		})
	})
	return fs, err
}

// UpdateFeed changes a feed with fn in one transaction.
func (db *DB) UpdateFeed(ctx context.Context, id string, fn func(*geotag.Feed) error) (*geotag.Feed, error) {
	var out *geotag.Feed
	err := db.write(func(tx *bolt.Tx) error {
		f, err := getFeed(tx, id)
		if err != nil {
			return err
		}
		created := f.Created
		if err := fn(f); err != nil {
			return err
		}
		f.ID, f.Created, f.Updated = id, created, db.now().UTC()
		b := tx.Bucket(bucketFeeds)
		if dup, err := feedWithURL(b, f.URL, id); err != nil {
			return err
		} else if dup != nil {
			return geotag.FieldErrorf(geotag.ECONFLICT, "url", "a feed with this URL exists: %s", dup.ID)
		}
		v, err := json.Marshal(f)
		if err != nil {
			return err
		}
		out = f
		return b.Put([]byte(id), v)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteFeed removes a feed and its item states.
func (db *DB) DeleteFeed(ctx context.Context, id string) error {
	return db.write(func(tx *bolt.Tx) error {
		if _, err := getFeed(tx, id); err != nil {
			return err
		}
		if err := tx.Bucket(bucketFeeds).Delete([]byte(id)); err != nil {
			return err
		}
		items := tx.Bucket(bucketFeedItems)
		if items == nil {
			return nil
		}
		prefix := append([]byte(id), 0)
		c := items.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
}

// FeedItems returns the stored states of the feed's items with the keys.
func (db *DB) FeedItems(ctx context.Context, feedID string, keys []string) (map[string]geotag.FeedItemState, error) {
	out := make(map[string]geotag.FeedItemState)
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeedItems)
		if b == nil {
			return nil
		}
		for _, k := range keys {
			v := b.Get(feedItemKey(feedID, k))
			if v == nil {
				continue
			}
			var st geotag.FeedItemState
			if err := json.Unmarshal(v, &st); err != nil {
				return err
			}
			out[k] = st
		}
		return nil
	})
	return out, err
}

// PutFeedItem records one item's state; ENOTFOUND when the feed is gone.
func (db *DB) PutFeedItem(ctx context.Context, feedID, key string, st geotag.FeedItemState) error {
	v, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return db.write(func(tx *bolt.Tx) error {
		if _, err := getFeed(tx, feedID); err != nil {
			return err
		}
		b, err := tx.CreateBucketIfNotExists(bucketFeedItems)
		if err != nil {
			return err
		}
		return b.Put(feedItemKey(feedID, key), v)
	})
}
