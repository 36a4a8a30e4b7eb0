package store

import (
	"bytes"
	"context"
	"time"

	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"

	"github.com/geotag/geotag"
)

// createdChunk is how many reports EachReportCreated reads in one
// transaction: fn runs between transactions, never inside one.
const createdChunk = 256

// EachReportCreated calls fn for every report created after the one with
// the ID after or, when after is "", created at or after since, oldest
// first: report IDs sort like creation, so the walk starts at the first
// such key of the reports bucket and costs only the reports it reads, not
// the store's. It stops at and returns fn's first error, or ctx's error
// when ctx ends first. Returns EINVALID for an after that is no report ID.
func (db *DB) EachReportCreated(ctx context.Context, after string, since time.Time, fn func(*geotag.Report) error) error {
	var start []byte
	skip := after != ""
	if skip {
		id, ok := parseID(after)
		if !ok {
			return geotag.FieldErrorf(geotag.EINVALID, "after", "%q is not a report ID", after)
		}
		start = id[:]
	} else {
		var id ulid.ULID
		if err := id.SetTime(ulid.Timestamp(since)); err != nil {
			return geotag.FieldErrorf(geotag.EINVALID, "since", "since is out of range")
		}
		start = id[:]
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var rs []*geotag.Report
		err := db.bolt.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketReports).Cursor()
			for k, v := c.Seek(start); k != nil && len(rs) < createdChunk; k, v = c.Next() {
				if skip && bytes.Equal(k, start) {
					continue
				}
				r, err := decodeReport(k, v)
				if err != nil {
					return err
				}
				rs = append(rs, r)
				start, skip = bytes.Clone(k), true
			}
			return nil
		})
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
	}
}
