package gazetteer_test

import (
	"testing"

	"github.com/geotag/geotag"
)

// The demonyms of US states and Canadian provinces (tables/aliases.tsv)
// stand for their division; words that are also a newspaper's or another
// place's name are left out.
func TestBundledStateDemonyms(t *testing.T) {
	g := open(t)
	for _, tc := range []struct {
		word string
		id   int64
	}{
		{"Ohioans", 5165418},    // Ohio
		{"Minnesotan", 5037779}, // Minnesota
		{"Ontarians", 6093943},  // Ontario
		{"Quebecers", 6115047},  // Quebec
	} {
		p, kind, ok := g.Alias(geotag.NameKey(tc.word))
		if !ok || kind != geotag.KindDemonym || p.ID != tc.id {
			t.Errorf("%s: %v %q %v, want the demonym of %d", tc.word, p, kind, ok, tc.id)
		}
	}
	for _, word := range []string{"Oregonian", "New Yorker", "Tennessean"} {
		if p, _, ok := g.Alias(geotag.NameKey(word)); ok && p.Country == "US" && p.Feature == "A.ADM1" {
			t.Errorf("%s: a state's demonym (%s), want none: it names a newspaper or magazine", word, p.Name)
		}
	}
}
