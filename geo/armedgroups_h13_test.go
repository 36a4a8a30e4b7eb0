package geo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// TestArmedGroupNames: armed groups and peoples whose names are also minor
// places are no places ("Boko Haram", "al-Shabaab", "Tuareg rebels"); the
// places around them still are. Fixture places are made up for the test.
func TestArmedGroupNames(t *testing.T) {
	g := conflictGazetteer{&fakeGazetteer{byKey: map[string][]geotag.Place{}, byID: map[int64]geotag.Place{}, aliases: map[string]aliasEntry{}}, map[int64]float64{}}
	for _, f := range []struct {
		fixturePlace
		imp float64
	}{
		{fp(101, "Boko", "P.PPL", "KZ", 49.1, 81.6, 2000, "10", ""), 0.2},
		{fp(102, "Al Haram", "P.PPL", "YE", 14.6, 46.9, 0, "04", "Haram"), 0.1},
		{fp(103, "Ash Shabaab", "P.PPL", "IQ", 32.6, 46.2, 0, "05", "Shabaab,Al Shabaab"), 0.1},
		{fp(104, "Tuareg", "P.PPL", "NG", 13.9, 5.8, 0, "30", ""), 0.1},
		{fp(105, "Diffa", "P.PPLA", "NE", 13.3, 12.6, 28000, "02", ""), 0.4},
		{fp(106, "Jowhar", "P.PPLA", "SO", 2.8, 45.5, 47000, "10", ""), 0.4},
		{fp(107, "Kidal", "P.PPLA", "ML", 18.4, 1.4, 11600, "08", ""), 0.4},
	} {
		p := f.Place
		g.byID[p.ID], g.imp[p.ID] = p, f.imp
		for _, n := range append([]string{p.Name}, strings.Split(f.alt, ",")...) {
			if k := geotag.NameKey(n); k != "" {
				g.byKey[k] = append(g.byKey[k], p)
				g.maxTok = max(g.maxTok, len(strings.Fields(k)))
			}
		}
	}
	tg := geo.NewTagger(g)
	for _, tc := range []struct{ text, want string }{
		{"Boko Haram fighters attacked Diffa overnight.", "Diffa=105"},
		{"Al-Shabaab militants ambushed a convoy near Jowhar.", "Jowhar=106"},
		{"Tuareg rebels said they had left Kidal.", "Kidal=107"},
		{"The Tebu and Tuareg militias met in Kidal.", "Kidal=107"},
	} {
		ms, err := tg.Tag(context.Background(), tc.text, geotag.TagOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkSpans(t, tc.text, ms)
		var got []string
		for _, m := range ms {
			if m.Place != nil {
				got = append(got, m.Text+"="+itoa(m.Place.ID))
			}
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%q: got %v, want %s", tc.text, got, tc.want)
		}
	}
}
