package store

import (
	"context"
	"encoding/binary"
	"encoding/json"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// The audit log: one bucket of JSON entries keyed by their big-endian
// sequence number, written in the transaction of the change it records.
var bucketAudit = []byte("audit")

// auditScan bounds the entries one Audit call reads.
const auditScan = 100_000

// audit appends an entry for a change of kind/id to the log in tx;
// before and after are the thing's JSON (nil when absent).
func (db *DB) audit(tx *bolt.Tx, kind, id, action, by string, before, after []byte) error {
	b, err := tx.CreateBucketIfNotExists(bucketAudit)
	if err != nil {
		return err
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e := geotag.AuditEntry{Seq: seq, At: db.now().UTC(), By: by, Kind: kind, ID: id, Action: action, Before: before, After: after}
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Put(binary.BigEndian.AppendUint64(nil, seq), v)
}

// Audit returns the audit entries matching f, newest first (see
// geotag.AuditLog).
func (db *DB) Audit(ctx context.Context, f geotag.AuditFilter) ([]geotag.AuditEntry, error) {
	if f.Limit < 0 || f.Limit > 1000 {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be 1..1000")
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	if f.Kind != "" && f.Kind != geotag.AuditRule && f.Kind != geotag.AuditDeskPlace {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "kind", "kind is %q or %q", geotag.AuditRule, geotag.AuditDeskPlace)
	}
	out := []geotag.AuditEntry{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		var k, v []byte
		if f.Before > 0 {
			c.Seek(binary.BigEndian.AppendUint64(nil, f.Before))
			k, v = c.Prev()
		} else {
			k, v = c.Last()
		}
		// a filtered read looks at no more than auditScan entries
		for n := 0; k != nil && len(out) < f.Limit && n < auditScan; k, v = c.Prev() {
			n++
			if err := ctx.Err(); err != nil {
				return err
			}
			var e geotag.AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			if (f.Kind == "" || e.Kind == f.Kind) && (f.ID == "" || e.ID == f.ID) {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}
