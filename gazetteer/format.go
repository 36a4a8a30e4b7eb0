package gazetteer

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"math"

	kgzip "github.com/klauspost/compress/gzip"

	"github.com/geotag/geotag"
)

// The gazetteer file is a magic header followed by three sections, each a
// 4-byte little-endian length and a gzip stream, so that they decompress
// in parallel. All integers are varints.
//
//	places:   version; country table (code, name); admin1 table (country
//	          index, code, name); feature table; place count; the byte
//	          length of each column; then, for the places in id order, one
//	          column per field: name, id (delta), lat and lon (1e-5 degrees,
//	          delta), country, admin1, feature, population, parent id
//	          (delta), importance (uint16 of 0..1)
//	keys:     count, then front-coded NameKey strings in byte order
//	postings: key count; per key, count and place positions, most important first;
//	          then the aliases: count, key, kind, place position each
//
// Loading decodes the columns into flat slices; strings become substrings
// of a few large allocations.
const magic = "GEOTAG-GAZETTEER\x00\x03"

const placeColumns = 10

type placeRow struct {
	id                                        int64
	name                                      string
	lat, lon                                  float64
	cc, countryName, admin1, admin1Code, feat string
	pop, parent                               int64
	importance                                float64
}

type aliasEntry struct {
	key, kind string
	place     int32
}

type data struct {
	version  string
	places   []placeRow // id order
	keys     []string   // sorted
	postings [][]int32
	aliases  []aliasEntry
}

type enc struct{ b []byte }

func (e *enc) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) str(s string)     { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }

func coord(x float64) int64 { return int64(math.Round(x * 1e5)) }

// encode writes d and returns the bytes written and the raw size.
func encode(w io.Writer, d *data) (int, int, error) {
	var sections [3]enc
	encodePlaces(&sections[0], d)
	encodeKeys(&sections[1], d.keys)
	encodePostings(&sections[2], d)

	out := []byte(magic)
	raw := 0
	for _, s := range sections {
		raw += len(s.b)
		var zb bytes.Buffer
		zw, err := gzip.NewWriterLevel(&zb, gzip.BestCompression)
		if err != nil {
			return 0, raw, err
		}
		zw.Write(s.b)
		if err := zw.Close(); err != nil {
			return 0, raw, err
		}
		out = binary.LittleEndian.AppendUint32(out, uint32(zb.Len()))
		out = append(out, zb.Bytes()...)
	}
	n, err := w.Write(out)
	return n, raw, err
}

type a1key struct{ cc, code string }

// placeTables are the countries, divisions and feature codes the places
// refer to by number.
type placeTables struct {
	countries map[string]uint64
	ctable    []placeRow
	admins    map[a1key]uint64
	atable    []placeRow
	feats     map[string]uint64
	ftable    []string
}

// newPlaceTables numbers the countries, divisions and feature codes of the
// places in order of first use (0: none).
func newPlaceTables(places []placeRow) *placeTables {
	t := &placeTables{countries: map[string]uint64{"": 0}, ctable: []placeRow{{}}, admins: map[a1key]uint64{{}: 0}, atable: []placeRow{{}},
		feats: map[string]uint64{}}
	for _, p := range places {
		if _, ok := t.countries[p.cc]; !ok {
			t.countries[p.cc] = uint64(len(t.ctable))
			t.ctable = append(t.ctable, p)
		}
		if k := (a1key{p.cc, p.admin1Code}); p.admin1Code != "" {
			if _, ok := t.admins[k]; !ok {
				t.admins[k] = uint64(len(t.atable))
				t.atable = append(t.atable, p)
			}
		}
		if _, ok := t.feats[p.feat]; !ok {
			t.feats[p.feat] = uint64(len(t.ftable))
			t.ftable = append(t.ftable, p.feat)
		}
	}
	return t
}

