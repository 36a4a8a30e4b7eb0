package geotag

import (
	"strings"
	"sync"
)

// wordKeys caches the token keys of the words the RuleTagger reads (the
// same words recur from text to text; keying each afresh doubled the time
// of tagging a text). Bounded: at most wordKeyShards × maxWordKeysShard
// words of at most maxCachedWordKey bytes each; longer words, and words
// met once a shard is full, are keyed afresh.
type wordKeys struct {
	shards [wordKeyShards]struct {
		mu sync.RWMutex
		m  map[string]string
	}
}

const (
	wordKeyShards    = 16
	maxWordKeysShard = 1 << 12
	maxCachedWordKey = 64
)

// key returns the token keys of word joined with spaces ("" for none).
func (c *wordKeys) key(word string) string {
	if len(word) > maxCachedWordKey {
		return strings.Join(TokenKeys(word), " ")
	}
	var h uint32 = 2166136261
	for i := 0; i < len(word); i++ {
		h = (h ^ uint32(word[i])) * 16777619
	}
	sh := &c.shards[h%wordKeyShards]
	sh.mu.RLock()
	k, ok := sh.m[word]
	sh.mu.RUnlock()
	if ok {
		return k
	}
	k = strings.Join(TokenKeys(word), " ")
	sh.mu.Lock()
	if sh.m == nil {
		sh.m = map[string]string{}
	}
	if len(sh.m) < maxWordKeysShard {
		sh.m[strings.Clone(word)] = k
	}
	sh.mu.Unlock()
	return k
}
