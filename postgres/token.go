package postgres

import (
	"context"
	"crypto/sha256"

	"github.com/geotag/geotag"
)

// Tokens are stored by the SHA-256 of their secret, as in the bbolt store:
// the secrets are 256 random bits, so a plain hash is as strong as a slow
// one and Authenticate is one index lookup of the hash (never a comparison
// of secrets). The secret itself is never stored.

func hashSecret(secret string) []byte { return geotag.HashTokenSecret(secret) }

// CreateToken stores a new token and returns its secret, shown only now.
// Returns EINVALID for an empty name.
func (db *DB) CreateToken(ctx context.Context, name string, readOnly bool) (string, *geotag.Token, error) {
	return db.IssueToken(ctx, geotag.Token{Name: name, ReadOnly: readOnly})
}

// IssueToken stores a new token with the name and rights of tmpl. Returns
// EINVALID for an empty name or a read-only admin.
func (db *DB) IssueToken(ctx context.Context, tmpl geotag.Token) (_ string, _ *geotag.Token, err error) {
	defer unavailable(&err)
	secret, key, t, err := geotag.NewToken(tmpl, db.now().UTC().Truncate(1000)) // PostgreSQL keeps microseconds
	if err != nil {
		return "", nil, err
	}
	t.Name = pgText(t.Name)
	_, err = db.pool.Exec(ctx, `INSERT INTO tokens (hash, id, name, read_only, admin, created) VALUES ($1, $2, $3, $4, $5, $6)`,
		key, t.ID, t.Name, t.ReadOnly, t.Admin, t.Created)
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// Authenticate returns the token with the secret, or EUNAUTHORIZED.
func (db *DB) Authenticate(ctx context.Context, secret string) (_ *geotag.Token, err error) {
	defer unavailable(&err)
	rows, err := db.pool.Query(ctx, `SELECT id, name, read_only, admin, created FROM tokens WHERE hash = $1`, hashSecret(secret))
	if err != nil {
		return nil, err
	}
	ts, err := scanTokens(rows)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, geotag.Errorf(geotag.EUNAUTHORIZED, "the token is not valid (unknown or revoked)")
	}
	return ts[0], nil
}

// ListTokens returns every token, oldest first (ties by id).
func (db *DB) ListTokens(ctx context.Context) (_ []*geotag.Token, err error) {
	defer unavailable(&err)
	rows, err := db.pool.Query(ctx, `SELECT id, name, read_only, admin, created FROM tokens ORDER BY created, id`)
	if err != nil {
		return nil, err
	}
	return scanTokens(rows)
}

type tokenRows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close()
}

func scanTokens(rows tokenRows) ([]*geotag.Token, error) {
	defer rows.Close()
	ts := []*geotag.Token{}
	for rows.Next() {
		t := new(geotag.Token)
		if err := rows.Scan(&t.ID, &t.Name, &t.ReadOnly, &t.Admin, &t.Created); err != nil {
			return nil, err
		}
		t.Created = t.Created.UTC()
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// RevokeToken deletes the token with the id; ENOTFOUND if none has it.
func (db *DB) RevokeToken(ctx context.Context, id string) (err error) {
	defer unavailable(&err)
	tag, err := db.pool.Exec(ctx, `DELETE FROM tokens WHERE id = $1`, pgText(id))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return geotag.FieldErrorf(geotag.ENOTFOUND, "id", "no token has id %q", id)
	}
	return nil
}

// RestoreToken stores a token under the SHA-256 hash of its secret, as
// another store kept it (geotag migrate moves tokens without knowing their
// secrets). A token whose hash or id is stored already is left as it is.
func (db *DB) RestoreToken(ctx context.Context, hash []byte, t geotag.Token) error {
	if len(hash) != sha256.Size || t.ID == "" {
		return geotag.Errorf(geotag.EINVALID, "token %q: not a SHA-256 hash or no id", t.ID)
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO tokens (hash, id, name, read_only, admin, created) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT DO NOTHING`, hash, pgText(t.ID), pgText(t.Name), t.ReadOnly, t.Admin, t.Created)
	return err
}
