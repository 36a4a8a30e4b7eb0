package gazetteer

import (
	"encoding/binary"
	"io"
	"math"

	"github.com/klauspost/compress/zstd"

	"github.com/geotag/geotag"
)

// The gazetteer file is a magic header (with the format version in its
// last byte) followed by four sections, each a 4-byte little-endian length
// and a zstd frame that states its decompressed size, so that they
// decompress and decode in parallel. Integers are varints unless a field
// says otherwise; string tables are a count, the lengths, then the bytes
// of all strings one after the other, so that the loaded strings are
// substrings of the decompressed section itself.
//
//	places:   version; country table (code, name); admin1 table (country
//	          index, code, name); feature table; place count; the byte
//	          length of each column; then, for the places in id order, one
//	          column per field: id (delta), lat and lon (1e-5 degrees,
//	          delta), country, admin1, feature, population, parent id
//	          (delta), importance (uint16 little-endian of 0..1)
//	names:    the places' display names, a string table in id order
//	keys:     the NameKey strings in byte order, front-coded: the key
//	          count, the keys' total bytes, the length and bytes of all
//	          keys' rests one after the other, then per key the bytes it
//	          shares with the key before (as many as there are) and the
//	          length of its rest
//	postings: key count; per key, the number of its places; the place
//	          positions of every key, most important first, each a uint32
//	          little-endian; then the aliases: count, key, kind, place
//	          position each
//
// Front coding gives the reader each key's order against the one before
// from one byte comparison, and the word prefixes it has that the key
// before has not (prefix.go) from its rest alone. Older formats (4: keys
// as a string table; 3: gzip sections) are refused with a message saying
// to rebuild: Load reads only this one.
const (
	magicPrefix   = "GEOTAG-GAZETTEER\x00"
	formatVersion = 5
	magic         = magicPrefix + "\x05"
)

const (
	placeColumns = 9
	numSections  = 4
)

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
	var sections [numSections]enc
	encodePlaces(&sections[0], d)
	names := make([]string, len(d.places))
	for i, p := range d.places {
		names[i] = p.name
	}
	encodeStrings(&sections[1], names)
	encodeKeys(&sections[2], d.keys)
	encodePostings(&sections[3], d)

	// One frame per section on one goroutine: the same sections always
	// make the same bytes. The default level, not the best: on the bundled
	// sections of format 4 the best level's frames were 8% smaller (20.3
	// against 22.1 MB) but took 1.6 times the CPU to decode (142 against
	// 87 ms), the keys' twice.
	zw, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return 0, 0, err
	}
	defer zw.Close()
	out := []byte(magic)
	raw := 0
	for _, s := range sections {
		raw += len(s.b)
		z := zw.EncodeAll(s.b, nil)
		out = binary.LittleEndian.AppendUint32(out, uint32(len(z)))
		out = append(out, z...)
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
		cols[0].varint(p.id - prev.id)
		cols[1].varint(coord(p.lat) - coord(prev.lat))
		cols[2].varint(coord(p.lon) - coord(prev.lon))
		cols[3].uvarint(t.countries[p.cc])
		if p.admin1Code == "" {
			cols[4].uvarint(0)
		} else {
			cols[4].uvarint(t.admins[a1key{p.cc, p.admin1Code}])
		}
		cols[5].uvarint(t.feats[p.feat])
		cols[6].uvarint(uint64(max(p.pop, 0)))
		cols[7].varint(p.parent - prev.parent)
		v := uint16(math.Round(math.Max(0, math.Min(1, p.importance)) * 65535))
		cols[8].b = binary.LittleEndian.AppendUint16(cols[8].b, v)
		prev = p
	}
	for _, c := range cols {
		e.uvarint(uint64(len(c.b)))
	}
	for _, c := range cols {
		e.b = append(e.b, c.b...)
	}
}

// encodeStrings writes a string table: the count, each length, then the
// strings' bytes.
func encodeStrings(e *enc, strs []string) {
	e.uvarint(uint64(len(strs)))
	for _, s := range strs {
		e.uvarint(uint64(len(s)))
	}
	for _, s := range strs {
		e.b = append(e.b, s...)
	}
}

// encodeKeys writes the keys section: the keys, in byte order, front-coded.
func encodeKeys(e *enc, keys []string) {
	e.uvarint(uint64(len(keys)))
	total, rests := 0, 0
	prev := ""
	for _, k := range keys {
		total += len(k)
		rests += len(k) - commonPrefix(prev, k)
		prev = k
	}
	e.uvarint(uint64(total))
	e.uvarint(uint64(rests))
	prev = ""
	for _, k := range keys {
		e.b = append(e.b, k[commonPrefix(prev, k):]...)
		prev = k
	}
	prev = ""
	for _, k := range keys {
		l := commonPrefix(prev, k)
		e.uvarint(uint64(l))
		e.uvarint(uint64(len(k) - l))
		prev = k
	}
}

