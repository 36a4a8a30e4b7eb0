package geo_test

import (
	"slices"
	"sort"
	"strings"

	"github.com/geotag/geotag"
)

// fakeGazetteer is a small in-memory gazetteer of fixture places, written
// for these tests (coordinates rounded from public atlases).
type fakeGazetteer struct {
	byKey   map[string][]geotag.Place
	byID    map[int64]geotag.Place
	aliases map[string]aliasEntry
	maxTok  int
}

type aliasEntry struct {
	id   int64
	kind string
}

type fixturePlace struct {
	geotag.Place
	alt string // comma-separated alternate names
}

func fp(id int64, name, feature, cc string, lat, lon float64, pop int64, admin1 string, alt string) fixturePlace {
	return fixturePlace{Place: geotag.Place{ID: id, Name: name, Feature: feature, Country: cc, Lat: lat, Lon: lon, Population: pop, Admin1Code: admin1}, alt: alt}
}

var fixturePlaces = []fixturePlace{
	// Countries.
	fp(163843, "Syria", "A.PCLI", "SY", 35, 38, 22000000, "00", "Syrian Arab Republic,سوريا"),
	fp(248816, "Jordan", "A.PCLI", "JO", 31, 36, 9700000, "00", "Hashemite Kingdom of Jordan"),
	fp(3017382, "France", "A.PCLI", "FR", 46, 2, 66000000, "00", ""),
	fp(2017370, "Russia", "A.PCLI", "RU", 60, 100, 144000000, "00", "Russian Federation"),
	fp(6252001, "United States", "A.PCLI", "US", 39.76, -98.5, 327000000, "00", "United States of America,America,USA"),
	fp(272103, "Lebanon", "A.PCLI", "LB", 33.83, 35.83, 6800000, "00", ""),
	fp(2215636, "Libya", "A.PCLI", "LY", 28, 17, 6700000, "00", ""),
	fp(357994, "Egypt", "A.PCLI", "EG", 27, 30, 98000000, "00", ""),
	fp(298795, "Turkey", "A.PCLI", "TR", 39, 35, 82000000, "00", "Türkiye"),
	fp(614540, "Georgia", "A.PCLI", "GE", 42, 43.5, 3700000, "00", ""),
	fp(2635167, "United Kingdom", "A.PCLI", "GB", 54.76, -2.7, 66000000, "00", "Britain,Great Britain"),
	fp(290557, "United Arab Emirates", "A.PCLI", "AE", 23.75, 54.5, 9600000, "00", ""),
	fp(203312, "Democratic Republic of the Congo", "A.PCLI", "CD", -2.5, 23.5, 84000000, "00", "DR Congo"),
	fp(2963597, "Ireland", "A.PCLI", "IE", 53, -8, 4800000, "00", ""),
	fp(2077456, "Australia", "A.PCLI", "AU", -25, 135, 25000000, "00", ""),
	fp(6251999, "Canada", "A.PCLI", "CA", 60, -96, 37000000, "00", ""),
	// Divisions.
	fp(170062, "Aleppo Governorate", "A.ADM1", "SY", 36.25, 37.5, 4800000, "09", "Aleppo,Halab"),
	fp(169388, "Idlib Governorate", "A.ADM1", "SY", 35.8, 36.6, 1500000, "12", "Idlib"),
	fp(4736286, "Texas", "A.ADM1", "US", 31.25, -99.25, 22000000, "TX", ""),
	fp(6254928, "Virginia", "A.ADM1", "US", 37.5, -78.9, 8000000, "VA", ""),
	fp(4826850, "West Virginia", "A.ADM1", "US", 38.5, -80.5, 1800000, "WV", ""),
	fp(4597040, "South Carolina", "A.ADM1", "US", 34, -81, 4600000, "SC", ""),
	fp(4829764, "Alabama", "A.ADM1", "US", 32.75, -86.75, 4800000, "AL", ""),
	fp(5596512, "Idaho", "A.ADM1", "US", 44.5, -114.25, 1700000, "ID", ""),
	fp(4197000, "Georgia", "A.ADM1", "US", 32.75, -83.5, 9900000, "GA", ""),
	fp(4138106, "District of Columbia", "A.ADM1", "US", 38.91, -77.03, 600000, "DC", "Washington D.C."),
	fp(2963517, "Kerry", "A.ADM2", "IE", 52.17, -9.75, 145000, "M", "County Kerry"),
	fp(2145234, "Victoria", "A.ADM1", "AU", -37, 144, 6000000, "07", ""),
	// Cities and towns.
	fp(170063, "Aleppo", "P.PPLA", "SY", 36.2, 37.16, 1600000, "09", "Halab,Ḩalab,حلب"),
	fp(172480, "As Safirah", "P.PPL", "SY", 36.07, 37.37, 60000, "09", "Safira,Safirah,as-Safira"),
	fp(9001, "Al Khalidiyah", "P.PPL", "SY", 34.81, 36.7, 3000, "11", "Khalidiya"),
	fp(9002, "Khalidiyah", "P.PPL", "SY", 35.2, 40.9, 2500, "07", ""),
	fp(-1001, "Khalidiyah", "P.PPLX", "SY", 36.225, 37.128, 0, "09", "al-Khalidiya"),
	fp(-1002, "Bani Zeid", "P.PPLX", "SY", 36.23, 37.15, 0, "09", "Bani Zaid"),
	fp(250441, "Amman", "P.PPLC", "JO", 31.95, 35.93, 1275000, "16", "عمان"),
	fp(2990440, "Nice", "P.PPLA2", "FR", 43.7, 7.27, 340000, "93", ""),
	fp(5376890, "Nice", "P.PPL", "US", 39.12, -122.85, 2700, "CA", ""),
	fp(524901, "Moscow", "P.PPLC", "RU", 55.75, 37.62, 10400000, "48", "Moskva"),
	fp(5601538, "Moscow", "P.PPL", "US", 46.73, -117, 25000, "ID", ""),
	fp(5029181, "Jordan", "P.PPL", "US", 44.67, -93.63, 6000, "MN", ""),
	fp(2988507, "Paris", "P.PPLC", "FR", 48.85, 2.35, 2100000, "11", ""),
	fp(4717560, "Paris", "P.PPLA2", "US", 33.66, -95.56, 25000, "TX", ""),
	fp(2210247, "Tripoli", "P.PPLC", "LY", 32.89, 13.19, 1150000, "09", "Tarabulus"),
	fp(266826, "Tripoli", "P.PPLA", "LB", 34.44, 35.85, 230000, "03", ""),
	fp(276781, "Beirut", "P.PPLC", "LB", 33.89, 35.5, 1900000, "04", ""),
	fp(361058, "Alexandria", "P.PPLA", "EG", 31.2, 29.92, 3800000, "06", ""),
	fp(4744091, "Alexandria", "P.PPLA2", "US", 38.8, -77.05, 150000, "VA", ""),
	fp(170794, "Deir ez-Zor", "P.PPLA", "SY", 35.34, 40.14, 240000, "07", "Dayr az Zawr,Deir Ezzor"),
	fp(281133, "Khan Yunis", "P.PPLA2", "PS", 31.34, 34.31, 180000, "GZ", "Khan Younis"),
	fp(173993, "Ras al-Ain", "P.PPL", "SY", 36.85, 40.07, 30000, "03", "Ra's al 'Ayn"),
	fp(173631, "Al Hasakah", "P.PPLA", "SY", 36.5, 40.75, 190000, "03", "Al Ḩasakah,Hasakah,Hassakeh"),
	fp(166365, "Kafr Nabl", "P.PPL", "SY", 35.61, 36.56, 15000, "12", "Kafranbel"),
	fp(169389, "Idlib", "P.PPLA", "SY", 35.93, 36.63, 165000, "12", "Idleb"),
	fp(2639577, "Reading", "P.PPLA2", "GB", 51.46, -0.97, 230000, "ENG", ""),
	fp(3088848, "Police", "P.PPL", "PL", 53.55, 14.57, 33000, "84", ""),
	fp(4076598, "Mobile", "P.PPLA2", "US", 30.69, -88.04, 190000, "AL", ""),
	fp(6174041, "Victoria", "P.PPLA", "CA", 48.43, -123.37, 290000, "02", ""),
	fp(99001, "Nusra", "P.PPL", "SY", 34.9, 38.9, 800, "14", ""),
	fp(99002, "Sham", "P.PPL", "SY", 33.4, 36.3, 900, "13", ""),
	fp(1850147, "Obama", "P.PPL", "JP", 35.49, 135.74, 30000, "22", ""),
	fp(99003, "Ala", "P.PPL", "SY", 35.1, 36.9, 500, "11", "على"),
	// Regions and physical features.
	fp(6255148, "Europe", "L.CONT", "", 48.69, 9.14, 0, "", ""),
	fp(6269133, "Middle East", "L.RGN", "", 29.3, 42.5, 0, "", ""),
	fp(-2001, "Euphrates", "H.STM", "", 35.5, 39.5, 0, "", "Euphrates River"),
	fp(630673, "Black Sea", "H.SEA", "", 43, 35, 0, "", ""),
}

