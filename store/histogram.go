package store

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// MaxBins bounds the bins of one histogram.
const MaxBins = 1000

// Histogram counts the reports matching f over event time in at most bins
// bins, reading index entries only (unless the filter has a text, or a
// tag or place besides the index walked). The bins are anchored at the
// minute after the newest match; one pass over the matches, in index order,
// doubles their width (merging neighbours) whenever a match falls beyond
// the last bin, so memory is the bins whatever the number of matches. Returns EINVALID
// for bins outside 1…MaxBins or an invalid filter.
func (db *DB) Histogram(ctx context.Context, f geotag.ReportFilter, bins int) (geotag.Histogram, error) {
	var h geotag.Histogram
	if bins < 1 || bins > MaxBins {
		return h, geotag.FieldErrorf(geotag.EINVALID, "bins", "bins must be within 1…%d", MaxBins)
	}
	q, err := compile(f)
	if err != nil {
		return h, err
	}
	var (
		anchor int64 // exclusive end, Unix minutes
		width  int64 = 1
		counts []int // counts[i]: minutes [anchor-(i+1)·width, anchor-i·width)
		n      int
	)
	err = db.bolt.View(func(tx *bolt.Tx) error {
		// The newest match anchors the bins; then the matches are counted
		// in index order, without merging the index's cursors by time.
		found := false
		if err := q.walk(tx, nil, func(m *match) error {
			anchor, found = keyMinute(m.pos)+1, true
			return errStop
		}); err != nil || !found {
			return err
		}
		return q.each(tx, func(m *match) error {
			if n++; n%65536 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			mn := keyMinute(m.pos)
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
	})
	if err != nil {
		return geotag.Histogram{}, err
	}
	if n == 0 {
		return geotag.Histogram{Counts: []int{}}, nil
	}
	h.Width = time.Duration(width) * time.Minute
	h.From = time.Unix((anchor-int64(len(counts))*width)*60, 0).UTC()
	h.Counts = make([]int, len(counts))
	for i, c := range counts {
		h.Counts[len(counts)-1-i] = c
	}
	h.Total = n
	return h, nil
}

// keyMinute is the Unix minute (rounded down) of a position's time.
func keyMinute(pos []byte) int64 {
	sec := int64(binary.BigEndian.Uint64(pos) ^ (1 << 63))
	if sec < 0 {
		return (sec - 59) / 60
	}
	return sec / 60
}
