package geo_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// conflictPlaces are fixture places written for these tests (points rounded
// from public atlases; importance made up in the gazetteer's 0..1 scale).
var conflictPlaces = []struct {
	fixturePlace
	imp float64
}{
	{fp(163843, "Syria", "A.PCLI", "SY", 35, 38, 22000000, "00", ""), 0.9},
	{fp(248816, "Jordan", "A.PCLI", "JO", 31, 36, 9700000, "00", ""), 0.9},
	{fp(690791, "Ukraine", "A.PCLI", "UA", 49, 32, 44000000, "00", ""), 0.9},
	{fp(4398678, "Missouri", "A.ADM1", "US", 38.25, -92.5, 6000000, "MO", ""), 0.75},
	{fp(9782185, "Michael", "A.ADM1", "IM", 54.3, -4.58, 0, "01", ""), 0.49},
	{fp(163808, "Tadmur", "P.PPLA2", "SY", 34.56, 38.28, 51000, "11", "Palmyra,Tadmor"), 0.59},
	{fp(4402381, "Palmyra", "P.PPLA2", "US", 39.79, -91.52, 3600, "MO", ""), 0.47},
	{fp(91597, "Sāmarrā’", "P.PPL", "IQ", 34.2, 43.89, 158000, "18", ""), 0.58},
	{fp(499099, "Samara", "P.PPLA", "RU", 53.2, 50.15, 1160000, "65", ""), 0.74},
	{fp(499068, "Samara Oblast", "A.ADM1", "RU", 53.5, 50.5, 3200000, "65", "Samara"), 0.73},
	{fp(-421205333, "Samawa", "A.ADM2", "IQ", 31.24, 45.26, 348000, "03", "Samarra"), 0.63},
	{fp(2643123, "Manchester", "P.PPLA2", "GB", 53.48, -2.24, 395000, "ENG", ""), 0.62},
	{fp(4781708, "Richmond", "P.PPLA", "US", 37.55, -77.46, 220000, "VA", "Manchester"), 0.66},
	{fp(170592, "Douma", "P.PPL", "SY", 33.57, 36.4, 111000, "08", ""), 0.5},
	{fp(-1001, "Duma", "A.ADM2", "SY", 33.6, 37.7, 300000, "08", "Douma"), 0.55},
	{fp(706483, "Kharkiv", "P.PPLA", "UA", 49.98, 36.25, 1430000, "07", ""), 0.77},
	{fp(706482, "Kharkiv Oblast", "A.ADM1", "UA", 49.5, 36.5, 2900000, "07", "Kharkiv"), 0.76},
	{fp(170017, "Hama", "P.PPLA", "SY", 35.13, 36.76, 460000, "10", ""), 0.7},
	{fp(170016, "Hama Governorate", "A.ADM1", "SY", 35.17, 37.25, 1600000, "10", "Hama"), 0.69},
	{fp(703448, "Kyiv", "P.PPLC", "UA", 50.45, 30.52, 2800000, "12", "Kiev"), 0.85},
	{fp(250441, "Amman", "P.PPLC", "JO", 31.95, 35.93, 1275000, "16", ""), 0.83},
	{fp(4709796, "Matthews", "P.PPL", "US", 35.12, -80.72, 30000, "NC", ""), 0.4},
	{fp(71137, "Ibb", "P.PPLA", "YE", 13.97, 44.18, 234000, "23", ""), 0.6},
	{fp(704204, "Lyman", "P.PPL", "UA", 48.99, 37.8, 20000, "14", ""), 0.5},
	{fp(698740, "Nova Kakhovka", "P.PPL", "UA", 46.75, 33.35, 45000, "20", "Kakhovka"), 0.5},
	{fp(-40000000001, "Kakhovka Dam", "S.DAM", "UA", 46.78, 33.37, 0, "20", "Kakhovka dam"), 0.3},
	{fp(3718426, "Port-au-Prince", "P.PPLC", "HT", 18.54, -72.34, 1230000, "11", ""), 0.8},
	{fp(3725011, "Galilée", "P.PPL", "HT", 19.3, -72.5, 0, "06", "Galileo"), 0.1},
	{fp(1046058, "Gaza Province", "A.ADM1", "MZ", -23.5, 33, 1230000, "02", "Gaza"), 0.75},
	{fp(281133, "Gaza", "P.PPLA", "PS", 31.5, 34.47, 410000, "GZ", ""), 0.73},
	{fp(281132, "Gaza Strip", "A.ADM1", "PS", 31.41, 34.38, 488000, "GZ", "Gaza"), 0.72},
	{fp(-40000000002, "Bab al-Hawa Border Crossing", "S.PSTB", "SY", 36.23, 36.67, 0, "12", "Bab al-Hawa"), 0.13},
	{fp(7365456, "Bāb al Hawá", "P.PPL", "YE", 14.9, 43.1, 0, "08", ""), 0.08},
	{fp(5909050, "British Columbia", "A.ADM1", "CA", 53.99, -125, 4600000, "02", ""), 0.75},
}

