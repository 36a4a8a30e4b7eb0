package store

import (
	"bytes"
	"context"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// Import stores many reports quickly: it validates all of them first
// (returning EINVALID, or EUNPROCESSABLE for one over the report limits,
// naming the first bad report's index, before writing anything; a record
// over MaxReportBytes is found only when written, and fails its
// transaction with EUNPROCESSABLE), then writes them in transactions of Options.ImportBatch
// reports, one fsync each. Each report is given an ID, Created and Updated
// as by CreateReport. A report whose external id is already stored (before
// or earlier in the same import) is not written again: it is counted as a
// duplicate and replaced in rs by the stored report, so re-running an
// interrupted import is safe. If Import fails or ctx ends part way,
// the transactions already committed stay, and the result counts them.
func (db *DB) Import(ctx context.Context, rs []*geotag.Report) (geotag.ImportResult, error) {
	return geotag.ImportInBatches(ctx, rs, db.batch, db.validate, db.importBatch)
}

// importBatch writes rs in one transaction (see Import).
func (db *DB) importBatch(rs []*geotag.Report) (geotag.ImportResult, error) {
	var batch geotag.ImportResult
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		batch = geotag.ImportResult{}
		var keys []indexKey
		for _, r := range rs {
			now := db.now().UTC()
			stored, ks, err := db.insertRecord(tx, r, db.ids.next(now), now)
			if err != nil {
				return err
			}
			if stored != nil {
				*r = *stored
				batch.Duplicates++
			} else {
				batch.Created++
				keys = append(keys, ks...)
			}
		}
		// Index keys in key order: bbolt splits nodes only at commit, so
		// random-order puts into one large transaction would shift a
		// growing node on every insert.
		sortKeys(keys)
		var b *bolt.Bucket
		for i, k := range keys {
			if i == 0 || !bytes.Equal(k.bucket, keys[i-1].bucket) {
				b = tx.Bucket(k.bucket)
			}
			if err := b.Put(k.key, k.value); err != nil {
				return err
			}
		}
		d := map[string]cellDay{}
		addCellDays(d, keys, 1)
		if err := applyCellDays(tx, d); err != nil {
			return err
		}
		return addCount(tx, int64(batch.Created))
	})
	if err != nil {
		return geotag.ImportResult{}, err
	}
	return batch, nil
}
