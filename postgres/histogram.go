package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// MaxBins bounds the bins of one histogram.
const MaxBins = geotag.MaxHistogramBins

// Histogram counts the reports matching f over event time in at most bins
// bins: see geotag.ReportService. Times outside geotag's report time range
// count at its nearer end. A view of fewer than cellCountMin matches, or
// one the cell-day counts cannot answer (no bbox; a status, place, tag,
// text or event filter; a time window off UTC midnights), is counted in
// SQL in bins a power-of-two number of minutes wide, anchored at the
// minute after the newest match; a larger view whose minute bins would be
// geotag.DayBinsMinWidth minutes or wider is counted from the cell-day counts
// in bins a power-of-two number of days wide starting at UTC midnights.
// It returns EINVALID for bins outside 1…MaxBins or an invalid filter.
func (db *DB) Histogram(ctx context.Context, f geotag.ReportFilter, bins int) (geotag.Histogram, error) {
	return db.histogram(ctx, f, bins, cellCountMin)
}

func (db *DB) histogram(ctx context.Context, f geotag.ReportFilter, bins, min int) (_ geotag.Histogram, err error) {
	defer unavailable(&err)
	if bins < 1 || bins > MaxBins {
		return geotag.Histogram{}, geotag.FieldErrorf(geotag.EINVALID, "bins", "bins must be within 1…%d", MaxBins)
	}
	c, err := compile(f)
	if err != nil {
		return geotag.Histogram{}, err
	}
	if min >= 0 && c.boxes != nil && c.onlyBoxTime && dayAligned(f) {
		h, ok, err := db.dayHistogram(ctx, c, bins, min)
		if ok || err != nil {
			return h, err
		}
	}
	return db.minuteHistogram(ctx, c, bins)
}

// minuteSQL is a match's Unix minute, clamped to the report time range.
var minuteSQL = `least(greatest(floor(tsec::float8 / 60)::bigint, ` + strconv.FormatInt(geotag.MinReportTime.Unix()/60, 10) +
	`), ` + strconv.FormatInt((geotag.MaxReportTime.Unix()-1)/60, 10) + `)`

// minuteHistogram finds the newest and oldest matches on the position
// index (one query), then counts the matches per bin in one grouped query.
func (db *DB) minuteHistogram(ctx context.Context, c *cond, bins int) (geotag.Histogram, error) {
	var newest, oldest *int64
	bound := func(dir string) string {
		return `(SELECT ` + minuteSQL + ` FROM reports WHERE ` + c.sql() + ` ORDER BY tsec` + dir + `, tnsec` + dir + `, id` + dir + ` LIMIT 1)`
	}
	if err := db.pool.QueryRow(ctx, `SELECT `+bound(" DESC")+`, `+bound(""), c.args...).Scan(&newest, &oldest); err != nil {
		return geotag.Histogram{}, err
	}
	if newest == nil || oldest == nil {
		return geotag.Histogram{Counts: []int{}}, nil
	}
	anchor := *newest + 1
	width := int64(1)
	for (anchor-1-*oldest)/width >= int64(bins) {
		width *= 2
	}
	n := (anchor-1-*oldest)/width + 1
	q := c.clone()
	rows, err := db.pool.Query(ctx, `SELECT (`+q.arg(anchor-1)+` - `+minuteSQL+`) / `+q.arg(width)+
		`, count(*) FROM reports WHERE `+q.sql()+` GROUP BY 1`, q.args...)
	if err != nil {
		return geotag.Histogram{}, err
	}
	defer rows.Close()
	h := geotag.Histogram{
		WidthSeconds: width * 60,
		From:         time.Unix((anchor-n*width)*60, 0).UTC(),
		Counts:       make([]int, n),
	}
	for rows.Next() {
		var i, k int64
		if err := rows.Scan(&i, &k); err != nil {
			return geotag.Histogram{}, err
		}
		if i < 0 || i >= n { // a report written since the bounds were read
			continue
		}
		h.Counts[n-1-i] += int(k)
		h.Total += int(k)
	}
	return h, rows.Err()
}

// dayHistogram counts a countable view per UTC day from the cell-day
// counts of the level totalLevel picks for the bbox (the coarsest put
// strips 5.6° wide along a region's edges, and a dense city in a strip
// cost seconds of heap reads) and the reports along the bbox's edges,
// in bins a power-of-two number of days wide ending with the newest
// match's day. It reports false when the cells inside the view hold fewer
// than least reports, or the matches span too short a time for minute bins
// geotag.DayBinsMinWidth wide.
func (db *DB) dayHistogram(ctx context.Context, c *cond, bins, least int) (geotag.Histogram, bool, error) {
	perDay := map[int64]int{}
	lo, hi := floorDiv(geotag.MinReportTime.Unix(), 86400), floorDiv(geotag.MaxReportTime.Unix()-1, 86400)
	add := func(rows pgx.Rows, err error) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d, k int64
			if err := rows.Scan(&d, &k); err != nil {
				return err
			}
			perDay[min(max(d, lo), hi)] += int(k)
		}
		return rows.Err()
	}
	enough := func() bool {
		n := 0
		for _, k := range perDay {
			n += k
		}
		return n >= least
	}
	dense, err := db.eachInner(ctx, c, totalLevel(c.boxes), true, func(q *cond, cells string) error {
		return add(db.pool.Query(ctx, `SELECT t, sum(n) FROM cellday WHERE `+cells+` GROUP BY 1 HAVING sum(n) <> 0`, q.args...))
	}, enough, func(e *cond) error {
		return add(db.pool.Query(ctx, `SELECT floor(tsec::float8 / 86400)::bigint, count(*) FROM reports
			WHERE lat IS NOT NULL AND `+e.sql()+` GROUP BY 1`, e.args...))
	})
	if err != nil || !dense {
		return geotag.Histogram{}, false, err
	}
	h, ok := geotag.DayHistogram(perDay, bins)
	return h, ok, nil
}
