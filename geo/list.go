package geo

import (
	"math"
	"strings"

	"github.com/geotag/geotag"
)

// wList: a name in a list of countries or first-level divisions ("Alabama,
// Arizona, California and Colorado") is one of them, not the town named
// after one (California, Missouri).
const wList = 3.0

// Kinds of names a list can be made of.
const (
	listNone = iota
	listCountry
	listADM1
)

// listBoost boosts the candidates of g (the group of span n) that are of
// the kind of its neighbours in a list: names joined by "and" or "or", or
// by commas on both sides ("X, Y" alone is a container: "Paris, Texas").
func (t *Tagger) listBoost(r *resolution, n int, g *group) {
	kind, links, conj := listNone, 0, false
	for _, m := range [2]int{n - 1, n + 1} {
		a, b := min(n, m), max(n, m)
		if m < 0 || m >= len(r.spans) {
			continue
		}
		by := t.listLink(r, a, b)
		if by == linkNone {
			continue
		}
		k := listKind(&r.spans[m])
		if k == listNone || kind != listNone && k != kind {
			return
		}
		kind = k
		links++
		conj = conj || by == linkConj
	}
	if kind == listNone || links < 2 && !conj {
		return
	}
	for c, p := range g.places {
		if kind == listCountry && isCountry(p) || kind == listADM1 && isADM1(p) {
			g.boost[c] = math.Max(g.boost[c], wList)
		}
	}
}

// How two names next to each other are joined.
const (
	linkNone  = iota
	linkComma // "X, Y"
	linkConj  // "X and Y", "X, or Y"
)

// listLink says how span a is joined to the span b right after it.
func (t *Tagger) listLink(r *resolution, a, b int) int {
	sa, sb, toks := &r.spans[a], &r.spans[b], r.toks
	if sa.takesStop {
		return linkNone
	}
	if sb.from == sa.to && toks[sa.to-1].commaAfter {
		return linkComma
	}
	if sb.from == sa.to+1 && toks[sb.from].gap == gapSpace && toks[sa.to].lower && (toks[sa.to].key == t.lex.kAnd || toks[sa.to].key == t.lex.kOr) {
		return linkConj
	}
	return linkNone
}

// listKind is the kind a list neighbour stands for: a country or a
// first-level division, by its most important candidate (or its alias).
func listKind(sp *nameSpan) int {
	var p geotag.Place
	switch {
	case sp.unresolved > 0:
		return listNone
	case sp.kind != geotag.KindPlace:
		p = sp.alias
	case len(sp.places) > 0:
		p = sp.places[0]
	default:
		return listNone
	}
	switch {
	case isCountry(p):
		return listCountry
	case isADM1(p):
		return listADM1
	}
	return listNone
}

// maxPluralList bounds how many names a plural division word after a list
// is read back over.
const maxPluralList = 8

// pluralDivision returns the test for the candidates that a plural division
// word after a list of names points every name of the list to: "the Idlib
// and Hama provinces", "Zamfara, Katsina and Sokoto states", "the Donetsk
// and Luhansk regions". It returns nil when span n is in no list, or the
// list ends in no plural of a division word ("province", "region",
// "state", "oblast", "governorate", "district", "county"…).
func (t *Tagger) pluralDivision(r *resolution, n int) func(geotag.Place) bool {
	last := n
	for last+1 < len(r.spans) && last-n < maxPluralList && t.listLink(r, last, last+1) != linkNone {
		last++
	}
	if last == n && (n == 0 || t.listLink(r, n-1, n) == linkNone) {
		return nil // a name alone: the word after it, if any, is its own cue
	}
	end := r.spans[last].to
	if end >= len(r.toks) || r.toks[end].gap != gapSpace || !r.toks[end].lower {
		return nil
	}
	key := r.toks[end].key
	sing, ok := strings.CutSuffix(key, "ies")
	if ok {
		sing += "y" // counties
	} else if sing, ok = strings.CutSuffix(key, "s"); !ok {
		return nil
	}
	if !t.lex.cueADM1.has(sing) && !t.lex.cueADM2.has(sing) {
		return nil
	}
	return t.lex.cueFeature(sing)
}
