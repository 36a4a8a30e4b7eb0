package geo

import (
	"slices"

	"github.com/geotag/geotag"
)

// Lists of second-level divisions named by a plural noun after them:
// "Barrow, Jackson and Madison counties", "Caddo and Bossier parishes".
// Each name of such a list is the division "Barrow County", never the town
// or the person of the bare name, and a county name the gazetteer knows
// only with its noun ("Wilkin", "Sarpy") is found at all. "Platte Co." is
// the county too.
const (
	maxListNames = 12 // names of one list, counted back from its noun
	maxListWords = 3  // words of one name in it ("Otter Tail", "Prince William")
	listLikely   = 0.9
)

// divisionNouns holds the keys of the plural nouns that close a list of
// divisions, each with the key of its singular, the word the gazetteer's
// names end with.
type divisionNouns struct {
	plural   map[string]string // "cunties" → "cunty"
	abbrev   string            // key of "Co.", the abbreviation of county
	singular string            // key of "County"
}

func newDivisionNouns() divisionNouns {
	d := divisionNouns{plural: map[string]string{}, abbrev: geotag.NameKey("Co"), singular: geotag.NameKey("County")}
	for _, w := range [][2]string{{"counties", "county"}, {"parishes", "parish"}, {"boroughs", "borough"}} {
		d.plural[geotag.NameKey(w[0])] = geotag.NameKey(w[1])
	}
	return d
}

// divisionLists returns spans with the names of every list of divisions
// in toks made spans of those divisions, in order: a span the list's names
// overlap gives way to them. A name whose division the gazetteer lacks
// stays as it was. Only the words up to scanEnd are read.
func (t *Tagger) divisionLists(st *state, spans []nameSpan, toks []token) []nameSpan {
	var add []nameSpan
	for k, last := 1, scanEnd(st, spans, toks); k < last; k++ {
		t.step(1)
		tk := &toks[k]
		if tk.key == t.divs.abbrev && tk.cap && tk.dotAfter && !tk.dotted {
			add = t.countyAbbrev(st, toks, k, add)
			continue
		}
		noun, ok := t.divs.plural[tk.key]
		if !ok {
			continue
		}
		n0, names := len(add), 0
		for end := k; end > 0 && names < maxListNames; names++ {
			from := nameStart(toks, end)
			if from == end {
				break
			}
			if sp, ok := t.divisionSpan(st, toks, from, end, noun); ok {
				add = append(add, sp)
				from = sp.from
			}
			end = listBefore(t.lex, toks, from)
		}
		if names == 1 && len(add) > n0 && t.namesMajor(st, toks, &add[n0]) {
			add = add[:n0] // "Indiana counties": the state's counties, not Indiana County
		}
		slices.Reverse(add[n0:])
	}
	if len(add) == 0 {
		return spans
	}
	return mergeSpans(spans, ordered(add))
}

// scanEnd returns the end of the tokens a pass after the scan reads: all
// of them, or, when the scan stopped at TagOptions.MaxMentions, those up
// to the word after its last span.
func scanEnd(st *state, spans []nameSpan, toks []token) int {
	if n := len(spans); st.maxSpans > 0 && n >= st.maxSpans {
		return min(len(toks), spans[n-1].to+1)
	}
	return len(toks)
}

// namesMajor reports whether the words of sp name a country or a
// first-level division on their own: one name before the plural noun then
// says whose divisions they are ("Indiana counties", "Georgia's counties").
func (t *Tagger) namesMajor(st *state, toks []token, sp *nameSpan) bool {
	st.spanKey = joinKeys(st.spanKey[:0], toks[sp.from:sp.to])
	for _, p := range t.lookup(st.spanKey) {
		if isCountry(p) || isADM1(p) {
			return true
		}
	}
	return false
}

// countyAbbrev adds the county of "Platte Co.", the abbreviation at k
// taking its full stop, when the gazetteer knows "Platte County".
func (t *Tagger) countyAbbrev(st *state, toks []token, k int, add []nameSpan) []nameSpan {
	from := nameStart(toks, k)
	if from == k {
		return add
	}
	sp, ok := t.divisionSpan(st, toks, from, k, t.divs.singular)
	if !ok {
		return add
	}
	sp.to, sp.takesStop = k+1, true
	return append(add, sp)
}

// nameStart returns where the name that ends before token end starts: up
// to maxListWords capitalised words joined by spaces; end when the word
// before end is none.
func nameStart(toks []token, end int) int {
	from := end
	for from > 0 && end-from < maxListWords {
		tk := &toks[from-1]
		if !tk.cap || tk.caseless || tk.digit || tk.key == "" || tk.commaAfter && from < end {
			break
		}
		if from < end && toks[from].gap != gapSpace {
			break
		}
		from--
	}
	return from
}

// listBefore returns the end of the list's previous name before the name
// at from: the same token after a comma ("Barrow, Jackson"), before "and"
// or "or" (with or without a comma: "Clay, and Wilkin"); 0 when the list
// starts at from.
func listBefore(lex *lexicon, toks []token, from int) int {
	if from == 0 {
		return 0
	}
	if toks[from-1].commaAfter {
		return from
	}
	c := &toks[from-1]
	if c.lower && (c.key == lex.kAnd || c.key == lex.kOr) && from >= 2 {
		return from - 1
	}
	return 0
}

// divisionSpan makes the span of toks[from:end], or of its longest end
// that is one, the division named by it and the noun's singular ("Otter
// Tail" + "county"; "In Barrow" is "Barrow"), when the gazetteer has a
// division of that name.
func (t *Tagger) divisionSpan(st *state, toks []token, from, end int, singular string) (nameSpan, bool) {
	for f := from; f < end; f++ {
		if sp, ok := t.divisionOf(st, toks, f, end, singular); ok {
			return sp, true
		}
	}
	return nameSpan{}, false
}

// divisionOf makes the span of toks[from:end] the division named by it and
// the noun's singular, when the gazetteer has one.
func (t *Tagger) divisionOf(st *state, toks []token, from, end int, singular string) (nameSpan, bool) {
	st.spanKey = joinKeys(st.spanKey[:0], toks[from:end])
	st.spanKey = append(append(st.spanKey, ' '), singular...)
	var divs []geotag.Place
	for _, p := range t.lookup(st.spanKey) {
		if p.FeatureClass() == "A" && !isCountry(p) {
			divs = append(divs, p)
		}
	}
	if len(divs) == 0 {
		return nameSpan{}, false
	}
	return nameSpan{from: from, to: end, key: string(st.spanKey), kind: geotag.KindPlace, places: divs, likelihood: listLikely}, true
}

// ordered returns add sorted by start, without a span that overlaps the
// one before it.
func ordered(add []nameSpan) []nameSpan {
	slices.SortStableFunc(add, func(a, b nameSpan) int { return a.from - b.from })
	out := add[:1]
	for _, sp := range add[1:] {
		if sp.from >= out[len(out)-1].to {
			out = append(out, sp)
		}
	}
	return out
}

// mergeSpans returns the spans of old and add in order, without the spans
// of old that overlap one of add. Both are in order.
func mergeSpans(old, add []nameSpan) []nameSpan {
	out := make([]nameSpan, 0, len(old)+len(add))
	j := 0
	for _, sp := range old {
		for j < len(add) && add[j].to <= sp.from {
			out = append(out, add[j])
			j++
		}
		if j < len(add) && add[j].from < sp.to || j > 0 && add[j-1].to > sp.from {
			continue // a list's name takes its place
		}
		out = append(out, sp)
	}
	return append(out, add[j:]...)
}
