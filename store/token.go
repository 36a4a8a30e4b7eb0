package store

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"slices"
	"strings"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// Tokens live in their own bucket, keyed by the SHA-256 of the secret: the
// secrets are 256 random bits, so a plain hash is as strong as a slow one
// and lets Authenticate find a token with one lookup. The secret itself is
// never stored. The lookup compares hashes, never secrets, so its timing
// tells an attacker nothing about any secret; the final match is checked
// with subtle.ConstantTimeCompare all the same.
var bucketTokens = []byte("tokens")

var _ geotag.TokenService = (*DB)(nil)

func hashSecret(secret string) []byte { return geotag.HashTokenSecret(secret) }

// CreateToken stores a new token and returns its secret, shown only now.
// Returns EINVALID for an empty name.
func (db *DB) CreateToken(ctx context.Context, name string, readOnly bool) (string, *geotag.Token, error) {
	return db.IssueToken(ctx, geotag.Token{Name: name, ReadOnly: readOnly})
}

// IssueToken stores a new token with the name and rights of t.
// Returns EINVALID for an empty name or a read-only admin.
func (db *DB) IssueToken(ctx context.Context, tmpl geotag.Token) (string, *geotag.Token, error) {
	secret, key, t, err := geotag.NewToken(tmpl, db.now().UTC())
	if err != nil {
		return "", nil, err
	}
	v, err := json.Marshal(t)
	if err != nil {
		return "", nil, err
	}
	err = db.write(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketTokens)
		if err != nil {
			return err
		}
		return b.Put(key, v)
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// Authenticate returns the token with the secret, or EUNAUTHORIZED.
func (db *DB) Authenticate(ctx context.Context, secret string) (*geotag.Token, error) {
	var t *geotag.Token
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens)
		if b == nil {
			return nil
		}
		h := hashSecret(secret)
		k, v := b.Cursor().Seek(h)
		if k == nil || subtle.ConstantTimeCompare(k, h) != 1 {
			return nil
		}
		t = new(geotag.Token)
		return json.Unmarshal(v, t)
	})
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, geotag.Errorf(geotag.EUNAUTHORIZED, "the token is not valid (unknown or revoked)")
	}
	return t, nil
}

// ListTokens returns every token, oldest first.
func (db *DB) ListTokens(ctx context.Context) ([]*geotag.Token, error) {
	ts := []*geotag.Token{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			t := new(geotag.Token)
			if err := json.Unmarshal(v, t); err != nil {
				return err
			}
			ts = append(ts, t)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	// Keys are hashes: order by creation, then id, for a stable list.
	slices.SortFunc(ts, func(a, b *geotag.Token) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return ts, nil
}

// RevokeToken deletes the token with the id; ENOTFOUND if none has it.
func (db *DB) RevokeToken(ctx context.Context, id string) error {
	return db.write(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens)
		if b != nil {
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				var t geotag.Token
				if err := json.Unmarshal(v, &t); err != nil {
					return err
				}
				if t.ID == id {
					return b.Delete(k)
				}
			}
		}
		return geotag.FieldErrorf(geotag.ENOTFOUND, "id", "no token has id %q", id)
	})
}

// TokenRecord is a stored token with the SHA-256 hash of its secret, as
// TokenRecords lists them to move tokens to another store.
type TokenRecord struct {
	Hash  []byte
	Token geotag.Token
}

// TokenRecords returns every stored token with its hash, in hash order.
func (db *DB) TokenRecords() ([]TokenRecord, error) {
	var out []TokenRecord
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var t geotag.Token
			if err := json.Unmarshal(v, &t); err != nil {
				return err
			}
			out = append(out, TokenRecord{Hash: bytes.Clone(k), Token: t})
			return nil
		})
	})
	return out, err
}
