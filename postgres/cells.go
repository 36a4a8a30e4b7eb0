package postgres

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/geotag/geotag"
)

// cellCountMin is the number of matches from which Cells and Histogram
// read the cell-day counts instead of grouping the matches.
const cellCountMin = 10000

// Cells returns cluster counts of the reports matching f (Limit and Cursor
// ignored) for a map at zoom 0 (world) … 24: the located reports grouped in
// squares 360/2^(zoom+3) degrees wide, each with its count and mean
// position, largest count first (ties by latitude, then longitude). A
// dense view (at least cellCountMin matches, zoom ≤ 9, filtered by bbox
// and whole UTC days only) is answered from the cell-day counts and the
// reports along the bbox's edges; others are grouped in SQL. It returns
// EINVALID for a zoom outside 0…24 or an invalid filter.
func (db *DB) Cells(ctx context.Context, f geotag.ReportFilter, zoom int) ([]geotag.Cell, error) {
	return db.cells(ctx, f, zoom, cellCountMin)
}

// cells is Cells, using the counts from min matches (min < 0: never).
func (db *DB) cells(ctx context.Context, f geotag.ReportFilter, zoom, min int) (_ []geotag.Cell, err error) {
	defer unavailable(&err)
	if zoom < 0 || zoom > 24 {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "zoom", "zoom must be within 0…24")
	}
	c, err := compile(f)
	if err != nil {
		return nil, err
	}
	size := cellSize(zoom + 3)
	acc := map[[2]int32]cellSum{}
	put := func(x, y int32, s cellSum) {
		a := acc[[2]int32{x, y}]
		a.plus(s)
		acc[[2]int32{x, y}] = a
	}
	dense := false
	if min >= 0 && zoom <= 9 && c.onlyBoxTime && dayAligned(f) {
		// The counts of the cells inside the view say whether it is
		// dense, without counting its reports.
		if dense, err = db.cellCounts(ctx, c, zoom, min, acc, put); err != nil {
			return nil, err
		}
	}
	if !dense {
		clear(acc)
		if err := db.groupCells(ctx, c, size, 0, put); err != nil {
			return nil, err
		}
	}
	out := make([]geotag.Cell, 0, len(acc))
	for _, a := range acc {
		if a.n > 0 {
			out = append(out, a.cell())
		}
	}
	slices.SortFunc(out, func(a, b geotag.Cell) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if a.Lat != b.Lat {
			return cmpFloat(a.Lat, b.Lat)
		}
		return cmpFloat(a.Lon, b.Lon)
	})
	return out, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// groupCells groups c's located matches in squares size degrees wide,
// shifted right by shift bits, in SQL.
func (db *DB) groupCells(ctx context.Context, c *cond, size float64, shift int, put func(x, y int32, s cellSum)) error {
	q := c.clone()
	s := q.arg(size)
	rows, err := db.pool.Query(ctx, `SELECT floor((lon + 180) / `+s+`)::int >> `+strconv.Itoa(shift)+
		`, floor((lat + 90) / `+s+`)::int >> `+strconv.Itoa(shift)+`, count(*), sum(lat), sum(lon), `+mixCountsSQL+`
		FROM reports WHERE lat IS NOT NULL AND `+q.sql()+` GROUP BY 1, 2`, q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var x, y int32
		var sum cellSum
		if err := rows.Scan(append([]any{&x, &y}, sum.scanTargets()...)...); err != nil {
			return err
		}
		put(x, y, sum)
	}
	return rows.Err()
}

