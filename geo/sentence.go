package geo

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is a sentence of a text: the byte range [Start, End) and the
// code-point offset of Start, which mention offsets are shifted by.
type Sentence struct {
	Start, End int // bytes
	Rune       int // code points before Start
}

// sentenceAbbrev are words that end with a full stop inside a sentence.
var sentenceAbbrev = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "gen": true, "col": true, "lt": true, "sgt": true, "capt": true,
	"st": true, "mt": true, "ft": true, "no": true, "vs": true, "prof": true, "sen": true, "rep": true, "gov": true,
	"jan": true, "feb": true, "aug": true, "sept": true, "oct": true, "nov": true, "dec": true, "inc": true, "co": true,
}

// Sentences splits text into sentences, as a desk files headlines and
// one-line reports: after a full stop, question or exclamation mark that is
// followed by space and a capital letter, a digit or a quote, and at every
// line break. A stop after an initial ("F."), an abbreviation with inner
// stops ("U.S.") or a common abbreviation ("Gen.", "St.") ends no sentence.
// Sentences do not overlap and cover the text but for runs of blank space
// between them; a blank text gives none.
func Sentences(text string) []Sentence {
	var out []Sentence
	start, runes, startRune := 0, 0, 0
	cut := func(end int) {
		if strings.TrimSpace(text[start:end]) != "" {
			out = append(out, Sentence{Start: start, End: end, Rune: startRune})
		}
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		runes++
		end := false
		switch r {
		case '\n':
			end = true
		case '.', '!', '?':
			end = sentenceEndsAt(text, i-n, i)
		}
		if end {
			cut(i)
			start, startRune = i, runes
		}
	}
	if start < len(text) {
		cut(len(text))
	}
	return out
}

// sentenceEndsAt reports whether the mark at text[at:next] ends a sentence.
func sentenceEndsAt(text string, at, next int) bool {
	// What follows: space, then a capital, a digit or an opening quote.
	j := next
	for j < len(text) && (text[j] == '"' || text[j] == '\'' || text[j] == ')') && j-next < 2 {
		j++ // a closing quote or bracket after the stop
	}
	if j >= len(text) {
		return false
	}
	r, n := utf8.DecodeRuneInString(text[j:])
	if !unicode.IsSpace(r) {
		return false
	}
	for j += n; j < len(text); {
		r, n = utf8.DecodeRuneInString(text[j:])
		if !unicode.IsSpace(r) {
			break
		}
		j += n
	}
	if j >= len(text) || !(unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"“‘'(", r)) {
		return false
	}
	if text[at] != '.' {
		return true
	}
	// The word before the stop.
	k := at
	for k > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:k])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		k -= n
	}
	w := text[k:at]
	if strings.Contains(w, ".") || utf8.RuneCountInString(w) == 1 && w != strings.ToLower(w) {
		return false // "U.S.", "F."
	}
	return !sentenceAbbrev[strings.ToLower(w)]
}
