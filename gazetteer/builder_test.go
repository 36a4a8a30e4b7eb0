package gazetteer_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
	"github.com/klauspost/compress/zstd"
	"github.com/paulmach/orb/geojson"
)

// buildFixture builds the gazetteer of testdata/ and loads it.
func buildFixture(t *testing.T) (*gazetteer.Gazetteer, []byte) {
	t.Helper()
	src, err := gazetteer.FindSources("testdata/src", "testdata/tables")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	st, err := src.Build(&buf, "fixture-1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Bytes != buf.Len() || st.Places == 0 {
		t.Fatalf("stats %+v for %d bytes", st, buf.Len())
	}
	g, err := gazetteer.Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return g, buf.Bytes()
}

func TestBuildFixture(t *testing.T) {
	g, data := buildFixture(t)
	if g.Version() != "fixture-1" {
		t.Errorf("Version = %q", g.Version())
	}
	lookup := func(name string) []int64 { return ids(g.Lookup(geotag.NameKey(name))) }
	eq := func(a, b []int64) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	for _, tc := range []struct {
		name string
		want []int64
	}{
		{"Aleppo", []int64{170063, 170062}}, // the city before its governorate
		{"Aleppo Governorate", []int64{170062}},
		{"Aleppo province", []int64{170062}},
		{"حلب", []int64{170063}},           // from the secondary (WOF) table
		{"Alepo", []int64{170063, 170062}}, // likewise, and NameKey drops doubled letters
		{"ALP", nil},                       // a code, not a name
		{"Nice", []int64{2990440, 5376890}},
		{"Ницца", []int64{2990440}},
		{"Texas", []int64{4736286, 2146268}}, // the state before the town
		{"Syria", []int64{163843}},
		{"Syrian Arab Republic", []int64{163843}},
		{"Homs", nil}, // its only point was a FALLBACK_ copy of the country's
		{"Jabal Saman District", []int64{170064}},
		{"Euphrates", []int64{stableEuphrates(t, g)}},
		{"Firat", []int64{stableEuphrates(t, g)}},
		{"Mediterranean Sea", []int64{363196}},
		{"Ghouta", []int64{g.Lookup(geotag.NameKey("Eastern Ghouta"))[0].ID}},
	} {
		if got := lookup(tc.name); !eq(got, tc.want) {
			t.Errorf("Lookup(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}

	// The city merged from both tables keeps the primary table's fields.
	p, ok := g.Place(170063)
	if !ok || p.Name != "Aleppo" || p.Population != 1602264 || p.Lat != 36.20124 || p.Feature != "P.PPLA" ||
		p.Admin1 != "Aleppo" || p.Admin1Code != "09" || p.Country != "SY" || p.CountryName != "Syria" || p.ParentID != 170062 {
		t.Errorf("Place(170063) = %+v", p)
	}
	gov, _ := g.Place(170062)
	if gov.Feature != "A.ADM1" || gov.ParentID != 163843 {
		t.Errorf("governorate = %+v", gov)
	}

	// The district: negative id, linked to its city, with its city's division.
	ds := g.Lookup(geotag.NameKey("al-Khalidiyah"))
	if len(ds) != 2 || ds[1].ID != 2941 { // the district of a big city before a village
		t.Fatalf("Lookup(al-Khalidiyah) = %+v", ds)
	}
	d := ds[0]
	if d.ID >= 0 || d.ParentID != 170063 || d.Admin1 != "Aleppo" || d.Feature != "P.PPLX" {
		t.Errorf("district = %+v", d)
	}
	// Negative ids are stable across builds.
	g2, data2 := buildFixture(t)
	if d2 := g2.Lookup(geotag.NameKey("Khalidiyah")); d2[0].ID != d.ID {
		t.Errorf("district id %d, then %d", d.ID, d2[0].ID)
	}
	if !bytes.Equal(data, data2) {
		t.Error("two builds of the same sources differ")
	}

	for _, tc := range []struct {
		alias, kind string
		id          int64
	}{
		{"Syrians", geotag.KindDemonym, 163843},
		{"U.S.", geotag.KindAbbreviation, 6252001},
		{"Tex.", geotag.KindAbbreviation, 4736286},
	} {
		p, kind, ok := g.Alias(geotag.NameKey(tc.alias))
		if !ok || kind != tc.kind || p.ID != tc.id {
			t.Errorf("Alias(%q) = %d %q %v", tc.alias, p.ID, kind, ok)
		}
	}
	if g.MaxKeyTokens() != 3 { // "syrian arab republic"
		t.Errorf("MaxKeyTokens = %d, want 3", g.MaxKeyTokens())
	}
}

func stableEuphrates(t *testing.T, g *gazetteer.Gazetteer) int64 {
	ps := g.Lookup("euphrates river")
	if len(ps) != 1 || ps[0].ID >= 0 {
		t.Fatalf("Lookup(euphrates river) = %+v", ps)
	}
	return ps[0].ID
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		read        func(b *gazetteer.Builder, s string) error
		want        string
	}{
		{"short geoname row", "1\tX\tX\n", func(b *gazetteer.Builder, s string) error {
			return b.ReadGeonames(strings.NewReader(s), "t.txt", false)
		}, "t.txt:1"},
		{"bad coordinates", "1\tX\tX\t\t95\t10\tP\tPPL\tSY\t\t\t\t\t\t0\t\t\t\t\n", func(b *gazetteer.Builder, s string) error {
			return b.ReadGeonames(strings.NewReader(s), "t.txt", false)
		}, "coordinates"},
		{"bad admin1 id", "SY.01\tX\tX\tabc\n", func(b *gazetteer.Builder, s string) error {
			return b.ReadAdmin1Codes(strings.NewReader(s))
		}, "geonameid"},
		{"bad alias kind", "Syrian\tadjective\tSY\n", func(b *gazetteer.Builder, s string) error {
			return b.ReadAliases(strings.NewReader(s))
		}, "kind"},
		{"invalid UTF-8", "1\tX\xff\n", func(b *gazetteer.Builder, s string) error {
			return b.ReadGeonames(strings.NewReader(s), "t.txt", false)
		}, "UTF-8"},
	} {
		err := tc.read(gazetteer.NewBuilder(), tc.input)
		if geotag.ErrorCode(err) != geotag.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want EINVALID mentioning %q", tc.name, err, tc.want)
		}
	}
	// A names table that names no place fails the build.
	b := gazetteer.NewBuilder()
	if err := b.ReadNames(strings.NewReader("XX\tNowhere\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(&bytes.Buffer{}, "v"); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("Build with an unknown target: %v", err)
	}
}

func TestLoadRejectsDamage(t *testing.T) {
	_, data := buildFixture(t)
	for name, b := range map[string][]byte{
		"empty":     nil,
		"not ours":  []byte("geonameid\tname\n"),
		"truncated": data[:len(data)/2],
		"trailing":  append(append([]byte(nil), data...), 0),
		"flipped":   flip(data, len(data)-40),
	} {
		if _, err := gazetteer.Load(bytes.NewReader(b)); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("%s: Load err = %v, want EINVALID", name, err)
		}
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0xff
	return c
}

// FuzzLoad checks that no input makes Load panic or hang, and that what
// loads answers lookups.
func FuzzLoad(f *testing.F) {
	src, err := gazetteer.FindSources("testdata/src", "testdata/tables")
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := src.Build(&buf, "fuzz"); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("GEOTAG-GAZETTEER\x00\x05"))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := gazetteer.Load(bytes.NewReader(b))
		if err != nil {
			return
		}
		g.Lookup("aleppo") // while the key index may still be building
		g.IsKeyPrefix("al")
		g.Search(geotag.PlaceQuery{Text: "alep"})
		g.Place(170063)
	})
}

