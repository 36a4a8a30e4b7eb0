package geotag_test

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

// Fixtures of this package's tests: a town, a district and a country.
var (
	townP     = geotag.Place{ID: 1, Name: "Harbourtown", Lat: 10, Lon: 20, Feature: "P.PPLA"}
	districtP = geotag.Place{ID: 2, Name: "Old Quarter", Lat: 10.1, Lon: 20.1, Feature: "P.PPLX"}
	countryP  = geotag.Place{ID: 3, Name: "Inland", Lat: 11, Lon: 21, Feature: "A.PCLI"}
)

func at(p geotag.Place, conf float64) geotag.Mention {
	return geotag.Mention{Kind: geotag.KindPlace, Confidence: conf, Place: &p, Text: p.Name, Alternatives: []geotag.Candidate{}}
}

func TestPickMain(t *testing.T) {
	town := func(conf float64) geotag.Mention { return at(townP, conf) }
	country := func(conf float64) geotag.Mention { return at(countryP, conf) }
	demonym := func(conf float64) geotag.Mention {
		m := country(conf)
		m.Kind = geotag.KindDemonym
		return m
	}
	// A mention without its own precision takes its place's: a town (1)
	// beats a district (2) even though the district was found first.
	unsetDistrict, unsetTown := at(districtP, 0.9), at(townP, 0.9)
	unresolved := geotag.Mention{Kind: geotag.KindPlace, Confidence: 0.99}
	tests := []struct {
		name string
		ms   []geotag.Mention
		want int
	}{
		{"none", nil, -1},
		{"only unresolved", []geotag.Mention{unresolved}, -1},
		{"demonym never", []geotag.Mention{demonym(0.99)}, -1},
		{"demonym skipped", []geotag.Mention{demonym(0.99), country(0.6)}, 1},
		{"finer precision among confident", []geotag.Mention{country(0.95), town(0.8)}, 1},
		{"town not confident enough", []geotag.Mention{country(0.95), town(0.4)}, 0},
		{"confident town beats a surer country", []geotag.Mention{country(0.99), town(0.6)}, 1},
		{"best confidence when none confident", []geotag.Mention{town(0.2), country(0.3)}, 1},
		{"tie keeps first", []geotag.Mention{town(0.8), town(0.8)}, 0},
		{"earliest at same precision", []geotag.Mention{town(0.7), town(0.8)}, 0},
		{"unsure town loses to a confident country", []geotag.Mention{town(0.45), country(0.7)}, 1},
		{"confident after unsure", []geotag.Mention{town(0.3), town(0.4), country(0.6), town(0.9)}, 3},
		{"precision from the place when unset", []geotag.Mention{unsetDistrict, unsetTown}, 1},
	}
	for _, tt := range tests {
		if got := geotag.PickMain(&geotag.Report{Mentions: tt.ms}); got.Mention != tt.want || got.Title != -1 || (tt.want >= 0) != (got.Why != "") {
			t.Errorf("%s: PickMain = %+v, want mention %d", tt.name, got, tt.want)
		}
	}
}

func TestAutoLocation(t *testing.T) {
	at0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	ms := []geotag.Mention{at(countryP, 0.9), at(townP, 0.8)}
	l := geotag.AutoLocation(&geotag.Report{Mentions: ms}, "t1", at0)
	if l == nil || l.Mention != 1 || l.PlaceID != townP.ID || l.Precision != 1 || l.Provenance != (geotag.Provenance{Method: geotag.MethodAuto, Tagger: "t1", At: at0}) ||
		l.Why != "most specific (a town or site)" {
		t.Errorf("AutoLocation = %+v", l)
	}
	if l := geotag.AutoLocation(&geotag.Report{}, "t1", at0); l != nil {
		t.Errorf("AutoLocation of none = %+v", l)
	}
	// A place only the title names is a location at no mention of the
	// text, automatic all the same.
	r := narrated("Strike on Riverton kills four", "Rescuers searched the rubble.", rivertonP)
	l = geotag.AutoLocation(r, "t1", at0)
	if l == nil || l.Mention != -1 || l.PlaceID != rivertonP.ID || l.Provenance.Method != geotag.MethodAuto || l.Why == "" {
		t.Errorf("AutoLocation of a title = %+v", l)
	}
}

