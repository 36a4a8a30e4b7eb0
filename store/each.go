package store

import (
	"bytes"
	"context"
	"runtime"
	"slices"
	"unsafe"

	"github.com/geotag/geotag"
	"github.com/oklog/ulid/v2"
	bolt "go.etcd.io/bbolt"
)

// EachFeature calls fn with the GeoJSON Feature of every report matching f,
// newest first, ignoring Limit and Cursor: the bytes geotag.AppendReportFeature
// makes of the report, without a separator. It is EachReport for exports:
// the same order, concurrency, constant memory, error and cancellation
// behaviour, but the readers encode each feature straight from its record,
// with no *geotag.Report allocated per report. Records are read in place
// (their strings point into the memory map during the read transaction) and
// the fields the feature does not carry (text, alternatives, history) are
// skipped, so a feature costs a fraction of a decoded report and makes no
// garbage. The slice passed to fn is only valid during the call.
func (db *DB) EachFeature(ctx context.Context, f geotag.ReportFilter, fn func(feature []byte) error) error {
	q, err := compile(f)
	if err != nil {
		return err
	}
	workers := min(runtime.GOMAXPROCS(0), 4)
	ordered := make(chan *featureChunk, workers+1) // walk order, to the caller
	todo := make(chan *featureChunk, workers)      // to the readers
	free := make(chan *featureChunk, 2*workers+2)  // consumed chunks, reused
	done := make(chan struct{})
	defer close(done)

	go func() { // the walker
		defer close(ordered)
		defer close(todo)
		var after []byte
		for {
			var c *featureChunk
			select {
			case c = <-free:
				c.reset()
			default:
				c = &featureChunk{}
			}
			c.out = make(chan struct{})
			if c.err = ctx.Err(); c.err == nil {
				c.err = db.bolt.View(func(tx *bolt.Tx) error {
					return q.walk(tx, after, func(m *match) error {
						if m.r != nil { // decoded to filter: encode it now
							c.buf = geotag.AppendReportFeature(c.buf, m.r)
							c.ends = append(c.ends, len(c.buf))
						}
						c.ids = append(c.ids, m.id()...)
						c.n++
						after = append(after[:0], m.pos...)
						if c.n == eachChunk {
							return errStop
						}
						return nil
					})
				})
			}
			// Decide before handing c over: a reader writes its fields.
			last := c.err != nil || c.n < eachChunk
			read := c.err == nil && len(c.ends) == 0 && c.n > 0
			if !read {
				close(c.out) // nothing for the readers to do
			}
			select {
			case ordered <- c:
			case <-done:
				return
			}
			if read {
				select {
				case todo <- c:
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
			var sc featureScratch
			for c := range todo {
				c.err = db.bolt.View(func(tx *bolt.Tx) error {
					// Look the records up in key order with one cursor (each
					// seek then finds its path in cache), then encode them in
					// walk order.
					sc.order = sc.order[:0]
					for i := 0; i < c.n; i++ {
						sc.order = append(sc.order, int32(i))
					}
					slices.SortFunc(sc.order, func(a, b int32) int {
						return bytes.Compare(c.ids[int(a)*idLen:int(a+1)*idLen], c.ids[int(b)*idLen:int(b+1)*idLen])
					})
					sc.recs = slices.Grow(sc.recs[:0], c.n)[:c.n]
					cur := tx.Bucket(bucketReports).Cursor()
					for _, i := range sc.order {
						id := c.ids[int(i)*idLen : int(i+1)*idLen]
						k, v := cur.Seek(id)
						if !bytes.Equal(k, id) {
							v = nil // deleted since the walk
						}
						sc.recs[i] = v
					}
					for i, v := range sc.recs {
						if v == nil {
							continue
						}
						var err error
						if c.buf, err = sc.appendFeature(c.buf, c.ids[i*idLen:(i+1)*idLen], v); err != nil {
							return err
						}
						c.ends = append(c.ends, len(c.buf))
					}
					clear(sc.recs)
					return nil
				})
				close(c.out)
			}
		}()
	}
	for c := range ordered {
		select {
		case <-c.out:
		case <-ctx.Done():
		}
		// A select with both ready picks at random: check ctx on its own so
		// that no chunk is delivered after cancellation.
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.err != nil {
			return c.err
		}
		start := 0
		for _, end := range c.ends {
			if err := fn(c.buf[start:end:end]); err != nil {
				return err
			}
			start = end
		}
		select {
		case free <- c:
		default:
		}
	}
	return nil
}

// featureChunk is one batch of EachFeature: the IDs the walker found and
// the features a reader encoded.
type featureChunk struct {
	n    int    // matches
	ids  []byte // their IDs, idLen bytes each
	buf  []byte // the features, back to back
	ends []int  // where each feature in buf ends
	err  error
	out  chan struct{} // closed when buf, ends and err are set
}

func (c *featureChunk) reset() {
	c.n, c.ids, c.buf, c.ends, c.err = 0, c.ids[:0], c.buf[:0], c.ends[:0], nil
}

// featureScratch is a reader's reusable storage for the partly decoded
// report a feature is encoded from.
type featureScratch struct {
	r        geotag.Report
	loc      geotag.Location
	tags     []string
	mentions []geotag.Mention
	places   []geotag.Place
	id       [ulid.EncodedSize]byte
	order    []int32  // a chunk's matches in key order
	recs     [][]byte // their records, in walk order (valid during the read)
}

// appendFeature appends the GeoJSON Feature of the record rec stored under
// key. The strings of the scratch report point into rec and key: they are
// valid only until the function returns, which is all AppendReportFeature
// needs. It returns errCorrupt for a record that does not decode as far as
// the feature reads it.
func (sc *featureScratch) appendFeature(dst, key, rec []byte) ([]byte, error) {
	if len(key) != idLen || len(rec) == 0 || rec[0] != recordVersion {
		return dst, errCorrupt
	}
	_ = ulid.ULID(key).MarshalTextTo(sc.id[:])
	d := decoder{s: unsafe.String(&rec[0], len(rec)), i: 1}
	r := &sc.r
	*r = geotag.Report{ID: unsafe.String(&sc.id[0], len(sc.id))}
	r.ExternalID = d.str()
	r.Title = d.str()
	d.str() // text: not in the feature
	r.Source = d.str()
	r.Time = d.time()
	r.TimePrecision = d.str()
	r.Created = d.time()
	r.Updated = d.time()
	r.Status = d.str()
	sc.tags = sc.tags[:0]
	if n, ok := d.length(); ok {
		for i := 0; i < n && d.err == nil; i++ {
			sc.tags = append(sc.tags, d.str())
		}
		r.Tags = sc.tags
	}
	if n, ok := d.length(); ok {
		if cap(sc.mentions) < n {
			sc.mentions = make([]geotag.Mention, n)
			sc.places = make([]geotag.Place, n)
		}
		ms, ps := sc.mentions[:n], sc.places[:n]
		for i := 0; i < n && d.err == nil; i++ {
			d.mentionName(&ms[i], &ps[i])
		}
		r.Mentions = ms
	}
	if d.boolean() {
		l := &sc.loc
		l.Lat = d.f64()
		l.Lon = d.f64()
		l.Precision = int(d.varint())
		l.Name = d.str()
		l.PlaceID = d.varint()
		l.Mention = int(d.varint())
		l.Provenance.Method = d.str()
		l.Provenance.Tagger = d.str()
		l.Provenance.By = d.str()
		l.Provenance.At = d.time()
		r.Location = l
	}
	// The history that follows is not in the feature.
	if d.err != nil {
		return dst, d.err
	}
	return geotag.AppendReportFeature(dst, r), nil
}

// mentionName decodes what a feature needs of a mention (its text and its
// place's name) into m, skipping the alternatives; place is storage for
// m.Place.
func (d *decoder) mentionName(m *geotag.Mention, place *geotag.Place) {
	*m = geotag.Mention{}
	d.varint() // start
	d.varint() // end
	m.Text = d.str()
	d.str()    // kind
	d.f64()    // confidence
	d.varint() // precision
	if d.boolean() {
		d.place(place)
		m.Place = place
	}
	if n, ok := d.length(); ok {
		var skip geotag.Place
		for i := 0; i < n && d.err == nil; i++ {
			d.place(&skip)
			d.f64()
		}
	}
	d.boolean() // manual
}
