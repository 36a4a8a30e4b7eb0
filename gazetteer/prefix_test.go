package gazetteer_test

import (
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// TestIsKeyPrefix: the words that start a longer name or alias key are key
// prefixes, whole keys with nothing after them and words that start no
// name are not.
func TestIsKeyPrefix(t *testing.T) {
	g, _ := buildFixture(t)
	for _, name := range []string{"Aleppo Governorate", "Syrian Arab Republic", "Jabal Saman District", "Mediterranean Sea", "Eastern Ghouta"} {
		words := strings.Fields(geotag.NameKey(name))
		if len(g.Lookup(strings.Join(words, " "))) == 0 {
			t.Fatalf("no %q in the fixture", name)
		}
		for n := 1; n < len(words); n++ {
			if p := strings.Join(words[:n], " "); !g.IsKeyPrefix(p) {
				t.Errorf("IsKeyPrefix(%q) = false; %q starts with it", p, name)
			}
		}
	}
	if !g.IsKeyPrefix("u") {
		t.Errorf(`IsKeyPrefix("u") = false; the alias "u s" starts with it`)
	}
	for _, k := range []string{"syrian arab republic", "zzyzx", "arab", "aleppo governorate", "u s", ""} {
		if g.IsKeyPrefix(k) {
			t.Errorf("IsKeyPrefix(%q) = true", k)
		}
	}
}
