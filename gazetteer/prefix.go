package gazetteer

import (
	"hash/maphash"
	"sort"
	"strings"
)

// prefixSet holds the proper word prefixes of the name and alias keys
// ("deir ez" of "deir ez zor", "new" of "new york") in an open-addressing
// table of 32-bit fingerprints (4 MiB for the bundled gazetteer's 320,000
// prefixes), so that the tagger need not look up a span of words that no
// name starts with. A fingerprint that two prefixes share makes
// IsKeyPrefix say true for both: the caller then looks up a span in vain,
// which costs time, never an answer.
type prefixSet struct {
	seed  maphash.Seed
	slots []uint32 // the hash's top 32 bits |1, or 0 for an empty slot
	mask  uint64
}

// newPrefixSet makes the set of the hashes (made with seed).
func newPrefixSet(seed maphash.Seed, hashes []uint64) *prefixSet {
	n := 16
	for n < 2*len(hashes) {
		n *= 2
	}
	s := &prefixSet{seed: seed, slots: make([]uint32, n), mask: uint64(n - 1)}
	for _, h := range hashes {
		s.add(h)
	}
	return s
}

// add adds a hash: its low bits choose the home slot, its top 32 bits
// are the fingerprint.
func (s *prefixSet) add(h uint64) {
	f := uint32(h>>32) | 1
	for j := h & s.mask; ; j = (j + 1) & s.mask {
		switch s.slots[j] {
		case 0:
			s.slots[j] = f
			return
		case f:
			return
		}
	}
}

func (s *prefixSet) has(key string) bool {
	h := maphash.String(s.seed, key)
	f := uint32(h>>32) | 1
	for j := h & s.mask; ; j = (j + 1) & s.mask {
		switch s.slots[j] {
		case 0:
			return false
		case f:
			return true
		}
	}
}

// aliasPrefixes appends the hashes of the proper word prefixes of alias
// keys ("w" of "w va").
func aliasPrefixes(dst []uint64, seed maphash.Seed, aliases map[string]aliasHit) []uint64 {
	for k := range aliases {
		for j := strings.IndexByte(k, ' '); j >= 0; {
			dst = append(dst, maphash.String(seed, k[:j]))
			n := strings.IndexByte(k[j+1:], ' ')
			if n < 0 {
				break
			}
			j += 1 + n
		}
	}
	return dst
}

// IsKeyPrefix reports whether a name key or an alias key of more words than
// key starts with key's words and a space: whether a span of words that
// continues key may still be found by Lookup or Alias. key is keyed as
// NameKey keys names (words joined by single spaces). Once the key index
// is built it may say true for a key that starts no name (rarely, when
// hashes collide), never false for one that does; before, it reads the
// sorted keys and answers exactly for name keys.
func (g *Gazetteer) IsKeyPrefix(key string) bool {
	if ix := g.keyIx.Load(); ix != nil {
		return ix.prefixes.has(key)
	}
	return g.aliasPrefixes.has(key) || g.startsKey(key)
}

// startsKey reports whether a name key starts with key and a space, by a
// binary search of the sorted keys for the first one at or after key+" ".
func (g *Gazetteer) startsKey(key string) bool {
	nk := g.Keys()
	i := sort.Search(nk, func(i int) bool {
		k := g.key(i)
		if !strings.HasPrefix(k, key) {
			return k > key
		}
		return len(k) > len(key) && k[len(key)] >= ' '
	})
	if i == nk {
		return false
	}
	k := g.key(i)
	return len(k) > len(key) && k[len(key)] == ' ' && strings.HasPrefix(k, key)
}
