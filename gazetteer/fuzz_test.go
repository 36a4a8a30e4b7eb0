package gazetteer_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
)

// builderInput is one of the builder's file readers with the fixture file
// it normally reads.
type builderInput struct {
	file string
	read func(b *gazetteer.Builder, r io.Reader) error
}

var builderInputs = []builderInput{
	{"src/cities500.txt", func(b *gazetteer.Builder, r io.Reader) error { return b.ReadGeonames(r, "cities500.txt", false) }},
	{"src/whosonfirst/SY.txt", func(b *gazetteer.Builder, r io.Reader) error { return b.ReadGeonames(r, "SY.txt", true) }},
	{"src/countryInfo.txt", (*gazetteer.Builder).ReadCountryInfo},
	{"src/admin1CodesASCII.txt", (*gazetteer.Builder).ReadAdmin1Codes},
	{"src/admin2Codes.txt", (*gazetteer.Builder).ReadAdmin2Codes},
	{"tables/admin_coords.tsv", (*gazetteer.Builder).ReadAdminCoords},
	{"tables/districts.tsv", (*gazetteer.Builder).ReadDistricts},
	{"tables/physical.tsv", func(b *gazetteer.Builder, r io.Reader) error { return b.ReadPhysical(r, "physical.tsv") }},
	{"tables/regions.tsv", func(b *gazetteer.Builder, r io.Reader) error { return b.ReadPhysical(r, "regions.tsv") }},
	{"tables/names.tsv", (*gazetteer.Builder).ReadNames},
	{"tables/aliases.tsv", (*gazetteer.Builder).ReadAliases},
	{"alternateNamesV2.txt", (*gazetteer.Builder).ReadAlternateNames},
}

// FuzzBuilderReaders replaces one of the fixture's input files with
// arbitrary bytes and builds: no reader and no build may panic, a reader
// refuses bad input with EINVALID, and whatever builds must load again.
//
//	go test -run='^$' -fuzz='^FuzzBuilderReaders$' -fuzztime=1m ./gazetteer
func FuzzBuilderReaders(f *testing.F) {
	fixture := make([][]byte, len(builderInputs))
	for i, in := range builderInputs {
		b, err := os.ReadFile(filepath.Join("testdata", in.file))
		if err != nil && !os.IsNotExist(err) {
			f.Fatal(err)
		}
		fixture[i] = b
		f.Add(uint8(i), b)
	}
	f.Add(uint8(11), []byte("1\t170063\ten\tAleppo City\t1\t\t\t\t\t\n2\t170063\tar\tحلب\t\t\t\t\t\t\n3\t170063\tiata\tALP\t\t\t\t\t\t\n"))
	f.Add(uint8(0), []byte("1\tX\tX\t\t95\t10\tP\tPPL\tSY\t\t\t\t\t\t0\t\t\t\t\n"))
	f.Add(uint8(3), []byte("SY.01\tX\tX\tabc\n"))
	f.Add(uint8(10), []byte("Syrian\tadjective\tSY\n"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		k := int(which) % len(builderInputs)
		b := gazetteer.NewBuilder()
		for i, in := range builderInputs {
			input := fixture[i]
			if i == k {
				input = data
			}
			if input == nil {
				continue
			}
			if err := in.read(b, bytes.NewReader(input)); err != nil {
				if i != k {
					t.Fatalf("fixture %s: %v", in.file, err)
				}
				if code := geotag.ErrorCode(err); code != geotag.EINVALID {
					t.Fatalf("%s: error %v has code %q, want %q", in.file, err, code, geotag.EINVALID)
				}
				return
			}
		}
		var out bytes.Buffer
		st, err := b.Build(&out, "fuzz")
		if err != nil {
			if code := geotag.ErrorCode(err); code != geotag.EINVALID {
				t.Fatalf("Build: error %v has code %q, want %q", err, code, geotag.EINVALID)
			}
			return
		}
		g, err := gazetteer.Load(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("a built file (%+v) does not load: %v", st, err)
		}
		if g.Version() != "fuzz" {
			t.Fatalf("Version = %q", g.Version())
		}
		g.Lookup("aleppo")
		g.Search(geotag.PlaceQuery{Text: "alep"})
	})
}
