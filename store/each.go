package store

import (
	"context"
	"unsafe"

	"github.com/geotag/geotag"
	"github.com/oklog/ulid/v2"
)

// EachReport calls fn for every report matching f, newest first, ignoring
// Limit and Cursor. One goroutine walks the index in chunks of a few
// hundred matches, each in its own short read transaction; up to
// GOMAXPROCS-1 (at least 1, at most 4) others read and decode the chunks' reports in
// parallel; fn is called from the caller's goroutine, in order, outside any
// transaction. Memory stays constant (a few chunks) and a slow fn (a client
// downloading an export) never holds the database. Reports added or deleted
// during the walk behave as with cursor pagination (a report deleted
// between the index walk and its read is skipped). It stops at and returns
// fn's first error, or ctx's error when ctx ends first.
func (db *DB) EachReport(ctx context.Context, f geotag.ReportFilter, fn func(*geotag.Report) error) error {
	return pipeline(ctx, db, f, func() *reportChunk { return new(reportChunk) }, func(c *reportChunk) error {
		for _, r := range c.rs {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// reportChunk is a chunk of EachReport: the decoded reports.
type reportChunk struct{ rs []*geotag.Report }

func (c *reportChunk) decoded(r *geotag.Report) { c.rs = append(c.rs, r) }

// record decodes rec; it returns errCorrupt for a record that does not
// decode.
func (c *reportChunk) record(key, rec []byte) error {
	r, err := decodeReport(key, rec)
	if err != nil {
		return err
	}
	c.rs = append(c.rs, r)
	return nil
}

func (c *reportChunk) reset() {
	clear(c.rs) // let the emitted reports go
	c.rs = c.rs[:0]
}

// EachFeature calls fn with the GeoJSON Feature of every report matching f,
// newest first, ignoring Limit and Cursor: the bytes
// geotag.AppendReportFeatureWith makes of the report with opt (exports pass
// geotag.FullFeature), without a separator. It is EachReport for exports:
// the same order, concurrency, constant memory, error and cancellation
// behaviour, but the readers encode each feature straight from its record,
// with no *geotag.Report allocated per report. Records are read in place
// (their strings, the text too, point into the memory map during the read
// transaction) and the fields no feature carries (alternatives, history)
// are skipped, so a feature costs a fraction of a decoded report and makes
// no garbage. The slice passed to fn is only valid during the call.
func (db *DB) EachFeature(ctx context.Context, f geotag.ReportFilter, opt geotag.FeatureOptions, fn func(feature []byte) error) error {
	newChunk := func() *featureChunk { return &featureChunk{sc: featureScratch{opt: opt}} }
	return pipeline(ctx, db, f, newChunk, func(c *featureChunk) error {
		start := 0
		for _, end := range c.ends {
			if err := fn(c.buf[start:end:end]); err != nil {
				return err
			}
			start = end
		}
		return nil
	})
}

// featureChunk is a chunk of EachFeature: the features, encoded by the
// walker from reports it decoded or by a reader from their records.
type featureChunk struct {
	buf  []byte // the features, back to back
	ends []int  // where each feature in buf ends
	sc   featureScratch
}

func (c *featureChunk) decoded(r *geotag.Report) {
	c.buf = geotag.AppendReportFeatureWith(c.buf, r, c.sc.opt)
	c.ends = append(c.ends, len(c.buf))
}

// record encodes the feature of rec; it returns errCorrupt for a record
// that does not decode as far as the feature reads it.
func (c *featureChunk) record(key, rec []byte) error {
	var err error
	if c.buf, err = c.sc.appendFeature(c.buf, key, rec); err != nil {
		return err
	}
	c.ends = append(c.ends, len(c.buf))
	return nil
}

func (c *featureChunk) reset() { c.buf, c.ends = c.buf[:0], c.ends[:0] }

// featureScratch is a chunk's reusable storage for the partly decoded
// report a feature is encoded from, and the feature's options (the zero
// value encodes the map's features, as FindFeatures wants).
type featureScratch struct {
	opt      geotag.FeatureOptions
	r        geotag.Report
	loc      geotag.Location
	tags     []string
	mentions []geotag.Mention
	places   []geotag.Place
	id       [ulid.EncodedSize]byte
}

// appendFeature appends the GeoJSON Feature of the record rec stored under
// key, with sc.opt. The strings of the scratch report point into rec and
// key: they are valid only until the function returns, which is all
// AppendReportFeatureWith needs. It returns errCorrupt for a record that
// does not decode as far as the feature reads it.
func (sc *featureScratch) appendFeature(dst, key, rec []byte) ([]byte, error) {
	if len(key) != idLen || len(rec) == 0 || !knownVersion(rec[0]) {
		return dst, errCorrupt
	}
	_ = ulid.ULID(key).MarshalTextTo(sc.id[:])
	d := decoder{s: unsafe.String(&rec[0], len(rec)), i: 1, version: rec[0]}
	r := &sc.r
	*r = geotag.Report{ID: unsafe.String(&sc.id[0], len(sc.id))}
	d.head(r) // the text, read in place: only a full feature writes it
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
			d.mention(&ms[i], &ps[i], false)
		}
		r.Mentions = ms
	}
	if d.boolean() {
		d.locationFields(&sc.loc)
		r.Location = &sc.loc
	}
	if d.version >= 3 {
		d.event(&r.Event) // its actors are the one allocation, and only when coded
	}
	// The history that follows is not in the feature.
	if d.err != nil {
		return dst, d.err
	}
	return geotag.AppendReportFeatureWith(dst, r, sc.opt), nil
}
