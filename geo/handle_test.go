package geo_test

import (
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// The "what it must handle" list of the geoparser issue, one table per
// item, each on fixture text written for this test.

// expect is one mention a text must (id != 0 or nil place wanted) or must
// not (id == 0 and not) contain.
type expect struct {
	text string
	id   int64  // wanted place id
	kind string // wanted kind; "" means place
}

func checkExpect(t *testing.T, text string, opt geotag.TagOptions, want []expect, not []string) {
	t.Helper()
	ms := tag(t, text, opt)
	for _, w := range want {
		var m *geotag.Mention
		for i := range ms {
			if ms[i].Text == w.text {
				m = &ms[i]
				break
			}
		}
		if m == nil {
			t.Errorf("%q: %q not found in %s", text, w.text, describe(ms))
			continue
		}
		kind := w.kind
		if kind == "" {
			kind = geotag.KindPlace
		}
		if m.Kind != kind {
			t.Errorf("%q: %q kind %q, want %q", text, w.text, m.Kind, kind)
		}
		if m.Place == nil || m.Place.ID != w.id {
			t.Errorf("%q: %q resolved to %v, want %d", text, w.text, m.Place, w.id)
		}
	}
	for _, n := range not {
		for _, m := range ms {
			if m.Text == n {
				t.Errorf("%q: %q tagged (%q → %v)", text, n, m.Text, m.Place)
			}
		}
	}
}

func describe(ms []geotag.Mention) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Text)
		if m.Place != nil {
			b.WriteString("→" + m.Place.Name)
		}
		b.WriteString("; ")
	}
	return b.String()
}

func TestMultiWordAndLongestMatch(t *testing.T) {
	checkExpect(t, "Shelling resumed in Deir ez-Zor and Khan Younis, and near Ras al-Ain on the border.", geotag.TagOptions{},
		[]expect{{"Deir ez-Zor", 170794, ""}, {"Khan Younis", 281133, ""}, {"Ras al-Ain", 173993, ""}},
		[]string{"Zor", "Younis"})
	// "West Virginia" is one name, not "Virginia".
	checkExpect(t, "Floods closed roads across West Virginia on Tuesday.", geotag.TagOptions{},
		[]expect{{"West Virginia", 4826850, ""}}, nil)
}

func TestHyphenatedAndPossessive(t *testing.T) {
	checkExpect(t, "An Aleppo-based group said Aleppo's water station and Amman’s airport were hit.", geotag.TagOptions{},
		[]expect{{"Aleppo", 170063, ""}, {"Amman", 250441, ""}}, []string{"Aleppo's", "Amman’s"})
	ms := tag(t, "Aleppo's", geotag.TagOptions{})
	if len(ms) != 1 || ms[0].Start != 0 || ms[0].End != 6 {
		t.Errorf("possessive span: %+v", ms)
	}
}

func TestTransliterationVariants(t *testing.T) {
	for _, v := range []string{"Hasakah", "al-Hasakah", "Al Ḩasakah", "Hassakeh"} {
		checkExpect(t, "Convoys reached "+v+" at dawn.", geotag.TagOptions{}, []expect{{v, 173631, ""}}, nil)
	}
	for _, v := range []string{"Kafr Nabl", "Kafranbel"} {
		checkExpect(t, "Protesters marched in "+v+" again.", geotag.TagOptions{}, []expect{{v, 166365, ""}}, nil)
	}
	for _, v := range []string{"Khalidiya", "Khalidiyah", "Khālidīyah"} {
		ms := tag(t, "Fighting near Aleppo reached "+v+" overnight.", geotag.TagOptions{})
		if len(ms) != 2 || ms[1].Text != v || ms[1].Place == nil || ms[1].Place.Country != "SY" {
			t.Errorf("%s: %s", v, describe(ms))
		}
	}
	// Arabic script where the gazetteer has it; function words are no
	// names, and a clitic "and" stays outside the mention.
	checkExpect(t, "قصف على حلب وعمان اليوم", geotag.TagOptions{}, []expect{{"حلب", 170063, ""}, {"عمان", 250441, ""}}, []string{"على", "وعمان"})
}

