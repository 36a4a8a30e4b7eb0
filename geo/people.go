package geo

import "github.com/geotag/geotag"

// personStrong is the weight personKeys gives a strong cue (a given name, a
// title, an age); each verb of saying adds 1.
const personStrong = 16

// personWeight turns personKeys' sum for a word into person evidence: 2
// per strong cue, 1 per verb of saying. Verbs of saying say nothing about a
// prominent place, which news names as an actor ("Kyiv said", "Damascus
// condemned"): for it only strong cues count, so no such filter removes
// every mention of a capital.
func personWeight(sum int, capital bool) int {
	strong, weak := sum/personStrong, sum%personStrong
	if capital {
		return 2 * strong
	}
	return 2*strong + weak
}

// firstNameAt reports whether the one-word name at i is a person's first
// name: a common given name (the hand-written list), or a country that is
// also a given name, right before another capitalised word that is neither
// an English word nor a generic or container word ("Michael Jordan",
// "Jordan Matthews"); after a country, that word must not be a country or
// division itself ("Jordan Lebanon" is a list). A capital keeps its place
// reading ("Paris Hilton" aside).
func (t *Tagger) firstNameAt(toks []token, i int, top geotag.Place) bool {
	first := &toks[i]
	common := first.flags&fGiven != 0 // hand-written: "Michael", "Chad", "Victoria"
	if !common && !(first.flags&fGivenAll != 0 && isCountry(top)) || top.Feature == "P.PPLC" || first.possessive || first.commaAfter || i+1 >= len(toks) {
		return false
	}
	next := &toks[i+1]
	if next.gap != gapSpace || !next.cap || next.sentStart || next.upper || next.dotted || next.digit ||
		next.flags&(fEnglish|fGeneric|fStop|fCalendar|fStreet|fOrgAfter|fTitles|fConnect) != 0 || t.lex.containerPrecision(next.key) > 0 {
		return false
	}
	if ps := t.g.Lookup(next.key); len(ps) > 0 && isMajor(ps[0]) && !common {
		return false // "Jordan Lebanon" is a list, not a person; "Michael Jordan" is one
	}
	return !t.isAlias(next.key)
}
