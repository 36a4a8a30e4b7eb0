package postgres

import (
	"context"
	"strconv"

	"github.com/geotag/geotag"
)

// MaxSplitRows bounds the matches one EventHistogram counts by event type
// (the bbolt store's MaxSplitEntries): past it the split is given up.
const MaxSplitRows = 200_000

var _ geotag.EventHistogrammer = (*DB)(nil)

// EventHistogram is Histogram with each bin split by event type
// (geotag.EventHistogrammer): the bins are Histogram's; the typed matches
// are then counted into them in one grouped query on the filter's
// indexes, after a count capped at MaxSplitRows+1 (past it the answer is
// Truncated, the Histogram alone).
func (db *DB) EventHistogram(ctx context.Context, f geotag.ReportFilter, bins int) (_ geotag.EventHistogram, err error) {
	defer unavailable(&err)
	h, err := db.Histogram(ctx, f, bins)
	if err != nil || len(h.Counts) == 0 {
		return geotag.EventHistogram{Histogram: h}, err
	}
	c, err := compile(f)
	if err != nil {
		return geotag.EventHistogram{}, err
	}
	c.and(`event_code > 0`)
	var n int
	err = db.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM reports WHERE `+c.sql()+
		` LIMIT `+strconv.Itoa(MaxSplitRows+1)+`) m`, c.args...).Scan(&n)
	if err != nil {
		return geotag.EventHistogram{}, err
	}
	if n > MaxSplitRows {
		return geotag.EventHistogram{Histogram: h, Truncated: true}, nil
	}
	out := geotag.EventHistogram{Histogram: h, ByType: make([][]int, len(geotag.EventTypes))}
	for i := range out.ByType {
		out.ByType[i] = make([]int, len(h.Counts))
	}
	from, width := h.From.Unix()/60, h.WidthSeconds/60
	sql := `SELECT event_code, floor((` + minuteSQL + ` - ` + c.arg(from) + `)::float8 / ` + c.arg(width) +
		`)::bigint, count(*) FROM reports WHERE ` + c.sql() + ` GROUP BY 1, 2`
	rows, err := db.pool.Query(ctx, sql, c.args...)
	if err != nil {
		return geotag.EventHistogram{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var code int16
		var j, k int64
		if err := rows.Scan(&code, &j, &k); err != nil {
			return geotag.EventHistogram{}, err
		}
		if code >= 1 && int(code) <= len(out.ByType) && j >= 0 && j < int64(len(h.Counts)) {
			out.ByType[code-1][j] += int(k)
		}
	}
	return out, rows.Err()
}