// encodePlaces writes the places section: the version, the tables, and
// the place columns.
func encodePlaces(e *enc, d *data) {
	e.str(d.version)
	t := newPlaceTables(d.places)
	e.uvarint(uint64(len(t.ctable)))
	for _, c := range t.ctable {
		e.str(c.cc)
		e.str(c.countryName)
	}
	e.uvarint(uint64(len(t.atable)))
	for _, a := range t.atable {
		e.uvarint(t.countries[a.cc])
		e.str(a.admin1Code)
		e.str(a.admin1)
	}
	e.uvarint(uint64(len(t.ftable)))
	for _, f := range t.ftable {
		e.str(f)
	}
	e.uvarint(uint64(len(d.places)))
	// Columns, each preceded by its length so that a reader can decode them
	// side by side in one pass.
	var cols [placeColumns]enc
	var prev placeRow
	for _, p := range d.places {
		cols[0].str(p.name)
		cols[1].varint(p.id - prev.id)
		cols[2].varint(coord(p.lat) - coord(prev.lat))
		cols[3].varint(coord(p.lon) - coord(prev.lon))
		cols[4].uvarint(t.countries[p.cc])
		if p.admin1Code == "" {
			cols[5].uvarint(0)
		} else {
			cols[5].uvarint(t.admins[a1key{p.cc, p.admin1Code}])
		}
		cols[6].uvarint(t.feats[p.feat])
		cols[7].uvarint(uint64(max(p.pop, 0)))
		cols[8].varint(p.parent - prev.parent)
		v := uint16(math.Round(math.Max(0, math.Min(1, p.importance)) * 65535))
		cols[9].b = append(cols[9].b, byte(v), byte(v>>8))
		prev = p
	}
	for _, c := range cols {
		e.uvarint(uint64(len(c.b)))
	}
	for _, c := range cols {
		e.b = append(e.b, c.b...)
	}
}

// encodeKeys writes the keys section: the sorted keys, each as the length
// it shares with the one before and the rest.
func encodeKeys(e *enc, keys []string) {
	e.uvarint(uint64(len(keys)))
	last := ""
	for _, k := range keys {
		n := 0
		for n < len(last) && n < len(k) && last[n] == k[n] {
			n++
		}
		e.uvarint(uint64(n))
		e.str(k[n:])
		last = k
	}
}

// encodePostings writes the postings section: each key's places, then the
// aliases.
func encodePostings(e *enc, d *data) {
	e.uvarint(uint64(len(d.postings)))
	for _, p := range d.postings {
		e.uvarint(uint64(len(p)))
		for _, x := range p {
			e.uvarint(uint64(x))
		}
	}
	e.uvarint(uint64(len(d.aliases)))
	for _, a := range d.aliases {
		e.str(a.key)
		e.str(a.kind)
		e.uvarint(uint64(a.place))
	}
}

// splitSections checks the header and returns the three compressed
// sections of b.
func splitSections(b []byte) ([3][]byte, error) {
	var secs [3][]byte
	if len(b) < len(magic) || string(b[:len(magic)]) != magic {
		return secs, geotag.Errorf(geotag.EINVALID, "not a geotag gazetteer file (or one of another format version)")
	}
	b = b[len(magic):]
	for i := range secs {
		if len(b) < 4 {
			return secs, geotag.Errorf(geotag.EINVALID, "gazetteer file is truncated")
		}
		n := binary.LittleEndian.Uint32(b)
		b = b[4:]
		if uint64(n) > uint64(len(b)) {
			return secs, geotag.Errorf(geotag.EINVALID, "gazetteer file is truncated")
		}
		secs[i], b = b[:n], b[n:]
	}
	if len(b) != 0 {
		return secs, geotag.Errorf(geotag.EINVALID, "gazetteer file has %d bytes of trailing data", len(b))
	}
	return secs, nil
}

// inflate decompresses one section into a buffer sized from the gzip
// trailer, so that the output is written once, not grown and copied.
func inflate(z []byte) ([]byte, error) {
	zr, err := kgzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, geotag.Errorf(geotag.EINVALID, "gazetteer file: %v", err)
	}
	size := 0
	if len(z) >= 4 {
		size = int(binary.LittleEndian.Uint32(z[len(z)-4:])) // ISIZE: the length mod 2^32
	}
	size = min(size, 64*len(z)+1024) // a damaged trailer must not allocate gigabytes
	buf := bytes.NewBuffer(make([]byte, 0, size+1))
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, geotag.Errorf(geotag.EINVALID, "gazetteer file: %v", err)
	}
	return buf.Bytes(), nil
}

// dec reads the payload; the first error sticks and every later read
// returns zero values, so decoders check err once per section.
type dec struct {
	b   []byte
	p   int
	err error
}

func (d *dec) fail() {
	if d.err == nil {
		d.err = geotag.Errorf(geotag.EINVALID, "gazetteer file is truncated or corrupt at byte %d", d.p)
	}
}

func (d *dec) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.p:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.p += n
	return v
}

func (d *dec) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.p:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.p += n
	return v
}

// count reads a length that must not exceed limit.
func (d *dec) count(limit int) int {
	v := d.uvarint()
	if limit < 0 || v > uint64(limit) {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *dec) bytes() []byte {
	n := d.count(len(d.b) - d.p)
	if d.err != nil {
		return nil
	}
	s := d.b[d.p : d.p+n]
	d.p += n
	return s
}