func TestWriteGeoJSON(t *testing.T) {
	g, _ := buildFixture(t)
	res := g.Search(geotag.PlaceQuery{Text: "Nice", Limit: 5})
	if len(res) != 2 || res[0].ID != 2990440 {
		t.Fatalf("Search(Nice) = %+v", res)
	}
	var buf bytes.Buffer
	if err := gazetteer.WriteGeoJSON(&buf, res); err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 2 {
		t.Fatalf("%d features", len(fc.Features))
	}
	f := fc.Features[0]
	pt := f.Point()
	if pt[0] != 7.26608 || pt[1] != 43.70313 { // [lon, lat]
		t.Errorf("coordinates %v", pt)
	}
	if f.Properties.MustString("label") != "Nice, Provence-Alpes-Côte d'Azur, France" || f.Properties.MustFloat64("rank") != 1 ||
		f.Properties.MustString("country") != "FR" || f.Properties.MustFloat64("id") != 2990440 {
		t.Errorf("properties %v", f.Properties)
	}
	// A later word of a name.
	if res := g.Search(geotag.PlaceQuery{Text: "Saman"}); len(res) != 1 || res[0].ID != 170064 {
		t.Errorf("Search(Saman) = %+v, want Jabal Saman", res)
	}
	// An empty result is an empty collection, not null.
	buf.Reset()
	gazetteer.WriteGeoJSON(&buf, nil)
	var v struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil || v.Type != "FeatureCollection" || v.Features == nil {
		t.Errorf("empty: %s", buf.String())
	}
}

