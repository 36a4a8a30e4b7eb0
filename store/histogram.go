package store

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// MaxBins bounds the bins of one histogram.
const MaxBins = geotag.MaxHistogramBins

// Histogram counts the reports matching f over event time in at most bins
// bins. Reports stored with a time outside geotag's report time range
// (before Report.Validate refused them) count at the range's nearer end,
// so that bins stay within it whatever the store holds. A view of fewer than cellCountMin reports, or one the cell-day
// counts cannot answer (no bbox; a place, tag, status or text filter; a
// time window off UTC day boundaries), is counted from its index entries in bins a
// power-of-two number of minutes wide, anchored at the minute after the
// newest match. A larger view whose minute bins would be geotag.DayBinsMinWidth
// minutes or wider is counted from the cell-day counts in bins a
// power-of-two number of days wide, starting at UTC midnights, so that its
// cost follows the cells and days in view rather than its reports.
// Returns EINVALID for bins outside 1…MaxBins or an invalid filter.
func (db *DB) Histogram(ctx context.Context, f geotag.ReportFilter, bins int) (geotag.Histogram, error) {
	return db.histogram(ctx, f, bins, cellCountMin)
}

// histogram is Histogram, answering from the cell-day counts when the view
// holds at least min reports (min < 0: never).
func (db *DB) histogram(ctx context.Context, f geotag.ReportFilter, bins, min int) (geotag.Histogram, error) {
	var h geotag.Histogram
	if bins < 1 || bins > MaxBins {
		return h, geotag.FieldErrorf(geotag.EINVALID, "bins", "bins must be within 1…%d", MaxBins)
	}
	q, err := compile(f)
	if err != nil {
		return h, err
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		// The counts hold located reports only: a bbox must leave out the
		// others.
		if min >= 0 && q.boxes != nil && q.countable(0) {
			var done, ok bool
			if h, done, err = q.minuteHistogram(ctx, tx, bins, min); done || err != nil {
				return err
			}
			if h, ok, err = q.dayHistogram(tx, bins); ok || err != nil {
				return err
			}
		}
		h, _, err = q.minuteHistogram(ctx, tx, bins, -1)
		return err
	})
	if err != nil {
		return geotag.Histogram{}, err
	}
	return h, nil
}

// minuteHistogram counts q's matches in bins a power-of-two number of
// minutes wide, anchored at the minute after the newest match, reading
// index entries only (unless the filter has a text, or a tag or place
// besides the index walked). One pass over the matches, in index order,
// doubles the width (merging neighbours) whenever a match falls beyond the
// last bin, so memory is the bins whatever the number of matches. With
// limit ≥ 0 it gives up after limit matches and reports done false.
func (q *query) minuteHistogram(ctx context.Context, tx *bolt.Tx, bins, limit int) (h geotag.Histogram, done bool, err error) {
	var (
		anchor int64 // exclusive end, Unix minutes
		width  int64 = 1
		counts []int // counts[i]: minutes [anchor-(i+1)·width, anchor-i·width)
		n      int
	)
	// The newest match anchors the bins; then the matches are counted in
	// index order, without merging the index's cursors by time.
	found := false
	if err := q.walk(tx, nil, func(m *match) error {
		anchor, found = keyMinute(m.pos)+1, true
		return errStop
	}); err != nil || !found {
		return geotag.Histogram{Counts: []int{}}, err == nil, err
	}
	done = true
	anchor = clampMinute(anchor-1) + 1
	err = q.each(tx, func(m *match) error {
		if limit >= 0 && n >= limit {
			done = false
			return errStop
		}
		if n++; n%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		mn := clampMinute(keyMinute(m.pos))
		i := (anchor - 1 - mn) / width
		for i >= int64(bins) {
			for j := 0; j < len(counts); j += 2 {
				c := counts[j]
				if j+1 < len(counts) {
					c += counts[j+1]
				}
				counts[j/2] = c
			}
			counts = counts[:(len(counts)+1)/2]
			width *= 2
			i = (anchor - 1 - mn) / width
		}
		for int64(len(counts)) <= i {
			counts = append(counts, 0)
		}
		counts[i]++
		return nil
	})
	if err != nil || !done {
		return geotag.Histogram{}, done, err
	}
	h.WidthSeconds = width * 60
	h.From = time.Unix((anchor-int64(len(counts))*width)*60, 0).UTC()
	h.Counts = make([]int, len(counts))
	for i, c := range counts {
		h.Counts[len(counts)-1-i] = c
	}
	h.Total = n
	return h, true, nil
}

// dayHistogram counts the countable q's matches per UTC day from the
// cell-day counts (and the cell index along the bbox's edges), in bins a
// power-of-two number of days wide, starting at UTC midnights and ending
// with the bin of the newest match's day (as minuteHistogram anchors its
// bins at the newest match), so that any span of days fits in bins. It
// reports false, having counted in vain, when the matches span too short
// a time for minute bins geotag.DayBinsMinWidth wide.
func (q *query) dayHistogram(tx *bolt.Tx, bins int) (geotag.Histogram, bool, error) {
	perDay := map[int64]int{}
	err := q.aggregate(tx, cellLevels[0], true, func(_ uint8, _, _ int64, _ byte, t int64, a cellDay) {
		perDay[clampDay(t)] += int(a.n)
	}, func(pos, _ []byte) {
		perDay[clampDay(dayOf(pos))]++
	})
	if err != nil {
		return geotag.Histogram{}, false, err
	}
	h, ok := geotag.DayHistogram(perDay, bins)
	return h, ok, nil
}

// clampMinute and clampDay move a Unix minute and a day since the epoch
// into the report time range (geotag.ClampReportSeconds).
func clampMinute(mn int64) int64 {
	lo, hi := geotag.MinReportTime.Unix()/60, (geotag.MaxReportTime.Unix()-1)/60
	return min(max(mn, lo), hi)
}

func clampDay(d int64) int64 {
	lo, hi := floorDiv(geotag.MinReportTime.Unix(), 86400), floorDiv(geotag.MaxReportTime.Unix()-1, 86400)
	return min(max(d, lo), hi)
}

// keyMinute is the Unix minute (rounded down) of a position's time.
func keyMinute(pos []byte) int64 {
	sec := int64(binary.BigEndian.Uint64(pos) ^ (1 << 63))
	if sec < 0 {
		return (sec - 59) / 60
	}
	return sec / 60
}
