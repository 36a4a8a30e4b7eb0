package store

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// Bounds of a Tags listing.
const (
	// TagCountCap is where a tag's count stops: larger counts are given
	// as TagCountCap with AtLeast set.
	TagCountCap = 10000
	// TagScanTags is how many distinct tags one listing examines before
	// it stops with Truncated set.
	TagScanTags = 5000
	// TagScanEntries is how many index entries one listing reads, all tags
	// together, before it stops with Truncated set; a report decoded for a
	// place, text or second-tag filter costs tagDecodeCost entries.
	TagScanEntries = 1 << 20
	tagDecodeCost  = 16
	// MaxTagLimit is the largest limit Tags accepts.
	MaxTagLimit = 100
)

// tagBounds are a listing's caps; tests make them small.
type tagBounds struct {
	count, tags, entries int
}

// Tags lists the tags that start with prefix, each with the number of its
// reports matching f, most used first: see geotag.ReportService. Distinct
// tags are found by seeking past each tag's keys in the tag index, and a
// tag's matches are counted on its own keys (from the time window's start
// when f has one), reading the reports only for a place, text or tag
// filter. Counts stop at TagCountCap; the listing stops after TagScanTags
// tags or TagScanEntries entries with Truncated set. It returns EINVALID
// for a limit outside 1…MaxTagLimit or an invalid filter.
func (db *DB) Tags(ctx context.Context, f geotag.ReportFilter, prefix string, limit int) (geotag.TagList, error) {
	return db.tags(ctx, f, prefix, limit, tagBounds{TagCountCap, TagScanTags, TagScanEntries})
}

func (db *DB) tags(ctx context.Context, f geotag.ReportFilter, prefix string, limit int, bd tagBounds) (geotag.TagList, error) {
	if limit < 1 || limit > MaxTagLimit {
		return geotag.TagList{}, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be within 1…%d", MaxTagLimit)
	}
	if err := ctx.Err(); err != nil {
		return geotag.TagList{}, err
	}
	also := tagKey(f.Tag)
	f.Tag, f.Limit, f.Cursor = "", 0, ""
	q, err := compile(f)
	if err != nil {
		return geotag.TagList{}, err
	}
	decode := q.q != "" || f.PlaceID != 0 || also != ""
	// A per-tag query: the tag index, the filter's other checks.
	q.bucket, q.decode = bucketTag, decode
	pfx := []byte(strings.ToLower(strings.TrimLeftFunc(prefix, unicode.IsSpace)))

	out := geotag.TagList{Tags: []geotag.TagCount{}}
	t := newTally(ctx) // what the listing reads, for ctx's geotag.Meter
	defer t.flush()
	err = db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketTag).Cursor()
		var reports *bolt.Bucket
		if decode {
			reports = tx.Bucket(bucketReports)
		}
		budget := bd.entries
		seen := 0
		var start []byte
		k, _ := c.Seek(pfx)
		for k != nil && bytes.HasPrefix(k, pfx) {
			if seen == bd.tags || budget <= 0 {
				out.Truncated = true
				return nil
			}
			if seen++; seen%64 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if len(k) < posLen+1 || k[len(k)-posLen-1] != 0 { // not a tag key: step over it
				k, _ = c.Next()
				continue
			}
			name := k[:len(k)-posLen-1]
			tp := stringPrefix(make([]byte, 0, len(name)+1), string(name))
			tc := geotag.TagCount{Tag: string(name)}
			start = append(append(start[:0], tp...), q.lo...)
			var v []byte
			for k, v = c.Seek(start); k != nil && bytes.HasPrefix(k, tp); k, v = c.Next() {
				t.add(len(k) + len(v))
				if budget--; budget < 0 {
					tc.AtLeast, out.Truncated = true, true
					break
				}
				pos := k[len(tp):]
				if q.hi != nil && bytes.Compare(pos, q.hi) >= 0 {
					break
				}
				if len(pos) != posLen || len(v) != entryLen || !q.keep(v) {
					continue
				}
				if decode {
					budget -= tagDecodeCost
					id := pos[timeLen:]
					rv := reports.Get(id)
					if rv == nil {
						return geotag.Errorf(geotag.EINTERNAL, "store: tag index points to missing report %s", idString(id))
					}
					t.record(len(rv))
					r, err := decodeReport(id, rv)
					if err != nil {
						return err
					}
					if !q.keepReport(r) || also != "" && !slices.ContainsFunc(r.Tags, func(t string) bool { return tagKey(t) == also }) {
						continue
					}
				}
				if tc.Count == bd.count {
					tc.AtLeast = true
					break
				}
				tc.Count++
			}
			if tc.Count > 0 {
				out.Tags = append(out.Tags, tc)
			}
			if out.Truncated {
				return nil
			}
			if end := prefixEnd(tp); end != nil {
				k, _ = c.Seek(end)
			} else {
				k = nil
			}
		}
		return nil
	})
	if err != nil {
		return geotag.TagList{}, err
	}
	slices.SortFunc(out.Tags, compareTagCounts)
	if len(out.Tags) > limit {
		out.Tags = out.Tags[:limit]
	}
	return out, nil
}

// compareTagCounts orders tags most used first, ties by tag.
func compareTagCounts(a, b geotag.TagCount) int {
	if a.Count != b.Count {
		return b.Count - a.Count
	}
	return strings.Compare(a.Tag, b.Tag)
}