// FuzzReaders checks that no table, however malformed, makes a reader or
// Build panic: they return errors.
func FuzzReaders(f *testing.F) {
	f.Add("170063\tAleppo\tAleppo\tHalab\t36.2\t37.16\tP\tPPLA\tSY\t\t09\t\t\t\t1602264\t\t\t\t\n")
	f.Add("SY.09\tAleppo\tAleppo\t170062\n")
	f.Add("Khalidiyah\t\t36.2\t37.1\tPPLX\tSY\t170063\tsrc\n")
	f.Add("Syrian\tdemonym\tSY\n")
	f.Fuzz(func(t *testing.T, s string) {
		b := gazetteer.NewBuilder()
		b.ReadGeonames(strings.NewReader(s), "f", false)
		b.ReadGeonames(strings.NewReader(s), "f", true)
		b.ReadAdmin1Codes(strings.NewReader(s))
		b.ReadAdmin2Codes(strings.NewReader(s))
		b.ReadCountryInfo(strings.NewReader(s))
		b.ReadAdminCoords(strings.NewReader(s))
		b.ReadDistricts(strings.NewReader(s))
		b.ReadPhysical(strings.NewReader(s), "physical")
		b.ReadAlternateNames(strings.NewReader(s))
		var buf bytes.Buffer
		if _, err := b.Build(&buf, "f"); err == nil {
			if _, err := gazetteer.Load(&buf); err != nil {
				t.Fatalf("built file does not load: %v", err)
			}
		}
	})
}

func TestConcurrentUse(t *testing.T) {
	g, _ := buildFixture(t)
	done := make(chan bool)
	for i := 0; i < 8; i++ {
		go func() {
			defer func() { done <- true }()
			for j := 0; j < 200; j++ {
				if n, m := len(g.Lookup("alepo")), len(g.Search(geotag.PlaceQuery{Text: "nic"})); n != 2 || m != 2 {
					t.Errorf("inconsistent answers under concurrency: %d, %d", n, m)
					return
				}
			}
		}()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
}

// TestLoadRejectsEmptyTables crafts a file whose places point into empty
// country, division and feature tables: Load must refuse it, not leave a
// gazetteer that panics later.
func TestLoadRejectsEmptyTables(t *testing.T) {
	var e []byte
	uv := func(v uint64) { e = binary.AppendUvarint(e, v) }
	uv(1)
	e = append(e, 'v') // version "v"
	uv(0)              // countries
	uv(0)              // admin1
	uv(0)              // features
	uv(1)              // one place
	cols := [][]byte{{2}, {0}, {0}, {0}, {0}, {0}, {0}, {0}, {0, 0}}
	for _, c := range cols {
		uv(uint64(len(c)))
	}
	for _, c := range cols {
		e = append(e, c...)
	}
	names := []byte{1, 1, 'X'}
	keys := []byte{1, 1, 'x'}
	posts := []byte{1, 1, 0, 0, 0, 0, 0}
	if _, err := gazetteer.Load(bytes.NewReader(craftFile(t, 4, e, names, keys, posts))); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Fatalf("Load = %v, want EINVALID", err)
	}
}

// craftFile writes sections as a gazetteer file of the format version.
func craftFile(t *testing.T, version byte, sections ...[]byte) []byte {
	t.Helper()
	zw, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer zw.Close()
	file := append([]byte("GEOTAG-GAZETTEER\x00"), version)
	for _, sec := range sections {
		z := zw.EncodeAll(sec, nil)
		file = binary.LittleEndian.AppendUint32(file, uint32(len(z)))
		file = append(file, z...)
	}
	return file
}

