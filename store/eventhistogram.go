package store

import (
	"context"
	"errors"
	"slices"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// MaxSplitEntries bounds the index entries one EventHistogram reads to
// split its bins by event type: past it the split is given up.
const MaxSplitEntries = 200_000

// errTruncated ends a split walk past MaxSplitEntries.
var errTruncated = errors.New("truncated")

// EventHistogram is Histogram with each bin split by event type. The bins
// are Histogram's; each type's matches are then counted into them from an
// index walk of the filter with that one type (on the event index, or on
// the index the filter's place, tag or actor picks), never decoding a
// report unless the filter has a text. The walks together read at most
// MaxSplitEntries entries: past that the answer is Truncated.
func (db *DB) EventHistogram(ctx context.Context, f geotag.ReportFilter, bins int) (geotag.EventHistogram, error) {
	h, err := db.Histogram(ctx, f, bins)
	if err != nil || len(h.Counts) == 0 {
		return geotag.EventHistogram{Histogram: h}, err
	}
	out := geotag.EventHistogram{Histogram: h, ByType: make([][]int, len(geotag.EventTypes))}
	from, width := h.From.Unix()/60, h.WidthSeconds/60
	read := 0
	err = db.bolt.View(func(tx *bolt.Tx) error {
		for i, t := range geotag.EventTypes {
			out.ByType[i] = make([]int, len(h.Counts))
			if len(f.EventTypes) > 0 && !slices.ContainsFunc(f.EventTypes, func(s string) bool { return geotag.EventTypeCode(s) == i+1 }) {
				continue
			}
			ft := f
			ft.EventTypes = []string{t.Name}
			q, err := compile(ft)
			if err != nil {
				return err
			}
			counts := out.ByType[i]
			err = q.each(tx, func(m *match) error {
				if read++; read > MaxSplitEntries {
					return errTruncated
				}
				if read%65536 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				j := (clampMinute(keyMinute(m.pos)) - from) / width
				if j >= 0 && j < int64(len(counts)) {
					counts[j]++
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err == errTruncated {
		return geotag.EventHistogram{Histogram: h, Truncated: true}, nil
	}
	if err != nil {
		return geotag.EventHistogram{}, err
	}
	return out, nil
}