func TestValidateMentions(t *testing.T) {
	text := "Gäste in Harbourtown"
	ok := []geotag.Mention{{Start: 9, End: 20, Confidence: 0.5}}
	if err := geotag.ValidateMentions(text, ok); err != nil {
		t.Fatal(err)
	}
	if ok[0].Text != "Harbourtown" || ok[0].Kind != geotag.KindPlace || ok[0].Alternatives == nil {
		t.Errorf("filled in: %+v", ok[0])
	}
	bad := map[string]geotag.Mention{
		"mentions[0].start":      {Start: 9, End: 21},
		"mentions[0].text":       {Start: 9, End: 20, Text: "Harbour"},
		"mentions[0].kind":       {Start: 9, End: 20, Kind: "river"},
		"mentions[0].confidence": {Start: 9, End: 20, Confidence: 2},
		"mentions[0].precision":  {Start: 9, End: 20, Precision: 4},
		"mentions[0].place.lat":  {Start: 9, End: 20, Place: &geotag.Place{Lat: 91}},
	}
	for field, m := range bad {
		err := geotag.ValidateMentions(text, []geotag.Mention{m})
		if geotag.ErrorField(err) != field {
			t.Errorf("%s: got %v", field, err)
		}
	}
}

// More fixture places for the narrative tests: towns, as written in the
// reports below.
var (
	capitalP  = geotag.Place{ID: 11, Name: "Capital City", Lat: 12, Lon: 22, Feature: "P.PPLC"}
	rivertonP = geotag.Place{ID: 12, Name: "Riverton", Lat: 12.5, Lon: 22.5, Feature: "P.PPL"}
	northP    = geotag.Place{ID: 13, Name: "Northgate", Lat: 13, Lon: 23, Feature: "P.PPL"}
)

// narrated is a report whose title and text are tagged by finding every
// occurrence of the places' names (in any case), confidence 0.9.
func narrated(title, text string, places ...geotag.Place) *geotag.Report {
	find := func(s string) []geotag.Mention {
		var ms []geotag.Mention
		low := strings.ToLower(s)
		for _, p := range places {
			name := strings.ToLower(p.Name)
			for off := 0; ; {
				i := strings.Index(low[off:], name)
				if i < 0 {
					break
				}
				b := off + i
				m := at(p, 0.9)
				m.Start = utf8.RuneCountInString(s[:b])
				m.End = m.Start + utf8.RuneCountInString(p.Name)
				m.Text = s[b : b+len(name)]
				ms = append(ms, m)
				off = b + len(name)
			}
		}
		slices.SortFunc(ms, func(a, b geotag.Mention) int { return a.Start - b.Start })
		return ms
	}
	return &geotag.Report{Title: title, Text: text, TitleMentions: find(title), Mentions: find(text)}
}

