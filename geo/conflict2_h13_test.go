package geo_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// h13Place is a fixture place with the importance a real gazetteer reports.
type h13Place struct {
	fixturePlace
	imp float64
}

// newH13Fake builds a fake gazetteer over made-up places (names and points
// invented for these tests), each findable by its name and alternates.
func newH13Fake(places []h13Place) conflictGazetteer {
	g := conflictGazetteer{&fakeGazetteer{byKey: map[string][]geotag.Place{}, byID: map[int64]geotag.Place{}, aliases: map[string]aliasEntry{}}, map[int64]float64{}}
	for _, f := range places {
		p := f.Place
		g.byID[p.ID], g.imp[p.ID] = p, f.imp
		seen := map[string]bool{}
		for _, n := range append([]string{p.Name}, strings.Split(f.alt, ",")...) {
			if k := geotag.NameKey(n); k != "" && !seen[k] {
				seen[k] = true
				g.byKey[k] = append(g.byKey[k], p)
				g.maxTok = max(g.maxTok, len(strings.Fields(k)))
			}
		}
	}
	for k, ps := range g.byKey {
		sort.SliceStable(ps, func(a, b int) bool { return g.imp[ps[a].ID] > g.imp[ps[b].ID] })
		g.byKey[k] = ps
	}
	return g
}

// tagIDs tags text and returns "surface=id" for each resolved mention.
func tagIDs(t *testing.T, tg *geo.Tagger, text string) string {
	t.Helper()
	ms, err := tg.Tag(context.Background(), text, geotag.TagOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, text, ms)
	var got []string
	for _, m := range ms {
		if m.Place != nil {
			got = append(got, m.Text+"="+itoa(m.Place.ID))
		}
	}
	return strings.Join(got, " ")
}

