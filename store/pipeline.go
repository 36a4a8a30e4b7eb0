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
	ordered := make(chan *batch[C], workers+1) // walk order, to the caller
	todo := make(chan *batch[C], workers)      // to the readers
	free := make(chan *batch[C], 2*workers+2)  // emitted batches, reused
	done := make(chan struct{})
	defer close(done)

	go func() { // the walker
		defer close(ordered)
		defer close(todo)
		var after []byte
		for {
			var b *batch[C]
			select {
			case b = <-free:
				b.c.reset()
				b.n, b.ids, b.err = 0, b.ids[:0], nil
			default:
				b = &batch[C]{c: newChunk()}
			}
			b.out = make(chan struct{})
			if b.err = ctx.Err(); b.err == nil {
				b.err = db.bolt.View(func(tx *bolt.Tx) error {
					return q.walk(tx, after, func(m *match) error {
						if m.r != nil {
							b.c.decoded(m.r)
						} else {
							b.ids = append(b.ids, m.id()...)
						}
						b.n++
						after = append(after[:0], m.pos...)
						if b.n == eachChunk {
							return errStop
						}
						return nil
					})
				})
			}
			// Decide before handing b over: a reader writes its fields.
			last := b.err != nil || b.n < eachChunk
			read := b.err == nil && len(b.ids) > 0
			if !read {
				close(b.out) // nothing for the readers to do
			}
			select {
			case ordered <- b:
			case <-done:
				return
			}
			if read {
				select {
				case todo <- b:
				case <-done:
					return
				}
			}
			if last {
				return
			}
		}
	}()
	for i := 0; i < workers; i++ {
		go func() { // a reader
			var order []int32 // a batch's IDs in key order
			var recs [][]byte // their records, in walk order (valid during the read)
			t := newTally(ctx)
			defer t.flush()
			for b := range todo {
				b.err = db.bolt.View(func(tx *bolt.Tx) error {
					// Look the records up in key order with one cursor (each
					// seek then finds its path in cache), then hand them to
					// the chunk in walk order.
					n := len(b.ids) / idLen
					order = order[:0]
					for i := 0; i < n; i++ {
						order = append(order, int32(i))
					}
					slices.SortFunc(order, func(i, j int32) int {
						return bytes.Compare(b.ids[int(i)*idLen:int(i+1)*idLen], b.ids[int(j)*idLen:int(j+1)*idLen])
					})
					recs = slices.Grow(recs[:0], n)[:n]
					defer clear(recs)
					cur := tx.Bucket(bucketReports).Cursor()
					for _, i := range order {
						id := b.ids[int(i)*idLen : int(i+1)*idLen]
						k, v := cur.Seek(id)
						if !bytes.Equal(k, id) {
							v = nil // deleted since the walk
						}
						if v != nil {
							t.record(len(v))
						}
						recs[i] = v
					}
					for i, v := range recs {
						if v == nil {
							continue
						}
						if err := b.c.record(b.ids[i*idLen:(i+1)*idLen], v); err != nil {
							return err
						}
					}
					return nil
				})
				close(b.out)
			}
		}()
	}
	for b := range ordered {
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
		case free <- b:
		default:
		}
	}
	return nil
}
