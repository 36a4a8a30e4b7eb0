package postgres

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// The cellday table counts located reports per grid cell and time span:
// level L is a grid of squares 360/2^L degrees wide (x from -180°, y from
// -90°); res resDay counts a UTC day (t: days since the epoch), resBlock a
// block of blockDays days (t: day/blockDays), resAll all time (t: 0). A
// map at zoom z shows squares of level z+3, so a level L ≥ z+3 answers it
// by shifting its cells right by L-z-3 bits.
var cellLevels = []int{6, 9, 12}

const (
	resDay    = 0
	resBlock  = 1
	resAll    = 2
	blockDays = 32
)

// cellSize is the width in degrees of a level's (or zoom+3's) squares.
func cellSize(level int) float64 { return 360 / float64(uint64(1)<<level) }

// cellOf is the square of a point at a level; zoom squares use the same
// arithmetic (Cells' walk and the bbolt store's), so that shifting a
// finer level's cell gives the zoom square.
func cellOf(size, lat, lon float64) (x, y int32) {
	return int32((lon + 180) / size), int32((lat + 90) / size)
}

type cellKey struct {
	level, res int16
	t, x, y    int32
}

// cellSum is a count of reports, the sums of their positions, and the
// count split by precision class (prec[c-1], geotag.PrecisionClass) and
// by event type code (types[code]), as the map's clusters show them.
type cellSum struct {
	n          int64
	slat, slon float64
	prec       [3]int64
	types      [len(geotag.EventTypes) + 1]int64
}

// plus adds b to a.
func (a *cellSum) plus(b cellSum) {
	a.n, a.slat, a.slon = a.n+b.n, a.slat+b.slat, a.slon+b.slon
	for i := range a.prec {
		a.prec[i] += b.prec[i]
	}
	for i := range a.types {
		a.types[i] += b.types[i]
	}
}

// cell is a's cluster: its count, mean position and breakdowns.
func (a *cellSum) cell() geotag.Cell {
	c := geotag.Cell{Lat: a.slat / float64(a.n), Lon: a.slon / float64(a.n), Count: int(a.n)}
	for i, n := range a.prec {
		c.Precision[i] = int(n)
	}
	for i, n := range a.types {
		c.EventTypes[i] = int(n)
	}
	return c
}

// The split columns of cellday (p1…p3 by precision class, e0…e6 by event
// type code), their sums over cellday rows and their counts over reports
// rows, in cellSum's order; scanTargets points at a cellSum's fields in
// the order of a select of n, the position sums and then these.
var (
	mixCols        = []string{"p1", "p2", "p3", "e0", "e1", "e2", "e3", "e4", "e5", "e6"}
	mixSumsSQL     = mixSQL(func(c string) string { return "sum(" + c + ")::bigint" })
	mixCountsSQL   = mixSQL(func(c string) string { return "count(*) FILTER (WHERE " + mixCond(c) + ")" })
	mixColumnsList = strings.Join(mixCols, ", ")
)

func mixSQL(f func(col string) string) string {
	parts := make([]string, len(mixCols))
	for i, c := range mixCols {
		parts[i] = f(c)
	}
	return strings.Join(parts, ", ")
}

// mixCond is the condition on a reports row that counts it in split
// column col.
func mixCond(col string) string {
	if col[0] == 'p' {
		return "precision_class = " + col[1:]
	}
	return "event_code = " + col[1:]
}

func (a *cellSum) scanTargets() []any {
	ts := []any{&a.n, &a.slat, &a.slon}
	for i := range a.prec {
		ts = append(ts, &a.prec[i])
	}
	for i := range a.types {
		ts = append(ts, &a.types[i])
	}
	return ts
}

// cellDeltas are changes to cellday rows.
type cellDeltas map[cellKey]cellSum

// add adds sign times r (when it has a location) to every level and
// resolution.
func (d cellDeltas) add(r *geotag.Report, sign int64) {
	l := r.Location
	if l == nil {
		return
	}
	day := floorDiv(r.Time.Unix(), 86400)
	day = min(max(day, math.MinInt32), math.MaxInt32)
	for _, lv := range cellLevels {
		x, y := cellOf(cellSize(lv), l.Lat, l.Lon)
		for _, k := range []cellKey{
			{int16(lv), resDay, int32(day), x, y},
			{int16(lv), resBlock, int32(floorDiv(day, blockDays)), x, y},
			{int16(lv), resAll, 0, x, y},
		} {
			s := d[k]
			s.n += sign
			s.slat += float64(sign) * l.Lat
			s.slon += float64(sign) * l.Lon
			s.prec[geotag.PrecisionClass(l.Precision)-1] += sign
			s.types[geotag.EventTypeCode(r.EventType)] += sign
			d[k] = s
		}
	}
}

// apply upserts the deltas in key order, one statement, so that writers
// lock cellday rows in the same order and never deadlock.
func (d cellDeltas) apply(ctx context.Context, tx pgx.Tx) error {
	keys := make([]cellKey, 0, len(d))
	for k, s := range d {
		if s != (cellSum{}) { // a move within a cell changes only the sums
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b cellKey) int {
		for _, c := range [][2]int32{{int32(a.level), int32(b.level)}, {int32(a.res), int32(b.res)}, {a.t, b.t}, {a.x, b.x}, {a.y, b.y}} {
			if c[0] != c[1] {
				return int(c[0]) - int(c[1])
			}
		}
		return 0
	})
	var lv, res []int16
	var ts, xs, ys []int32
	var ns []int64
	var slat, slon []float64
	mix := make([][]int64, len(mixCols))
	for _, k := range keys {
		s := d[k]
		lv, res, ts, xs, ys = append(lv, k.level), append(res, k.res), append(ts, k.t), append(xs, k.x), append(ys, k.y)
		ns, slat, slon = append(ns, s.n), append(slat, s.slat), append(slon, s.slon)
		for i, c := range append(s.prec[:], s.types[:]...) {
			mix[i] = append(mix[i], c)
		}
	}
	args := []any{lv, res, ts, xs, ys, ns, slat, slon}
	var arrays, updates []string
	for i, c := range mixCols {
		args = append(args, mix[i])
		arrays = append(arrays, "$"+strconv.Itoa(9+i)+"::bigint[]")
		updates = append(updates, c+" = cellday."+c+" + excluded."+c)
	}
	_, err := tx.Exec(ctx, `INSERT INTO cellday (level, res, t, cx, cy, n, slat, slon, `+mixColumnsList+`)
		SELECT * FROM unnest($1::smallint[], $2::smallint[], $3::int[], $4::int[], $5::int[], $6::bigint[], $7::float8[], $8::float8[], `+
		strings.Join(arrays, ", ")+`)
		ON CONFLICT (level, res, t, cx, cy) DO UPDATE SET n = cellday.n + excluded.n,
			slat = cellday.slat + excluded.slat, slon = cellday.slon + excluded.slon, `+strings.Join(updates, ", "),
		args...)
	return err
}
