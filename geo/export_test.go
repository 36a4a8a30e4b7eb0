package geo

import "sync/atomic"

// CountWork makes t count the steps of the loops whose length the text
// decides, and returns the counter.
func (t *Tagger) CountWork() *atomic.Int64 {
	t.work = new(atomic.Int64)
	return t.work
}

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