// commonPrefix returns the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && a[i:i+8] == b[i:i+8] {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// encodePostings writes the postings section: the number of places of
// each key, their positions, then the aliases.
func encodePostings(e *enc, d *data) {
	e.uvarint(uint64(len(d.postings)))
	for _, p := range d.postings {
		e.uvarint(uint64(len(p)))
	}
	for _, p := range d.postings {
		for _, x := range p {
			e.b = binary.LittleEndian.AppendUint32(e.b, uint32(x))
		}
	}
	e.uvarint(uint64(len(d.aliases)))
	for _, a := range d.aliases {
		e.str(a.key)
		e.str(a.kind)
		e.uvarint(uint64(a.place))
	}
}

// splitSections checks the header and returns the compressed sections of
// b. A file of another format version is refused with a message saying so.
func splitSections(b []byte) ([numSections][]byte, error) {
	var secs [numSections][]byte
	if len(b) > len(magicPrefix) && string(b[:len(magicPrefix)]) == magicPrefix && b[len(magicPrefix)] != formatVersion {
		return secs, geotag.Errorf(geotag.EINVALID, "gazetteer file has format version %d; this geotag reads version %d: rebuild it with \"geotag gazetteer build\"",
			b[len(magicPrefix)], formatVersion)
	}
	if len(b) < len(magic) || string(b[:len(magic)]) != magic {
		return secs, geotag.Errorf(geotag.EINVALID, "not a geotag gazetteer file")
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

// maxInflation bounds a section's decompressed size by its compressed
// size, so that a damaged header cannot make Load allocate gigabytes (the
// bundled sections inflate at most 5 times).
const maxInflation = 64

// unzstd decompresses one section into a buffer of the size its frame
// header states (frames of under 256 bytes may not state it), so that the
// output is written once, not grown and copied.
func unzstd(z []byte) ([]byte, error) {
	limit := uint64(maxInflation*len(z) + 1<<20)
	var h zstd.Header
	if err := h.Decode(z); err != nil {
		return nil, geotag.Errorf(geotag.EINVALID, "gazetteer file: %v", err)
	}
	if h.FrameContentSize > limit {
		return nil, geotag.Errorf(geotag.EINVALID, "gazetteer file: a section states a size of %d bytes", h.FrameContentSize)
	}
	zr, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(limit))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := zr.DecodeAll(z, make([]byte, 0, h.FrameContentSize))
	if err != nil {
		return nil, geotag.Errorf(geotag.EINVALID, "gazetteer file: %v", err)
	}
	if h.HasFCS && uint64(len(out)) != h.FrameContentSize {
		return nil, geotag.Errorf(geotag.EINVALID, "gazetteer file: a section is not the size it states")
	}
	return out, nil
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

// uvarintFast reads a uvarint at b[p:], the common one-byte case inline;
// n is 0 when b[p:] holds none.
func uvarintFast(b []byte, p int) (v uint64, n int) {
	if p < len(b) && b[p] < 0x80 {
		return uint64(b[p]), 1
	}
	if p >= len(b) {
		return 0, 0
	}
	v, n = binary.Uvarint(b[p:])
	return v, max(n, 0)
}

// stringTable reads a string table (count, lengths, bytes) that takes
// the rest of the section: off[i]:off[i+1] is string i of the returned
// string, which shares the section's memory.
func (d *dec) stringTable() (string, []uint32) {
	n := d.count(len(d.b) - d.p)
	if d.err != nil {
		return "", nil
	}
	off := make([]uint32, n+1)
	b, p := d.b, d.p
	total := uint64(0)
	for i := range n {
		v, k := uvarintFast(b, p)
		if k == 0 {
			d.p = p
			d.fail()
			return "", nil
		}
		p += k
		total += v
		if total > uint64(len(b)) {
			d.p = p
			d.fail()
			return "", nil
		}
		off[i+1] = uint32(total)
	}
	if uint64(len(b)-p) != total {
		d.p = p
		d.err = geotag.Errorf(geotag.EINVALID, "gazetteer file: a string table has %d bytes for strings of %d", len(b)-p, total)
		return "", nil
	}
	d.p = len(b)
	return unsafeString(b[p:]), off
}

// uvarintFast is uvarint with the one-byte case inline.
func (d *dec) uvarintFast() uint64 {
	v, n := uvarintFast(d.b, d.p)
	if n == 0 {
		d.fail()
		return 0
	}
	d.p += n
	return v
}

// varintFast reads a zigzag varint as uvarintFast does.
func (d *dec) varintFast() int64 {
	u := d.uvarintFast()
	return int64(u>>1) ^ -int64(u&1)
}
