package geo

import (
	"fmt"

	"github.com/geotag/geotag"
)

// The resolution budget: a text's names are resolved with the whole of the
// evidence (surroundings, name match, coherence, document context,
// proximity) for at most resolveBudget candidate places, counted over its
// distinct names in the order they first appear (up to maxCandidates a
// name). Ordinary reports stay far below it. Measured with the bundled
// gazetteer (at most, over the texts): the LGL articles 187 candidates
// (a 1.4 KB one; budget 560), GeoVirus 255, the conflict set 57, the
// Arabic, Ukrainian and Russian sets 36; generated news 146 at 1 KB (560),
// 585 at 10 KB (1,100), 1,348 at 100 KB (6,500), 1,722 at 1 MB (61,940).
// A text of distinct names that many places bear reaches it (made-up
// three-letter names: about 4 candidates in 8 bytes; real ones: up to 40
// in 20). Its remaining names are then chosen by their prior alone
// (feature, population, the gazetteer's order, the request's bias), a few
// operations a candidate, and the tagging says so (geotag.TagNotes).
// Coherence and proximity, whose work grows with the pairs of names, run
// among the names within the budget only.
const (
	budgetFloor = 500 // for any text
	budgetPerKB = 60  // and per KiB of text
)

// resolveBudget returns the candidates that tagging a text of n bytes may
// score with the whole of the evidence.
func resolveBudget(n int) int { return budgetFloor + budgetPerKB*(n>>10) }

// budgetGroups returns the prefix of r.groups (in order of first mention)
// whose candidates fit the budget of r's text. The groups after it are
// scored by prior alone (priorOnly), their candidates cut to the best
// maxAlternatives+1; when there are any, r.opt.Notes (if set) says so.
func (t *Tagger) budgetGroups(r *resolution) []*group {
	left := resolveBudget(len(r.text))
	k := 0
	for ; k < len(r.groups); k++ {
		n := len(r.groups[k].places)
		if n > left {
			break
		}
		left -= n
	}
	if t.scored != nil {
		scored := 0
		for _, g := range r.groups[:k] {
			scored += len(g.places)
		}
		t.scored.Add(int64(scored))
	}
	if k == len(r.groups) {
		return r.groups
	}
	for _, g := range r.groups[k:] {
		priorOnly(g, r.opt)
	}
	if r.opt.Notes != nil {
		r.opt.Notes.Degraded = fmt.Sprintf("resolution budget of %d candidates (%d and %d a KiB of text) reached after %d of %d distinct names: the other %d chosen by prior only",
			resolveBudget(len(r.text)), budgetFloor, budgetPerKB, k, len(r.groups), len(r.groups)-k)
	}
	return r.groups[:k]
}

// priorOnly scores g's candidates by their prior and the request's bias
// alone and keeps the best maxAlternatives+1 of them, in the gazetteer's
// order: a few operations a candidate.
func priorOnly(g *group, opt geotag.TagOptions) {
	const keep = maxAlternatives + 1
	var best [keep]int
	var bestScore [keep]float64
	n := 0
	for c := range g.places {
		s := prior(g.places[c], c) + biasScore(&g.places[c], opt)
		if n < keep {
			best[n], bestScore[n] = c, s
			n++
			continue
		}
		w := 0 // the weakest kept; a later candidate must beat it strictly
		for i := 1; i < keep; i++ {
			if bestScore[i] < bestScore[w] || bestScore[i] == bestScore[w] && best[i] > best[w] {
				w = i
			}
		}
		if s > bestScore[w] {
			best[w], bestScore[w] = c, s
		}
	}
	sortKept(best[:n], bestScore[:n])
	places := make([]geotag.Place, n) // g.places is the gazetteer's: never written
	f := make([]float64, 3*n)
	for i := range n {
		places[i] = g.places[best[i]]
		f[n+i] = bestScore[i]
	}
	g.places, g.boost, g.score, g.probs = places, f[:n:n], f[n:2*n:2*n], f[2*n:]
	g.best = argmax(g.score)
}

// sortKept orders the kept candidates by their index in the gazetteer's
// order (an insertion sort of at most maxAlternatives+1).
func sortKept(idx []int, score []float64) {
	for a := 1; a < len(idx); a++ {
		for b := a; b > 0 && idx[b] < idx[b-1]; b-- {
			idx[b], idx[b-1] = idx[b-1], idx[b]
			score[b], score[b-1] = score[b-1], score[b]
		}
	}
}

// mentionSlab holds the places and alternatives of a text's mentions in
// two allocations instead of two a mention: a text dense with names (5,000
// mentions of six places each) spent a third of its time allocating them.
// Each mention gets its own elements, its alternatives capped at their
// length, so a caller's append or change touches no other mention.
type mentionSlab struct {
	places []geotag.Place
	alts   []geotag.Candidate
}

// newMentionSlab sizes the slab for r's resolved place mentions.
func newMentionSlab(r *resolution, maxAlt int) mentionSlab {
	places, alts := 0, 0
	for n := range r.spans {
		if gi := r.spanGroup[n]; gi >= 0 && r.spans[n].unresolved == 0 && r.spans[n].kind == geotag.KindPlace {
			places++
			alts += min(maxAlt, len(r.groups[gi].places)-1)
		}
	}
	return mentionSlab{places: make([]geotag.Place, 0, places), alts: make([]geotag.Candidate, 0, alts)}
}

// place returns a pointer to a copy of p of its own.
func (s *mentionSlab) place(p geotag.Place) *geotag.Place {
	if len(s.places) == cap(s.places) { // not sized for it: a place of its own
		return &p
	}
	s.places = append(s.places, p)
	return &s.places[len(s.places)-1]
}

// alternatives returns an empty slice with room for n alternatives.
func (s *mentionSlab) alternatives(n int) []geotag.Candidate {
	if len(s.alts)+n > cap(s.alts) {
		return make([]geotag.Candidate, 0, n)
	}
	a := s.alts[len(s.alts) : len(s.alts) : len(s.alts)+n]
	s.alts = s.alts[:len(s.alts)+n]
	return a
}
