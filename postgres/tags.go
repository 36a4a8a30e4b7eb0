package postgres

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/geotag/geotag"
)

// Bounds of a Tags listing, the bbolt store's.
const (
	// TagCountCap is where a tag's count stops (AtLeast).
	TagCountCap = 10000
	// TagScanTags is how many distinct tags one listing examines before
	// it stops with Truncated set.
	TagScanTags = 5000
	// TagScanEntries is how many tag rows one listing reads before it
	// stops with Truncated set.
	TagScanEntries = 1 << 20
	// MaxTagLimit is the largest limit Tags accepts.
	MaxTagLimit = 100
)

// Tags lists the tags that start with prefix, each with the number of its
// reports matching f, most used first: see geotag.ReportService. It reads
// report_tags in tag order from the prefix, checking each row's report
// against the filter (f.Tag keeps the reports that also carry that tag),
// at most TagScanEntries matching rows: past that, or past TagScanTags
// tags, the listing stops with Truncated set and the last tag's count is
// a lower bound. Counts stop at TagCountCap. It returns EINVALID for a
// limit outside 1…MaxTagLimit or an invalid filter.
func (db *DB) Tags(ctx context.Context, f geotag.ReportFilter, prefix string, limit int) (_ geotag.TagList, err error) {
	defer unavailable(&err)
	if limit < 1 || limit > MaxTagLimit {
		return geotag.TagList{}, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be within 1…%d", MaxTagLimit)
	}
	f.Limit, f.Cursor = 0, ""
	c, err := compile(f)
	if err != nil {
		return geotag.TagList{}, err
	}
	q := c.clone()
	pfx := pgText(strings.ToLower(strings.TrimLeftFunc(prefix, unicode.IsSpace)))
	where := "rt.tag LIKE " + q.arg(escapeLike(pfx)+"%")
	if !emptyFilter(f) {
		where += " AND EXISTS (SELECT 1 FROM reports WHERE reports.id = rt.id AND " + q.sql() + ")"
	}
	rows, err := db.pool.Query(ctx, `SELECT tag, count(*) FROM (SELECT rt.tag FROM report_tags rt WHERE `+where+
		` ORDER BY rt.tag LIMIT `+q.arg(TagScanEntries+1)+`) s GROUP BY tag ORDER BY tag`, q.args...)
	if err != nil {
		return geotag.TagList{}, err
	}
	defer rows.Close()
	out := geotag.TagList{Tags: []geotag.TagCount{}}
	tags, entries := 0, 0
	for rows.Next() {
		var tc geotag.TagCount
		if err := rows.Scan(&tc.Tag, &tc.Count); err != nil {
			return geotag.TagList{}, err
		}
		if tags++; tags > TagScanTags {
			out.Truncated = true
			break
		}
		if entries += tc.Count; entries > TagScanEntries { // the row past the budget
			tc.Count -= entries - TagScanEntries
			tc.AtLeast, out.Truncated = true, true
		}
		if tc.Count > TagCountCap {
			tc.Count, tc.AtLeast = TagCountCap, true
		}
		if tc.Count > 0 {
			out.Tags = append(out.Tags, tc)
		}
	}
	if err := rows.Err(); err != nil {
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
