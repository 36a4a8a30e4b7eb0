package geo

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

// Gap classes: what stands between a token and the one before it.
const (
	gapSpace  = iota // spaces or tabs on one line: names may run across it
	gapHyphen        // a hyphen with no spaces: "Deir ez-Zor", "Aleppo-based"
	gapBreak         // anything else (comma, quote, bracket, newline…): names never cross it
)

// token is one word of the text. Offsets count code points (start, end) and
// bytes (byteStart, byteEnd); a possessive 's is outside the token.
type token struct {
	start, end         int
	byteStart, byteEnd int
	key                string // geotag.TokenKeys of the word, joined; "" when it has none
	gap                uint8  // gap class before the token
	cap                bool   // first letter upper case, or a script without case
	upper              bool   // two or more letters, all upper case
	lower              bool   // first letter lower case
	sentStart          bool   // first word of a sentence, a line or the text
	possessive         bool   // followed by 's, which is not part of the token
	dotted             bool   // a dotted abbreviation: "U.S.", "W.Va.", "D.C."
	dotAfter           bool   // a full stop follows immediately
	commaAfter         bool   // the gap after the token is a comma (", ")
	digit              bool   // starts with a digit
	dotGap             bool   // the gap before is a full stop and spaces: "Gen. Smith", "St. Louis"
	contraction        bool   // "I've", "don't", "we'll": no name
	flags              uint32 // word-list flags of the key (f* constants)
	caseless           bool   // a script without letter case (Arabic, Chinese…): capitals say nothing
}

// isLetterDigitMark reports whether r is a letter, a digit or a combining
// mark (Mn, Mc): what a word of the text is made of. An apostrophe joins
// two such runes into one word (tokenize); geotag's NameKey, which keys
// words the tokenizer has already cut, counts apostrophes as word runes.
func isLetterDigitMark(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if r < 0x800 {
		return lowRunes[r]&rcWord != 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// Classes of the code points below 0x800 (Latin, Greek, Cyrillic, Hebrew,
// Arabic), looked up in a table rather than Unicode's range tables.
const (
	rcWord   = 1 << iota // a letter, digit or combining mark
	rcLetter             // unicode.IsLetter
	rcUpper              // unicode.IsUpper or IsTitle
	rcLower              // unicode.IsLower
)

var lowRunes = func() (t [0x800]uint8) {
	for r := rune(0); r < 0x800; r++ {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) {
			t[r] |= rcWord
		}
		if unicode.IsLetter(r) {
			t[r] |= rcLetter
		}
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			t[r] |= rcUpper
		}
		if unicode.IsLower(r) {
			t[r] |= rcLower
		}
	}
	return t
}()

// runeClass returns the rc* classes of r.
func runeClass(r rune) uint8 {
	if r >= 0 && r < 0x800 {
		return lowRunes[r]
	}
	var c uint8
	if unicode.IsLetter(r) {
		c |= rcLetter
	}
	if unicode.IsUpper(r) || unicode.IsTitle(r) {
		c |= rcUpper
	}
	if unicode.IsLower(r) {
		c |= rcLower
	}
	return c
}

func isHyphen(r rune) bool {
	switch r {
	case '-', '‐', '‑':
		return true
	}
	return false
}

// tokenizer splits text into tokens, reusing its buffers across calls.
type tokenizer struct {
	toks  []token
	cache *keyCache
}

// keyCache maps words to their keys, so that each distinct word is
// normalised once per process rather than once per occurrence. It is shared
// by the goroutines of one Tagger, split into shards to keep lock waits
// short, and bounded: a full shard starts afresh.
type keyCache struct {
	shards [32]keyShard
}

type keyShard struct {
	mu sync.RWMutex
	m  map[string]string
}

// maxCacheShard bounds one shard of the word cache.
const maxCacheShard = 1 << 13

// maxCachedWord bounds the bytes of a word the cache keeps: longer words
// are keyed afresh each time, so that texts of long made-up words cannot
// fill the process's memory with them (the bound on entries alone let
// 262,144 words of any length stay).
const maxCachedWord = 64

