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
