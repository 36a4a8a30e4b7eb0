package gazetteer

import (
	"bytes"
	_ "embed"
	"io"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/geotag/geotag"
)

// Gazetteer is the loaded, read-only place index. It implements
// geotag.Gazetteer and is safe for concurrent use.
type Gazetteer struct {
	version   string
	places    []geotag.Place // in id order
	imp       []uint16       // importance of places[i], 0..65535
	keys      string         // all name keys, concatenated in byte order
	keyOff    []uint32       // key i is keys[keyOff[i]:keyOff[i+1]]
	postOff   []uint32       // places of key i are post[postOff[i]:postOff[i+1]]
	post      []int32
	slots     []uint32 // open-addressing hash table of key index+1
	mask      uint64
	cache     []atomic.Pointer[[]geotag.Place]
	aliases   map[string]aliasHit
	maxTokens int
}

type aliasHit struct {
	place int32
	kind  string
}

var _ geotag.Gazetteer = (*Gazetteer)(nil)

//go:embed data/gazetteer.gz
var bundled []byte

// Open loads the gazetteer bundled in the binary. It returns an EINTERNAL
// *Error only if the bundled file is damaged, which a test catches.
func Open() (*Gazetteer, error) {
	g, err := Load(bytes.NewReader(bundled))
	if err != nil {
		return nil, geotag.Errorf(geotag.EINTERNAL, "bundled gazetteer: %s", geotag.ErrorMessage(err))
	}
	return g, nil
}

// Load reads a gazetteer file written by Builder.Build ("geotag gazetteer
// build"). It returns an EINVALID *Error when r does not hold a complete,
// well-formed gazetteer file, and the reader's error when reading fails.
func Load(r io.Reader) (*Gazetteer, error) {
	secs, err := readSections(r)
	if err != nil {
		return nil, err
	}
	g := &Gazetteer{}
	// The three sections decompress and decode in parallel.
	var wg sync.WaitGroup
	var errs [3]error
	var maxPost int32
	wg.Go(func() { errs[0] = g.decodePlaces(secs[0]) })
	wg.Go(func() { errs[1] = g.decodeKeys(secs[1]) })
	wg.Go(func() { maxPost, errs[2] = g.decodePostings(secs[2]) })
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if len(g.postOff) != len(g.keyOff) {
		return nil, geotag.Errorf(geotag.EINVALID, "gazetteer file: %d posting lists for %d keys", len(g.postOff)-1, len(g.keyOff)-1)
	}
	if int(maxPost) >= len(g.places) {
		return nil, geotag.Errorf(geotag.EINVALID, "gazetteer file: a name refers to place %d of %d", maxPost, len(g.places))
	}
	for _, a := range g.aliases {
		if int(a.place) >= len(g.places) {
			return nil, geotag.Errorf(geotag.EINVALID, "gazetteer file: an alias refers to place %d of %d", a.place, len(g.places))
		}
	}
	return g, nil
}

