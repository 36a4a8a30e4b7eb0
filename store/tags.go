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
	ts, err := newTagScan(f, bd)
	if err != nil {
		return geotag.TagList{}, err
	}
	pfx := []byte(strings.ToLower(strings.TrimLeftFunc(prefix, unicode.IsSpace)))
	out := geotag.TagList{Tags: []geotag.TagCount{}}
	t := newTally(ctx) // what the listing reads, for ctx's geotag.Meter
	defer t.flush()
	ts.tally = &t
	err = db.bolt.View(func(tx *bolt.Tx) error {
		ts.tags, ts.places, ts.reports = tx.Bucket(bucketTag), tx.Bucket(bucketPlace), tx.Bucket(bucketReports)
		return ts.list(ctx, pfx, &out)
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

// newTagScan compiles f for counting each tag's matches on the tag index:
// the second tag (f.Tag) and the place are looked up in their indexes (one
// key per match); only a text or actor filter reads the reports.
func newTagScan(f geotag.ReportFilter, bd tagBounds) (*tagScan, error) {
	ts := &tagScan{bd: bd, budget: bd.entries}
	also := ""
	if len(f.Tags) == 0 { // one tag: looked up in its index; several: on the reports
		also, f.Tag = tagKey(f.Tag), ""
	}
	f.Limit, f.Cursor = 0, ""
	q, err := compile(f)
	if err != nil {
		return nil, err
	}
	q.tags.indexed = false
	if also != "" {
		ts.alsoPrefix = stringPrefix(nil, also)
	}
	if f.PlaceID != 0 {
		ts.placeKey = placePrefix(nil, f.PlaceID)
	}
	// A per-tag query: the tag index, the filter's other checks.
	q.bucket, q.decode = bucketTag, q.q != "" || q.ev.any() || q.tags.any()
	ts.q = q
	return ts, nil
}

// list appends to out each tag starting with pfx that has matches, with
// its count, seeking past each tag's keys to the next tag. It stops with
// out.Truncated after bd.tags tags or when the entry budget runs out.
func (ts *tagScan) list(ctx context.Context, pfx []byte, out *geotag.TagList) error {
	c := ts.tags.Cursor()
	seen := 0
	k, _ := c.Seek(pfx)
	for k != nil && bytes.HasPrefix(k, pfx) {
		if seen == ts.bd.tags || ts.budget <= 0 {
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
		tc, err := ts.count(c, tp)
		if err != nil {
			return err
		}
		if tc.Count > 0 {
			out.Tags = append(out.Tags, tc)
		}
		if ts.truncated {
			out.Truncated = true
			return nil
		}
		k = nil
		if end := prefixEnd(tp); end != nil {
			k, _ = c.Seek(end)
		}
	}
	return nil
}

// tagScan is one Tags listing under way: the filter, the buckets of its
// read transaction and the entry budget left.
type tagScan struct {
	q                    *query
	bd                   tagBounds
	alsoPrefix, placeKey []byte // a second tag's and a place's key prefixes, or nil
	tags, places         *bolt.Bucket
	reports              *bolt.Bucket
	budget               int
	truncated            bool   // the budget ran out
	tally                *tally // what the listing reads, for the request's geotag.Meter
	start, probe         []byte // scratch
}

// count counts the matches of the tag whose keys start with tp, from the
// time window's start, with c; it leaves c anywhere. It stops at the
// count cap (AtLeast) or when the budget runs out (AtLeast and truncated).
func (ts *tagScan) count(c *bolt.Cursor, tp []byte) (geotag.TagCount, error) {
	tc := geotag.TagCount{Tag: string(tp[:len(tp)-1])}
	ts.start = append(append(ts.start[:0], tp...), ts.q.lo...)
	for k, v := c.Seek(ts.start); k != nil && bytes.HasPrefix(k, tp); k, v = c.Next() {
		ts.tally.add(len(k) + len(v))
		if ts.budget--; ts.budget < 0 {
			tc.AtLeast, ts.truncated = true, true
			break
		}
		pos := k[len(tp):]
		if ts.q.hi != nil && bytes.Compare(pos, ts.q.hi) >= 0 {
			break
		}
		if len(pos) != posLen || len(v) != entryLen || !ts.q.keep(v) {
			continue
		}
		if ok, err := ts.matches(pos); err != nil {
			return tc, err
		} else if !ok {
			continue
		}
		if tc.Count == ts.bd.count {
			tc.AtLeast = true
			break
		}
		tc.Count++
	}
	return tc, nil
}

// matches checks the report at pos against the second tag and the place
// (one index lookup each) and the text (a decode, costing by the record's
// size: a large report is as much work as many small ones).
func (ts *tagScan) matches(pos []byte) (bool, error) {
	for _, l := range []struct {
		prefix []byte
		b      *bolt.Bucket
	}{{ts.alsoPrefix, ts.tags}, {ts.placeKey, ts.places}} {
		if l.prefix == nil {
			continue
		}
		ts.budget--
		ts.tally.add(len(l.prefix) + len(pos))
		if ts.probe = append(append(ts.probe[:0], l.prefix...), pos...); l.b.Get(ts.probe) == nil {
			return false, nil
		}
	}
	if !ts.q.decode {
		return true, nil
	}
	id := pos[timeLen:]
	rv := ts.reports.Get(id)
	if rv == nil {
		return false, geotag.Errorf(geotag.EINTERNAL, "store: tag index points to missing report %s", idString(id))
	}
	ts.budget -= tagDecodeCost + len(rv)>>10
	ts.tally.record(len(rv))
	r, err := decodeReport(id, rv)
	if err != nil {
		return false, err
	}
	return ts.q.keepReport(r), nil
}

// compareTagCounts orders tags most used first, ties by tag.
func compareTagCounts(a, b geotag.TagCount) int {
	if a.Count != b.Count {
		return b.Count - a.Count
	}
	return strings.Compare(a.Tag, b.Tag)
}
