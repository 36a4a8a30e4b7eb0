package geo

import (
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/geotag/geotag"
)

// TestRankSameAsPerMention: a group's ranking, made once for all its
// mentions, orders candidates as the stable sort each mention made before
// (ties keep the gazetteer's order) with the same probabilities, and
// softmaxAt is softmax's number to the bit.
func TestRankSameAsPerMention(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	tg := &Tagger{}
	for n := 1; n <= maxCandidates; n++ {
		for range 20 {
			score := make([]float64, n)
			for c := range score {
				score[c] = float64(r.IntN(8)) - 3 + float64(r.IntN(4))*0.25 // many ties
			}
			g := &group{places: make([]geotag.Place, n), score: score}
			tg.rank(g)
			want := make([]int, n)
			for c := range want {
				want[c] = c
			}
			sort.SliceStable(want, func(a, b int) bool { return score[want[a]] > score[want[b]] })
			probs := softmax(score)
			for c := range want {
				if g.order[c] != want[c] {
					t.Fatalf("scores %v: order %v, want %v", score, g.order, want)
				}
				if g.probs[c] != probs[c] || softmaxAt(score, c) != probs[c] {
					t.Fatalf("scores %v: candidate %d probability %v / %v, want %v", score, c, g.probs[c], softmaxAt(score, c), probs[c])
				}
			}
		}
	}
}
