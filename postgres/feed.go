package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/json"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// Feeds are rows of feeds (url unique); the items already made into
// reports are rows of feed_items keyed by the feed and the first 16 bytes
// of the SHA-256 of the item's key (FeedItem.Key), as the bbolt store
// keys them, so that geotag migrate copies them between stores as they
// are. Deleting a feed deletes its items (ON DELETE CASCADE).

var _ geotag.FeedService = (*DB)(nil)

// FeedItemHash is the stored form of an item's key.
func FeedItemHash(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:16]
}

// CreateFeed stores a new feed. Returns EINVALID without a URL, ECONFLICT
// (f set to the stored feed) when a feed with the same URL exists.
func (db *DB) CreateFeed(ctx context.Context, f *geotag.Feed) (err error) {
	defer unavailable(&err)
	if f.URL == "" {
		return geotag.FieldErrorf(geotag.EINVALID, "url", "a feed needs a URL")
	}
	now := db.now().UTC()
	nf := *f
	nf.ID = db.ids.next(now)
	nf.Created, nf.Updated = now, now
	if nf.Tags == nil {
		nf.Tags = []string{}
	}
	created, err := db.insertFeed(ctx, &nf)
	if err != nil {
		return err
	}
	if !created {
		dup := new(geotag.Feed)
		found, err := getRecord(ctx, db.pool, dup, `SELECT record FROM feeds WHERE url = $1`, pgText(nf.URL))
		if err != nil {
			return err
		}
		if !found { // deleted meanwhile
			return geotag.FieldErrorf(geotag.ECONFLICT, "url", "a feed with this URL was being created")
		}
		*f = *dup
		return geotag.FieldErrorf(geotag.ECONFLICT, "url", "a feed with this URL exists: %s", dup.ID)
	}
	*f = nf
	return nil
}

