package store

import (
	"bytes"
	"fmt"

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
	ks := make([]indexKey, 0, 8)
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
	for _, pid := range reportPlaces(r) {
		add(bucketPlace, placePrefix(make([]byte, 0, 8+posLen), pid))
	}
	status := r.Status
	if status == "" {
		status = geotag.StatusUnreviewed
	}
	add(bucketStatus, stringPrefix(nil, status))
	for i, t := range r.Tags {
		k := tagKey(t)
		if k == "" || seenTag(r.Tags[:i], k) {
			continue
		}
		add(bucketTag, stringPrefix(nil, k))
	}
	if r.ExternalID != "" {
		ks = append(ks, indexKey{bucketExt, []byte(r.ExternalID), id})
	}
	return ks
}

func seenTag(tags []string, k string) bool {
	for _, t := range tags {
		if tagKey(t) == k {
			return true
		}
	}
	return false
}

// reportPlaces returns the distinct geonameids of r's resolved mentions and
// of its main location.
func reportPlaces(r *geotag.Report) []int64 {
	var ids []int64
	add := func(id int64) {
		if id == 0 {
			return
		}
		for _, x := range ids {
			if x == id {
				return
			}
		}
		ids = append(ids, id)
	}
	for i := range r.Mentions {
		if p := r.Mentions[i].Place; p != nil {
			add(p.ID)
		}
	}
	if r.Location != nil {
		add(r.Location.PlaceID)
	}
	return ids
}

// putIndexes puts r's index keys and adds it to the cell-day counts.
func putIndexes(tx *bolt.Tx, id []byte, r *geotag.Report) error {
	keys := indexKeys(id, r)
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
