package postgres

import (
	"context"
	"math"

	"github.com/geotag/geotag"
)

// cellTotal says from the cell-day counts, when it can, that c has more
// than limit matches: for a view filtered by bbox and whole UTC days only,
// the located reports in the grid cells wholly inside it all match, so
// when those cells hold more than limit reports a page's total is capped
// without counting rows (the map asks for the total of every dense view
// before it shows clusters). It reports false when the counts cannot say
// (another filter, a time bound off midnight, or fewer reports inside).
func (db *DB) cellTotal(ctx context.Context, c *cond, limit int) (more bool, err error) {
	if !c.onlyBoxTime || !dayAligned(c.f) {
		return false, nil
	}
	var n int64
	_, err = db.eachInner(ctx, c, totalLevel(c.boxes), false, func(q *cond, cells string) error {
		var k int64
		err := db.pool.QueryRow(ctx, `SELECT coalesce(sum(n), 0)::bigint FROM cellday WHERE `+cells, q.args...).Scan(&k)
		n += k
		return err
	}, func() bool { return false }, nil)
	return n > int64(limit), err
}

// totalLevel is the coarsest cell level of which the smallest of boxes
// (the world without one) is at least four cells wide and high, so that
// the inner cells cover most of it without reading many rows; else the
// finest.
func totalLevel(boxes []geotag.BBox) int {
	side := 180.0
	for _, b := range boxes {
		side = math.Min(side, math.Min(b.E-b.W, b.N-b.S))
	}
	for _, lv := range cellLevels {
		if 4*cellSize(lv) <= side {
			return lv
		}
	}
	return cellLevels[len(cellLevels)-1]
}
