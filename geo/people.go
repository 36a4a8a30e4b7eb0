package geo

import (
	"strings"

	"github.com/geotag/geotag"
)

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

// personKeys returns the keys of words that the text uses as a person's
// name, with their person weight (personStrong per strong cue, 1 per weak
// one): a capitalised word right after a given name, a title, a verb of
// saying or another capitalised word that is neither English nor a place
// ("John Kerry", "President Obama", "Gen. Smith", "said Clark", "Desmond
// Demetrius Clark").
func (t *Tagger) personKeys(text string, toks []token) map[string]int {
	var m map[string]int
	var c personCase // one for the text: the rules take its address
	for k := range toks {
		cur := &toks[k]
		if !cur.cap || cur.caseless || cur.upper || cur.dotted || cur.key == "" || cur.flags&(fStop|fGeneric|fCalendar) != 0 {
			continue
		}
		c = personCase{t: t, text: text, toks: toks, k: k, cur: cur}
		if k > 0 {
			c.prev = &toks[k-1]
		}
		if k+1 < len(toks) {
			c.next = &toks[k+1]
		}
		for _, rule := range personRules {
			w, decided := rule(&c)
			if !decided {
				continue
			}
			if w > 0 {
				if m == nil {
					m = map[string]int{}
				}
				m[cur.key] += w
			}
			break
		}
	}
	return m
}

// personCase is a capitalised word that personRules weigh as a person's
// name.
type personCase struct {
	t               *Tagger
	text            string
	toks            []token
	k               int
	cur, prev, next *token // prev and next are nil at the text's ends
}

// personRules weigh a word, in order: the first that decides gives its
// weight (personStrong, 1, or 0 for none).
var personRules = [...]func(c *personCase) (weight int, decided bool){
	personAge, personSaidAfter, personPossessive, personFirm,
	personFirstWord, personSaidBefore, personAfterLower,
	personAfterTitle, personMiddleInitial, personNotJoined,
	personAfterGiven, personAfterUnknown,
}

// personAge: "Samra, 46, said".
func personAge(c *personCase) (int, bool) {
	n := c.next
	return personStrong, c.cur.commaAfter && n != nil && isAge(n.key) && (n.commaAfter || n.dotAfter)
}

// personSaidAfter: "Bellah said", but also "Tbilisi says": weak.
func personSaidAfter(c *personCase) (int, bool) {
	n := c.next
	return 1, n != nil && n.gap == gapSpace && n.lower && n.flags&fSpeech != 0 && !c.cur.possessive
}

// personPossessive: "Bakari's wife", "Fairfield’s lawyers".
func personPossessive(c *personCase) (int, bool) {
	n := c.next
	return personStrong, c.cur.possessive && n != nil && n.gap == gapSpace && n.lower && c.t.lex.personNoun.has(n.key)
}

// personFirm: "Stevens & Wilkinson": a firm of people.
func personFirm(c *personCase) (int, bool) {
	cur, p, n := c.cur, c.prev, c.next
	return personStrong, n != nil && n.cap && strings.TrimSpace(c.text[cur.byteEnd:n.byteStart]) == "&" ||
		p != nil && p.cap && strings.TrimSpace(c.text[p.byteEnd:cur.byteStart]) == "&"
}

// personFirstWord: the text's first word has no word before it to tell.
func personFirstWord(c *personCase) (int, bool) { return 0, c.prev == nil }

// personSaidBefore: "said Clark", but also "said Moscow shoulders the
// blame": weak.
func personSaidBefore(c *personCase) (int, bool) {
	p, n := c.prev, c.next
	return 1, p.lower && c.cur.gap == gapSpace && p.flags&fSpeech != 0 && (n == nil || n.gap != gapSpace || !n.cap)
}

// personAfterLower: after a lower-case word or an abbreviation, nothing
// below tells.
func personAfterLower(c *personCase) (int, bool) { return 0, !c.prev.cap || c.prev.dotted }

// personAfterTitle: "President Obama", "Gen. Smith".
func personAfterTitle(c *personCase) (int, bool) {
	p := c.prev
	return personStrong, p.flags&fTitles != 0 && (c.cur.gap == gapSpace || p.dotAfter && c.cur.dotGap)
}

// personMiddleInitial: "Joseph F. Wagner".
func personMiddleInitial(c *personCase) (int, bool) {
	p, k := c.prev, c.k
	return personStrong, len(p.key) == 1 && !p.upper && p.dotAfter && c.cur.dotGap && k >= 2 && c.toks[k-2].cap && !c.toks[k-2].sentStart
}

// personNotJoined: a word not joined to the one before by a space.
func personNotJoined(c *personCase) (int, bool) { return 0, c.cur.gap != gapSpace }

// personAfterGiven: "John Kerry", unless an organisation's or a street's
// word ("John Street").
func personAfterGiven(c *personCase) (int, bool) {
	if c.prev.flags&fGivenAll == 0 {
		return 0, false
	}
	if c.cur.flags&(fOrgAfter|fStreet) == 0 {
		return personStrong, true
	}
	return 0, true
}

// personAfterUnknown: "Demetrius Clark": after a capitalised word that is
// neither English nor a place, a word that is not English either.
func personAfterUnknown(c *personCase) (int, bool) {
	if !c.t.unknownName(c.prev) || c.cur.sentStart {
		return 0, false
	}
	if c.cur.flags&fEnglish == 0 {
		return personStrong, true
	}
	return 0, true
}
