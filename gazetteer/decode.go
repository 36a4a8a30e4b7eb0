package gazetteer

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"sync"
	"sync/atomic"

	"github.com/geotag/geotag"
)

// load decodes a gazetteer file (format.go). The four sections
// decompress and decode side by side, and the keys' hash table and prefix
// set are built on two goroutines of their own: a load's wall time is
// about its longest section's, on a machine with the cores for it.
func load(b []byte) (*Gazetteer, error) {
	secs, err := splitSections(b)
	if err != nil {
		return nil, err
	}
	g := &Gazetteer{seed: maphash.MakeSeed()}
	var wg sync.WaitGroup
	var errs [numSections]error
	var maxPost int64
	var prefixHashes []uint64
	wg.Go(func() { errs[0] = g.decodePlaces(secs[0]) })
	wg.Go(func() { errs[1] = g.decodeNames(secs[1]) })
	wg.Go(func() { prefixHashes, errs[2] = g.decodeKeys(secs[2]) })
	wg.Go(func() { maxPost, errs[3] = g.decodePostings(secs[3]) })
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := g.checkRefs(maxPost); err != nil {
		return nil, err
	}
	g.cache = make([]atomic.Pointer[cacheChunk], (len(g.keyOff)-1)>>cacheChunkBits+1)
	g.aliasPrefixes = newPrefixSet(g.seed, aliasPrefixes(nil, g.seed, g.aliases))
	g.keyIxDone = make(chan struct{})
	go g.buildKeyIndex(prefixHashes)
	return g, nil
}

// checkRefs checks that the sections agree: a name per place, a posting
// list per key, and every posting and alias naming a place.
func (g *Gazetteer) checkRefs(maxPost int64) error {
	if len(g.nameOff) != len(g.ids)+1 {
		return geotag.Errorf(geotag.EINVALID, "gazetteer file: %d names for %d places", len(g.nameOff)-1, len(g.ids))
	}
	if len(g.postOff) != len(g.keyOff) {
		return geotag.Errorf(geotag.EINVALID, "gazetteer file: %d posting lists for %d keys", len(g.postOff)-1, len(g.keyOff)-1)
	}
	if int(maxPost) > len(g.ids) {
		return geotag.Errorf(geotag.EINVALID, "gazetteer file: a name refers to place %d of %d", maxPost-1, len(g.ids))
	}
	for _, a := range g.aliases {
		if int(a.place) >= len(g.ids) {
			return geotag.Errorf(geotag.EINVALID, "gazetteer file: an alias refers to place %d of %d", a.place, len(g.ids))
		}
	}
	return nil
}

func (g *Gazetteer) decodePlaces(z []byte) error {
	b, err := unzstd(z)
	if err != nil {
		return err
	}
	d := &dec{b: b}
	g.decodeTables(d)
	n := d.count(len(b))
	cols, err := placeColumnsOf(d, n)
	if err != nil {
		return err
	}
	return g.decodeColumns(cols, n)
}

// decodeTables reads the version and the country, division and feature
// tables at the start of the places section.
func (g *Gazetteer) decodeTables(d *dec) {
	g.version = string(d.bytes())
	nc := d.count(math.MaxUint16)
	g.countries = make([]countryRow, nc)
	for i := range g.countries {
		g.countries[i] = countryRow{string(d.bytes()), string(d.bytes())}
	}
	na := d.count(math.MaxUint16)
	g.admins = make([]adminRow, na)
	for i := range g.admins {
		d.count(nc)
		g.admins[i] = adminRow{string(d.bytes()), string(d.bytes())}
	}
	nf := d.count(math.MaxUint16)
	g.features = make([]string, nf)
	for i := range g.features {
		g.features[i] = string(d.bytes())
	}
}

// placeColumnsOf splits the rest of the places section into its columns
// of n places, each read by its own decoder.
func placeColumnsOf(d *dec, n int) ([placeColumns]dec, error) {
	var cols [placeColumns]dec
	b := d.b
	lens := make([]int, placeColumns)
	total := 0
	for i := range lens {
		lens[i] = d.count(len(b))
		total += lens[i]
	}
	if d.err != nil {
		return cols, d.err
	}
	if d.p+total != len(b) {
		return cols, geotag.Errorf(geotag.EINVALID, "gazetteer file: places section has the wrong length")
	}
	off := d.p
	for i := range cols {
		cols[i] = dec{b: b[off : off+lens[i]]}
		off += lens[i]
	}
	if lens[8] != 2*n {
		return cols, geotag.Errorf(geotag.EINVALID, "gazetteer file: importance column has the wrong length")
	}
	return cols, nil
}