func (g *Gazetteer) decodePlaces(z []byte) error {
	b, err := inflate(z)
	if err != nil {
		return err
	}
	d := &dec{b: b}
	g.version = string(d.bytes())
	type country struct{ code, name string }
	nc := d.count(len(b))
	countries := make([]country, nc)
	for i := range countries {
		countries[i] = country{string(d.bytes()), string(d.bytes())}
	}
	type admin struct{ code, name string }
	na := d.count(len(b))
	admins := make([]admin, na)
	for i := range admins {
		c := d.count(nc - 1)
		_ = c
		admins[i] = admin{string(d.bytes()), string(d.bytes())}
	}
	nf := d.count(len(b))
	feats := make([]string, nf)
	for i := range feats {
		feats[i] = string(d.bytes())
	}
	if d.err != nil {
		return d.err
	}

	n := d.count(len(b))
	// Names: one allocation shared by all.
	start := d.p
	total := 0
	for i := 0; i < n && d.err == nil; i++ {
		total += len(d.bytes())
	}
	if d.err != nil {
		return d.err
	}
	buf := make([]byte, 0, total)
	d.p = start
	ends := make([]int, n)
	for i := range ends {
		buf = append(buf, d.bytes()...)
		ends[i] = len(buf)
	}
	names := unsafeString(buf)
	ps := make([]geotag.Place, n)
	off := 0
	for i := range ps {
		ps[i].Name = names[off:ends[i]]
		off = ends[i]
	}
	var id, lat, lon, parent int64
	for i := range ps {
		id += d.varint()
		ps[i].ID = id
	}
	for i := range ps {
		lat += d.varint()
		ps[i].Lat = float64(lat) / 1e5
	}
	for i := range ps {
		lon += d.varint()
		ps[i].Lon = float64(lon) / 1e5
	}
	for i := range ps {
		c := d.count(nc - 1)
		if d.err != nil {
			return d.err
		}
		ps[i].Country, ps[i].CountryName = countries[c].code, countries[c].name
	}
	for i := range ps {
		a := d.count(na - 1)
		if d.err != nil {
			return d.err
		}
		ps[i].Admin1Code, ps[i].Admin1 = admins[a].code, admins[a].name
	}
	for i := range ps {
		f := d.count(nf - 1)
		if d.err != nil {
			return d.err
		}
		ps[i].Feature = feats[f]
	}
	for i := range ps {
		ps[i].Population = int64(d.uvarint())
	}
	for i := range ps {
		parent += d.varint()
		ps[i].ParentID = parent
	}
	if d.err != nil {
		return d.err
	}
	if len(b)-d.p != 2*n {
		return geotag.Errorf(geotag.EINVALID, "gazetteer file: places section has the wrong length")
	}
	g.imp = make([]uint16, n)
	for i := range g.imp {
		g.imp[i] = uint16(b[d.p]) | uint16(b[d.p+1])<<8
		d.p += 2
	}
	for i := 1; i < n; i++ {
		if ps[i-1].ID >= ps[i].ID {
			return geotag.Errorf(geotag.EINVALID, "gazetteer file: place ids are not unique and sorted")
		}
	}
	g.places = ps
	return nil
}

func (g *Gazetteer) decodeKeys(z []byte) error {
	b, err := inflate(z)
	if err != nil {
		return err
	}
	d := &dec{b: b}
	nk := d.count(len(b))
	g.keyOff = make([]uint32, nk+1)
	kb := make([]byte, 0, 2*len(b))
	var prev []byte
	for i := 0; i < nk && d.err == nil; i++ {
		shared := d.count(len(prev))
		suffix := d.bytes()
		start := len(kb)
		kb = append(kb, prev[:shared]...)
		kb = append(kb, suffix...)
		if len(kb) == start || (i > 0 && bytes.Compare(prev, kb[start:]) >= 0) {
			return geotag.Errorf(geotag.EINVALID, "gazetteer file: name keys are not unique and sorted")
		}
		if len(kb) > math.MaxUint32 {
			d.fail()
		}
		prev = kb[start:]
		g.keyOff[i+1] = uint32(len(kb))
	}
	if d.err != nil {
		return d.err
	}
	if d.p != len(b) {
		return geotag.Errorf(geotag.EINVALID, "gazetteer file: keys section has trailing data")
	}
	g.keys = unsafeString(kb)
	g.index()
	return nil
}

func (g *Gazetteer) decodePostings(z []byte) (int32, error) {
	b, err := inflate(z)
	if err != nil {
		return 0, err
	}
	d := &dec{b: b}
	var maxPost uint64
	nk := d.count(len(b))
	g.postOff = make([]uint32, nk+1)
	g.post = make([]int32, 0, len(b)/3)
	for i := 0; i < nk && d.err == nil; i++ {
		c := d.count(len(b))
		if c == 0 {
			d.fail()
		}
		for j := 0; j < c && d.err == nil; j++ {
			v := d.uvarint()
			if v > math.MaxInt32 {
				d.fail()
			}
			maxPost = max(maxPost, v)
			g.post = append(g.post, int32(v))
		}
		g.postOff[i+1] = uint32(len(g.post))
	}
	na := d.count(len(b))
	g.aliases = make(map[string]aliasHit, na)
	for i := 0; i < na && d.err == nil; i++ {
		k := string(d.bytes())
		kind := string(d.bytes())
		p := d.uvarint()
		if p > math.MaxInt32 {
			d.fail()
		}
		maxPost = max(maxPost, p)
		g.aliases[k] = aliasHit{place: int32(p), kind: kind}
	}
	if d.err != nil {
		return 0, d.err
	}
	if d.p != len(b) {
		return 0, geotag.Errorf(geotag.EINVALID, "gazetteer file: postings section has trailing data")
	}
	return int32(maxPost), nil
}