// TestLoadRefusesOtherVersions: a file of a previous format (3: gzip
// sections; 4: keys as a plain string table) or a later one is refused with a message that says to
// rebuild it.
func TestLoadRefusesOtherVersions(t *testing.T) {
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write([]byte{0})
	zw.Close()
	old := append([]byte("GEOTAG-GAZETTEER\x00\x03"), binary.LittleEndian.AppendUint32(nil, uint32(zb.Len()))...)
	old = append(old, zb.Bytes()...)
	for name, b := range map[string][]byte{"format 3": old, "format 4": craftFile(t, 4, []byte{0}), "format 9": craftFile(t, 9, []byte{0})} {
		_, err := gazetteer.Load(bytes.NewReader(b))
		if geotag.ErrorCode(err) != geotag.EINVALID || !strings.Contains(geotag.ErrorMessage(err), "rebuild it with") {
			t.Errorf("%s: Load = %v, want EINVALID saying to rebuild", name, err)
		}
	}
	if _, err := gazetteer.Load(bytes.NewReader(craftFile(t, 5, []byte{0}))); err == nil || strings.Contains(geotag.ErrorMessage(err), "rebuild") {
		t.Errorf("a damaged file of this format: Load = %v, want an error that is not about the version", err)
	}
}

// oneplaceFile crafts a file of one place named by every key given.
func oneplaceFile(t *testing.T, keys ...string) []byte {
	t.Helper()
	var e []byte
	uv := func(v uint64) { e = binary.AppendUvarint(e, v) }
	uv(1)
	e = append(e, 'v')     // version "v"
	e = append(e, 1, 0, 0) // countries: none
	e = append(e, 1, 0, 0, 0)
	e = append(e, 1, 0) // features: ""
	uv(1)               // one place
	cols := [][]byte{{2}, {0}, {0}, {0}, {0}, {0}, {0}, {0}, {0, 0}}
	for _, c := range cols {
		uv(uint64(len(c)))
	}
	for _, c := range cols {
		e = append(e, c...)
	}
	p := []byte{byte(len(keys))}
	for range keys {
		p = append(p, 1)
	}
	for range keys {
		p = append(p, 0, 0, 0, 0)
	}
	p = append(p, 0) // no aliases
	return craftFile(t, 5, e, []byte{1, 1, 'X'}, frontCoded(keys), p)
}

// frontCoded writes a keys section: the count, the total bytes, the
// keys' rests (each key less what it shares with the one before) as one
// length-prefixed run of bytes, then each key's shared and rest lengths.
func frontCoded(keys []string) []byte {
	shared := func(a, b string) int {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		return i
	}
	var rests, pairs []byte
	total, prev := 0, ""
	for _, k := range keys {
		l := shared(prev, k)
		rests = append(rests, k[l:]...)
		pairs = append(pairs, byte(l), byte(len(k)-l))
		total += len(k)
		prev = k
	}
	out := []byte{byte(len(keys)), byte(total), byte(len(rests))}
	out = append(append(out, rests...), pairs...)
	return out
}

// TestLoadChecksKeyOrder: keys in byte order load and are found; keys out
// of order or repeated are refused, as search relies on their order.
func TestLoadChecksKeyOrder(t *testing.T) {
	g, err := gazetteer.Load(bytes.NewReader(oneplaceFile(t, "al bab", "bab", "bab al hawa")))
	if err != nil {
		t.Fatal(err)
	}
	if ps := g.Lookup("bab al hawa"); len(ps) != 1 || ps[0].ID != 1 || ps[0].Name != "X" {
		t.Errorf("Lookup = %+v", ps)
	}
	if !g.IsKeyPrefix("bab al") || g.IsKeyPrefix("bab hawa") || g.MaxKeyTokens() != 3 {
		t.Errorf("IsKeyPrefix(bab al) = %v, IsKeyPrefix(bab hawa) = %v, MaxKeyTokens = %d", g.IsKeyPrefix("bab al"), g.IsKeyPrefix("bab hawa"), g.MaxKeyTokens())
	}
	for _, keys := range [][]string{{"bab", "al bab"}, {"bab", "bab"}, {"", "bab"}} {
		if _, err := gazetteer.Load(bytes.NewReader(oneplaceFile(t, keys...))); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("keys %q: Load = %v, want EINVALID", keys, err)
		}
	}
}