// decodeColumns reads the n places from their columns, one column at a
// time, checks them and indexes their ids.
func (g *Gazetteer) decodeColumns(cols [placeColumns]dec, n int) error {
	g.ids = sums(&cols[0], make([]int64, n))
	g.parent = sums(&cols[7], make([]int64, n))
	g.pop = make([]int64, n)
	for i := range g.pop {
		g.pop[i] = int64(cols[6].uvarintFast())
	}
	lat, latOK := sums32(&cols[1], make([]int32, n))
	lon, lonOK := sums32(&cols[2], make([]int32, n))
	if !latOK || !lonOK {
		return geotag.Errorf(geotag.EINVALID, "gazetteer file: bad coordinates")
	}
	g.lat, g.lon = lat, lon
	g.country = indexes(&cols[3], make([]uint16, n), len(g.countries))
	g.admin1 = indexes(&cols[4], make([]uint16, n), len(g.admins))
	g.feature = indexes(&cols[5], make([]uint16, n), len(g.features))
	g.imp = make([]uint16, n)
	for i := range g.imp {
		g.imp[i] = binary.LittleEndian.Uint16(cols[8].b[2*i:])
	}
	for i := range cols[:8] {
		if cols[i].err != nil {
			return cols[i].err
		}
		if cols[i].p != len(cols[i].b) {
			return geotag.Errorf(geotag.EINVALID, "gazetteer file: place column %d has trailing data", i)
		}
	}
	for i := 1; i < n; i++ {
		if g.ids[i-1] >= g.ids[i] {
			return geotag.Errorf(geotag.EINVALID, "gazetteer file: place ids are not unique and sorted")
		}
	}
	g.indexPositions()
	return nil
}

// sums fills dst with the running sums of a column of varints.
func sums(c *dec, dst []int64) []int64 {
	var x int64
	for i := range dst {
		x += c.varintFast()
		dst[i] = x
	}
	return dst
}

// sums32 is sums for a column whose sums must fit in 32 bits.
func sums32(c *dec, dst []int32) ([]int32, bool) {
	var x int64
	ok := true
	for i := range dst {
		x += c.varintFast()
		ok = ok && x >= math.MinInt32 && x <= math.MaxInt32
		dst[i] = int32(x)
	}
	return dst, ok
}

// indexes fills dst with a column of indexes into a table of n rows; an
// index out of the table fails the column.
func indexes(c *dec, dst []uint16, n int) []uint16 {
	for i := range dst {
		v := c.uvarintFast()
		if v >= uint64(n) {
			c.fail()
			v = 0
		}
		dst[i] = uint16(v)
	}
	return dst
}

func (g *Gazetteer) decodeNames(z []byte) error {
	b, err := unzstd(z)
	if err != nil {
		return err
	}
	d := &dec{b: b}
	g.names, g.nameOff = d.stringTable()
	return d.err
}

// decodeKeys reads the front-coded name keys into one string, checks
// that they are unique and in byte order and returns the hashes of their
// word prefixes (frontKeys).
func (g *Gazetteer) decodeKeys(z []byte) ([]uint64, error) {
	b, err := unzstd(z)
	if err != nil {
		return nil, err
	}
	fk, err := readKeys(b, g.seed)
	if err != nil {
		return nil, err
	}
	g.keys, g.keyOff, g.maxTokens = unsafeString(fk.out), fk.off, fk.maxTokens
	return fk.hashes, nil
}

// readKeys decodes a keys section (encodeKeys).
func readKeys(b []byte, seed maphash.Seed) (*frontKeys, error) {
	d := &dec{b: b}
	n := d.count(min(len(b)/2, maxKeys)) // two varints a key
	total := d.count(min(maxInflation*len(b), math.MaxUint32))
	rests := d.bytes()
	if d.err != nil {
		return nil, d.err
	}
	// 8 bytes past the keys for copyShort's last words.
	fk := &frontKeys{seed: seed, out: make([]byte, total, total+8)[:total+8], off: make([]uint32, n+1), rests: rests}
	if !fk.decode(d, n) {
		return nil, geotag.Errorf(geotag.EINVALID, "gazetteer file: name keys are not unique and sorted or do not fit their section")
	}
	return fk, nil
}

// frontKeys decodes front-coded keys: each key is the bytes it shares
// with the key before, copied, and its rest. A key is in order after the
// one before when its rest is not empty and, if it shares fewer bytes
// than the key before has, its rest's first byte is the greater at that
// point (the shared part is as long as it can be, so the bytes differ).
// A key's word prefixes that end in the shared part are the key before's
// too; only its rest's spaces start new ones, whose hashes decode
// collects (each distinct prefix once) with the most words of one key.
type frontKeys struct {
	seed      maphash.Seed
	out       []byte   // the keys, one after the other
	off       []uint32 // key i is out[off[i]:off[i+1]]
	rests     []byte
	hashes    []uint64 // the word prefixes' hashes
	maxTokens int
}

