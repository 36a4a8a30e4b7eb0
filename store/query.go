package store

import (
	"bytes"
	"container/heap"
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// Page sizes.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// TotalCap is where FindReports stops counting matches: a page's Total
// larger than that is given as TotalCap with TotalCapped set. Counting
// walks index entries only, so 10,000 costs a few milliseconds, while an
// exact count of a dense view walks hundreds of thousands.
const TotalCap = 10000

// maxCells bounds the cell cursors one bbox query merges.
const maxCells = 256

// query is a compiled ReportFilter.
type query struct {
	f      geotag.ReportFilter
	boxes  []geotag.BBox // the bbox, split at the antimeridian; nil for no bbox
	lo, hi []byte        // position bounds from the time window: lo ≤ pos < hi; nil for none
	status byte          // entry flags wanted when filtering by status (hasSt)
	hasSt  bool
	q      string // lower-cased text filter
	tags   tagSet // the tag filter (tagfilter.go)
	ev     eventFilter

	bucket   []byte   // the index walked
	prefixes [][]byte // its key prefixes, one cursor each
	decode   bool     // place, tag or text must be checked on the report
	evEntry  bool     // the event type and fatality conditions are checked on entry flags

	// t counts what walk and each read for the meter of the query's
	// context; nil when the query is not metered.
	t *tally
}

// meter makes q charge what it reads to ctx's geotag.Meter, if any. The
// query must then be walked by one goroutine at a time.
func (q *query) meter(ctx context.Context) {
	if t := newTally(ctx); t.m != nil {
		q.t = &t
	}
}

// read counts n bytes read by a metered query.
func (q *query) read(n int) {
	if q.t != nil {
		q.t.add(n)
	}
}

// done charges what a metered walk has read.
func (q *query) done() {
	if q.t != nil {
		q.t.flush()
	}
}

func compile(f geotag.ReportFilter) (*query, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	q := &query{f: f, q: strings.ToLower(f.Q), tags: newTagSet(f)}
	if f.From != nil {
		q.lo = appendTimeKey(nil, *f.From)
	}
	if f.To != nil {
		q.hi = appendTimeKey(nil, *f.To)
		if q.lo != nil && bytes.Compare(q.lo, q.hi) >= 0 {
			q.hi = q.lo // empty window
		}
	}
	switch f.Status {
	case "":
	case geotag.StatusReviewed:
		q.hasSt, q.status = true, entryReviewed
	case geotag.StatusUnreviewed:
		q.hasSt = true
	}
	if b := f.BBox; b != nil {
		q.boxes = b.Split()
	}

	q.ev = compileEvent(f)

	// Pick the index to walk: the most selective the filter names.
	switch {
	case f.PlaceID != 0:
		q.bucket, q.prefixes = bucketPlace, [][]byte{placePrefix(nil, f.PlaceID)}
	case q.tags.any():
		q.bucket, q.prefixes, q.tags.indexed = bucketTag, q.tags.prefixes(), true
	case q.ev.actor != "":
		q.bucket, q.prefixes = bucketActor, [][]byte{stringPrefix(nil, q.ev.actor)}
	case q.ev.indexed() && q.cellEventPlan():
		// A bbox with event types or a fatality range: only the
		// matching reports' keys in the cells in view.
	case q.ev.onEntry() && q.boxes != nil && q.cellPlan():
		// A bbox with event conditions the entries answer: the cells
		// in view, not every report of the type.
		q.evEntry = true
	case q.ev.indexed():
		q.bucket, q.prefixes = bucketEvent, q.ev.prefixes()
	case q.boxes != nil && q.cellPlan():
	case q.hasSt:
		q.bucket, q.prefixes = bucketStatus, [][]byte{stringPrefix(nil, f.Status)}
	default:
		q.bucket, q.prefixes = bucketTime, [][]byte{nil}
	}
	q.setDecode()
	return q, nil
}

// setDecode decides whether walking q.bucket must decode reports: for a
// place, tag or actor the walked index does not hold, a text, or event
// type and fatality conditions off the event index.
func (q *query) setDecode() {
	onPlace, onTag, onEvent := bytes.Equal(q.bucket, bucketPlace), bytes.Equal(q.bucket, bucketTag), q.onEventValues()
	onActor := bytes.Equal(q.bucket, bucketActor)
	q.decode = (q.f.PlaceID != 0 && !onPlace) || (q.tags.any() && !onTag) || q.q != "" ||
		(q.ev.actor != "" && !onActor) || (q.ev.indexed() && !onEvent && !q.evEntry)
}

// onEventValues reports whether the walked index's values carry the
// fatality count (the event and cell-event indexes), which answer the
// event type and fatality conditions.
func (q *query) onEventValues() bool {
	return bytes.Equal(q.bucket, bucketEvent) || bytes.Equal(q.bucket, bucketCellEv)
}

// entryOK reports whether an index value has the walked index's size and
// passes the filters checked without decoding.
func (q *query) entryOK(v []byte) bool {
	if q.onEventValues() {
		return len(v) == eventEntryLen && q.ev.keepValue(v) && q.ev.keepCode(v[0]) && q.keep(v[:entryLen])
	}
	return len(v) == entryLen && q.keep(v)
}

// cellPlan chooses the finest cell level whose cover of the bbox needs at
// most maxCells cells. A box covering more than a quarter of the level-4
// grid is walked on the time index instead, where it filters few reports.
func (q *query) cellPlan() bool {
	for i := len(cellLevels) - 1; i >= 0; i-- {
		cover := q.cover(cellLevels[i], maxCells)
		if cover == nil {
			continue
		}
		if i == 0 && len(cover) > maxCells/4 {
			return false
		}
		q.bucket, q.prefixes = bucketCell, cover
		return true
	}
	return false
}

// match is one report a query selects.
type match struct {
	pos []byte         // position: time and ID (valid during the transaction)
	e   []byte         // index entry
	r   *geotag.Report // decoded report, when the query had to decode it
}

func (m *match) id() []byte { return m.pos[timeLen:] }

// keep reports whether an index entry passes the filters checked without
// decoding.
func (q *query) keep(e []byte) bool {
	if q.hasSt && e[0]&entryReviewed != q.status {
		return false
	}
	if q.f.Located != nil {
		if _, _, ok := entryLatLon(e); ok != *q.f.Located {
			return false
		}
	}
	if q.evEntry && !q.ev.keepEntry(e[0]) {
		return false
	}
	if q.boxes != nil {
		lat, lon, ok := entryLatLon(e)
		if !ok {
			return false
		}
		in := false
		for _, b := range q.boxes {
			if b.Contains(lat, lon) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// keepReport checks the filters that need the report.
func (q *query) keepReport(r *geotag.Report) bool {
	if q.f.PlaceID != 0 && !bytes.Equal(q.bucket, bucketPlace) {
		found := false
		for _, id := range r.PlaceIDs() {
			if id == q.f.PlaceID {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if !q.tags.indexed && !q.tags.keepReport(r) {
		return false
	}
	if q.q != "" && !strings.Contains(strings.ToLower(r.Title), q.q) && !strings.Contains(strings.ToLower(r.Text), q.q) {
		return false
	}
	return q.ev.keepReport(r, q.onEventValues() || q.evEntry, bytes.Equal(q.bucket, bucketActor))
}

// errStop ends a walk early without error.
var errStop = errors.New("stop")

// walk calls fn for each match strictly below the position after (nil: from
// the newest), newest first, until fn returns errStop or an error.
func (q *query) walk(tx *bolt.Tx, after []byte, fn func(m *match) error) error {
	hi := q.hi
	if after != nil && (hi == nil || bytes.Compare(after, hi) < 0) {
		hi = after
	}
	b := tx.Bucket(q.bucket)
	reports := tx.Bucket(bucketReports)
	h := make(iterHeap, 0, len(q.prefixes))
	for i, p := range q.prefixes {
		it := &iter{c: b.Cursor(), prefix: p, lo: q.lo, n: i}
		if it.seek(hi) {
			h = append(h, it)
		}
	}
	heap.Init(&h)
	defer q.done()
	var m match
	for len(h) > 0 {
		it := h[0]
		q.read(len(it.k) + len(it.v))
		m = match{pos: it.k[len(it.prefix):], e: it.v}
		if len(m.pos) == posLen && q.entryOK(m.e) && q.tags.entryOK(b, it.n, m.pos) {
			if q.decode {
				v := reports.Get(m.id())
				if v == nil {
					return geotag.Errorf(geotag.EINTERNAL, "store: index %s points to missing report %s", q.bucket, idString(m.id()))
				}
				q.read(len(v) + recordCost)
				r, err := decodeReport(m.id(), v)
				if err != nil {
					return err
				}
				m.r = r
			}
			if m.r == nil || q.keepReport(m.r) {
				if err := fn(&m); err != nil {
					if err == errStop {
						return nil
					}
					return err
				}
			}
		}
		if it.prev() {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	return nil
}

// each calls fn for every match in no particular order (prefix by prefix,
// oldest first within one), until fn returns errStop or an error. Without
// walk's merge of the prefixes' cursors it costs a cursor step and the
// filters per index entry: the way to count.
func (q *query) each(tx *bolt.Tx, fn func(m *match) error) error {
	b := tx.Bucket(q.bucket)
	var reports *bolt.Bucket
	if q.decode {
		reports = tx.Bucket(bucketReports)
	}
	defer q.done()
	var m match
	var start []byte
	for n, p := range q.prefixes {
		c := b.Cursor()
		start = append(append(start[:0], p...), q.lo...)
		var k, v []byte
		if len(start) == 0 {
			k, v = c.First()
		} else {
			k, v = c.Seek(start)
		}
		for ; k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			q.read(len(k) + len(v))
			pos := k[len(p):]
			if q.hi != nil && bytes.Compare(pos, q.hi) >= 0 {
				break
			}
			if len(pos) != posLen || !q.entryOK(v) || !q.tags.entryOK(b, n, pos) {
				continue
			}
			m = match{pos: pos, e: v}
			if q.decode {
				rv := reports.Get(m.id())
				if rv == nil {
					return geotag.Errorf(geotag.EINTERNAL, "store: index %s points to missing report %s", q.bucket, idString(m.id()))
				}
				q.read(len(rv) + recordCost)
				r, err := decodeReport(m.id(), rv)
				if err != nil {
					return err
				}
				if !q.keepReport(r) {
					continue
				}
				m.r = r
			}
			if err := fn(&m); err != nil {
				if err == errStop {
					return nil
				}
				return err
			}
		}
	}
	return nil
}

// iter walks the keys of one prefix backwards, within [prefix+lo, prefix+hi).
type iter struct {
	c      *bolt.Cursor
	n      int // the prefix's index in query.prefixes
	prefix []byte
	lo     []byte
	k, v   []byte
}

// seek positions the iterator at the last key below prefix+hi (hi nil: the
// last key with the prefix). It reports whether there is one.
func (it *iter) seek(hi []byte) bool {
	var target []byte
	if hi != nil {
		target = append(bytes.Clone(it.prefix), hi...)
	} else {
		target = prefixEnd(it.prefix)
	}
	var k, v []byte
	if target == nil {
		k, v = it.c.Last()
	} else if k, _ = it.c.Seek(target); k == nil {
		k, v = it.c.Last()
	} else {
		k, v = it.c.Prev()
	}
	return it.set(k, v)
}

func (it *iter) prev() bool { return it.set(it.c.Prev()) }

func (it *iter) set(k, v []byte) bool {
	if k == nil || !bytes.HasPrefix(k, it.prefix) {
		return false
	}
	if it.lo != nil && bytes.Compare(k[len(it.prefix):], it.lo) < 0 {
		return false
	}
	it.k, it.v = k, v
	return true
}

// iterHeap orders iterators by position, greatest (newest) first.
type iterHeap []*iter

func (h iterHeap) Len() int { return len(h) }
func (h iterHeap) Less(i, j int) bool {
	return bytes.Compare(h[i].k[len(h[i].prefix):], h[j].k[len(h[j].prefix):]) > 0
}
func (h iterHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *iterHeap) Push(x any)   { *h = append(*h, x.(*iter)) }
func (h *iterHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// FindReports returns one page of the reports matching f, newest event
// time first (ties by ID, newest first), with the total number of matches:
// exact up to TotalCap, else TotalCap with TotalCapped set (the filter
// selecting everything is always counted exactly, from the stored count).
// Limit 0 means DefaultLimit; larger than MaxLimit means MaxLimit. Next is
// the cursor of the following page, "" on the last one. A cursor is a
// position, not an offset: pages stay free of duplicates and gaps while
// reports are added or deleted (a report added above the cursor shows up
// on a new first page, not in later pages). It returns EINVALID for a
// negative limit, an unknown status, an invalid bbox or a malformed cursor.
func (db *DB) FindReports(ctx context.Context, f geotag.ReportFilter) (geotag.ReportPage, error) {
	return db.findReports(ctx, f, true)
}

// PageReports is FindReports without the count: Total is 0 (the count
// walks up to TotalCap index entries, or decodes every report for a text
// search), so that a page after a cursor costs what its own reports cost,
// however deep in the walk it is. Order, cursor and errors are
// FindReports'. OGC clients following next links page this way.
func (db *DB) PageReports(ctx context.Context, f geotag.ReportFilter) (geotag.ReportPage, error) {
	return db.findReports(ctx, f, false)
}

func (db *DB) findReports(ctx context.Context, f geotag.ReportFilter, total bool) (geotag.ReportPage, error) {
	var page geotag.ReportPage
	var fetch [][]byte // IDs of page reports the walk did not decode
	var fetchAt []int  // and their places in the page
	err := db.walkPage(ctx, f, total, &page, func(_ *bolt.Tx, limit int) {
		page.Reports = make([]*geotag.Report, 0, min(limit, 1024))
	}, func(m *match) error {
		if m.r == nil { // read after the walk, in parallel
			fetch = append(fetch, bytes.Clone(m.id()))
			fetchAt = append(fetchAt, len(page.Reports))
		}
		page.Reports = append(page.Reports, m.r)
		return nil
	}, func(tx *bolt.Tx) error {
		return readReports(tx, fetch, fetchAt, page.Reports, geotag.MeterFrom(ctx))
	})
	if err != nil {
		return geotag.ReportPage{}, err
	}
	return page, nil
}

// SkipReports passes over the first n reports matching f, newest first,
// from f.Cursor's position when it is set (Limit is ignored), and returns
// the cursor of the position after them with the number passed over:
// fewer than n when the matches ran out, and then the cursor is "". It
// walks index entries only, unless the filter must read the reports (a
// text search, a place with a tag), so an OGC offset costs n index steps
// instead of n decoded reports. It returns EINVALID as FindReports does,
// or ctx's error.
func (db *DB) SkipReports(ctx context.Context, f geotag.ReportFilter, n int) (cursor string, skipped int, err error) {
	if n <= 0 {
		return f.Cursor, 0, ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		return "", 0, err
	}
	q, err := compile(f)
	if err != nil {
		return "", 0, err
	}
	q.meter(ctx)
	var after []byte
	if f.Cursor != "" {
		if after, err = decodeCursor(f.Cursor); err != nil {
			return "", 0, err
		}
	}
	var last []byte
	err = db.bolt.View(func(tx *bolt.Tx) error {
		return q.walk(tx, after, func(m *match) error {
			if skipped++; skipped%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if skipped == n {
				last = append(last, m.pos...)
				return errStop
			}
			return nil
		})
	})
	if err != nil {
		return "", 0, err
	}
	if last == nil {
		return "", skipped, nil
	}
	return encodeCursor(last), skipped, nil
}

// findPage is FindReports' walk, for pages of reports and of features. In
// one read transaction, it calls start with it and the page size, add for each
// match of the page in order, then done; it sets page's Next, Total and
// TotalCapped.
func (db *DB) findPage(ctx context.Context, f geotag.ReportFilter, page *geotag.ReportPage,
	start func(tx *bolt.Tx, limit int), add func(m *match) error, done func(tx *bolt.Tx) error) error {
	return db.walkPage(ctx, f, true, page, start, add, done)
}

// walkPage is findPage, counting the matches only with total (Total and
// TotalCapped are left zero without it). The walk is charged to ctx's
// geotag.Meter.
func (db *DB) walkPage(ctx context.Context, f geotag.ReportFilter, total bool, page *geotag.ReportPage,
	start func(tx *bolt.Tx, limit int), add func(m *match) error, done func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q, err := compile(f)
	if err != nil {
		return err
	}
	q.meter(ctx)
	var after []byte
	if f.Cursor != "" {
		if after, err = decodeCursor(f.Cursor); err != nil {
			return err
		}
	}
	limit := f.Limit
	if limit == 0 {
		limit = DefaultLimit
	} else if limit > MaxLimit {
		limit = MaxLimit
	}
	return db.bolt.View(func(tx *bolt.Tx) error {
		start(tx, limit)
		// On a first page, one walk both fills the page and counts the
		// rest; on later pages the count is a second walk from the top.
		count := total && after == nil && f.HasConditions()
		var last []byte
		n, added := 0, 0
		err := q.walk(tx, after, func(m *match) error {
			if added == limit {
				if page.Next == "" {
					page.Next = encodeCursor(last)
				}
				if !count {
					return errStop
				}
				if n >= TotalCap {
					page.TotalCapped = true
					return errStop
				}
				n++
				return nil
			}
			if err := add(m); err != nil {
				return err
			}
			added++
			last = append(last[:0], m.pos...)
			n++
			return nil
		})
		if err != nil {
			return err
		}
		if err := done(tx); err != nil {
			return err
		}
		switch {
		case !total:
		case !f.HasConditions():
			page.Total = int(getUint(tx.Bucket(bucketMeta), keyCount))
		case count:
			page.Total = n
		default:
			n = 0
			err = q.walk(tx, nil, func(*match) error {
				if n >= TotalCap {
					page.TotalCapped = true
					return errStop
				}
				n++
				return nil
			})
			page.Total = n
		}
		return err
	})
}

// readReports decodes the reports with ids into out[at[i]], on up to four
// goroutines for large pages, charging the records' bytes to m (nil: none).
// They share tx: a read-only bbolt transaction only reads the memory map
// (its Bucket and cursor objects are created per call and its statistics
// are atomic), so concurrent Gets on it are safe.
func readReports(tx *bolt.Tx, ids [][]byte, at []int, out []*geotag.Report, m geotag.Meter) error {
	read := func(lo, hi int) error {
		reports := tx.Bucket(bucketReports)
		t := tally{m: m}
		defer t.flush()
		for i := lo; i < hi; i++ {
			v := reports.Get(ids[i])
			if v == nil {
				return geotag.Errorf(geotag.EINTERNAL, "store: index points to missing report %s", idString(ids[i]))
			}
			t.record(len(v))
			r, err := decodeReport(ids[i], v)
			if err != nil {
				return err
			}
			out[at[i]] = r
		}
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), 4, len(ids)/64)
	if workers <= 1 {
		return read(0, len(ids))
	}
	errs := make(chan error, workers)
	per := (len(ids) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*per, min((w+1)*per, len(ids))
		go func() { errs <- read(lo, hi) }()
	}
	var first error
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Cells returns cluster counts of the reports matching f (Limit and Cursor
// ignored) for a map at zoom 0 (world) … 18 (street): the reports with a
// location are grouped in a grid of squares 360/2^(zoom+3) degrees wide,
// about 32 screen pixels at that zoom, and each non-empty square gives its
// count and the mean position of its reports. Cells are ordered by count,
// largest first. It returns EINVALID for a zoom outside 0…24 or an invalid
// filter.
//
// Dense views (at least cellCountMin reports, zoom ≤ 9, no status, place,
// tag or text filter, a time window on UTC day boundaries) are answered
// from precomputed per-cell, per-day counts and position sums instead of
// walking every report (see cellCounts).
func (db *DB) Cells(ctx context.Context, f geotag.ReportFilter, zoom int) ([]geotag.Cell, error) {
	return db.cells(ctx, f, zoom, cellCountMin)
}

// cells is Cells, answering from the cell-day counts when the view holds
// at least min reports (min < 0: never).
func (db *DB) cells(ctx context.Context, f geotag.ReportFilter, zoom int, min int64) ([]geotag.Cell, error) {
	if zoom < 0 || zoom > 24 {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "zoom", "zoom must be within 0…24")
	}
	q, err := compile(f)
	if err != nil {
		return nil, err
	}
	size := 360 / float64(uint64(1)<<(zoom+3))
	g := newCellGrid(q.boxes, size)
	err = db.bolt.View(func(tx *bolt.Tx) error {
		if min >= 0 && q.countable(zoom) {
			// A view of fewer than min reports is walked: as fast, and
			// its means are summed in walk order.
			if done, err := g.walkFew(tx, q, min); err != nil || done {
				return err
			}
			g.clear()
			if ok, err := q.cellCounts(tx, zoom, size, g.put); ok || err != nil {
				return err
			}
		}
		n := 0
		return q.each(tx, func(m *match) error {
			if n++; n%65536 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			g.putEntry(m.e)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return g.list(), nil
}

// cellGrid sums reports by square. The squares of a view's box are few:
// they are counted in a slice, the map only holding those outside it (a
// box across the antimeridian).
type cellGrid struct {
	size         float64
	x0, y0, w, h int32
	grid         []cellDay
	cells        map[[2]int32]*cellDay
}

func newCellGrid(boxes []geotag.BBox, size float64) *cellGrid {
	g := &cellGrid{size: size, cells: map[[2]int32]*cellDay{}}
	if len(boxes) == 1 || boxes == nil {
		b := geotag.BBox{W: -180, S: -90, E: 180, N: 90}
		if boxes != nil {
			b = boxes[0]
		}
		g.x0, g.y0 = int32((b.W+180)/size), int32((b.S+90)/size)
		g.w, g.h = int32((b.E+180)/size)-g.x0+1, int32((b.N+90)/size)-g.y0+1
		if int64(g.w)*int64(g.h) <= 1<<16 {
			g.grid = make([]cellDay, int(g.w)*int(g.h))
		}
	}
	return g
}

// at is the sums of square x, y.
func (g *cellGrid) at(x, y int32) *cellDay {
	if gx, gy := x-g.x0, y-g.y0; g.grid != nil && gx >= 0 && gx < g.w && gy >= 0 && gy < g.h {
		return &g.grid[int(gy)*int(g.w)+int(gx)]
	}
	a := g.cells[[2]int32{x, y}]
	if a == nil {
		a = &cellDay{}
		g.cells[[2]int32{x, y}] = a
	}
	return a
}

// put adds the reports of an aggregate to square x, y.
func (g *cellGrid) put(x, y int32, a cellDay) { g.at(x, y).plus(a) }

// putEntry adds the report of an index entry, if it has a location.
func (g *cellGrid) putEntry(e []byte) {
	if lat, lon, ok := entryLatLon(e); ok {
		g.at(int32((lon+180)/g.size), int32((lat+90)/g.size)).addEntry(e, lat, lon, 1)
	}
}

// walkFew sums the matches of q while there are fewer than min; done is
// false when there are more (the sums are then partial).
func (g *cellGrid) walkFew(tx *bolt.Tx, q *query, min int64) (done bool, err error) {
	n, done := int64(0), true
	err = q.each(tx, func(m *match) error {
		if n >= min {
			done = false
			return errStop
		}
		n++
		g.putEntry(m.e)
		return nil
	})
	return done, err
}

func (g *cellGrid) clear() {
	clear(g.grid)
	clear(g.cells)
}

// list is the non-empty squares as cells at their mean positions, largest
// count first.
func (g *cellGrid) list() []geotag.Cell {
	out := make([]geotag.Cell, 0, len(g.cells))
	add := func(a *cellDay) { out = append(out, a.cell()) }
	for i := range g.grid {
		if g.grid[i].n > 0 {
			add(&g.grid[i])
		}
	}
	for _, a := range g.cells {
		add(a)
	}
	sortCells(out)
	return out
}

func sortCells(cs []geotag.Cell) {
	slices.SortFunc(cs, func(a, b geotag.Cell) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if a.Lat != b.Lat {
			if a.Lat < b.Lat {
				return -1
			}
			return 1
		}
		switch {
		case a.Lon < b.Lon:
			return -1
		case a.Lon > b.Lon:
			return 1
		}
		return 0
	})
}