// conflictGazetteer is the fake gazetteer over conflictPlaces, with the
// importance a real gazetteer reports.
type conflictGazetteer struct {
	*fakeGazetteer
	imp map[int64]float64
}

func (g conflictGazetteer) Importance(id int64) float64 { return g.imp[id] }

func newConflictFake() conflictGazetteer {
	g := conflictGazetteer{&fakeGazetteer{byKey: map[string][]geotag.Place{}, byID: map[int64]geotag.Place{}, aliases: map[string]aliasEntry{}}, map[int64]float64{}}
	for _, f := range conflictPlaces {
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
	g.aliases[geotag.NameKey("B.C.")] = aliasEntry{5909050, geotag.KindAbbreviation}
	return g
}

// TestConflictNames: famous places over namesakes, a place's own name over
// another's alternate name, towns over the same-named division unless the
// text says division, people, verbs of saying, facilities, short names.
func TestConflictNames(t *testing.T) {
	tg := geo.NewTagger(newConflictFake())
	for _, tc := range []struct {
		text string
		want []string // "surface=id", in order
	}{
		{"Airstrikes hit Palmyra overnight.", []string{"Palmyra=163808"}},
		{"Palmyra, Missouri, held a parade.", []string{"Palmyra=4402381", "Missouri=4398678"}},
		{"A car bomb exploded in Samarra.", []string{"Samarra=91597"}},
		{"Police in Manchester said a man was held.", []string{"Manchester=2643123"}},
		{"Shelling of Douma killed 12 civilians.", []string{"Douma=170592"}},
		{"The Kharkiv region governor said Kharkiv was hit.", []string{"Kharkiv=706482", "Kharkiv=706483"}},
		{"Shelling in rural Hama killed eight. Hama itself was calm.", []string{"Hama=170016", "Hama=170017"}},
		{"Kyiv said the attack failed. Kyiv announced new air defences.", []string{"Kyiv=703448", "Kyiv=703448"}},
		{"Michael Jordan visited Amman.", []string{"Amman=250441"}},
		{"Jordan Matthews scored twice.", nil},
		{"Refugees in Jordan face cuts.", []string{"Jordan=248816"}},
		{"Clashes in Ibb left five dead.", []string{"Ibb=71137"}},
		{"Strikes on Gaza killed 12.", []string{"Gaza=281133"}},
		{"Aid crossed at Bab al-Hawa into Syria.", []string{"Bab al-Hawa=-40000000002", "Syria=163843"}},
		{"Lyman said he would run again.", nil},
		{"The troops retook Lyman.", []string{"Lyman=704204"}},
		{"Shelling near the Kakhovka dam flooded Nova Kakhovka.", []string{"Kakhovka dam=-40000000001", "Nova Kakhovka=698740"}},
		{"Gangs attacked Port-au-Prince again.", []string{"Port-au-Prince=3718426"}},
		{"Galileo described the moons in 1610.", nil},
		{"The tomb dates from 500 B.C. and was found in Vancouver, B.C., last year.", []string{"B.C.=5909050"}},
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
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%q: got %v, want %v", tc.text, got, tc.want)
		}
	}
}

func itoa(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}