// insertFeed stores f unless its ID or URL is taken; false when one is.
func (db *DB) insertFeed(ctx context.Context, f *geotag.Feed) (bool, error) {
	v, err := json.Marshal(f)
	if err != nil {
		return false, err
	}
	tag, err := db.pool.Exec(ctx, `INSERT INTO feeds (id, url, record) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		f.ID, pgText(f.URL), v)
	return tag.RowsAffected() == 1, err
}

// RestoreFeed stores a feed as another store kept it (ID, times and
// status unchanged), for geotag migrate; a feed whose ID or URL is stored
// already is left as it is.
func (db *DB) RestoreFeed(ctx context.Context, f *geotag.Feed) (err error) {
	defer unavailable(&err)
	_, err = db.insertFeed(ctx, f)
	return err
}

func feedNotFound(id string) error {
	return geotag.Errorf(geotag.ENOTFOUND, "no feed has the id %q", id)
}

// FindFeedByID returns the feed or ENOTFOUND.
func (db *DB) FindFeedByID(ctx context.Context, id string) (_ *geotag.Feed, err error) {
	defer unavailable(&err)
	f := new(geotag.Feed)
	found, err := getRecord(ctx, db.pool, f, `SELECT record FROM feeds WHERE id = $1`, pgText(id))
	if err == nil && !found {
		err = feedNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ListFeeds returns every feed, oldest first.
func (db *DB) ListFeeds(ctx context.Context) (_ []*geotag.Feed, err error) {
	defer unavailable(&err)
	return listRecords[geotag.Feed](ctx, db, `SELECT record FROM feeds ORDER BY id`)
}

// UpdateFeed locks the feed's row, changes it with fn and stores it in
// one transaction (ID and Created kept, Updated now). Returns ENOTFOUND,
// ECONFLICT when fn gave it another feed's URL, or fn's error.
func (db *DB) UpdateFeed(ctx context.Context, id string, fn func(*geotag.Feed) error) (_ *geotag.Feed, err error) {
	defer unavailable(&err)
	var out *geotag.Feed
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		f := new(geotag.Feed)
		found, err := getRecord(ctx, tx, f, `SELECT record FROM feeds WHERE id = $1 FOR UPDATE`, pgText(id))
		if err != nil {
			return err
		}
		if !found {
			return feedNotFound(id)
		}
		created := f.Created
		if err := fn(f); err != nil {
			return err
		}
		f.ID, f.Created, f.Updated = id, created, db.now().UTC()
		v, err := json.Marshal(f)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE feeds SET url = $2, record = $3 WHERE id = $1`, id, pgText(f.URL), v); err != nil {
			if isUniqueViolation(err, "feeds_url_key") {
				return geotag.FieldErrorf(geotag.ECONFLICT, "url", "a feed with this URL exists")
			}
			return err
		}
		out = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteFeed removes a feed and its item states; ENOTFOUND if none has
// the id.
func (db *DB) DeleteFeed(ctx context.Context, id string) (err error) {
	defer unavailable(&err)
	tag, err := db.pool.Exec(ctx, `DELETE FROM feeds WHERE id = $1`, pgText(id))
	if err == nil && tag.RowsAffected() == 0 {
		err = feedNotFound(id)
	}
	return err
}

// FeedItems returns the stored states of the feed's items with the keys,
// in one query.
func (db *DB) FeedItems(ctx context.Context, feedID string, keys []string) (_ map[string]geotag.FeedItemState, err error) {
	defer unavailable(&err)
	out := make(map[string]geotag.FeedItemState)
	if len(keys) == 0 {
		return out, nil
	}
	byHash := make(map[string]string, len(keys))
	hashes := make([][]byte, len(keys))
	for i, k := range keys {
		hashes[i] = FeedItemHash(k)
		byHash[string(hashes[i])] = k
	}
	rows, err := db.pool.Query(ctx, `SELECT key_hash, record FROM feed_items WHERE feed_id = $1 AND key_hash = ANY($2)`,
		pgText(feedID), hashes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h, rec []byte
		if err := rows.Scan(&h, &rec); err != nil {
			return nil, err
		}
		var st geotag.FeedItemState
		if err := decodeJSON(rec, &st); err != nil {
			return nil, err
		}
		out[byHash[string(h)]] = st
	}
	return out, rows.Err()
}

// PutFeedItem records one item's state; ENOTFOUND when the feed is gone.
func (db *DB) PutFeedItem(ctx context.Context, feedID, key string, st geotag.FeedItemState) (err error) {
	defer unavailable(&err)
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error { return putFeedItem(ctx, tx, feedID, FeedItemHash(key), st) })
}

func putFeedItem(ctx context.Context, tx pgx.Tx, feedID string, hash []byte, st geotag.FeedItemState) error {
	v, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `INSERT INTO feed_items (feed_id, key_hash, record)
		SELECT id, $2, $3 FROM feeds WHERE id = $1
		ON CONFLICT (feed_id, key_hash) DO UPDATE SET record = excluded.record`, pgText(feedID), hash, v)
	if err == nil && tag.RowsAffected() == 0 {
		err = feedNotFound(feedID)
	}
	return err
}

// RestoreFeedItems records, in one transaction, the states of the feed's
// items by the hash of their keys (FeedItemHash, as map keys), for geotag
// migrate; ENOTFOUND when the feed is gone.
func (db *DB) RestoreFeedItems(ctx context.Context, feedID string, items map[string]geotag.FeedItemState) (err error) {
	defer unavailable(&err)
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for h, st := range items {
			if err := putFeedItem(ctx, tx, feedID, []byte(h), st); err != nil {
				return err
			}
		}
		return nil
	})
}

// EachFeedItem calls fn with every item state of the feed (by key hash),
// for geotag migrate.
func (db *DB) EachFeedItem(ctx context.Context, feedID string, fn func(hash []byte, st geotag.FeedItemState) error) (err error) {
	defer unavailable(&err)
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT key_hash, record FROM feed_items WHERE feed_id = $1 ORDER BY key_hash`, pgText(feedID))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h, rec []byte
			if err := rows.Scan(&h, &rec); err != nil {
				return err
			}
			var st geotag.FeedItemState
			if err := decodeJSON(rec, &st); err != nil {
				return err
			}
			if err := fn(h, st); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}
