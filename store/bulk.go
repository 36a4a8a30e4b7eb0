package store

import (
	"context"
	"errors"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

var _ geotag.ReportBatchUpdater = (*DB)(nil)

// errPass leaves one report of UpdateReports as it is.
var errPass = errors.New("left as it is")

// UpdateReports changes several reports in one write transaction (see
// geotag.ReportBatchUpdater): a report fn returns false for, that is
// gone, or that fails the limits is left as it was; the others are
// stored with their indexes, as UpdateReport stores one.
func (db *DB) UpdateReports(ctx context.Context, ids []string, fn func(*geotag.Report) bool) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := db.now().UTC()
	var stored []string
	err := db.write(func(tx *bolt.Tx) error {
		stored = stored[:0] // the function may run again
		for _, id := range ids {
			key, ok := parseID(id)
			if !ok {
				continue
			}
			_, err := db.updateTx(tx, key[:], now, func(r *geotag.Report) error {
				if !fn(r) {
					return errPass
				}
				return nil
			})
			switch {
			case err == nil:
				stored = append(stored, id)
			case errors.Is(err, errPass):
			case geotag.ErrorCode(err) != geotag.EINTERNAL:
				// gone, or over the limits: this one stays as it was
			default:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}