func TestCommonWordsAreNotPlaces(t *testing.T) {
	for _, text := range []string{
		"Nice day for a march, the organisers said.",
		"Police said the convoy was stopped twice.",
		"Reading the reports, one sees a pattern.",
		"Mobile clinics reached the camps on Monday.",
		"Thursday was quiet; Monday was not.",
	} {
		checkExpect(t, text, geotag.TagOptions{}, nil, []string{"Nice", "Police", "Reading", "Mobile", "Thursday", "Monday"})
	}
	// The same words with locative evidence are places.
	checkExpect(t, "The truck attack in Nice killed dozens.", geotag.TagOptions{}, []expect{{"Nice", 2990440, ""}}, nil)
	checkExpect(t, "He grew up in Reading and moved to Mobile, Alabama.", geotag.TagOptions{},
		[]expect{{"Reading", 2639577, ""}, {"Mobile", 4076598, ""}, {"Alabama", 4829764, ""}}, nil)
}

func TestPeopleAreNotPlaces(t *testing.T) {
	checkExpect(t, "Secretary of State John Kerry met Victoria Nuland. Kerry said little. Michael Jordan watched. President Obama spoke.",
		geotag.TagOptions{}, nil, []string{"Kerry", "Victoria", "Jordan", "Obama"})
	// ...but the country is still the country.
	checkExpect(t, "Michael Jordan played golf. Later the refugees crossed into Jordan.", geotag.TagOptions{},
		[]expect{{"Jordan", 248816, ""}}, nil)
	ms := tag(t, "Michael Jordan played golf. Later the refugees crossed into Jordan.", geotag.TagOptions{})
	if len(ms) != 1 || ms[0].Start < 20 {
		t.Errorf("Michael Jordan tagged: %s", describe(ms))
	}
}

func TestOrganisationsAreNotPlaces(t *testing.T) {
	checkExpect(t, "Jabhat al-Nusra and the Sham Front fought the Islamic State near Idlib.", geotag.TagOptions{},
		[]expect{{"Idlib", 169389, ""}}, []string{"Nusra", "al-Nusra", "Jabhat al-Nusra", "Sham", "Sham Front", "State"})
}

func TestDemonymsAndAbbreviations(t *testing.T) {
	checkExpect(t, "Russian airstrikes, American officials and Georgian troops; U.S. and U.K. envoys, the UAE and the DRC.",
		geotag.TagOptions{}, []expect{
			{"Russian", 2017370, geotag.KindDemonym}, {"American", 6252001, geotag.KindDemonym},
			{"Georgian", 614540, geotag.KindDemonym}, {"U.S.", 6252001, geotag.KindAbbreviation},
			{"U.K.", 2635167, geotag.KindAbbreviation}, {"UAE", 290557, geotag.KindAbbreviation},
			{"DRC", 203312, geotag.KindAbbreviation},
		}, nil)
	checkExpect(t, "CHARLESTON, W.Va. — Officials in Columbia, S.C., and Washington, D.C., agreed.", geotag.TagOptions{},
		[]expect{{"W.Va.", 4826850, geotag.KindAbbreviation}, {"S.C.", 4597040, geotag.KindAbbreviation}, {"D.C.", 4138106, geotag.KindAbbreviation}}, nil)
	// A pronoun is not the country.
	checkExpect(t, "Let us go now.", geotag.TagOptions{}, nil, []string{"us"})
}

func TestResolutionByContext(t *testing.T) {
	cases := []struct {
		text string
		want expect
	}{
		{"Clashes in Tripoli spread to Beirut, and the Lebanese army deployed across Lebanon.", expect{"Tripoli", 266826, ""}},
		{"Militias in Tripoli fought for the airport while Libya's parliament met in the east.", expect{"Tripoli", 2210247, ""}},
		{"The festival moved to Paris, Texas, this year.", expect{"Paris", 4717560, ""}},
		{"The festival moved to Paris this year.", expect{"Paris", 2988507, ""}},
		{"The hearing took place in Alexandria, Virginia.", expect{"Alexandria", 4744091, ""}},
		{"Ships docked at Alexandria, Egypt's second city.", expect{"Alexandria", 361058, ""}},
		{"Blasts hit Aleppo; regime forces pushed into Safira and Khalidiyah.", expect{"Khalidiyah", -1001, ""}},
		{"The attack in Nice in southern France killed 84.", expect{"Nice", 2990440, ""}},
		{"Rebels hold most of Idlib province.", expect{"Idlib", 169388, ""}},
		{"The mayor of Moscow, Idaho, said.", expect{"Moscow", 5601538, ""}},
	}
	for _, c := range cases {
		checkExpect(t, c.text, geotag.TagOptions{}, []expect{c.want}, nil)
	}
}

