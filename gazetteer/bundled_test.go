package gazetteer_test

import (
	"sync"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
)

var (
	bundledOnce sync.Once
	bundledGaz  *gazetteer.Gazetteer
	bundledErr  error
)

// open loads the bundled gazetteer once for all tests.
func open(t testing.TB) *gazetteer.Gazetteer {
	t.Helper()
	bundledOnce.Do(func() { bundledGaz, bundledErr = gazetteer.Open() })
	if bundledErr != nil {
		t.Fatal(bundledErr)
	}
	return bundledGaz
}

func ids(ps []geotag.Place) []int64 {
	var out []int64
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func has(ps []geotag.Place, id int64) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}

func TestBundledLookup(t *testing.T) {
	g := open(t)
	for _, tc := range []struct {
		name  string
		first int64 // 0: only require the id among the candidates
		id    int64
	}{
		{"Safira", 172503, 172503},
		{"Aleppo", 170063, 170063},
		{"Amman", 250441, 250441},
		{"Nice", 2990440, 2990440},
		{"al-Hasakah", 173811, 173811},
		{"Hasakah", 173811, 173811},
		{"Al Ḩasakah", 173811, 173811},
		{"الحسكة", 0, 173811},
		{"Tal Abyad", 163750, 163750},
		{"Texas", 4736286, 4736286},
		{"Syria", 163843, 163843},
		{"Syrian Arab Republic", 163843, 163843},
		{"Jordan", 248816, 248816},
		{"France", 3017382, 3017382},
		{"Idlib province", 169387, 169387},
		{"Idlib Governorate", 169387, 169387},
		{"Burma", 1327865, 1327865},
		{"Ivory Coast", 2287781, 2287781},
		{"Britain", 2635167, 2635167},
		{"Damascus", 170654, 170654},
		{"Kafranbel", 0, 168661}, {"Kafr Nabl", 0, 168661},
		{"Deir ez-Zor", 0, 170794},
		{"Dayr az Zawr", 0, 170794},
		{"Euphrates", 0, 0},
	} {
		ps := g.Lookup(geotag.NameKey(tc.name))
		if len(ps) == 0 {
			t.Errorf("Lookup(%q): nothing", tc.name)
			continue
		}
		if tc.first != 0 && ps[0].ID != tc.first {
			t.Errorf("Lookup(%q)[0] = %d %s %s, want %d (all: %v)", tc.name, ps[0].ID, ps[0].Name, ps[0].Feature, tc.first, ids(ps[:min(len(ps), 8)]))
		}
		if tc.id != 0 && !has(ps, tc.id) {
			t.Errorf("Lookup(%q) lacks %d (all: %v)", tc.name, tc.id, ids(ps[:min(len(ps), 8)]))
		}
		for _, p := range ps {
			if p.Lat == 0 && p.Lon == 0 || p.Feature == "" || p.Name == "" {
				t.Errorf("Lookup(%q): incomplete place %+v", tc.name, p)
			}
		}
	}
}

func TestBundledDistrictAndHierarchy(t *testing.T) {
	g := open(t)
	ps := g.Lookup(geotag.NameKey("Khalidiyah"))
	var district *geotag.Place
	for i, p := range ps {
		if p.ParentID == 170063 && p.ID < 0 {
			district = &ps[i]
		}
	}
	if district == nil {
		t.Fatalf("Khalidiyah: no Aleppo district among %d candidates %v", len(ps), ids(ps))
	}
	if district.Country != "SY" || district.Feature != "P.PPLX" {
		t.Errorf("Khalidiyah district = %+v", *district)
	}
	// Aleppo → Aleppo Governorate → Syria.
	city, ok := g.Place(district.ParentID)
	if !ok || city.ID != 170063 || city.ParentID != 170062 || city.Admin1 != "Aleppo" || city.CountryName != "Syria" {
		t.Fatalf("Place(%d) = %+v, %v", district.ParentID, city, ok)
	}
	gov, ok := g.Place(city.ParentID)
	if !ok || gov.Feature != "A.ADM1" || gov.ParentID != 163843 {
		t.Fatalf("Place(%d) = %+v, %v", city.ParentID, gov, ok)
	}
	sy, ok := g.Place(gov.ParentID)
	if !ok || sy.Name != "Syria" || sy.Feature != "A.PCLI" || sy.ParentID != 0 {
		t.Fatalf("Place(%d) = %+v, %v", gov.ParentID, sy, ok)
	}
	if _, ok := g.Place(1); ok {
		t.Error("Place(1) exists")
	}
}

func TestBundledAlias(t *testing.T) {
	g := open(t)
	for _, tc := range []struct {
		alias, kind string
		id          int64
	}{
		{"Syrian", geotag.KindDemonym, 163843},
		{"Russians", geotag.KindDemonym, 2017370},
		{"U.S.", geotag.KindAbbreviation, 6252001},
		{"UK", geotag.KindAbbreviation, 2635167},
		{"UAE", geotag.KindAbbreviation, 290557},
		{"DRC", geotag.KindAbbreviation, 203312},
		{"W.Va.", geotag.KindAbbreviation, 4826850},
		{"S.C.", geotag.KindAbbreviation, 4597040},
		{"D.C.", geotag.KindAbbreviation, 4138106},
		{"Ky.", geotag.KindAbbreviation, 6254925},
		{"Conn.", geotag.KindAbbreviation, 4831725},
	} {
		p, kind, ok := g.Alias(geotag.NameKey(tc.alias))
		if !ok || kind != tc.kind || p.ID != tc.id {
			t.Errorf("Alias(%q) = %d %s %q %v, want %d %q", tc.alias, p.ID, p.Name, kind, ok, tc.id, tc.kind)
		}
	}
	if _, _, ok := g.Alias("aleppo"); ok {
		t.Error("Alias(aleppo) is ok")
	}
	if g.Len() < 400000 || g.MaxKeyTokens() < 4 || g.Version() == "" {
		t.Errorf("Len %d, MaxKeyTokens %d, Version %q", g.Len(), g.MaxKeyTokens(), g.Version())
	}
}
