package postgres

import (
	"context"
	"runtime"
	"sync"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// The walks of every match (EachReport, EachFeature) are pipelined, as
// the bbolt store's are: a walker goroutine reads the matches in chunks,
// each one keyset query whose rows' values it copies into the chunk as
// they arrive (no value decoded); readers decode what needs decoding (the
// records EachReport returns, a feature whose stored bytes are stale); the
// caller's goroutine calls fn in walk order. So PostgreSQL reads the next
// chunk while the readers decode and fn writes this one, memory stays a
// few chunks (the walker waits when walkAhead chunks are ready and not yet
// passed to fn), and a slow fn holds no connection: the walker holds one
// only while it reads a chunk.

// walkAhead is how many read chunks may wait for the caller.
const walkAhead = 2

// walkChunk is one chunk of a walk: the rows' payloads as the walker read
// them, what the readers made of them, and the position of its last row.
type walkChunk struct {
	raw   []byte // the payloads, back to back
	ends  []int  // where each row's payload ends in raw
	stale []bool // a feature walk's rows whose payload is a record to encode
	todo  bool   // a reader has work: records to decode or to encode
	out   []byte // a feature walk's features, when some were encoded
	oends []int
	rs    []*geotag.Report // a report walk's reports
	last  pos
	id    []byte // the last row's id, reused
	err   error
	ready chan struct{} // closed when the readers are done with it
}

// payload returns row i's payload.
func (c *walkChunk) payload(i int) []byte {
	start := 0
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.raw[start:c.ends[i]:c.ends[i]]
}

func (c *walkChunk) reset() {
	c.raw, c.ends, c.stale, c.out, c.oends = c.raw[:0], c.ends[:0], c.stale[:0], c.out[:0], c.oends[:0]
	clear(c.rs) // let the emitted reports go
	c.rs, c.todo, c.err = c.rs[:0], false, nil
	c.ready = make(chan struct{})
}

// walkSpec is what a walk reads and how: the columns (the position tsec,
// tnsec, id, then a payload column and, for features, the record column of
// rows whose stored feature is stale, NULL in the payload); the chunk size;
// whether every chunk goes to the readers (records to decode); the
// readers' work.
type walkSpec struct {
	cols    func(q *cond) string
	chunk   int
	records bool
	readers int
	decode  func(c *walkChunk) error // a reader's work on a chunk with todo set
}

// walkRun is one walk under way.
type walkRun struct {
	ctx     context.Context
	db      *DB
	c       *cond
	spec    walkSpec
	ordered chan *walkChunk // walk order, to the caller
	todo    chan *walkChunk // to the readers
	free    chan *walkChunk // emitted chunks, reused
}

// walk calls emit with every chunk of f's matches, newest first, in order,
// from the caller's goroutine. It returns EINVALID for a filter that does
// not compile, the first error of a query or a reader, emit's first
// error, or ctx's error when ctx ends first; nothing is emitted after ctx
// ends. The goroutines it starts have ended when it returns.
func (db *DB) walk(ctx context.Context, f geotag.ReportFilter, spec walkSpec, emit func(*walkChunk) error) (err error) {
	defer unavailable(&err)
	c, err := compile(f)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	w := &walkRun{ctx: ctx, db: db, c: c, spec: spec,
		ordered: make(chan *walkChunk, walkAhead), todo: make(chan *walkChunk, walkAhead),
		free: make(chan *walkChunk, walkAhead+2)}
	var wg sync.WaitGroup
	defer wg.Wait() // after cancel: the walker's query ends, the readers drain
	defer cancel()
	wg.Go(w.walker)
	for range spec.readers {
		wg.Go(w.reader)
	}
	for ch := range w.ordered {
		select {
		case <-ch.ready:
		case <-ctx.Done():
		}
		// A select with both ready picks at random: check ctx on its own so
		// that no chunk is emitted after cancellation.
		if err := ctx.Err(); err != nil {
			return err
		}
		if ch.err != nil {
			return ch.err
		}
		if err := emit(ch); err != nil {
			return err
		}
		select {
		case w.free <- ch:
		default:
		}
	}
	return ctx.Err()
}

// walker reads the chunks, each one keyset query from the last one's end,
// and hands them to the caller in order and, when they need decoding, to
// the readers. It stops after a chunk that is not full, after an error
// (which the chunk carries) or when the walk's context ends.
func (w *walkRun) walker() {
	defer close(w.ordered)
	defer close(w.todo)
	var last *pos
	for {
		var ch *walkChunk
		select {
		case ch = <-w.free:
		default:
			ch = new(walkChunk)
		}
		ch.reset()
		ch.todo = w.spec.records
		q := w.c.clone()
		if last != nil {
			q.after(*last)
		}
		ch.err = w.db.eachRow(w.ctx, q, w.spec.cols(q), w.spec.chunk, ch.scan)
		select {
		case w.ordered <- ch:
		case <-w.ctx.Done():
			return
		}
		if ch.err != nil || !ch.todo {
			close(ch.ready)
		} else {
			select {
			case w.todo <- ch:
			case <-w.ctx.Done():
				return
			}
		}
		if ch.err != nil || len(ch.ends) < w.spec.chunk {
			return
		}
		p := ch.last
		p.id = string(ch.id)
		last = &p
	}
}

// scan copies a row's position and payload into the chunk: the payload
// column, or, in a feature walk, when it is NULL the record column after
// it (a stale feature), which a reader then encodes.
func (ch *walkChunk) scan(rows pgx.Rows) error {
	var id, pay, rec pgtype.DriverBytes
	dst := []any{&ch.last.sec, &ch.last.nsec, &id, &pay}
	if len(rows.FieldDescriptions()) > 4 {
		dst = append(dst, &rec)
	}
	if err := rows.Scan(dst...); err != nil {
		return err
	}
	ch.id = append(ch.id[:0], id...)
	stale := pay == nil && len(dst) > 4
	if stale {
		pay, ch.todo = rec, true
	}
	ch.raw = append(ch.raw, pay...)
	ch.ends = append(ch.ends, len(ch.raw))
	ch.stale = append(ch.stale, stale)
	return nil
}

// reader decodes the chunks handed to it, then marks them ready.
func (w *walkRun) reader() {
	for ch := range w.todo {
		ch.err = w.spec.decode(ch)
		close(ch.ready)
	}
}

// walkReaders is how many readers decode a walk's records: one fewer than
// the CPUs (the walker and the caller need some), at least 1, at most 4.
func walkReaders() int { return max(1, min(runtime.GOMAXPROCS(0)-1, 4)) }

// eachChunk is how many reports EachReport reads per query.
const eachChunk = 1000

// EachReport calls fn for every report matching f, newest first, ignoring
// Limit and Cursor: the walk is pipelined (see walk) — chunks of eachChunk
// read by one query each, the records decoded by readers, fn called from
// the caller's goroutine outside any query — so memory stays a few chunks
// and a slow fn holds no connection. Reports added or deleted during the
// walk behave as with cursor pagination. It returns EINVALID for a filter
// that does not compile; it stops at and returns fn's first error, a
// query's, EINTERNAL for a corrupt record, or ctx's error when ctx ends
// first.
func (db *DB) EachReport(ctx context.Context, f geotag.ReportFilter, fn func(*geotag.Report) error) error {
	spec := walkSpec{
		cols:    func(*cond) string { return "tsec, tnsec, id, record" },
		chunk:   eachChunk,
		records: true,
		readers: walkReaders(),
		decode: func(ch *walkChunk) error {
			for i := range ch.ends {
				r, err := decodeRecord(ch.payload(i))
				if err != nil {
					return err
				}
				ch.rs = append(ch.rs, r)
			}
			return nil
		},
	}
	return db.walk(ctx, f, spec, func(ch *walkChunk) error {
		for i, r := range ch.rs {
			if err := fn(r); err != nil {
				return err
			}
			ch.rs[i] = nil // let the caller's report go
		}
		return nil
	})
}
