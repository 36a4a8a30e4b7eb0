package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// The ag_cellday bucket holds precomputed counts for the map's dense views:
//
//	ag_cellday  level, cell, day  → count (uvarint), Σlat, Σlon (float64 each),
//	                                 counts by precision class (3 uvarints),
//	                                 counts by event type code (uvarints)
//
//	ag_cellday  level, cell, 1, block → the same, for 32-day blocks
//
//	ag_cellday  level, cell, 2, 0     → the same, for all time
//
// one key per cell of every cell level and UTC day (days since the epoch,
// sign-flipped big-endian, after a 0 byte) that has located reports, one
// per cell and block of 32 days (day/32, after a 1 byte), so that a long
// time window reads a key per cell and month rather than per day, and one
// per cell for all time (after a 2 byte), which a view without a time
// window reads. It is derived from
// ix_cell, kept in the same transaction as the records, rebuilt by Reindex
// and checked by Verify.
var bucketCellDay = []byte("ag_cellday")

const (
	cellDayKeyLen = 1 + 4 + 1 + 4
	resDay        = 0  // the key's time is a day
	resBlock      = 1  // the key's time is a block of blockDays days
	resAll        = 2  // the key's time is 0: all time
	blockDays     = 32 // days per block
)

// cellDay is one aggregate: a count, the sums of its positions, and the
// count split by precision class (prec[c-1]) and by event type code
// (types[code]), as the map's clusters show them.
type cellDay struct {
	n        int64
	lat, lon float64
	prec     [3]int64
	types    [numEventCodes]int64
}

// addEntry adds sign (+1 or -1) times the report of the index entry e,
// located at lat, lon.
func (a *cellDay) addEntry(e []byte, lat, lon float64, sign int64) {
	p, t := entryMix(e)
	a.n += sign
	a.lat += float64(sign) * lat
	a.lon += float64(sign) * lon
	a.prec[p-1] += sign
	a.types[t] += sign
}

// plus adds b to a.
func (a *cellDay) plus(b cellDay) {
	a.n += b.n
	a.lat += b.lat
	a.lon += b.lon
	for i := range a.prec {
		a.prec[i] += b.prec[i]
	}
	for i := range a.types {
		a.types[i] += b.types[i]
	}
}

// negative reports whether a count of a is below zero.
func (a *cellDay) negative() bool {
	if a.n < 0 || slices.Min(a.prec[:]) < 0 {
		return true
	}
	return slices.Min(a.types[:]) < 0
}

// cell is a's cluster: its count, mean position and breakdowns.
func (a *cellDay) cell() geotag.Cell {
	c := geotag.Cell{Lat: a.lat / float64(a.n), Lon: a.lon / float64(a.n), Count: int(a.n)}
	for i, n := range a.prec {
		c.Precision[i] = int(n)
	}
	for i, n := range a.types {
		c.EventTypes[i] = int(n)
	}
	return c
}

// sameCounts reports whether a and b hold the same counts.
func (a *cellDay) sameCounts(b cellDay) bool {
	return a.n == b.n && a.prec == b.prec && a.types == b.types
}

// dayOf is the UTC day of a position's time, in days since the epoch.
func dayOf(pos []byte) int64 {
	sec := int64(binary.BigEndian.Uint64(pos) ^ (1 << 63))
	d := sec / 86400
	if sec%86400 < 0 {
		d--
	}
	return d
}

// appendDay appends the key bytes of day d, clamped to the int32 days the
// keys hold (±5.8 million years: only corrupt times are outside).
func appendDay(dst []byte, d int64) []byte {
	d = min(max(d, math.MinInt32), math.MaxInt32)
	return binary.BigEndian.AppendUint32(dst, uint32(int32(d))^(1<<31))
}

