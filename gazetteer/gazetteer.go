package gazetteer

import (
	_ "embed"
	"encoding/binary"
	"hash/maphash"
	"io"
	stdbits "math/bits"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/geotag/geotag"
)

// Gazetteer is the loaded, read-only place index. It implements
// geotag.Gazetteer and is safe for concurrent use.
//
// Places are held in columns, in id order, and made into geotag.Place
// values when asked for; Lookup keeps the slice it builds for a name, so a
// name costs one allocation the first time and none after.
type Gazetteer struct {
	version string

	// Place columns, index i in id order.
	ids     []int64
	lat     []int32 // 1e-5 degrees
	lon     []int32
	names   string   // all display names
	nameOff []uint32 // name i is names[nameOff[i]:nameOff[i+1]]
	country []uint16 // index into countries
	admin1  []uint16 // index into admins
	feature []uint16 // index into features
	pop     []int64
	parent  []int64
	imp     []uint16 // importance, 0..65535
	// posIndex[b] is the position of the first id ≥ b<<posBucketBits.
	posIndex []int32

	countries []countryRow
	admins    []adminRow
	features  []string

	// Names.
	keys      string   // all name keys, concatenated in byte order
	keyOff    []uint32 // key i is keys[keyOff[i]:keyOff[i+1]]
	postOff   []uint32 // places of key i are posting(postOff[i]) … posting(postOff[i+1]-1)
	post      []byte   // place positions, uint32 little-endian, in the decompressed postings section
	seed      maphash.Seed
	cache     []atomic.Pointer[cacheChunk] // the places of key i, in chunk i>>cacheChunkBits
	aliases   map[string]aliasHit
	maxTokens int
	// keyIx is the hash table over the keys and the set of their word
	// prefixes, built in the background once load has returned (nil until
	// then: find and IsKeyPrefix search the sorted keys meanwhile, with the
	// same answers); keyIxDone is closed when it is set.
	keyIx     atomic.Pointer[keyIndex]
	keyIxDone chan struct{}
	// aliasPrefixes is the set of the aliases' word prefixes, for
	// IsKeyPrefix before keyIx is built.
	aliasPrefixes *prefixSet

	searchOnce sync.Once
	search     *searchIndex

	labelOnce  sync.Once
	label      *labelIndex // map labels (labels.go), built by BuildLabels or the first Labels
	labelReady atomic.Bool // label is built
}

type countryRow struct{ code, name string }
type adminRow struct{ code, name string }

type aliasHit struct {
	place int32
	kind  string
}

var _ geotag.Gazetteer = (*Gazetteer)(nil)

//go:embed data/gazetteer.gz
var bundled []byte

// Open loads the gazetteer bundled in the binary. It returns an EINTERNAL
// *Error only if the bundled file is damaged, which the tests catch.
func Open() (*Gazetteer, error) {
	g, err := load(bundled)
	if err != nil {
		return nil, geotag.Errorf(geotag.EINTERNAL, "bundled gazetteer: %s", geotag.ErrorMessage(err))
	}
	return g, nil
}

// Load reads a gazetteer file written by Builder.Build ("geotag gazetteer
// build"). It returns an EINVALID *Error when r does not hold a complete,
// well-formed gazetteer file, and the reader's error when reading fails.
func Load(r io.Reader) (*Gazetteer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return load(b)
}

func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// hashKey hashes a name key with the table's seed (hardware-assisted, no
// allocation).
func (g *Gazetteer) hashKey(s string) uint64 { return maphash.String(g.seed, s) }

// keyIndex makes a name key quick to find: a hash table over the keys
// and the set of the keys' and aliases' word prefixes.
type keyIndex struct {
	slots    []uint32 // hash tag << idxBits | key index+1, or 0
	idxBits  uint     // the bits of a slot that hold the key index+1
	shift    uint     // a key's home slot is its hash >> shift
	prefixes *prefixSet
}

