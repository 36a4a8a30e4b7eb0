package store

import (
	"slices"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// tagSet is a query's tag filter: one tag, any of several, or all of
// several. On the tag index it is checked without reading reports: for
// all of them, the walk follows the first tag's keys and looks each
// match's position up under the other tags; for any of them, the walk
// merges every tag's keys and skips a position that an earlier tag in
// the list holds too, so that a report with two of the tags is met once.
type tagSet struct {
	keys    []string // tagKey of each tag, without repeats
	all     bool
	indexed bool // the walk is on the tag index with prefixes()
}

func newTagSet(f geotag.ReportFilter) tagSet {
	return tagSet{keys: f.FilterTags(), all: f.TagsAll}
}

func (t tagSet) any() bool { return len(t.keys) > 0 }

// prefixes are the tag index prefixes to walk: the first tag's for all,
// every tag's for any.
func (t tagSet) prefixes() [][]byte {
	if t.all {
		return [][]byte{stringPrefix(nil, t.keys[0])}
	}
	out := make([][]byte, len(t.keys))
	for i, k := range t.keys {
		out[i] = stringPrefix(nil, k)
	}
	return out
}

// entryOK checks a position met under prefix n of the tag index b; it
// passes every position of a walk on another index.
func (t tagSet) entryOK(b *bolt.Bucket, n int, pos []byte) bool {
	if !t.indexed || len(t.keys) < 2 {
		return true
	}
	has := func(k string) bool {
		return b.Get(append(stringPrefix(make([]byte, 0, len(k)+1+len(pos)), k), pos...)) != nil
	}
	if t.all {
		for _, k := range t.keys[1:] {
			if !has(k) {
				return false
			}
		}
		return true
	}
	for _, k := range t.keys[:n] {
		if has(k) {
			return false // met under tag k already (or to be, in each's order)
		}
	}
	return true
}

// keepReport checks the tags on a decoded report.
func (t tagSet) keepReport(r *geotag.Report) bool {
	if len(t.keys) == 0 {
		return true
	}
	found := 0
	for _, k := range t.keys {
		if slices.ContainsFunc(r.Tags, func(s string) bool { return tagKey(s) == k }) {
			found++
		} else if t.all {
			return false
		}
	}
	return found > 0
}