// wordKey returns the key of one word: geotag.TokenKeys joined with spaces
// ("U.S." → "u s"), "" when it has none.
func (c *keyCache) wordKey(word string) string {
	if len(word) > maxCachedWord {
		return strings.Join(geotag.TokenKeys(word), " ")
	}
	var h uint32 = 2166136261
	for i := 0; i < len(word); i++ {
		h = (h ^ uint32(word[i])) * 16777619
	}
	sh := &c.shards[h%uint32(len(c.shards))]
	sh.mu.RLock()
	k, ok := sh.m[word]
	sh.mu.RUnlock()
	if ok {
		return k
	}
	k = strings.Join(geotag.TokenKeys(word), " ")
	sh.mu.Lock()
	if sh.m == nil || len(sh.m) >= maxCacheShard {
		sh.m = make(map[string]string, 256)
	}
	sh.m[strings.Clone(word)] = k
	sh.mu.Unlock()
	return k
}

// wordRuns counts the runs of letters, digits and marks in text: at least
// as many as the tokens (an apostrophe or a dotted abbreviation joins runs
// into one token, never splits one).
func wordRuns(text string) int {
	n := 0
	in := false
	for i := 0; i < len(text); {
		r, sz := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, sz = utf8.DecodeRuneInString(text[i:])
		}
		w := isLetterDigitMark(r)
		if w && !in {
			n++
		}
		in = w
		i += sz
	}
	return n
}

// tokenize splits text (valid UTF-8) into words. Keys are computed with
// geotag's NameKey rules, word by word.
func (tz *tokenizer) tokenize(text string) []token {
	tz.toks = tz.toks[:0]
	if want := wordRuns(text); cap(tz.toks) < want {
		// Room for every token at once: growing by appends copied the
		// tokens of a 1 MB text of short words several times over.
		tz.toks = make([]token, 0, want)
	}

	ri := 0 // rune index of position i
	i := 0
	gapStart := 0 // byte offset where the current gap began
	for i < len(text) {
		r, sz := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, sz = utf8.DecodeRuneInString(text[i:])
		}
		if !isLetterDigitMark(r) {
			i += sz
			ri++
			continue
		}
		lastWord, lastWordR := scanWord(text, i, ri)
		t, word := wordToken(text, i, ri, lastWord, lastWordR)
		tz.gapBefore(&t, text[gapStart:i])
		t.key = tz.cache.wordKey(word)

		// After-word facts.
		i, ri = t.byteEnd, t.end
		if t.possessive {
			i, ri = lastWord, lastWordR
		}
		if i < len(text) {
			t.dotAfter = text[i] == '.'
			t.commaAfter = text[i] == ','
		}
		tz.toks = append(tz.toks, t)
		gapStart = i
	}
	return tz.toks
}

// scanWord scans the word that starts at byte i (rune ri): letters, digits,
// marks and inner apostrophes. It returns the end of its last letter,
// digit or mark, in bytes and runes.
func scanWord(text string, i, ri int) (int, int) {
	j, rj := i, ri
	lastWord, lastWordR := j, rj // end of the last word rune (exclusive)
	for j < len(text) {
		c, csz := rune(text[j]), 1
		if c >= utf8.RuneSelf {
			c, csz = utf8.DecodeRuneInString(text[j:])
		}
		if isLetterDigitMark(c) {
			j += csz
			rj++
			lastWord, lastWordR = j, rj
			continue
		}
		if geotag.IsApostrophe(c) {
			// Inside a word only when a word rune follows.
			k := j + csz
			if k < len(text) {
				n, _ := utf8.DecodeRuneInString(text[k:])
				if isLetterDigitMark(n) {
					j = k
					rj++
					continue
				}
			}
		}
		break
	}
	return lastWord, lastWordR
}

// wordToken makes the token of the word text[bstart:bend] (runes from
// rstart to rend): a dotted abbreviation takes its stops, a possessive 's
// stays outside. It returns the token and the word its key is made from.
func wordToken(text string, bstart, rstart, bend, rend int) (token, string) {
	word := text[bstart:bend]
	t := token{start: rstart, end: rend, byteStart: bstart, byteEnd: bend}
	if ab, abR, ok := dottedAbbrev(text, bstart); ok {
		// Dotted abbreviation: U.S. / W.Va. / D.C. / U.S.A.
		word = text[bstart : bstart+ab]
		t.end, t.byteEnd, t.dotted = rstart+abR, bstart+ab, true
	} else if n := possessiveLen(word); n > 0 {
		t.possessive = true
		t.byteEnd -= n
		t.end -= 2
		word = text[bstart:t.byteEnd]
	}
	classifyCase(&t, word)
	t.contraction = !t.dotted && isContraction(word)
	return t, word
}

