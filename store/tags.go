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
	// together, before it stops with Truncated set; a place or second-tag
	// filter costs one more entry per match (an index lookup), and a
	// report decoded for a text filter tagDecodeCost entries and one per
	// KiB of its record.
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
// when f has one), looking a place or second tag up in its index and
// reading the reports only for a text filter. Counts stop at TagCountCap; the listing stops after TagScanTags
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
	// The second tag and the place are looked up in their indexes (one
	// key per match); only a text filter reads the reports.
	decode := q.q != ""
	var alsoPrefix, placeKey []byte
	if also != "" {
		alsoPrefix = stringPrefix(nil, also)
	}
	if f.PlaceID != 0 {
		placeKey = placePrefix(nil, f.PlaceID)
	}
	// A per-tag query: the tag index, the filter's other checks.
	q.bucket, q.decode = bucketTag, decode
	pfx := []byte(strings.ToLower(strings.TrimLeftFunc(prefix, unicode.IsSpace)))

	out := geotag.TagList{Tags: []geotag.TagCount{}}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		tagB := tx.Bucket(bucketTag)
		c := tagB.Cursor()
		reports, places := tx.Bucket(bucketReports), tx.Bucket(bucketPlace)
		var probe []byte
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
				if alsoPrefix != nil {
					budget--
					if probe = append(append(probe[:0], alsoPrefix...), pos...); tagB.Get(probe) == nil {
						continue
					}
				}
				if placeKey != nil {
					budget--
					if probe = append(append(probe[:0], placeKey...), pos...); places.Get(probe) == nil {
						continue
					}
				}
				if decode {
					id := pos[timeLen:]
					rv := reports.Get(id)
					if rv == nil {
						return geotag.Errorf(geotag.EINTERNAL, "store: tag index points to missing report %s", idString(id))
					}
					// A decode costs by the record's size: a large report
					// is as much work as many small ones.
					budget -= tagDecodeCost + len(rv)>>10
					r, err := decodeReport(id, rv)
					if err != nil {
						return err
					}
					if !q.keepReport(r) {
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