// buildKeyIndex builds keyIx from the hashes of the keys' word prefixes
// (scanKeys) and closes keyIxDone; load runs it in the background after
// its checks, so it cannot fail.
func (g *Gazetteer) buildKeyIndex(prefixHashes []uint64) {
	ix := newKeyIndex(len(g.keyOff)-1, func(i int) uint64 { return g.hashKey(g.key(i)) })
	ix.prefixes = newPrefixSet(g.seed, aliasPrefixes(prefixHashes, g.seed, g.aliases))
	g.keyIx.Store(ix)
	close(g.keyIxDone)
}

// maxKeys bounds the keys of a gazetteer, so that a key index and a tag
// fit a hash table slot's 32 bits.
const maxKeys = 1 << 30

// newKeyIndex builds the hash table of the nk keys (nk ≤ maxKeys),
// hash(i) being key i's: linear probing over a table of twice the keys,
// home slot = the hash's top bits. Entries are placed in home-slot order
// (a radix sort first), so the table fills front to back instead of at
// random, and a probe never wraps around: the table has a tail.
func newKeyIndex(nk int, hash func(i int) uint64) *keyIndex {
	bits := uint(1)
	for 1<<bits < 2*nk {
		bits++
	}
	// A slot holds tag << idxBits | key index+1, the tag being low bits of
	// the hash (the home slot is its top bits) so that most misses never
	// read a key. Entries home << shift | slot carry both through a radix
	// sort on the home slot.
	ix := &keyIndex{shift: 64 - bits, idxBits: uint(stdbits.Len(uint(nk)))}
	tagMask := uint64(1)<<(32-ix.idxBits) - 1
	ent := make([]uint64, nk)
	for i := range ent {
		h := hash(i)
		ent[i] = h>>ix.shift<<ix.shift | (h&tagMask)<<ix.idxBits | uint64(i+1)
	}
	tmp := make([]uint64, nk)
	for lo := ix.shift; lo < 64; lo += 11 {
		var count [1 << 11]int
		for _, e := range ent {
			count[e>>lo&(1<<11-1)]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, e := range ent {
			k := e >> lo & (1<<11 - 1)
			tmp[count[k]] = e
			count[k]++
		}
		ent, tmp = tmp, ent
	}
	ix.slots = make([]uint32, 1<<bits, 1<<bits+64)
	next := 0
	for _, e := range ent {
		j := max(int(e>>ix.shift), next)
		for j >= len(ix.slots) {
			ix.slots = append(ix.slots, 0)
		}
		ix.slots[j] = uint32(e)
		next = j + 1
	}
	ix.slots = append(ix.slots, 0) // every probe ends at an empty slot
	return ix
}

func (g *Gazetteer) key(i int) string { return g.keys[g.keyOff[i]:g.keyOff[i+1]] }

// posting returns the place position at index j of the posting lists.
func (g *Gazetteer) posting(j uint32) int32 {
	return int32(binary.LittleEndian.Uint32(g.post[4*int(j):]))
}

// find returns the index of key, or -1: from the hash table once it is
// built, else by a binary search of the sorted keys.
func (g *Gazetteer) find(key string) int {
	ix := g.keyIx.Load()
	if ix == nil {
		nk := g.Keys()
		i := sort.Search(nk, func(i int) bool { return g.key(i) >= key })
		if i < nk && g.key(i) == key {
			return i
		}
		return -1
	}
	h := g.hashKey(key)
	tag := uint32(h) & (1<<(32-ix.idxBits) - 1)
	for j := int(h >> ix.shift); j < len(ix.slots); j++ {
		s := ix.slots[j]
		if s == 0 {
			return -1
		}
		if s>>ix.idxBits == tag {
			if i := int(s&(1<<ix.idxBits-1)) - 1; g.key(i) == key {
				return i
			}
		}
	}
	return -1
}

// place makes the Place at position i.
func (g *Gazetteer) place(i int32) geotag.Place {
	c := g.countries[g.country[i]]
	a := g.admins[g.admin1[i]]
	return geotag.Place{
		ID:          g.ids[i],
		Name:        g.names[g.nameOff[i]:g.nameOff[i+1]],
		Lat:         float64(g.lat[i]) / 1e5,
		Lon:         float64(g.lon[i]) / 1e5,
		Country:     c.code,
		CountryName: c.name,
		Admin1:      a.name,
		Admin1Code:  a.code,
		Feature:     g.features[g.feature[i]],
		Population:  g.pop[i],
		ParentID:    g.parent[i],
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
	slot := g.cacheSlot(i)
	if p := slot.Load(); p != nil {
		return *p
	}
	lo, hi := g.postOff[i], g.postOff[i+1]
	ps := make([]geotag.Place, hi-lo)
	for j := range ps {
		ps[j] = g.place(g.posting(lo + uint32(j)))
	}
	slot.Store(&ps)
	return ps
}

// cacheChunkBits sets the keys of a chunk of the Lookup cache: 4,096, 32
// KiB of pointers. Chunks are made on a first lookup of one of their keys,
// so that a load does not allocate and clear 13 MB for the few thousand
// names a process ever looks up.
const cacheChunkBits = 12

type cacheChunk [1 << cacheChunkBits]atomic.Pointer[[]geotag.Place]

// cacheSlot returns the cache entry of key i, making its chunk.
func (g *Gazetteer) cacheSlot(i int) *atomic.Pointer[[]geotag.Place] {
	c := &g.cache[i>>cacheChunkBits]
	ch := c.Load()
	if ch == nil {
		ch = new(cacheChunk)
		if !c.CompareAndSwap(nil, ch) {
			ch = c.Load()
		}
	}
	return &ch[i&(1<<cacheChunkBits-1)]
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
	return g.place(a.place), a.kind, true
}

// Place returns the place with the id, and false when there is none.
func (g *Gazetteer) Place(id int64) (geotag.Place, bool) {
	if i := g.pos(id); i >= 0 {
		return g.place(int32(i)), true
	}
	return geotag.Place{}, false
}

// posBucketBits is the width of the id ranges of posIndex: 256 ids.
const posBucketBits = 8

// maxPosBucket bounds posIndex: ids from 0 up to 2^26 (GeoNames ids run to
// about 13 million) have a bucket; others are searched in all of ids.
const maxPosBucket = 1 << (26 - posBucketBits)

// indexPositions builds posIndex: the position of the first id of each
// bucket of 2^posBucketBits ids, so that pos searches a few neighbours
// instead of all 700,000 ids (Importance is called for every candidate of
// every name the tagger resolves).
func (g *Gazetteer) indexPositions() {
	top := 0
	if n := len(g.ids); n > 0 && g.ids[n-1] >= 0 {
		top = int(min(g.ids[n-1]>>posBucketBits, maxPosBucket-1)) + 1
	}
	g.posIndex = make([]int32, top+1)
	i := 0
	for b := range g.posIndex {
		for i < len(g.ids) && g.ids[i] < int64(b)<<posBucketBits {
			i++
		}
		g.posIndex[b] = int32(i)
	}
}

func (g *Gazetteer) pos(id int64) int {
	lo, hi := 0, len(g.ids)
	if b := id >> posBucketBits; id >= 0 && b+1 < int64(len(g.posIndex)) {
		lo, hi = int(g.posIndex[b]), int(g.posIndex[b+1])
	}
	i, ok := sort.Find(hi-lo, func(i int) int {
		i += lo
		switch {
		case id < g.ids[i]:
			return -1
		case id > g.ids[i]:
			return 1
		}
		return 0
	})
	if ok {
		return lo + i
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
func (g *Gazetteer) Len() int { return len(g.ids) }

// Keys returns the number of distinct name keys.
func (g *Gazetteer) Keys() int { return len(g.keyOff) - 1 }

// MaxKeyTokens returns the number of tokens of the longest name key, the
// longest span of words that Lookup can match.
func (g *Gazetteer) MaxKeyTokens() int { return g.maxTokens }