var fixtureAliases = []struct {
	name string
	id   int64
	kind string
}{
	{"Syrian", 163843, geotag.KindDemonym}, {"Syrians", 163843, geotag.KindDemonym},
	{"Russian", 2017370, geotag.KindDemonym}, {"Russians", 2017370, geotag.KindDemonym},
	{"American", 6252001, geotag.KindDemonym}, {"Americans", 6252001, geotag.KindDemonym},
	{"Georgian", 614540, geotag.KindDemonym}, {"Jordanian", 248816, geotag.KindDemonym},
	{"French", 3017382, geotag.KindDemonym},
	{"U.S.", 6252001, geotag.KindAbbreviation}, {"US", 6252001, geotag.KindAbbreviation},
	{"U.K.", 2635167, geotag.KindAbbreviation}, {"UK", 2635167, geotag.KindAbbreviation},
	{"UAE", 290557, geotag.KindAbbreviation}, {"DRC", 203312, geotag.KindAbbreviation},
	{"W.Va.", 4826850, geotag.KindAbbreviation}, {"S.C.", 4597040, geotag.KindAbbreviation},
	{"D.C.", 4138106, geotag.KindAbbreviation}, {"Va.", 6254928, geotag.KindAbbreviation},
}

func newFake() *fakeGazetteer {
	places := slices.Clone(fixturePlaces)
	for i := range places {
		if id := places[i].ID; id == -1001 || id == -1002 {
			places[i].ParentID = 170063
		}
	}
	g := fakeOf(places)
	for _, a := range fixtureAliases {
		g.aliases[geotag.NameKey(a.name)] = aliasEntry{a.id, a.kind}
	}
	return g
}