// The main location is where the reported events happened: the most
// mentioned and most specific place of the sentences telling them, not
// the first town named.
func TestPickMainNarrative(t *testing.T) {
	tests := []struct {
		name        string
		title, text string
		places      []geotag.Place
		want        string // the main place's name
		inTitle     bool   // found only in the title
		why         string // a part of Why
	}{
		{"a dateline loses to the place of the strike", "",
			"CAPITAL CITY, May 3 (Wire) — An airstrike hit Riverton overnight, killing four.",
			[]geotag.Place{capitalP, rivertonP}, "Riverton", false, "set aside: CAPITAL CITY (only the dateline)"},
		{"where officials spoke loses to where the shelling was", "",
			"Officials in Capital City said shelling of Riverton killed two. Capital City condemned the attack.",
			[]geotag.Place{capitalP, rivertonP}, "Riverton", false, "Capital City (only as where someone spoke)"},
		{"most mentioned wins over first named", "",
			"Fighting spread to Northgate. Drones struck Riverton at dawn. In Riverton rescuers searched the rubble; Riverton's hospital was full.",
			[]geotag.Place{northP, rivertonP}, "Riverton", false, "most mentioned (3×)"},
		{"history weighs less", "",
			"Northgate, held by the rebels since the war began, lies to the north. A drone hit Riverton on Monday.",
			[]geotag.Place{northP, rivertonP}, "Riverton", false, "Northgate (only in background)"},
		{"the headline names it", "Riverton market strike",
			"A missile hit Northgate and Riverton on Friday.",
			[]geotag.Place{northP, rivertonP}, "Riverton", false, "named in the headline"},
		{"only the headline names it", "Airstrike on Riverton kills 4",
			"The strike hit a market, Capital City said.",
			[]geotag.Place{capitalP, rivertonP}, "Riverton", true, "named in the headline"},
		{"a title alone", "Airstrike on Riverton kills 4", "",
			[]geotag.Place{rivertonP}, "Riverton", true, "the only place named"},
		{"a town of the events beats a country named often", "",
			"Inland is at war. Inland's army is stretched, and Inland asks for help. A strike hit Riverton.",
			[]geotag.Place{countryP, rivertonP}, "Riverton", false, "most specific (a town or site)"},
		{"a country acting in many event sentences does not outweigh the town hit", "",
			"Inland struck again. Inland fired rockets and Inland launched drones; Inland attacked at dawn. A missile hit Riverton.",
			[]geotag.Place{countryP, rivertonP}, "Riverton", false, "most specific (a town or site)"},
		{"the town beats its district", "",
			"Shelling hit the Old Quarter of Harbourtown.",
			[]geotag.Place{districtP, townP}, "Harbourtown", false, "most specific"},
		{"no cue: the first of equals", "",
			"Riverton and Northgate.",
			[]geotag.Place{northP, rivertonP}, "Riverton", false, "a town or site"},
	}
	for _, tt := range tests {
		r := narrated(tt.title, tt.text, tt.places...)
		m := geotag.PickMain(r)
		var got *geotag.Mention
		switch {
		case m.Mention >= 0 && m.Title < 0:
			got = &r.Mentions[m.Mention]
		case m.Title >= 0 && m.Mention < 0:
			got = &r.TitleMentions[m.Title]
		}
		if got == nil || got.Place.Name != tt.want || (m.Title >= 0) != tt.inTitle || !strings.Contains(m.Why, tt.why) {
			t.Errorf("%s: PickMain = %+v (%v), want %s (title only %v) with why containing %q", tt.name, m, got, tt.want, tt.inTitle, tt.why)
		}
	}
}

// BenchmarkPickMain chooses among 7,500 mentions of a text of about
// 230 KB: linear in both (a sentence is found by binary search).
func BenchmarkPickMain(b *testing.B) {
	var sb strings.Builder
	var ms []geotag.Mention
	base := 0
	for i := 0; i < 2500; i++ {
		for _, s := range []string{"Officials in Capital City said a drone hit Riverton. ", "Northgate has been quiet since the war. "} {
			sb.WriteString(s)
			for _, p := range []geotag.Place{capitalP, rivertonP, northP} {
				if j := strings.Index(s, p.Name); j >= 0 {
					m := at(p, 0.9)
					m.Start = base + j
					m.End = m.Start + len(p.Name)
					ms = append(ms, m)
				}
			}
			base += len(s) // ASCII: bytes are code points
		}
	}
	r := &geotag.Report{Title: "Riverton", Text: sb.String(), Mentions: ms}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := geotag.PickMain(r); m.Mention < 0 || r.Mentions[m.Mention].Place.ID != rivertonP.ID {
			b.Fatalf("PickMain = %+v", m)
		}
	}
}

// FuzzPickMain reads any text and title with mentions at any spans (the
// tagger's or a client's): no panic, and the choice is one of them.
func FuzzPickMain(f *testing.F) {
	f.Add("Riverton market strike", "CAPITAL CITY — Officials in Capital City said a drone hit Riverton.", 0, 8, 13, 25)
	f.Add("", "Northgate-based", -3, 2, 0, 100)
	f.Fuzz(func(t *testing.T, title, text string, ts, te, s, e int) {
		if len(text) > 4096 || len(title) > 256 {
			return
		}
		m1, m2 := at(rivertonP, 0.9), at(northP, 0.6)
		m1.Start, m1.End = ts, te
		m2.Start, m2.End = s, e
		r := &geotag.Report{Title: title, Text: text, TitleMentions: []geotag.Mention{m1}, Mentions: []geotag.Mention{m2}}
		m := geotag.PickMain(r)
		if !(m.Mention == 0 && m.Title == -1) && !(m.Mention == -1 && m.Title == 0) {
			t.Errorf("PickMain = %+v", m)
		}
	})
}
