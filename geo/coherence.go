package geo

import (
	"math"
	"slices"

	"github.com/geotag/geotag"
)

// Weights of the coherence of namesakes: two names of a text whose
// readings lie next to each other support those readings ("Paris" and
// "Henry County" are the Tennessee pair, not Paris, France and a county
// in Alabama).
const (
	wPair         = 3.0  // per other name with a reading next to the candidate (split among the candidates that have one)
	pairKm        = 40.0 // readings farther apart support nothing
	pairK         = 12   // only the leading candidates of each name take part
	maxPairGroups = 60   // longer texts have enough other evidence; the pairs grow with the square of the names
	maxPairSum    = 2.0  // support from at most this many names' worth
)

// scoreCoherence adds to each candidate the support of the other names of
// the text that have a reading next to it, each name's support split among
// the candidates it lies next to: a name with namesakes everywhere
// (Washington, Springfield) supports none of them much. Only towns, sites
// and lower divisions take part (countries and first-level divisions are
// the document context's); related names (a name and those nested in it,
// newDocContext's related) support nothing.
func (t *Tagger) scoreCoherence(groups []*group, related [][]int) {
	if len(groups) < 2 || len(groups) > maxPairGroups {
		return
	}
	// The leading pairable candidates of group gi are tops[start[gi]:start[gi+1]].
	tops := make([]int, 0, len(groups)*pairK)
	pts := make([]pairPoint, 0, len(groups)*pairK) // tops' points, side by side for the pair loop
	start := make([]int, len(groups)+1)
	var order []int
	for gi, g := range groups {
		order = topK(order[:0], g.score, pairK)
		for _, c := range order {
			if p := &g.places[c]; pairable(*p) {
				tops = append(tops, c)
				pts = append(pts, pairPoint{p.Lat, p.Lon, p.ID})
			}
		}
		start[gi+1] = len(tops)
	}
	add := make([]float64, len(groups)*maxCandidates)
	for gi, g := range groups {
		cs := tops[start[gi]:start[gi+1]]
		if len(g.places) < 2 || len(cs) == 0 {
			continue // one reading: nothing to choose
		}
		for hi := range groups {
			ds := pts[start[hi]:start[hi+1]]
			if hi == gi || len(ds) == 0 || slices.Contains(related[gi], hi) {
				continue
			}
			t.step(len(cs) * len(ds))
			pairSupport(cs, pts[start[gi]:start[gi+1]], ds, add[gi*maxCandidates:(gi+1)*maxCandidates])
		}
	}
	for gi, g := range groups {
		for c := range g.places {
			g.score[c] += wPair * math.Min(add[gi*maxCandidates+c], maxPairSum)
		}
	}
}

// pairPoint is where a leading candidate lies, for the pair loop.
type pairPoint struct {
	Lat, Lon float64
	ID       int64
}

// pairSupport adds to add, for each candidate of g in cs (at the points
// cp), its share of the support of name h, whose leading readings lie at
// ds: how close h's nearest reading lies (1 at the same point, 0 at
// pairKm), divided among g's candidates when several have one.
func pairSupport(cs []int, cp, ds []pairPoint, add []float64) {
	var close [pairK]float64
	total := 0.0
	for n := range cs {
		p := &cp[n]
		for d := range ds {
			q := &ds[d]
			if p.ID == q.ID || math.Abs(p.Lat-q.Lat) > pairKm/100 {
				continue
			}
			if km := fastKm(p.Lat, p.Lon, q.Lat, q.Lon); km < pairKm {
				close[n] = math.Max(close[n], 1-km/pairKm)
			}
		}
		total += close[n]
	}
	if total == 0 {
		return
	}
	for n, c := range cs {
		add[c] += close[n] / math.Max(total, 1)
	}
}

// pairable reports whether a candidate is a point that coherence may
// support: a town, a site or a division below the first level.
func pairable(p geotag.Place) bool {
	switch p.FeatureClass() {
	case "P", "S":
		return true
	case "A":
		return isLowerDivision(p)
	}
	return false
}