// fakeOf is a fake gazetteer of the places, keyed as the real one keys them.
func fakeOf(places []fixturePlace) *fakeGazetteer {
	g := &fakeGazetteer{byKey: map[string][]geotag.Place{}, byID: map[int64]geotag.Place{}, aliases: map[string]aliasEntry{}}
	for _, f := range places {
		p := f.Place
		g.byID[p.ID] = p
		for _, n := range append([]string{p.Name}, strings.Split(f.alt, ",")...) {
			if k := geotag.NameKey(n); k != "" && !hasPlace(g.byKey[k], p.ID) {
				g.byKey[k] = append(g.byKey[k], p)
				g.maxTok = max(g.maxTok, len(strings.Fields(k)))
			}
		}
	}
	for k, ps := range g.byKey {
		sort.SliceStable(ps, func(a, b int) bool { return importance(ps[a]) > importance(ps[b]) })
		g.byKey[k] = ps
	}
	return g
}

func hasPlace(ps []geotag.Place, id int64) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}

func importance(p geotag.Place) float64 {
	s := float64(p.Population)
	switch {
	case strings.HasPrefix(p.Feature, "A.PCL"):
		s += 1e12
	case p.Feature == "A.ADM1":
		s += 1e11
	}
	return s
}

func (g *fakeGazetteer) Lookup(key string) []geotag.Place { return g.byKey[key] }

func (g *fakeGazetteer) Alias(key string) (geotag.Place, string, bool) {
	a, ok := g.aliases[key]
	if !ok {
		return geotag.Place{}, "", false
	}
	return g.byID[a.id], a.kind, true
}

func (g *fakeGazetteer) Place(id int64) (geotag.Place, bool) { p, ok := g.byID[id]; return p, ok }

func (g *fakeGazetteer) Search(q geotag.PlaceQuery) []geotag.Candidate {
	var out []geotag.Candidate
	for _, p := range g.byKey[geotag.NameKey(q.Text)] {
		out = append(out, geotag.Candidate{Place: p, Score: 1})
	}
	return out
}

func (g *fakeGazetteer) Version() string { return "fake" }

func (g *fakeGazetteer) MaxKeyTokens() int { return g.maxTok }

func (g *fakeGazetteer) IsKeyPrefix(key string) bool {
	for k := range g.byKey {
		if strings.HasPrefix(k, key+" ") {
			return true
		}
	}
	for k := range g.aliases {
		if strings.HasPrefix(k, key+" ") {
			return true
		}
	}
	return false
}