func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// hashKey is FNV-1a, inlined so that Lookup does not allocate.
func hashKey(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// index builds the hash table over the keys and finds the longest key.
func (g *Gazetteer) index() {
	nk := len(g.keyOff) - 1
	size := 1
	for size < 2*nk {
		size <<= 1
	}
	g.slots = make([]uint32, size)
	g.mask = uint64(size - 1)
	g.cache = make([]atomic.Pointer[[]geotag.Place], nk)
	for i := 0; i < nk; i++ {
		k := g.key(i)
		if t := strings.Count(k, " ") + 1; t > g.maxTokens {
			g.maxTokens = t
		}
		j := hashKey(k) & g.mask
		for g.slots[j] != 0 {
			j = (j + 1) & g.mask
		}
		g.slots[j] = uint32(i + 1)
	}
}

func (g *Gazetteer) key(i int) string { return g.keys[g.keyOff[i]:g.keyOff[i+1]] }

// find returns the index of key, or -1.
func (g *Gazetteer) find(key string) int {
	if len(g.slots) == 0 {
		return -1
	}
	j := hashKey(key) & g.mask
	for {
		s := g.slots[j]
		if s == 0 {
			return -1
		}
		if g.key(int(s-1)) == key {
			return int(s - 1)
		}
		j = (j + 1) & g.mask
	}
}

// Lookup returns the places with a name whose NameKey is key, most
// important first, or nil. The slice is shared: do not modify it. After a
// key's first lookup, Lookup does not allocate.
func (g *Gazetteer) Lookup(key string) []geotag.Place {
	i := g.find(key)
	if i < 0 {
		return nil
	}
	return g.placesOf(i)
}

func (g *Gazetteer) placesOf(i int) []geotag.Place {
	a, b := g.postOff[i], g.postOff[i+1]
	if b-a == 1 {
		j := g.post[a]
		return g.places[j : j+1 : j+1]
	}
	if p := g.cache[i].Load(); p != nil {
		return *p
	}
	ps := make([]geotag.Place, 0, b-a)
	for _, j := range g.post[a:b] {
		ps = append(ps, g.places[j])
	}
	g.cache[i].Store(&ps)
	return ps
}

// Alias returns the country or division a demonym or abbreviation stands
// for ("syrian" → Syria, "u s" → United States, "w va" → West Virginia),
// with geotag.KindDemonym or geotag.KindAbbreviation; ok is false for any
// other key.
func (g *Gazetteer) Alias(key string) (geotag.Place, string, bool) {
	a, ok := g.aliases[key]
	if !ok {
		return geotag.Place{}, "", false
	}
	return g.places[a.place], a.kind, true
}

// Place returns the place with the id, and false when there is none.
func (g *Gazetteer) Place(id int64) (geotag.Place, bool) {
	if i := g.pos(id); i >= 0 {
		return g.places[i], true
	}
	return geotag.Place{}, false
}

func (g *Gazetteer) pos(id int64) int {
	i := sort.Search(len(g.places), func(i int) bool { return g.places[i].ID >= id })
	if i < len(g.places) && g.places[i].ID == id {
		return i
	}
	return -1
}

// Importance returns the place's prior, 0..1: how likely it is meant when
// its name is written without context (population, feature type, how many
// languages name it). It returns 0 for an unknown id.
func (g *Gazetteer) Importance(id int64) float64 {
	if i := g.pos(id); i >= 0 {
		return float64(g.imp[i]) / 65535
	}
	return 0
}

// Version names the build of the gazetteer data.
func (g *Gazetteer) Version() string { return g.version }

// Len returns the number of places.
func (g *Gazetteer) Len() int { return len(g.places) }

// Keys returns the number of distinct name keys.
func (g *Gazetteer) Keys() int { return len(g.keyOff) - 1 }

// MaxKeyTokens returns the number of tokens of the longest name key, the
// longest span of words that Lookup can match.
func (g *Gazetteer) MaxKeyTokens() int { return g.maxTokens }
