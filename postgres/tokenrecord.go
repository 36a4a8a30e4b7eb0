package postgres

import (
	"context"

	"github.com/geotag/geotag"
)

// TokenRecord is a stored token with the SHA-256 hash of its secret, as
// TokenRecords lists them to move tokens to another store.
type TokenRecord struct {
	Hash  []byte
	Token geotag.Token
}

// TokenRecords returns every stored token with its hash, in hash order
// (geotag migrate's way back to bbolt).
func (db *DB) TokenRecords(ctx context.Context) (_ []TokenRecord, err error) {
	defer unavailable(&err)
	rows, err := db.pool.Query(ctx, `SELECT hash, id, name, read_only, admin, created FROM tokens ORDER BY hash`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TokenRecord
	for rows.Next() {
		var r TokenRecord
		t := &r.Token
		if err := rows.Scan(&r.Hash, &t.ID, &t.Name, &t.ReadOnly, &t.Admin, &t.Created); err != nil {
			return nil, err
		}
		t.Created = t.Created.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
