package gazetteer

import (
	"hash/maphash"
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

// scanKeys checks that the keys are non-empty, unique and in byte order,
// and returns the hashes of their proper word prefixes (each distinct
// prefix once: sorted keys that share a prefix are neighbours) and the
// most words of one key; ok is false when the keys are not in order.
func scanKeys(seed maphash.Seed, keys string, off []uint32) (hashes []uint64, maxTokens int, ok bool) {
	hashes = make([]uint64, 0, len(off)/4)
	prev := ""
	for i := 0; i+1 < len(off); i++ {
		k := keys[off[i]:off[i+1]]
		if len(k) == 0 || (i > 0 && prev >= k) {
			return nil, 0, false
		}
		tokens := 1
		for j := strings.IndexByte(k, ' '); j >= 0; {
			tokens++
			if j >= len(prev) || prev[j] != ' ' || prev[:j] != k[:j] { // else the previous key has this prefix too
				hashes = append(hashes, maphash.String(seed, k[:j]))
			}
			n := strings.IndexByte(k[j+1:], ' ')
			if n < 0 {
				break
			}
			j += 1 + n
		}
		maxTokens = max(maxTokens, tokens)
		prev = k
	}
	return hashes, maxTokens, true
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

// IsKeyPrefix reports whether a name key or an alias key of more words
// than key starts with key's words and a space: whether a span of words
// that continues key may still be found by Lookup or Alias. key is keyed
// as NameKey keys names (words joined by single spaces). It may say true
// for a key that starts no name (rarely, when hashes collide), never false
// for one that does.
func (g *Gazetteer) IsKeyPrefix(key string) bool {
	return g.prefixes != nil && g.prefixes.has(key)
}
