package geotag_test

import (
	"testing"
	"time"

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
		if got := geotag.PickMain(tt.ms); got != tt.want {
			t.Errorf("%s: PickMain = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestAutoLocation(t *testing.T) {
	at0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	ms := []geotag.Mention{at(countryP, 0.9), at(townP, 0.8)}
	l := geotag.AutoLocation(ms, "t1", at0)
	if l == nil || l.Mention != 1 || l.PlaceID != townP.ID || l.Precision != 1 || l.Provenance != (geotag.Provenance{Method: geotag.MethodAuto, Tagger: "t1", At: at0}) {
		t.Errorf("AutoLocation = %+v", l)
	}
	if l := geotag.AutoLocation(nil, "t1", at0); l != nil {
		t.Errorf("AutoLocation of none = %+v", l)
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
