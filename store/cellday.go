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
//	ag_cellday  level, cell, day  → count (uvarint), Σlat, Σlon (float64 each)
//
//	ag_cellday  level, cell, 1, block → the same, for 32-day blocks
//
// one key per cell of every cell level and UTC day (days since the epoch,
// sign-flipped big-endian, after a 0 byte) that has located reports, and
// one per cell and block of 32 days (day/32, after a 1 byte), so that a
// long time window reads a key per cell and month rather than per day. It is derived from
// ix_cell, kept in the same transaction as the records, rebuilt by Reindex
// and checked by Verify.
var bucketCellDay = []byte("ag_cellday")

const (
	cellDayKeyLen = 1 + 4 + 1 + 4
	resDay        = 0  // the key's time is a day
	resBlock      = 1  // the key's time is a block of blockDays days
	blockDays     = 32 // days per block
)

// cellDay is one aggregate: a count and the sums of its positions.
type cellDay struct {
	n        int64
	lat, lon float64
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

func appendDay(dst []byte, d int64) []byte {
	return binary.BigEndian.AppendUint32(dst, uint32(int32(d))^(1<<31))
}

// cellDayKey is the aggregate key of an ix_cell key (level, cell,
// position) at resolution res.
func cellDayKey(ixKey []byte, res byte) []byte {
	t := dayOf(ixKey[5:])
	if res == resBlock {
		t = floorDiv(t, blockDays)
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
	v := binary.AppendUvarint(make([]byte, 0, 26), uint64(a.n))
	v = binary.LittleEndian.AppendUint64(v, math.Float64bits(a.lat))
	return binary.LittleEndian.AppendUint64(v, math.Float64bits(a.lon))
}

func decodeCellDay(v []byte) (cellDay, bool) {
	n, k := binary.Uvarint(v)
	if k <= 0 || len(v) != k+16 {
		return cellDay{}, false
	}
	return cellDay{n: int64(n),
		lat: math.Float64frombits(binary.LittleEndian.Uint64(v[k:])),
		lon: math.Float64frombits(binary.LittleEndian.Uint64(v[k+8:]))}, true
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
		for _, res := range []byte{resDay, resBlock} {
			ck := string(cellDayKey(k.key, res))
			a := d[ck]
			a.n += sign
			a.lat += float64(sign) * lat
			a.lon += float64(sign) * lon
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
		if delta.n == 0 && delta.lat == 0 && delta.lon == 0 {
			continue
		}
		var a cellDay
		if v := b.Get([]byte(k)); v != nil {
			var ok bool
			if a, ok = decodeCellDay(v); !ok {
				return fmt.Errorf("store: malformed %s value at %x", bucketCellDay, k)
			}
		}
		a.n += delta.n
		a.lat += delta.lat
		a.lon += delta.lon
		var err error
		switch {
		case a.n < 0:
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
// (a cell's days, then its blocks), holding one cell's blocks in memory.
func scanCellDays(tx *bolt.Tx, fn func(k []byte, a cellDay) error) error {
	var day []byte
	var a cellDay
	type block struct {
		k []byte
		a cellDay
	}
	var blocks []block
	flush := func(all bool) error {
		if day != nil {
			if err := fn(day, a); err != nil {
				return err
			}
			day, a = nil, cellDay{}
		}
		if all {
			for _, b := range blocks {
				if err := fn(b.k, b.a); err != nil {
					return err
				}
			}
			blocks = blocks[:0]
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
		a.n++
		a.lat += lat
		a.lon += lon
		bk := cellDayKey(k, resBlock)
		if len(blocks) == 0 || !bytes.Equal(blocks[len(blocks)-1].k, bk) {
			blocks = append(blocks, block{k: bk})
		}
		b := &blocks[len(blocks)-1]
		b.a.n++
		b.a.lat += lat
		b.a.lon += lon
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
		if !ok || got.n != a.n || !close(got.lat, a.lat, a.n) || !close(got.lon, a.lon, a.n) {
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

// cellCountMin is the number of reports a view must hold for Cells to
// answer from the cell-day counts: Cells walks up to that many first, and
// a smaller view is answered by that walk, as fast and with its means
// summed in walk order.
const cellCountMin = 30000

// countable reports whether cellCounts can answer q at zoom.
func (q *query) countable(zoom int) bool {
	if q.f.PlaceID != 0 || q.tag != "" || q.q != "" || q.hasSt || zoom+3 > int(cellLevels[len(cellLevels)-1]) {
		return false
	}
	dayAligned := func(t *time.Time) bool {
		return t == nil || (t.Unix()%86400 == 0 && t.Nanosecond() == 0)
	}
	return dayAligned(q.f.From) && dayAligned(q.f.To)
}

// cellCounts answers Cells from the cell-day counts when the filter is a
// bbox and a time window on UTC day boundaries only, and the zoom's
// squares are made of whole cells of one level (zoom ≤ 9). Cells inside the
// bbox are read from the counts, one key per cell and 32-day block inside
// the window and per day at its ends, with one cursor that seeks past empty
// cells; cells on the bbox's edge are walked on ix_cell. It calls put for each cell's (or edge report's) contribution to
// the zoom square (x, y) and reports whether it answered; when it did not,
// it has not called put. The answers equal the walk's but for the rounding
// of the sums and for reports at exactly 90° N or 180° E, which the walk
// puts in a square of their own and the counts in the square below or
// left of it.
func (q *query) cellCounts(tx *bolt.Tx, zoom int, size float64,
	put func(x, y int32, n int64, lat, lon float64)) (bool, error) {
	if !q.countable(zoom) {
		return false, nil
	}
	var lv uint8
	for _, l := range cellLevels {
		if int(l) >= zoom+3 {
			lv = l
			break
		}
	}
	if lv == 0 {
		return false, nil
	}
	boxes := q.boxes
	if boxes == nil {
		boxes = []geotag.BBox{{W: -180, S: -90, E: 180, N: 90}}
	}
	n := float64(uint32(1) << lv)
	cw, ch := 360/n, 180/n
	const eps = 1e-9
	// Per box, the rectangle of cells it covers and, inside it, the
	// rectangle of whole cells (empty when xa > xb or ya > yb).
	type rect struct{ x0, y0, x1, y1, xa, ya, xb, yb int64 }
	var rects []rect
	var covered int64
	for _, b := range boxes {
		x0, y0 := cellXY(lv, b.S, b.W)
		x1, y1 := cellXY(lv, b.N, b.E)
		r := rect{x0: int64(x0), y0: int64(y0), x1: int64(x1), y1: int64(y1)}
		r.xa, r.ya, r.xb, r.yb = r.x0, r.y0, r.x1, r.y1
		if !(b.W <= -180 || b.W <= -180+float64(x0)*cw-eps) {
			r.xa++
		}
		if !(b.E >= 180 || b.E >= -180+float64(x1+1)*cw+eps) {
			r.xb--
		}
		if !(b.S <= -90 || b.S <= -90+float64(y0)*ch-eps) {
			r.ya++
		}
		if !(b.N >= 90 || b.N >= -90+float64(y1+1)*ch+eps) {
			r.yb--
		}
		covered += (r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1)
		rects = append(rects, r)
	}
	if covered > 1<<20 {
		return false, nil
	}
	isWhole := func(x, y int64) bool {
		for _, r := range rects {
			if x >= r.xa && x <= r.xb && y >= r.ya && y <= r.yb {
				return true
			}
		}
		return false
	}
	// nextWhole is the key of the first whole cell at or after the cell key
	// ck, in key order (rows, then columns).
	nextWhole := func(ck int64) (int64, bool) {
		x, y := ck&(1<<lv-1), ck>>lv
		best, found := int64(0), false
		for _, r := range rects {
			if r.xa > r.xb || r.ya > r.yb || y > r.yb {
				continue
			}
			var c int64
			switch {
			case y < r.ya:
				c = r.ya<<lv | r.xa
			case x <= r.xa:
				c = y<<lv | r.xa
			case x <= r.xb:
				c = ck
			case y < r.yb:
				c = (y+1)<<lv | r.xa
			default:
				continue
			}
			if !found || c < best {
				best, found = c, true
			}
		}
		return best, found
	}
	// The edge cells: covered, not whole.
	var edge [][]byte
	seen := map[int64]bool{}
	for _, r := range rects {
		for y := r.y0; y <= r.y1; y++ {
			for x := r.x0; x <= r.x1; x++ {
				if x > r.x0 && x < r.x1 && y > r.y0 && y < r.y1 {
					x = r.x1 - 1 // interior: whole
					continue
				}
				if ck := y<<lv | x; !seen[ck] && !isWhole(x, y) {
					seen[ck] = true
					edge = append(edge, cellPrefix(nil, lv, uint32(x), uint32(y)))
				}
			}
		}
	}
	var loDay, hiDay int64 = math.MinInt32, math.MaxInt32
	if q.f.From != nil {
		loDay = q.f.From.Unix() / 86400
	}
	if q.f.To != nil {
		hiDay = q.f.To.Unix() / 86400
	}
	type part struct {
		x, y     int32
		n        int64
		lat, lon float64
	}
	var parts []part
	var total int64
	// Each whole cell's days at the window's ends and blocks within it.
	type span struct {
		res      byte
		from, to int64 // [from, to)
	}
	spans := []span{{resDay, loDay, hiDay}}
	if bLo, bHi := -floorDiv(-loDay, blockDays), floorDiv(hiDay, blockDays); bLo < bHi {
		spans = []span{{resDay, loDay, bLo * blockDays}, {resDay, bHi * blockDays, hiDay}, {resBlock, bLo, bHi}}
	}
	inSpan := func(res byte, t int64) (in bool, next int64, nextRes byte, ok bool) {
		for _, sp := range spans {
			if sp.res < res || sp.from >= sp.to || (sp.res == res && t >= sp.to) {
				continue
			}
			if sp.res == res && t >= sp.from {
				return true, 0, 0, true
			}
			return false, sp.from, sp.res, true
		}
		return false, 0, 0, false
	}
	// One cursor walks the level's keys forward, seeking past the keys of
	// other cells and times: empty cells cost nothing.
	c := tx.Bucket(bucketCellDay).Cursor()
	var seek []byte
	p := part{}
	pcell := int64(-1)
	flushPart := func() {
		if pcell >= 0 && p.n > 0 {
			parts = append(parts, p)
			total += p.n
		}
		p, pcell = part{}, -1
	}
	var k, v []byte
	if first, ok := nextWhole(0); ok {
		k, v = c.Seek(binary.BigEndian.AppendUint32(append(seek[:0], lv), uint32(first)))
	}
	for k != nil {
		if len(k) != cellDayKeyLen || k[0] != lv {
			break
		}
		ck := int64(binary.BigEndian.Uint32(k[1:5]))
		next, ok := nextWhole(ck)
		if !ok {
			break
		}
		if next != ck { // not a whole cell: on to the next one
			seek = binary.BigEndian.AppendUint32(append(seek[:0], lv), uint32(next))
			k, v = c.Seek(seek)
			continue
		}
		if pcell != ck {
			flushPart()
			x, y := ck&(1<<lv-1), ck>>lv
			p.x = int32((-180 + (float64(x)+0.5)*cw + 180) / size)
			p.y = int32((-90 + (float64(y)+0.5)*ch + 90) / size)
			pcell = ck
		}
		res, t := k[5], int64(int32(binary.BigEndian.Uint32(k[6:])^(1<<31)))
		in, nt, nextRes, more := inSpan(res, t)
		switch {
		case in:
			a, ok := decodeCellDay(v)
			if !ok {
				return false, geotag.Errorf(geotag.EINTERNAL, "store: malformed %s value at %x", bucketCellDay, k)
			}
			p.n += a.n
			p.lat += a.lat
			p.lon += a.lon
			k, v = c.Next()
		case more:
			seek = appendDay(append(append(seek[:0], k[:5]...), nextRes), nt)
			k, v = c.Seek(seek)
		default: // past the cell's spans
			if ck+1 >= 1<<(2*lv) {
				k = nil
				break
			}
			seek = binary.BigEndian.AppendUint32(append(seek[:0], lv), uint32(ck+1))
			k, v = c.Seek(seek)
		}
	}
	flushPart()
	for _, p := range parts {
		put(p.x, p.y, p.n, p.lat, p.lon)
	}
	if len(edge) == 0 {
		return true, nil
	}
	sq := *q
	sq.bucket, sq.prefixes, sq.decode = bucketCell, edge, false
	return true, sq.each(tx, func(m *match) error {
		lat, lon, ok := entryLatLon(m.e)
		if ok {
			put(int32((lon+180)/size), int32((lat+90)/size), 1, lat, lon)
		}
		return nil
	})
}
