package gazetteer

import (
	"hash/maphash"
	"strings"
)

// prefixSet holds the proper word prefixes of the name and alias keys
// ("deir ez" of "deir ez zor", "new" of "new york"), as 64-bit hashes in
// an open-addressing table, so that the tagger need not look up a span
// of words that no name starts with. A hash that two prefixes share makes
// IsKeyPrefix say true for both: the caller then looks up a span in vain,
// which costs time, never an answer.
type prefixSet struct {
	seed  maphash.Seed
	slots []uint64 // hash|1, or 0 for an empty slot
	mask  uint64
}

// keyPrefixes appends to dst the hashes of the proper word prefixes of
// the sorted keys (each distinct prefix once: sorted keys that share a
// prefix are neighbours).
func keyPrefixes(dst []uint64, seed maphash.Seed, keys string, off []uint32) []uint64 {
	prev := ""
	for i := 0; i+1 < len(off); i++ {
		k := keys[off[i]:off[i+1]]
		for j := 0; j < len(k); j++ {
			if k[j] != ' ' {
				continue
			}
			if j < len(prev) && prev[j] == ' ' && prev[:j] == k[:j] {
				continue // the previous key has this prefix too
			}
			dst = append(dst, maphash.String(seed, k[:j]))
		}
		prev = k
	}
	return dst
}

// newPrefixSet makes the set of the hashes (made with seed).
func newPrefixSet(seed maphash.Seed, hashes []uint64) *prefixSet {
	n := 16
	for n < 2*len(hashes) {
		n *= 2
	}
	s := &prefixSet{seed: seed, slots: make([]uint64, n), mask: uint64(n - 1)}
	for _, h := range hashes {
		s.add(h)
	}
	return s
}

func (s *prefixSet) add(h uint64) {
	h |= 1
	for j := h & s.mask; ; j = (j + 1) & s.mask {
		switch s.slots[j] {
		case 0:
			s.slots[j] = h
			return
		case h:
			return
		}
	}
}

func (s *prefixSet) has(key string) bool {
	h := maphash.String(s.seed, key) | 1
	for j := h & s.mask; ; j = (j + 1) & s.mask {
		switch s.slots[j] {
		case 0:
			return false
		case h:
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

// IsKeyPrefix reports whether a name key or an alias key of more words
// than key starts with key's words and a space: whether a span of words
// that continues key may still be found by Lookup or Alias. key is keyed
// as NameKey keys names (words joined by single spaces). It may say true
// for a key that starts no name (rarely, when hashes collide), never false
// for one that does.
func (g *Gazetteer) IsKeyPrefix(key string) bool {
	return g.prefixes != nil && g.prefixes.has(key)
}