// cellDayKey is the aggregate key of an ix_cell key (level, cell,
// position) at resolution res.
func cellDayKey(ixKey []byte, res byte) []byte {
	t := dayOf(ixKey[5:])
	switch res {
	case resBlock:
		t = floorDiv(t, blockDays)
	case resAll:
		t = 0
	}
	return appendDay(append(append(make([]byte, 0, cellDayKeyLen), ixKey[:5]...), res), t)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func encodeCellDay(a cellDay) []byte {
	v := binary.AppendUvarint(make([]byte, 0, 36), uint64(a.n))
	v = binary.LittleEndian.AppendUint64(v, math.Float64bits(a.lat))
	v = binary.LittleEndian.AppendUint64(v, math.Float64bits(a.lon))
	for _, c := range a.prec {
		v = binary.AppendUvarint(v, uint64(c))
	}
	for _, c := range a.types {
		v = binary.AppendUvarint(v, uint64(c))
	}
	return v
}

func decodeCellDay(v []byte) (cellDay, bool) {
	n, k := binary.Uvarint(v)
	if k <= 0 || len(v) < k+16 {
		return cellDay{}, false
	}
	a := cellDay{n: int64(n),
		lat: math.Float64frombits(binary.LittleEndian.Uint64(v[k:])),
		lon: math.Float64frombits(binary.LittleEndian.Uint64(v[k+8:]))}
	v = v[k+16:]
	next := func() int64 {
		c, k := binary.Uvarint(v)
		if k <= 0 {
			v = nil
			return -1
		}
		v = v[k:]
		return int64(c)
	}
	for i := range a.prec {
		a.prec[i] = next()
	}
	for i := range a.types {
		a.types[i] = next()
	}
	if v == nil || len(v) != 0 || a.negative() {
		return cellDay{}, false
	}
	return a, true
}

// addCellDays adds sign (+1 or -1) times the ix_cell keys among keys to
// the deltas d.
func addCellDays(d map[string]cellDay, keys []indexKey, sign int64) {
	for _, k := range keys {
		if !bytes.Equal(k.bucket, bucketCell) || len(k.key) != 5+posLen {
			continue
		}
		lat, lon, ok := entryLatLon(k.value)
		if !ok {
			continue
		}
		for _, res := range []byte{resDay, resBlock, resAll} {
			ck := string(cellDayKey(k.key, res))
			a := d[ck]
			a.addEntry(k.value, lat, lon, sign)
			d[ck] = a
		}
	}
}

// applyCellDays adds the deltas d to the bucket, deleting keys whose count
// drops to zero.
func applyCellDays(tx *bolt.Tx, d map[string]cellDay) error {
	b := tx.Bucket(bucketCellDay)
	// In key order, as Import puts its index keys: a large transaction's
	// random-order puts would shift growing nodes.
	for _, k := range slices.Sorted(maps.Keys(d)) {
		delta := d[k]
		if delta == (cellDay{}) {
			continue
		}
		var a cellDay
		if v := b.Get([]byte(k)); v != nil {
			var ok bool
			if a, ok = decodeCellDay(v); !ok {
				return fmt.Errorf("store: malformed %s value at %x", bucketCellDay, k)
			}
		}
		a.plus(delta)
		var err error
		switch {
		case a.negative():
			return fmt.Errorf("store: %s count below zero at %x", bucketCellDay, k)
		case a.n == 0:
			err = b.Delete([]byte(k))
		default:
			err = b.Put([]byte(k), encodeCellDay(a))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// scanCellDays walks ix_cell in key order, where one cell's keys are in
// time order, and calls fn with each aggregate it makes up, in key order
// (a cell's days, then its blocks, then its all-time total), holding one
// cell's blocks in memory.
func scanCellDays(tx *bolt.Tx, fn func(k []byte, a cellDay) error) error {
	var day []byte
	var a cellDay
	type block struct {
		k []byte
		a cellDay
	}
	var blocks []block
	var total block
	flush := func(cellDone bool) error {
		if day != nil {
			if err := fn(day, a); err != nil {
				return err
			}
			day, a = nil, cellDay{}
		}
		if cellDone {
			for _, b := range blocks {
				if err := fn(b.k, b.a); err != nil {
					return err
				}
			}
			blocks = blocks[:0]
			if total.k != nil {
				if err := fn(total.k, total.a); err != nil {
					return err
				}
			}
			total = block{}
		}
		return nil
	}
	c := tx.Bucket(bucketCell).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 5+posLen {
			continue
		}
		lat, lon, ok := entryLatLon(v)
		if !ok {
			continue
		}
		dk := cellDayKey(k, resDay)
		if day != nil && !bytes.Equal(dk, day) {
			if err := flush(!bytes.Equal(dk[:5], day[:5])); err != nil {
				return err
			}
		}
		day = dk
		a.addEntry(v, lat, lon, 1)
		bk := cellDayKey(k, resBlock)
		if len(blocks) == 0 || !bytes.Equal(blocks[len(blocks)-1].k, bk) {
			blocks = append(blocks, block{k: bk})
		}
		blocks[len(blocks)-1].a.addEntry(v, lat, lon, 1)
		if total.k == nil {
			total.k = cellDayKey(k, resAll)
		}
		total.a.addEntry(v, lat, lon, 1)
	}
	return flush(true)
}

// rebuildCellDays recreates the bucket from ix_cell.
func rebuildCellDays(tx *bolt.Tx) error {
	if tx.Bucket(bucketCellDay) != nil {
		if err := tx.DeleteBucket(bucketCellDay); err != nil {
			return err
		}
	}
	b, err := tx.CreateBucket(bucketCellDay)
	if err != nil {
		return err
	}
	b.FillPercent = 1
	return scanCellDays(tx, func(k []byte, a cellDay) error { return b.Put(k, encodeCellDay(a)) })
}

// verifyCellDays recounts the bucket from ix_cell. Sums may differ from a
// recount by the rounding of the additions and subtractions that made them.
func verifyCellDays(tx *bolt.Tx, fail func(format string, args ...any) bool) {
	b := tx.Bucket(bucketCellDay)
	if b == nil {
		fail("bucket %s is missing", bucketCellDay)
		return
	}
	want := 0
	close := func(x, y float64, n int64) bool {
		return math.Abs(x-y) <= 1e-9*float64(n)*180
	}
	err := scanCellDays(tx, func(k []byte, a cellDay) error {
		want++
		got, ok := decodeCellDay(b.Get(k))
		if !ok || !got.sameCounts(a) || !close(got.lat, a.lat, a.n) || !close(got.lon, a.lon, a.n) {
			if fail("%s at %x is %+v, the cell index wants %+v", bucketCellDay, k, got, a) {
				return errStop
			}
		}
		return nil
	})
	if err != nil {
		return
	}
	if got := b.Stats().KeyN; got != want {
		fail("index %s has %d keys, the cell index wants %d", bucketCellDay, got, want)
	}
}

// cellCountMin is the number of reports a view must hold for Cells and
// Histogram to answer from the cell-day counts: they walk up to that many
// first, and a smaller view is answered by that walk, as fast and exact
// to the minute (Histogram) or summed in walk order (Cells).
const cellCountMin = 10000

// countable reports whether the cell-day counts can answer q at zoom: a
// bbox and a time window on UTC day boundaries, nothing else, and squares
// of zoom made of whole cells (zoom ≤ 9; 0 for questions without zoom).
func (q *query) countable(zoom int) bool {
	if q.f.PlaceID != 0 || q.tags.any() || q.f.Located != nil || q.q != "" || q.hasSt || q.ev.any() || zoom+3 > int(cellLevels[len(cellLevels)-1]) {
		return false
	}
	dayAligned := func(t *time.Time) bool {
		return t == nil || (t.Unix()%86400 == 0 && t.Nanosecond() == 0)
	}
	return dayAligned(q.f.From) && dayAligned(q.f.To)
}

// cellCounts answers Cells from the cell-day counts when q is countable
// and the zoom's squares are made of whole cells of one level (zoom ≤ 9).
// It calls put for each cell's (or edge report's) contribution to the zoom
// square (x, y) and reports whether it answered; when it did not, it has
// not called put. The answers equal the walk's but for the rounding of the
// sums and for reports at exactly 90° N or 180° E, which the walk puts in
// a square of their own and the counts in the square below or left of it.
func (q *query) cellCounts(tx *bolt.Tx, zoom int, size float64,
	put func(x, y int32, a cellDay)) (bool, error) {
	if !q.countable(zoom) {
		return false, nil
	}
	var minLevel uint8
	for _, l := range cellLevels {
		if int(l) >= zoom+3 {
			minLevel = l
			break
		}
	}
	if minLevel == 0 {
		return false, nil
	}
	return true, q.aggregate(tx, minLevel, false, func(lv uint8, x, y int64, _ byte, _ int64, a cellDay) {
		n := float64(uint32(1) << lv)
		cx, cy := -180+(float64(x)+0.5)*360/n, -90+(float64(y)+0.5)*180/n
		put(int32((cx+180)/size), int32((cy+90)/size), a)
	}, func(_, e []byte) {
		if lat, lon, ok := entryLatLon(e); ok {
			var a cellDay
			a.addEntry(e, lat, lon, 1)
			put(int32((lon+180)/size), int32((lat+90)/size), a)
		}
	})
}

// aggregate adds up the located reports matching the countable q: it
// calls agg with the counts of the cells wholly inside the bbox, and entry
// with the cell index entries of the reports in cells on its edge. Each
// box is cut into cells of the coarsest level from minLevel up whose cells
// fit in it, then of finer levels along its edges, so that a large view
// reads few keys and only the finest cells on its edge are walked. With
// days, agg gets a cell's counts per day in the window; without, its
// all-time count when there is no window, else its counts per day at the
// window's ends and per 32-day block within it. Every matching
// report is counted once: in one agg call or one entry call.
func (q *query) aggregate(tx *bolt.Tx, minLevel uint8, days bool,
	agg func(lv uint8, x, y int64, res byte, t int64, a cellDay), entry func(pos, e []byte)) error {
	boxes := q.boxes
	if boxes == nil {
		boxes = []geotag.BBox{{W: -180, S: -90, E: 180, N: 90}}
	}
	var loDay, hiDay int64 = math.MinInt32, math.MaxInt32
	if q.f.From != nil {
		loDay = max(loDay, min(hiDay, floorDiv(q.f.From.Unix(), 86400)))
	}
	if q.f.To != nil {
		hiDay = min(hiDay, max(loDay, floorDiv(q.f.To.Unix(), 86400)))
	}
	spans := []timeSpan{{resDay, loDay, hiDay}}
	bLo, bHi := -floorDiv(-loDay, blockDays), floorDiv(hiDay, blockDays)
	switch {
	case days:
	case q.f.From == nil && q.f.To == nil:
		spans = []timeSpan{{resAll, 0, 1}}
	case bLo < bHi:
		spans = []timeSpan{{resDay, loDay, bLo * blockDays}, {resDay, bHi * blockDays, hiDay}, {resBlock, bLo, bHi}}
	}
	var levels []uint8
	for _, l := range cellLevels {
		if l >= minLevel {
			levels = append(levels, l)
		}
	}
	for _, b := range boxes {
		var prev cellRect // the whole cells of the previous level, in its cells
		var prevLv uint8
		for i, lv := range levels {
			cover, whole := boxCells(b, lv)
			hole := cellRect{x0: 1, x1: 0} // empty
			if i > 0 && !prev.empty() {
				s := lv - prevLv
				hole = cellRect{prev.x0 << s, prev.y0 << s, (prev.x1+1)<<s - 1, (prev.y1+1)<<s - 1}
			}
			if err := q.readCellDays(tx, lv, cellFrame{whole, hole}, spans, agg); err != nil {
				return err
			}
			prev, prevLv = whole, lv
			if i == len(levels)-1 {
				if err := q.walkCells(tx, lv, cellFrame{cover, whole}, entry); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// timeSpan is a range [from, to) of days (resDay) or blocks (resBlock).
type timeSpan struct {
	res      byte
	from, to int64
}

// cellRect is the cells x0…x1 by y0…y1 of one level, empty when x0 > x1
// or y0 > y1.
type cellRect struct{ x0, y0, x1, y1 int64 }

func (r cellRect) empty() bool { return r.x0 > r.x1 || r.y0 > r.y1 }

func (r cellRect) has(x, y int64) bool { return x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1 }

// boxCells returns the cells of level lv that b covers, and among them
// those wholly inside it.
func boxCells(b geotag.BBox, lv uint8) (cover, whole cellRect) {
	n := float64(uint32(1) << lv)
	cw, ch := 360/n, 180/n
	const eps = 1e-9
	x0, y0 := cellXY(lv, b.S, b.W)
	x1, y1 := cellXY(lv, b.N, b.E)
	cover = cellRect{int64(x0), int64(y0), int64(x1), int64(y1)}
	whole = cover
	if !(b.W <= -180 || b.W <= -180+float64(x0)*cw-eps) {
		whole.x0++
	}
	if !(b.E >= 180 || b.E >= -180+float64(x1+1)*cw+eps) {
		whole.x1--
	}
	if !(b.S <= -90 || b.S <= -90+float64(y0)*ch-eps) {
		whole.y0++
	}
	if !(b.N >= 90 || b.N >= -90+float64(y1+1)*ch+eps) {
		whole.y1--
	}
	return cover, whole
}

// cellFrame is the cells of out that are not in hole.
type cellFrame struct{ out, hole cellRect }

// next returns the first cell of f at or after (x, y) in key order (rows,
// then columns), and false when there is none.
func (f cellFrame) next(x, y int64) (int64, int64, bool) {
	o, h := f.out, f.hole
	if o.empty() {
		return 0, 0, false
	}
	if y < o.y0 {
		x, y = o.x0, o.y0
	}
	for y <= o.y1 {
		x = max(x, o.x0)
		if x <= o.x1 {
			if !h.has(x, y) {
				return x, y, true
			}
			if x = h.x1 + 1; x <= o.x1 {
				return x, y, true
			}
		}
		x, y = o.x0, y+1
		if h.x0 <= o.x0 && h.x1 >= o.x1 && y >= h.y0 && y <= h.y1 {
			y = h.y1 + 1 // rows wholly in the hole
		}
	}
	return 0, 0, false
}

// cellKey is the key of cell (x, y) of level lv in ix_cell and ag_cellday.
func cellKey(lv uint8, x, y int64) int64 { return y<<lv | x }

// eachFrameCell walks a bucket whose keys start with a level and a cell
// key (ix_cell, ag_cellday) with its cursor c, seeking past the cells not
// in f and the keys below each cell's prefix + from. For each cell of f
// with keys there, it calls visit with the cell and the cursor's key and
// value at the cell's first such key; visit reads on with c and returns
// the key and value c stands at when it is done (in the cell or past it).
func eachFrameCell(c *bolt.Cursor, lv uint8, f cellFrame, from []byte,
	visit func(x, y int64, k, v []byte) ([]byte, []byte, error)) error {
	x, y, ok := f.next(0, 0)
	if !ok {
		return nil
	}
	var target []byte
	seek := func(ck int64) ([]byte, []byte) {
		target = append(binary.BigEndian.AppendUint32(append(target[:0], lv), uint32(ck)), from...)
		return c.Seek(target)
	}
	cellOf := func(k []byte) (int64, bool) {
		if len(k) < 5 || k[0] != lv {
			return 0, false
		}
		return int64(binary.BigEndian.Uint32(k[1:5])), true
	}
	mask := int64(1)<<lv - 1
	k, v := seek(cellKey(lv, x, y))
	for {
		ck, in := cellOf(k)
		if !in {
			return nil
		}
		if x, y, ok = f.next(ck&mask, ck>>lv); !ok {
			return nil
		}
		if want := cellKey(lv, x, y); want != ck || bytes.Compare(k[5:], from) < 0 {
			k, v = seek(want)
			continue
		}
		var err error
		if k, v, err = visit(x, y, k, v); err != nil {
			return err
		}
		if next, in := cellOf(k); in && next == ck { // visit stopped inside the cell
			if ck == mask<<lv|mask {
				return nil
			}
			k, v = seek(ck + 1)
		}
	}
}

// readCellDays calls agg with the counts of the cells of level lv in f,
// in the spans, walking the bucket with one cursor that seeks past the
// cells and times it does not want.
func (q *query) readCellDays(tx *bolt.Tx, lv uint8, f cellFrame, spans []timeSpan,
	agg func(lv uint8, x, y int64, res byte, t int64, a cellDay)) error {
	c := tx.Bucket(bucketCellDay).Cursor()
	target := make([]byte, 0, cellDayKeyLen)
	return eachFrameCell(c, lv, f, nil, func(x, y int64, k, v []byte) ([]byte, []byte, error) {
		for _, sp := range spans {
			if sp.from >= sp.to {
				continue
			}
			target = appendDay(append(append(target[:0], k[:5]...), sp.res), sp.from)
			if bytes.Compare(k, target) < 0 {
				k, v = c.Seek(target)
			}
			for ; len(k) == cellDayKeyLen && bytes.Equal(k[:5], target[:5]) && k[5] == sp.res; k, v = c.Next() {
				t := int64(int32(binary.BigEndian.Uint32(k[6:]) ^ (1 << 31)))
				if t >= sp.to {
					break
				}
				a, ok := decodeCellDay(v)
				if !ok {
					return nil, nil, geotag.Errorf(geotag.EINTERNAL, "store: malformed %s value at %x", bucketCellDay, k)
				}
				agg(lv, x, y, sp.res, t, a)
			}
		}
		return k, v, nil
	})
}

// walkCells calls entry with the ix_cell entries of the cells of level lv
// in f that match q, cell by cell, oldest first within one.
func (q *query) walkCells(tx *bolt.Tx, lv uint8, f cellFrame, entry func(pos, e []byte)) error {
	c := tx.Bucket(bucketCell).Cursor()
	return eachFrameCell(c, lv, f, q.lo, func(_, _ int64, k, v []byte) ([]byte, []byte, error) {
		prefix := k[:5]
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			pos := k[5:]
			if q.hi != nil && bytes.Compare(pos, q.hi) >= 0 {
				break
			}
			if len(pos) == posLen && len(v) == entryLen && q.keep(v) {
				entry(pos, v)
			}
		}
		return k, v, nil
	})
}
