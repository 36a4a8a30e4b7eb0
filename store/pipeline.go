package store

import (
	"bytes"
	"context"
	"runtime"
	"slices"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// eachChunk is how many matches pipeline reads per read transaction.
const eachChunk = 512

// chunk is what pipeline fills: the results of one batch of matches, in
// walk order. A query decodes all its matches or none, so a chunk is
// filled by decoded or by record, never both.
type chunk interface {
	// decoded takes a match the walk decoded to filter it (walker side,
	// during the walk's transaction).
	decoded(r *geotag.Report)
	// record takes the record rec stored under key of a match not decoded
	// (reader side, in walk order, during the reader's transaction: key and
	// rec are only valid during the call). An error ends the pipeline.
	record(key, rec []byte) error
	// reset empties the chunk for reuse.
	reset()
}

// batch is one chunk on its way through pipeline.
type batch[C chunk] struct {
	c   C
	n   int    // matches
	ids []byte // IDs of the matches not decoded, idLen bytes each
	err error
	out chan struct{} // closed when c and err are set
}

// pipeline calls emit with chunks of the matches of f, newest first: one
// goroutine walks the index in chunks of eachChunk matches, each in its own
// short read transaction; up to GOMAXPROCS-1 (at least 1, at most 4) others read the
// chunks' records in parallel, each chunk in a read transaction of its
// own; emit is called from the caller's goroutine, in walk order, outside
// any transaction. Chunks are reused once emitted, so memory stays
// constant (a few chunks) and a slow emit never holds the database. What
// the walk and the readers read is charged to ctx's geotag.Meter. A
// record deleted between the walk and its read is skipped. It returns
// EINVALID for an invalid filter, stops at and returns the first error of
// the walk, of a record or of emit, or ctx's error when ctx ends first (no
// chunk is emitted after that). newChunk makes each chunk (a handful per
// walk, reused after that), so that it can carry the caller's options.
func pipeline[C chunk](ctx context.Context, db *DB, f geotag.ReportFilter, newChunk func() C, emit func(C) error) error {
	q, err := compile(f)
	if err != nil {
		return err
	}
	q.meter(ctx) // walked by the walker goroutine alone
	// One reader fewer than the CPUs: with the walker, an export or a text
	// search keeps off one core, which the map's queries keep.
	workers := max(1, min(runtime.GOMAXPROCS(0)-1, 4))
	p := &pipe[C]{
		ctx: ctx, db: db, q: q, newChunk: newChunk,
		ordered: make(chan *batch[C], workers+1),   // walk order, to the caller
		todo:    make(chan *batch[C], workers),     // to the readers
		free:    make(chan *batch[C], 2*workers+2), // emitted batches, reused
		done:    make(chan struct{}),
	}
	defer close(p.done)
	go p.walker()
	for i := 0; i < workers; i++ {
		go p.reader()
	}
	for b := range p.ordered {
		select {
		case <-b.out:
		case <-ctx.Done():
		}
		// A select with both ready picks at random: check ctx on its own so
		// that no chunk is emitted after cancellation.
		if err := ctx.Err(); err != nil {
			return err
		}
		if b.err != nil {
			return b.err
		}
		if err := emit(b.c); err != nil {
			return err
		}
		select {
		case p.free <- b:
		default:
		}
	}
	return nil
}

// pipe is one pipeline run: its query, and the channels between the
// walker, the readers and the caller.
type pipe[C chunk] struct {
	ctx      context.Context
	db       *DB
	q        *query
	newChunk func() C
	ordered  chan *batch[C] // walk order, to the caller
	todo     chan *batch[C] // to the readers
	free     chan *batch[C] // emitted batches, reused
	done     chan struct{}  // closed when the caller returns
}

// walker walks the matches in chunks, each in a read transaction of its
// own, and hands each batch to the caller in order and, when it has
// records to read, to the readers.
func (p *pipe[C]) walker() {
	defer close(p.ordered)
	defer close(p.todo)
	var after []byte // the position the next chunk starts below
	for {
		b := p.nextBatch()
		if b.err = p.ctx.Err(); b.err == nil {
			b.err = p.walkChunk(b, &after)
		}
		// Decide before handing b over: a reader writes its fields.
		last := b.err != nil || b.n < eachChunk
		read := b.err == nil && len(b.ids) > 0
		if !read {
			close(b.out) // nothing for the readers to do
		}
		if !p.send(p.ordered, b) || (read && !p.send(p.todo, b)) || last {
			return
		}
	}
}

// nextBatch is an emitted batch emptied for reuse, or a new one.
func (p *pipe[C]) nextBatch() *batch[C] {
	var b *batch[C]
	select {
	case b = <-p.free:
		b.c.reset()
		b.n, b.ids, b.err = 0, b.ids[:0], nil
	default:
		b = &batch[C]{c: p.newChunk()}
	}
	b.out = make(chan struct{})
	return b
}

// walkChunk fills b with up to eachChunk matches below *after, in one read
// transaction, and moves *after past them.
func (p *pipe[C]) walkChunk(b *batch[C], after *[]byte) error {
	return p.db.bolt.View(func(tx *bolt.Tx) error {
		return p.q.walk(tx, *after, func(m *match) error {
			if m.r != nil {
				b.c.decoded(m.r)
			} else {
				b.ids = append(b.ids, m.id()...)
			}
			b.n++
			*after = append((*after)[:0], m.pos...)
			if b.n == eachChunk {
				return errStop
			}
			return nil
		})
	})
}

// send hands b to ch, false when the caller has returned.
func (p *pipe[C]) send(ch chan<- *batch[C], b *batch[C]) bool {
	select {
	case ch <- b:
		return true
	case <-p.done:
		return false
	}
}

// reader reads the records of the batches it is handed, each batch in a
// read transaction of its own.
func (p *pipe[C]) reader() {
	var rd recordReader
	t := newTally(p.ctx)
	defer t.flush()
	for b := range p.todo {
		b.err = p.db.bolt.View(func(tx *bolt.Tx) error { return rd.read(tx, b.ids, b.c.record, &t) })
		close(b.out)
	}
}

// recordReader reads the records of a batch's IDs, reusing its buffers.
type recordReader struct {
	order []int32  // the IDs' indexes in key order
	recs  [][]byte // their records, in walk order (valid during the read)
}

// read looks the records of ids (idLen bytes each) up in key order with one
// cursor (each seek then finds its path in cache), then hands them to fn in
// walk order, skipping those deleted since the walk. It stops at fn's
// first error.
func (rd *recordReader) read(tx *bolt.Tx, ids []byte, fn func(key, rec []byte) error, t *tally) error {
	n := len(ids) / idLen
	id := func(i int32) []byte { return ids[int(i)*idLen : int(i+1)*idLen] }
	rd.order = rd.order[:0]
	for i := 0; i < n; i++ {
		rd.order = append(rd.order, int32(i))
	}
	slices.SortFunc(rd.order, func(i, j int32) int { return bytes.Compare(id(i), id(j)) })
	rd.recs = slices.Grow(rd.recs[:0], n)[:n]
	defer clear(rd.recs)
	cur := tx.Bucket(bucketReports).Cursor()
	for _, i := range rd.order {
		k, v := cur.Seek(id(i))
		if !bytes.Equal(k, id(i)) {
			v = nil // deleted since the walk
		}
		if v != nil {
			t.record(len(v))
		}
		rd.recs[i] = v
	}
	for i, v := range rd.recs {
		if v == nil {
			continue
		}
		if err := fn(id(int32(i)), v); err != nil {
			return err
		}
	}
	return nil
}