func TestAreaOfInterestBias(t *testing.T) {
	text := "A storm hit Moscow overnight."
	checkExpect(t, text, geotag.TagOptions{}, []expect{{"Moscow", 524901, ""}}, nil)
	checkExpect(t, text, geotag.TagOptions{Countries: []string{"US"}}, []expect{{"Moscow", 5601538, ""}}, nil)
	checkExpect(t, text, geotag.TagOptions{BBox: &geotag.BBox{W: -125, S: 40, E: -110, N: 50}}, []expect{{"Moscow", 5601538, ""}}, nil)
}

func TestRegionsAndPhysicalFeatures(t *testing.T) {
	checkExpect(t, "Refugees crossed the Euphrates and the Black Sea towards Europe, far from the Middle East.", geotag.TagOptions{},
		[]expect{{"Euphrates", -2001, ""}, {"Black Sea", 630673, ""}, {"Europe", 6255148, ""}, {"Middle East", 6269133, ""}}, nil)
}

func TestMentionFields(t *testing.T) {
	ms := tag(t, "Tripoli and Paris, then Aleppo's Bani Zeid district.", geotag.TagOptions{})
	if len(ms) != 4 {
		t.Fatalf("mentions: %s", describe(ms))
	}
	for _, m := range ms {
		if m.Place == nil || m.Place.Name == "" || m.Place.Feature == "" || m.Place.Country == "" {
			t.Errorf("%q: place %+v", m.Text, m.Place)
		}
		if m.Precision < 1 || m.Precision > 3 {
			t.Errorf("%q: precision %d", m.Text, m.Precision)
		}
		if m.Confidence <= 0 || m.Confidence > 1 {
			t.Errorf("%q: confidence %v", m.Text, m.Confidence)
		}
	}
	// Tripoli and Paris are ambiguous: their alternatives rank the others.
	if len(ms[0].Alternatives) == 0 || ms[0].Alternatives[0].Score > ms[0].Confidence {
		t.Errorf("Tripoli alternatives %+v", ms[0].Alternatives)
	}
	if ms[3].Precision != 2 {
		t.Errorf("district precision %d, want 2", ms[2].Precision)
	}
}

// TestUnresolvedNameKeepsOthers: a name the text marks as a place that the
// gazetteer does not know is reported with a nil place, and the others
// stay.
func TestUnresolvedNameKeepsOthers(t *testing.T) {
	ms := tag(t, "Shelling hit Zzyzxabad District and Aleppo.", geotag.TagOptions{})
	var gotNil, gotAleppo bool
	for _, m := range ms {
		if m.Text == "Zzyzxabad District" && m.Place == nil && len(m.Alternatives) == 0 {
			gotNil = true
		}
		if m.Text == "Aleppo" && m.Place != nil {
			gotAleppo = true
		}
	}
	if !gotNil || !gotAleppo {
		t.Errorf("mentions %s", describe(ms))
	}
}

// TestStreets: streets and numbered roads are places the gazetteer cannot
// resolve: reported with a nil place at site precision; a saint is no street.
func TestStreets(t *testing.T) {
	ms := tag(t, "The crash closed Main Street and Wichita Drive near Highway 19 in Aleppo. St. Louis police helped.", geotag.TagOptions{})
	want := map[string]bool{"Main Street": false, "Wichita Drive": false, "Highway 19": false}
	for _, m := range ms {
		if _, ok := want[m.Text]; ok {
			want[m.Text] = m.Place == nil && m.Precision == 1 && m.Kind == geotag.KindPlace
		}
		if strings.Contains(m.Text, "Louis") && m.Place == nil {
			t.Errorf("St. Louis taken for a street: %+v", m)
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("%s: not an unresolved street in %s", k, describe(ms))
		}
	}
}