// TestTownOfDistrict: a bare name is the town a district is named after,
// even when the district record carries the population and a first-level
// code of another scheme and the town has none; the district only when the
// text says so; a hamlet of the name far from the district is not its town.
func TestTownOfDistrict(t *testing.T) {
	tg := geo.NewTagger(newH13Fake([]h13Place{
		{fp(-501, "Tanbo", "A.ADM2", "ZZ", 10.0, 30.0, 180000, "07", "Tanbo District"), 0.8},
		{fp(502, "Tanbo", "P.PPL", "ZZ", 10.45, 30.2, 0, "9912", ""), 0.6},
		{fp(503, "Tanbo", "P.PPL", "ZZ", 12.5, 31.5, 0, "07", ""), 0.55},
		{fp(-511, "Korvel", "A.ADM2", "ZZ", 4.0, 20.0, 90000, "03", ""), 0.8},
		{fp(512, "Korvel", "P.PPL", "ZZ", 4.5, 20.2, 0, "03", ""), 0.6},
	}))
	for _, tc := range []struct{ text, want string }{
		{"Gunmen attacked Tanbo on Sunday.", "Tanbo=502"},
		{"Fighting spread across Tanbo district.", "Tanbo=-501"},
		{"Troops left Korvel and Tanbo.", "Korvel=512 Tanbo=502"},
	} {
		if got := tagIDs(t, tg, tc.text); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestPluralDivisions: a plural division word after a list of names makes
// each name of the list the division, not the town of its name; a name
// outside the list, or a list with no such word, keeps the town.
func TestPluralDivisions(t *testing.T) {
	tg := geo.NewTagger(newH13Fake([]h13Place{
		{fp(601, "Marvo", "P.PPLA", "ZZ", 20.0, 40.0, 300000, "01", ""), 0.7},
		{fp(602, "Marvo", "A.ADM1", "ZZ", 21.5, 41.5, 2000000, "01", "Marvo Province"), 0.69},
		{fp(603, "Selka", "P.PPLA", "ZZ", 22.0, 43.0, 250000, "02", ""), 0.7},
		{fp(604, "Selka", "A.ADM1", "ZZ", 23.5, 44.5, 1500000, "02", "Selka Province"), 0.69},
		{fp(605, "Dunra", "P.PPLA", "ZZ", 18.0, 45.0, 150000, "03", ""), 0.7},
		{fp(606, "Dunra", "A.ADM1", "ZZ", 17.0, 46.5, 900000, "03", "Dunra Region"), 0.69},
	}))
	for _, tc := range []struct{ text, want string }{
		{"Clashes spread across the Marvo and Selka provinces.", "Marvo=602 Selka=604"},
		{"Floods hit Marvo, Selka and Dunra regions.", "Marvo=602 Selka=604 Dunra=606"},
		{"Troops moved from Marvo to Selka and Dunra.", "Marvo=601 Selka=603 Dunra=605"},
		{"Marvo was calm. Fighting hit the Selka and Dunra regions.", "Marvo=601 Selka=604 Dunra=606"},
	} {
		if got := tagIDs(t, tg, tc.text); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestAttackVerbCue: a town whose name is also a given name is a place
// after a verb of attack ("attacked", "raided", "reinforced"), and still no
// place as a person's first name.
func TestAttackVerbCue(t *testing.T) {
	tg := geo.NewTagger(newH13Fake([]h13Place{
		{fp(701, "Marta", "P.PPLA", "ZZ", 6.0, 22.0, 30000, "04", ""), 0.5},
	}))
	for _, tc := range []struct{ text, want string }{
		{"Gunmen attacked Marta overnight.", "Marta=701"},
		{"The army reinforced Marta after the raid.", "Marta=701"},
		{"Marta Lopez said the talks would resume.", ""},
	} {
		if got := tagIDs(t, tg, tc.text); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestDivisionCueSpelling: a division cue word picks the division even when
// the text spells its name as the city does and the division's record
// another way ("Velna" city, "Vellna" region); the bare name stays the city.
func TestDivisionCueSpelling(t *testing.T) {
	tg := geo.NewTagger(newH13Fake([]h13Place{
		{fp(801, "Velna", "P.PPLA", "ZZ", 46.5, 30.7, 1000000, "05", ""), 0.7},
		{fp(802, "Vellna", "A.ADM1", "ZZ", 47.0, 30.0, 2400000, "05", ""), 0.69},
	}))
	for _, tc := range []struct{ text, want string }{
		{"Drones struck targets in the Velna region.", "Velna=802"},
		{"Drones struck targets in Velna.", "Velna=801"},
	} {
		if got := tagIDs(t, tg, tc.text); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestHyphenParts: a name written with a hyphen before a lower-case or
// numeric part is one name ("Mok-an", "Q-7 airbase"), not its first part.
func TestHyphenParts(t *testing.T) {
	tg := geo.NewTagger(newH13Fake([]h13Place{
		{fp(901, "Mok", "P.PPL", "ZZ", 30.0, 40.0, 0, "01", ""), 0.3},
		{fp(902, "Mok-An", "P.PPLA", "ZZ", 16.9, 97.6, 50000, "02", ""), 0.5},
		{fp(-903, "Qara Military Airbase", "S.AIRB", "ZZ", 34.5, 37.6, 0, "03", "Q-7 airbase"), 0.2},
	}))
	for _, tc := range []struct{ text, want string }{
		{"Fighters attacked a convoy near Mok-an on Monday.", "Mok-an=902"},
		{"Jets struck the Q-7 airbase overnight.", "Q-7 airbase=-903"},
	} {
		if got := tagIDs(t, tg, tc.text); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestBareHamletKeepsNoName: a hamlet with no population or rank that bears
// the text's spelling as its own name does not take the name from a town
// that bears it in another spelling, when the text is about the town's
// country; a settled place of that spelling still does.
func TestBareHamletKeepsNoName(t *testing.T) {
	tg := geo.NewTagger(newH13Fake([]h13Place{
		{fp(1001, "Kolaawe", "P.PPL", "ZZ", 1.1, 44.0, 0, "14", "Kolawe"), 0.3},
		{fp(1002, "Kolawe", "P.PPL", "YY", 36.7, 44.0, 0, "15", ""), 0.35},
		{fp(1003, "Jorbi", "P.PPLA", "ZZ", 0.5, 42.8, 40000, "14", ""), 0.4},
		{fp(1004, "Senna", "P.PPL", "ZZ", 3.0, 45.0, 0, "14", "Sena"), 0.3},
		{fp(1005, "Sena", "P.PPLA", "XX", 50.0, 10.0, 500000, "02", ""), 0.6},
	}))
	for _, tc := range []struct{ text, want string }{
		{"A bomber struck a checkpoint in Kolawe, and drones hit targets near Jorbi.", "Kolawe=1001 Jorbi=1003"},
		{"Police in Sena said a man was held.", "Sena=1005"},
	} {
		if got := tagIDs(t, tg, tc.text); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestCandidatesOfTextCountry: a name with more namesakes than the tagger
// weighs keeps those in the country the rest of the text names, however
// unimportant.
func TestCandidatesOfTextCountry(t *testing.T) {
	places := []h13Place{
		{fp(1101, "Zorvatia", "A.PCLI", "QQ", 34.0, 36.0, 6000000, "00", ""), 0.9},
		{fp(1102, "Halvor", "P.PPLA", "QQ", 34.5, 36.1, 20000, "01", ""), 0.5},
	}
	for n := range 60 { // sixty hamlets named Masra elsewhere, all more important
		places = append(places, h13Place{fp(int64(1200+n), "Masra", "P.PPL", "WW", 15+float64(n)/10, 44, 10, "02", ""), 0.2})
	}
	places = append(places, h13Place{fp(1300, "Masra", "P.PPL", "QQ", 34.4, 36.2, 0, "01", ""), 0.1})
	tg := geo.NewTagger(newH13Fake(places))
	want := "Halvor=1102 Zorvatia=1101 Masra=1300"
	if got := tagIDs(t, tg, "Families reached Halvor in Zorvatia, and others crossed through Masra."); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestRiverCue: "the X river" is the river, even where a country or a city
// bears the name; the bare name stays the country.
func TestRiverCue(t *testing.T) {
	tg := geo.NewTagger(newH13Fake([]h13Place{
		{fp(1401, "Talvia", "A.PCLI", "TT", 18.0, 9.0, 20000000, "00", ""), 0.9},
		{fp(1402, "Talvia", "A.ADM1", "UU", 10.0, 6.0, 4000000, "05", ""), 0.7},
		{fp(-1403, "Talvia River", "H.STM", "", 13.9, 1.5, 0, "", "Talvia"), 0.3},
	}))
	for _, tc := range []struct{ text, want string }{
		{"Troops moved along the Talvia river.", "Talvia=-1403"},
		{"Troops moved into Talvia.", "Talvia=1401"},
	} {
		if got := tagIDs(t, tg, tc.text); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestArmedGroupArmy: a division that starts an armed group's name ("X
// Army", "X Independence Army") is the group, not a place; the division
// named alone is still a place, and a country keeps its name.
func TestArmedGroupArmy(t *testing.T) {
	tg := geo.NewTagger(newH13Fake([]h13Place{
		{fp(1501, "Zarakan State", "A.ADM1", "QQ", 19.0, 94.2, 3000000, "01", "Zarakan"), 0.7},
		{fp(1502, "Halvor", "P.PPLA", "QQ", 20.1, 92.9, 150000, "01", ""), 0.5},
		{fp(1503, "Qelvia", "A.PCLI", "QQ", 21.0, 96.0, 50000000, "00", ""), 0.9},
	}))
	for _, tc := range []struct{ text, want string }{
		{"The Zarakan Army seized Halvor.", "Halvor=1502"},
		{"The Zarakan Liberation Army said it held Halvor.", "Halvor=1502"},
		{"Fighting spread across Zarakan.", "Zarakan=1501"},
		{"The Qelvia Army retreated.", "Qelvia=1503"},
	} {
		if got := tagIDs(t, tg, tc.text); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}
