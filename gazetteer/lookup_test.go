package gazetteer_test

import (
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// BenchmarkLookup measures the geotagger's inner loop: one Lookup per
// span of words, nearly all of them misses.
func BenchmarkLookup(b *testing.B) {
	g := open(b)
	text := "Shelling hit the al-Khalidiyah district of Aleppo on Tuesday while convoys left Amman for Deir ez-Zor " +
		"and the Jordanian border; officials in Nice and Paris said the United Nations would meet in New York"
	var words []string
	for _, w := range strings.Fields(text) {
		words = append(words, geotag.TokenKeys(w)...)
	}
	var spans []string
	for i := range words {
		for n := 1; n <= 4 && i+n <= len(words); n++ {
			spans = append(spans, geotag.JoinKeys(words[i:i+n]))
		}
	}
	for _, s := range spans {
		g.Lookup(s)
	}
	b.ReportAllocs()
	b.ResetTimer()
	hits := 0
	for b.Loop() {
		for _, s := range spans {
			hits += len(g.Lookup(s))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(spans)), "ns/lookup")
	if hits == 0 {
		b.Fatal("no hits")
	}
}

func TestLookupAllocs(t *testing.T) {
	g := open(t)
	g.Lookup("aleppo")
	g.Lookup("nice")
	if n := testing.AllocsPerRun(100, func() {
		g.Lookup("aleppo")
		g.Lookup("nice")
		g.Lookup("no such place at all")
	}); n != 0 {
		t.Errorf("Lookup allocates %v times per run after the first", n)
	}
}

// TestPlaceByID: every candidate of a spread of names, with GeoNames ids
// small and large and the project's own negative ids, is found again by
// its id, with its importance; an id beyond every place's is not.
func TestPlaceByID(t *testing.T) {
	g := open(t)
	var all []geotag.Place
	for _, name := range []string{"Aleppo", "Paris", "Springfield", "Al Firdaws", "Tripoli", "Kharkiv", "Mosul Dam", "Andorra", "Nice"} {
		all = append(all, g.Lookup(geotag.NameKey(name))...)
	}
	neg := false
	for _, p := range all {
		neg = neg || p.ID < 0
		got, ok := g.Place(p.ID)
		if !ok || got != p {
			t.Errorf("Place(%d) = %+v, %v; want %+v", p.ID, got, ok, p)
		}
		if g.Importance(p.ID) <= 0 {
			t.Errorf("Importance(%d) = 0", p.ID)
		}
	}
	if len(all) < 50 || !neg {
		t.Fatalf("%d places, a negative id among them: %v", len(all), neg)
	}
	if _, ok := g.Place(1 << 40); ok {
		t.Error("Place(2^40) found")
	}
}