// dayAligned reports whether f's time bounds, if any, are UTC midnights.
func dayAligned(f geotag.ReportFilter) bool {
	ok := func(t interface{ Unix() int64 }) bool { return floorMod(t.Unix(), 86400) == 0 }
	if f.From != nil && (f.From.Nanosecond() != 0 || !ok(*f.From)) {
		return false
	}
	if f.To != nil && (f.To.Nanosecond() != 0 || !ok(*f.To)) {
		return false
	}
	return true
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// levelFor is the coarsest cell level whose cells nest in zoom's squares.
func levelFor(zoom int) int {
	for _, lv := range cellLevels {
		if lv >= zoom+3 {
			return lv
		}
	}
	return cellLevels[len(cellLevels)-1]
}

// inner is the range of level cells lying wholly inside b; ok is false
// when there is none.
func inner(b geotag.BBox, w float64) (x0, y0, x1, y1 int64, ok bool) {
	x0, x1 = int64(math.Ceil((b.W+180)/w)), int64(math.Floor((b.E+180)/w))-1
	y0, y1 = int64(math.Ceil((b.S+90)/w)), int64(math.Floor((b.N+90)/w))-1
	return x0, y0, x1, y1, x0 <= x1 && y0 <= y1
}

// cellCounts answers a dense view from the cell-day counts: for each box
// of the bbox (the world without one), the level cells wholly inside it
// are read from cellday; when they hold at least least reports, the matches
// outside them (the strips along the box's edges) are grouped from the
// reports, cell by cell exactly as the walk groups them, and it reports
// true; else it stops there and reports false.
func (db *DB) cellCounts(ctx context.Context, c *cond, zoom, least int, acc map[[2]int32]cellSum, put func(x, y int32, s cellSum)) (bool, error) {
	lv := levelFor(zoom)
	shift := lv - zoom - 3
	w := cellSize(lv)
	enough := func() bool {
		var n int64
		for _, a := range acc {
			n += a.n
		}
		return n >= int64(least)
	}
	return db.eachInner(ctx, c, lv, false, func(q *cond, cells string) error {
		rows, err := db.pool.Query(ctx, `SELECT cx >> `+strconv.Itoa(shift)+`, cy >> `+strconv.Itoa(shift)+
			`, sum(n), sum(slat), sum(slon), `+mixSumsSQL+` FROM cellday WHERE `+cells+` GROUP BY 1, 2 HAVING sum(n) <> 0`, q.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var x, y int32
			var s cellSum
			if err := rows.Scan(append([]any{&x, &y}, s.scanTargets()...)...); err != nil {
				return err
			}
			put(x, y, s)
		}
		return rows.Err()
	}, enough, func(edge *cond) error {
		return db.groupCells(ctx, edge, w, shift, put)
	})
}

// eachInner splits a countable view at level lv: for each box it calls
// cells with a condition on cellday selecting the inner cells and the
// time window (and the arguments in q; with perDay, the day rows of the
// window whatever its length); then, if enough says so, edge with c
// restricted to each box's matches outside its inner cells. It reports
// whether it went on to the edges.
func (db *DB) eachInner(ctx context.Context, c *cond, lv int, perDay bool, cells func(q *cond, where string) error,
	enough func() bool, edge func(*cond) error) (bool, error) {
	boxes := c.boxes
	if boxes == nil {
		boxes = []geotag.BBox{{W: -180, S: -90, E: 180, N: 90}}
	}
	w := cellSize(lv)
	var edges []*cond
	for _, b := range boxes {
		x0, y0, x1, y1, ok := inner(b, w)
		e := c.clone()
		if len(c.boxes) > 1 {
			e.and(e.boxSQL(b))
		}
		edges = append(edges, e)
		if !ok {
			continue
		}
		q := &cond{}
		where := "level = " + q.arg(int16(lv)) + " AND cx BETWEEN " + q.arg(x0) + " AND " + q.arg(x1) +
			" AND cy BETWEEN " + q.arg(y0) + " AND " + q.arg(y1) + " AND "
		if perDay {
			where += dayRows(q, c.f)
		} else {
			where += timeRows(q, c.f)
		}
		if err := cells(q, where); err != nil {
			return false, err
		}
		ws := e.arg(w)
		e.and("NOT (floor((lon + 180) / " + ws + ") BETWEEN " + e.arg(x0) + " AND " + e.arg(x1) +
			" AND floor((lat + 90) / " + ws + ") BETWEEN " + e.arg(y0) + " AND " + e.arg(y1) + ")")
		// The strips, for the GiST index (a little wider than the cells'
		// edges; the condition above decides): reports_lonlat would read
		// the whole width of the box for the strips along its south and
		// north edges.
		const eps = 1e-9
		ix0, ix1 := float64(x0)*w-180, float64(x1+1)*w-180
		iy0, iy1 := float64(y0)*w-90, float64(y1+1)*w-90
		var strips []string
		for _, s := range []geotag.BBox{
			{W: b.W, S: b.S, E: math.Min(ix0+eps, b.E), N: b.N},
			{W: math.Max(ix1-eps, b.W), S: b.S, E: b.E, N: b.N},
			{W: b.W, S: b.S, E: b.E, N: math.Min(iy0+eps, b.N)},
			{W: b.W, S: math.Max(iy1-eps, b.S), E: b.E, N: b.N},
		} {
			strips = append(strips, "geom && ST_MakeEnvelope("+e.arg(s.W)+", "+e.arg(s.S)+", "+e.arg(s.E)+", "+e.arg(s.N)+", 4326)")
		}
		e.and("(" + strings.Join(strips, " OR ") + ")")
	}
	if !enough() {
		return false, nil
	}
	for _, e := range edges {
		if err := edge(e); err != nil {
			return false, err
		}
	}
	return true, nil
}

// timeRows is the cellday condition selecting f's time window (whole UTC
// days): the all-time rows without one, else the 32-day blocks inside the
// window and the days at its ends.
func timeRows(q *cond, f geotag.ReportFilter) string {
	if f.From == nil && f.To == nil {
		return "res = " + strconv.Itoa(resAll)
	}
	fd, td := dayWindow(f)
	days := func(lo, hi int64) string {
		return "(res = " + strconv.Itoa(resDay) + " AND t >= " + q.arg(lo) + "::bigint AND t < " + q.arg(hi) + "::bigint)"
	}
	bs, be := -floorDiv(-fd, blockDays), floorDiv(td, blockDays)
	if bs >= be {
		return days(fd, td)
	}
	return "(" + days(fd, bs*blockDays) + " OR (res = " + strconv.Itoa(resBlock) + " AND t >= " + q.arg(bs) +
		"::bigint AND t < " + q.arg(be) + "::bigint) OR " + days(be*blockDays, td) + ")"
}

// dayWindow is f's time window in days [fd, td), unbounded ends as far as
// cellday's days go.
func dayWindow(f geotag.ReportFilter) (fd, td int64) {
	fd, td = int64(math.MinInt32), int64(math.MaxInt32)+1
	if f.From != nil {
		fd = max(fd, floorDiv(f.From.Unix(), 86400))
	}
	if f.To != nil {
		td = min(td, floorDiv(f.To.Unix(), 86400))
	}
	return fd, td
}

// dayRows is the cellday condition selecting the day rows of f's window.
func dayRows(q *cond, f geotag.ReportFilter) string {
	fd, td := dayWindow(f)
	return "res = " + strconv.Itoa(resDay) + " AND t >= " + q.arg(fd) + "::bigint AND t < " + q.arg(td) + "::bigint"
}
