package geo

import "sync/atomic"

// CountWork makes t count the steps of the loops whose length the text
// decides, and returns the counter.
func (t *Tagger) CountWork() *atomic.Int64 {
	t.work = new(atomic.Int64)
	return t.work
}

// CountScored makes t count the candidates it scores with the whole of
// the evidence (the resolution budget's unit), and returns the counter.
func (t *Tagger) CountScored() *atomic.Int64 {
	t.scored = new(atomic.Int64)
	return t.scored
}

// ResolveBudget is the resolution budget of a text of n bytes.
func ResolveBudget(n int) int { return resolveBudget(n) }

// CacheBytes returns the bytes of the words and keys t's word cache holds.
func (t *Tagger) CacheBytes() int {
	n := 0
	for i := range t.keys.shards {
		sh := &t.keys.shards[i]
		sh.mu.RLock()
		for w, k := range sh.m {
			n += len(w) + len(k)
		}
		sh.mu.RUnlock()
	}
	return n
}
