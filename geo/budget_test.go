package geo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// namesakeFake is the fixture gazetteer plus n made-up town names
// ("Bavok", "Bebik", …), each borne by k towns spread over the world, the
// i-th of them with a population of 1,000·(i+1): the most populous is the
// last in the gazetteer's order.
func namesakeFake(n, k int) (*fakeGazetteer, []string) {
	places := slices.Clone(fixturePlaces)
	var names []string
	id := int64(-500_000)
	for i := range n {
		name := fmt.Sprintf("%c%c%c%c%c", 'B'+i%19, "aeiou"[i/19%5], "kvmrt"[i/95%5], "aeiou"[i/475%5], "kxz"[i/2375%3])
		names = append(names, name)
		for j := range k {
			id--
			places = append(places, fp(id, name, "P.PPL", "US", float64(j*7%80), float64(j*37%360-180), int64(1000*(j+1)), "", ""))
		}
	}
	return fakeOf(places), names
}

// namesakeText writes "in X, " for each name in turn until the text has
// about size bytes.
func namesakeText(names []string, size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "in %s, ", names[i%len(names)])
	}
	return b.String()
}

// TestResolveBudget: a text of distinct names that each many places bear
// has every name resolved, but only a budget in proportion to its length
// of their candidates scored with the whole of the evidence; the names
// after that point are chosen by their prior (the most populous namesake
// here), and the tagging says so. Before the budget, all 600 names' 40
// candidates each (24,000 for 6 KB) were scored in full.
func TestResolveBudget(t *testing.T) {
	g, names := namesakeFake(600, 40)
	text := namesakeText(names, 6000)
	tg := geo.NewTagger(g)
	scored := tg.CountScored()
	var notes geotag.TagNotes
	ms, err := tg.Tag(context.Background(), text, geotag.TagOptions{Notes: &notes})
	if err != nil {
		t.Fatal(err)
	}
	budget := geo.ResolveBudget(len(text))
	if len(ms) < 500 || 40*len(ms) <= budget {
		t.Fatalf("%d mentions: the text does not reach the budget of %d", len(ms), budget)
	}
	if n := scored.Load(); n > int64(budget) || n == 0 {
		t.Errorf("%d candidates scored in full, budget %d for %d bytes", n, budget, len(text))
	}
	if !strings.Contains(notes.Degraded, "budget") {
		t.Errorf("Degraded = %q, want the budget named", notes.Degraded)
	}
	for _, m := range ms {
		if m.Place == nil {
			t.Fatalf("%q at %d unresolved", m.Text, m.Start)
		}
	}
	last := ms[len(ms)-1]
	if last.Place.Population != 40_000 || len(last.Alternatives) != 5 {
		t.Errorf("the last name: %s (population %d) with %d alternatives, want the most populous namesake and 5",
			last.Place.Name, last.Place.Population, len(last.Alternatives))
	}
	for i := 1; i < len(last.Alternatives); i++ {
		if last.Alternatives[i].Score > last.Alternatives[i-1].Score {
			t.Errorf("alternatives out of order: %+v", last.Alternatives)
		}
	}
}

// TestResolveBudgetNews: texts written like news (a few places, each named
// several times) and a short text naming ten names that forty places bear each use the whole of
// the evidence and say nothing.
func TestResolveBudgetNews(t *testing.T) {
	g, names := namesakeFake(600, 40)
	news := strings.Repeat("Shelling hit Aleppo on Monday, the governorate's officials said. "+
		"Residents fled towards Idlib and the border with Turkey, where aid groups from France waited. ", 60)
	for _, text := range []string{news, namesakeText(names, 90)} {
		tg := geo.NewTagger(g)
		scored := tg.CountScored()
		var notes geotag.TagNotes
		ms, err := tg.Tag(context.Background(), text, geotag.TagOptions{Notes: &notes})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) < 4 || notes.Degraded != "" {
			t.Errorf("%.40q…: %d mentions, Degraded %q", text, len(ms), notes.Degraded)
		}
		if scored.Load() == 0 {
			t.Errorf("%.40q…: no candidate scored in full", text)
		}
	}
}