// gapBefore classifies the gap before token t, given the tokens before it.
func (tz *tokenizer) gapBefore(t *token, gap string) {
	t.gap, t.sentStart = classifyGap(gap, len(tz.toks) == 0)
	t.dotGap = len(tz.toks) > 0 && onlyDotSpace(gap)
	if len(tz.toks) == 0 {
		return
	}
	prev := &tz.toks[len(tz.toks)-1]
	if prev.dotAfter && t.gap == gapBreak && t.dotGap && sharedLexicon().titleAbbrev.has(prev.key) {
		// "St. Louis", "Mt. Hermon": the abbreviation's full stop is no break.
		t.gap, t.sentStart = gapSpace, false
	}
	if prev.dotted && t.gap == gapSpace {
		// "U.S. officials": the abbreviation's own stop ends no sentence.
		t.sentStart = false
	}
}

func onlyDotSpace(gap string) bool {
	if len(gap) < 2 || gap[0] != '.' {
		return false
	}
	for i := 1; i < len(gap); i++ {
		if gap[i] != ' ' {
			return false
		}
	}
	return true
}

// isContraction reports whether word ends in an English contraction: 've,
// 'll, 're, 'd, 't, 'm.
func isContraction(word string) bool {
	k := -1
	for i, r := range word {
		if geotag.IsApostrophe(r) {
			k = i + utf8.RuneLen(r)
		}
	}
	if k < 0 {
		return false
	}
	switch word[k:] {
	case "ve", "ll", "re", "d", "t", "m", "VE", "LL", "RE", "D", "T", "M":
		return true
	}
	return false
}

// possessiveLen returns the byte length of a trailing 's / ’s, or 0.
func possessiveLen(word string) int {
	n := len(word)
	if n >= 3 && (word[n-1] == 's') {
		if word[n-2] == '\'' {
			return 2
		}
		if n >= 5 && word[n-4:n-1] == "’" {
			return 4
		}
	}
	return 0
}

// dottedAbbrev matches an abbreviation of one-to-three-letter groups each
// followed by a full stop, at least two groups, starting with a capital:
// "U.S.", "W.Va.", "D.C.", "U.S.A.". It returns its length in bytes and runes.
func dottedAbbrev(text string, i int) (int, int, bool) {
	groups := 0
	j, runes := i, 0
	for j < len(text) {
		k := j
		n := 0
		for k < len(text) && n <= 3 {
			c := text[k]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
				break
			}
			k++
			n++
		}
		if n == 0 || n > 3 || k >= len(text) || text[k] != '.' {
			break
		}
		if groups == 0 && !('A' <= text[j] && text[j] <= 'Z') {
			return 0, 0, false
		}
		groups++
		runes += n + 1
		j = k + 1
	}
	if groups < 2 {
		return 0, 0, false
	}
	// The last group must not run on into a word ("U.S.based" is fine, "e.g.x" rare).
	return j - i, runes, true
}

func classifyCase(t *token, word string) {
	letters, uppers := 0, 0
	first := true
	for _, r := range word {
		rc := runeClass(r)
		if rc&rcLetter == 0 {
			if first && unicode.IsDigit(r) {
				t.digit = true
				first = false
			}
			continue
		}
		letters++
		up := rc&rcUpper != 0
		if up {
			uppers++
		}
		if first {
			t.lower = rc&rcLower != 0
			t.cap = !t.lower
			t.caseless = !t.lower && !up
			first = false
		}
	}
	t.upper = letters >= 2 && uppers == letters
}

// classifyGap returns the gap class of the text between two words, and
// whether the second word starts a sentence.
func classifyGap(gap string, first bool) (uint8, bool) {
	if first {
		return gapBreak, true
	}
	if gap == " " {
		return gapSpace, false
	}
	cls := uint8(gapSpace)
	sent := false
	hy := 0
	for _, r := range gap {
		switch {
		case r == ' ' || r == '\t' || r == '\u00a0':
		case isHyphen(r):
			hy++
			cls = max(cls, gapBreak)
		case r == '.' || r == '!' || r == '?' || r == '\n' || r == ':' || r == '•' || r == '|':
			sent = true
			cls = gapBreak
		default:
			cls = gapBreak
		}
	}
	if hy == 1 && len(gap) <= 3 && !sent {
		onlyHy := true
		for _, r := range gap {
			if !isHyphen(r) {
				onlyHy = false
			}
		}
		if onlyHy {
			cls = gapHyphen
		}
	}
	return cls, sent
}
