package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/geotag/geotag"
)

// Leases let one of the servers sharing the database work on a thing at a
// time — poll a feed, follow a view's webhook — so that two servers never
// fetch the same feed together or send the same notice twice. A lease is
// a row of leases (kind, id) with its owner, this DB's random name, and
// the time it lapses on the database's clock: a server that dies holding
// one frees it when it lapses, with no connection held meanwhile.

var _ geotag.Claimer = (*DB)(nil)

// Claim takes the lease of kind/id for ttl unless another owner holds one
// that has not lapsed; ok is false then. release gives it back (a
// release after the lease lapsed and was taken by another does nothing).
func (db *DB) Claim(ctx context.Context, kind, id string, ttl time.Duration) (release func(), ok bool, err error) {
	defer unavailable(&err)
	if ttl <= 0 {
		return nil, false, geotag.Errorf(geotag.EINVALID, "a lease needs a positive duration")
	}
	tag, err := db.pool.Exec(ctx, `INSERT INTO leases (kind, id, owner, until)
		VALUES ($1, $2, $3, clock_timestamp() + $4 * interval '1 microsecond')
		ON CONFLICT (kind, id) DO UPDATE SET owner = excluded.owner, until = excluded.until
		WHERE leases.until < clock_timestamp() OR leases.owner = excluded.owner`,
		pgText(kind), pgText(id), db.owner, ttl.Microseconds())
	if err != nil || tag.RowsAffected() == 0 {
		return nil, false, err
	}
	release = func() {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		db.pool.Exec(c, `DELETE FROM leases WHERE kind = $1 AND id = $2 AND owner = $3`, pgText(kind), pgText(id), db.owner)
	}
	return release, true, nil
}

// newOwner is a random name for the leases of one DB.
func newOwner() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
