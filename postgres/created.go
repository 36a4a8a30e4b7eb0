package postgres

import (
	"context"
	"time"

	"github.com/geotag/geotag"
	"github.com/oklog/ulid/v2"
)

// createdChunk is how many reports EachReportCreated reads in one query:
// fn runs between queries, with no connection held.
const createdChunk = 256

// EachReportCreated calls fn for every report created after the one with
// the ID after or, when after is "", created at or after since, oldest
// first (the webhook follower's read): report IDs are ULIDs, which sort
// by creation, so it is a walk of the primary key from the first such ID
// and costs only the reports it reads. It stops at and returns fn's first
// error, or ctx's error. Returns EINVALID for an after that is no report
// ID.
func (db *DB) EachReportCreated(ctx context.Context, after string, since time.Time, fn func(*geotag.Report) error) (err error) {
	defer unavailable(&err)
	op := ">"
	if after == "" {
		var id ulid.ULID
		if err := id.SetTime(ulid.Timestamp(since)); err != nil {
			return geotag.FieldErrorf(geotag.EINVALID, "since", "since is out of range")
		}
		after, op = id.String(), ">="
	} else if !validID(after) {
		return geotag.FieldErrorf(geotag.EINVALID, "after", "%q is not a report ID", after)
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rs, err := db.createdChunk(ctx, op, after)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(rs) < createdChunk {
			return nil
		}
		after, op = rs[len(rs)-1].ID, ">"
	}
}

// createdChunk reads the next reports by ID from after.
func (db *DB) createdChunk(ctx context.Context, op, after string) ([]*geotag.Report, error) {
	rows, err := db.pool.Query(ctx, `SELECT record FROM reports WHERE id `+op+` $1 ORDER BY id LIMIT $2`, after, createdChunk)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var rs []*geotag.Report
	for rows.Next() {
		var rec []byte
		if err := rows.Scan(&rec); err != nil {
			return nil, err
		}
		r, err := decodeRecord(rec)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, rows.Err()
}
