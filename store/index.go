package store

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// indexKey is one key a report puts in one index bucket.
type indexKey struct {
	bucket []byte
	key    []byte
	value  []byte
}

// indexKeys lists every index key of the report r stored under id. The
// keys of one bucket are distinct.
func indexKeys(id []byte, r *geotag.Report) []indexKey {
	pos := position(r, id)
	e := entry(r)
	ks := make([]indexKey, 0, 8+len(r.Tags))
	add := func(bucket, prefix []byte) {
		ks = append(ks, indexKey{bucket, append(prefix, pos...), e})
	}
	add(bucketTime, nil)
	if l := r.Location; l != nil {
		for _, lv := range cellLevels {
			x, y := cellXY(lv, l.Lat, l.Lon)
			add(bucketCell, cellPrefix(make([]byte, 0, 5+posLen), lv, x, y))
		}
	}
	for _, pid := range r.PlaceIDs() {
		add(bucketPlace, placePrefix(make([]byte, 0, 8+posLen), pid))
	}
	status := r.Status
	if status == "" {
		status = geotag.StatusUnreviewed
	}
	add(bucketStatus, stringPrefix(nil, status))
	for _, k := range geotag.DistinctKeys(r.Tags, tagKey) {
		add(bucketTag, stringPrefix(make([]byte, 0, len(k)+1+posLen), k))
	}
	if prefix, v, ok := eventKey(r, e); ok {
		ks = append(ks, indexKey{bucketEvent, append(prefix, pos...), v})
		if c := fatalClass(r.Fatalities); c != 0 {
			ks = append(ks, indexKey{bucketEvent, append([]byte{cellFatKind | c}, pos...), v})
		}
		ks = cellEventKeys(ks, r, pos, v)
	}
	for _, k := range geotag.DistinctKeys(r.ActorNames(), actorKey) {
		add(bucketActor, stringPrefix(make([]byte, 0, len(k)+1+posLen), k))
	}
	if r.ExternalID != "" {
		ks = append(ks, indexKey{bucketExt, []byte(r.ExternalID), id})
	}
	return ks
}

// sortKeys orders index keys by bucket, then key: bbolt splits nodes only
// at commit, so puts in random order into one transaction shift a growing
// node on every insert (quadratic in a report's tags), while puts in key
// order append.
func sortKeys(keys []indexKey) {
	slices.SortFunc(keys, func(a, b indexKey) int {
		if c := bytes.Compare(a.bucket, b.bucket); c != 0 {
			return c
		}
		return bytes.Compare(a.key, b.key)
	})
}

// putIndexes puts r's index keys and adds it to the cell-day counts.
func putIndexes(tx *bolt.Tx, id []byte, r *geotag.Report) error {
	keys := indexKeys(id, r)
	sortKeys(keys)
	for _, k := range keys {
		if err := tx.Bucket(k.bucket).Put(k.key, k.value); err != nil {
			return err
		}
	}
	d := map[string]cellDay{}
	addCellDays(d, keys, 1)
	return applyCellDays(tx, d)
}

// deleteIndexes deletes r's index keys and subtracts it from the cell-day
// counts.
func deleteIndexes(tx *bolt.Tx, id []byte, r *geotag.Report) error {
	keys := indexKeys(id, r)
	sortKeys(keys)
	for _, k := range keys {
		if err := tx.Bucket(k.bucket).Delete(k.key); err != nil {
			return err
		}
	}
	d := map[string]cellDay{}
	addCellDays(d, keys, -1)
	return applyCellDays(tx, d)
}

// verifyIndexes checks the indexes against the records in constant memory:
// every expected key is present with its value, and each index bucket holds
// exactly as many keys as the records expect, so there are no others.
func verifyIndexes(tx *bolt.Tx) []error {
	var errs []error
	fail := func(format string, args ...any) bool {
		errs = append(errs, fmt.Errorf(format, args...))
		return len(errs) >= 10
	}
	want := map[string]int{}
	var n uint64
	c := tx.Bucket(bucketReports).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		n++
		r, err := decodeReport(k, v)
		if err != nil {
			if fail("report %s: %v", idString(k), err) {
				return errs
			}
			continue
		}
		for _, ik := range indexKeys(k, r) {
			want[string(ik.bucket)]++
			got := tx.Bucket(ik.bucket).Get(ik.key)
			if got == nil {
				if fail("report %s: missing key %x in %s", r.ID, ik.key, ik.bucket) {
					return errs
				}
			} else if !bytes.Equal(got, ik.value) {
				if fail("report %s: stale value in %s", r.ID, ik.bucket) {
					return errs
				}
			}
		}
	}
	for _, name := range indexBuckets {
		if got := tx.Bucket(name).Stats().KeyN; got != want[string(name)] {
			if fail("index %s has %d keys, the records want %d", name, got, want[string(name)]) {
				return errs
			}
		}
	}
	verifyCellDays(tx, fail)
	if len(errs) >= 10 {
		return errs
	}
	if got := getUint(tx.Bucket(bucketMeta), keyCount); got != n {
		fail("count is %d, there are %d reports", got, n)
	}
	return errs
}