// decode reads the n keys' shared and rest lengths from d; false when
// they are out of order or do not add up to the section's totals.
func (f *frontKeys) decode(d *dec, n int) bool {
	f.hashes = make([]uint64, 0, n/4)
	var spaces []int // where the key before has spaces
	p, r := 0, 0     // write position in out, read position in rests
	for i := range n {
		start := int(f.off[max(i-1, 0)])
		prevLen := p - start
		// Compared as read, before they are ints: a huge count must not
		// wrap into a negative one.
		lu, mu := d.uvarintFast(), d.uvarintFast()
		if d.err != nil || lu > uint64(prevLen) || mu == 0 || mu > uint64(len(f.rests)-r) || lu+mu > uint64(len(f.out)-8-p) {
			return false
		}
		l, m := int(lu), int(mu)
		if l < prevLen && f.rests[r] <= f.out[start+l] {
			return false
		}
		copyShort(f.out, p, f.out, start, l)
		if r+m+8 <= len(f.rests) {
			copyShort(f.out, p+l, f.rests, r, m)
		} else {
			copy(f.out[p+l:], f.rests[r:r+m])
		}
		for len(spaces) > 0 && spaces[len(spaces)-1] >= l {
			spaces = spaces[:len(spaces)-1]
		}
		k := f.out[p : p+l+m]
		for j := l; j < len(k); j++ { // a loop: a rest is a few bytes
			if k[j] == ' ' {
				spaces = append(spaces, j)
				f.hashes = append(f.hashes, maphash.Bytes(f.seed, k[:j]))
			}
		}
		f.maxTokens = max(f.maxTokens, len(spaces)+1)
		p += l + m
		r += m
		f.off[i+1] = uint32(p)
	}
	f.out = f.out[:len(f.out)-8]
	return p == len(f.out) && r == len(f.rests) && d.p == len(d.b)
}

// copyShort copies src[sp:sp+n] to dst[dp:], eight bytes at a time: a
// key's shared part and rest are a few bytes, too few for copy's call. It
// writes up to 7 bytes past dp+n, which the next copy overwrites, and
// reads up to 7 past sp+n: both slices must have them. A forward copy
// within one slice (dp ≥ sp+n, the key before into the next) reads
// only bytes it has not yet written, up to dp.
func copyShort(dst []byte, dp int, src []byte, sp, n int) {
	for x := 0; x < n; x += 8 {
		binary.LittleEndian.PutUint64(dst[dp+x:], binary.LittleEndian.Uint64(src[sp+x:]))
	}
}

func (g *Gazetteer) decodePostings(z []byte) (int64, error) {
	b, err := unzstd(z)
	if err != nil {
		return 0, err
	}
	d := &dec{b: b}
	nk := d.count(len(b))
	g.postOff = make([]uint32, nk+1)
	total := uint64(0)
	for i := range nk {
		c := d.uvarintFast()
		total += c
		if c == 0 || total > uint64(len(b)) {
			d.fail()
			return 0, d.err
		}
		g.postOff[i+1] = uint32(total)
	}
	if d.err != nil || uint64(len(b)-d.p) < 4*total {
		d.fail()
		return 0, d.err
	}
	// The positions stay where they are, in the decompressed section:
	// posting reads them in place, so that a load neither copies nor
	// converts two million of them. One pass finds the largest, which
	// checkRefs checks against the places.
	g.post = b[d.p : d.p+4*int(total)]
	var maxPost uint64 // one more than the largest place position
	for i := 0; i < len(g.post); i += 4 {
		maxPost = max(maxPost, uint64(binary.LittleEndian.Uint32(g.post[i:]))+1)
	}
	if maxPost > math.MaxInt32 {
		return 0, geotag.Errorf(geotag.EINVALID, "gazetteer file: a posting is out of range")
	}
	d.p += 4 * int(total)
	return g.decodeAliases(d, int64(maxPost))
}

// decodeAliases reads the aliases at the end of the postings section and
// returns one more than the largest place position named there or in
// maxPost.
func (g *Gazetteer) decodeAliases(d *dec, maxPost int64) (int64, error) {
	na := d.count(len(d.b) - d.p)
	g.aliases = make(map[string]aliasHit, na)
	for i := 0; i < na && d.err == nil; i++ {
		k := string(d.bytes())
		kind := string(d.bytes())
		p := d.uvarint()
		if p > math.MaxInt32 {
			d.fail()
		}
		maxPost = max(maxPost, int64(p)+1)
		g.aliases[k] = aliasHit{place: int32(p), kind: kind}
	}
	if d.err != nil {
		return 0, d.err
	}
	if d.p != len(d.b) {
		return 0, geotag.Errorf(geotag.EINVALID, "gazetteer file: postings section has trailing data")
	}
	return maxPost, nil
}
