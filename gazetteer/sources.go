package gazetteer

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/geotag/geotag"
)

// Sources names the input files of a build. Empty fields are skipped;
// Geonames must name at least one table.
type Sources struct {
	Geonames       []string // 19-column geoname tables: cities500.txt, allCountries.txt, SY.txt…
	Secondary      []string // geoname-format tables that only add names and places (Who's On First conversions)
	AlternateNames string   // alternateNamesV2.txt
	Admin1         string   // admin1CodesASCII.txt
	Admin2         string   // admin2Codes.txt
	Countries      string   // countryInfo.txt
	Tables         string   // directory of the project's tables (gazetteer/tables)
}

// FindSources fills Sources from a directory laid out like GeoNames'
// download area: cities500.txt or allCountries.txt (or both, or CC.txt
// country dumps), alternateNamesV2.txt, admin1CodesASCII.txt,
// admin2Codes.txt, countryInfo.txt, and a whosonfirst/ subdirectory of
// secondary geoname-format tables. tables is the project's table directory.
func FindSources(dir, tables string) (Sources, error) {
	s := Sources{Tables: tables}
	has := func(name string) string {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		return ""
	}
	s.AlternateNames = has("alternateNamesV2.txt")
	if s.AlternateNames == "" {
		s.AlternateNames = has("alternateNames.txt")
	}
	s.Admin1 = has("admin1CodesASCII.txt")
	s.Admin2 = has("admin2Codes.txt")
	s.Countries = has("countryInfo.txt")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return s, geotag.Errorf(geotag.ENOTFOUND, "sources: %v", err)
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".txt") {
			continue
		}
		base := strings.TrimSuffix(n, ".txt")
		if base == "allCountries" || strings.HasPrefix(base, "cities") || (len(base) == 2 && strings.ToUpper(base) == base) {
			s.Geonames = append(s.Geonames, filepath.Join(dir, n))
		}
	}
	wof, _ := filepath.Glob(filepath.Join(dir, "whosonfirst", "*.txt"))
	sort.Strings(wof)
	s.Secondary = wof
	if len(s.Geonames) == 0 {
		return s, geotag.Errorf(geotag.ENOTFOUND, "sources: no geoname table (allCountries.txt, cities500.txt, CC.txt) in %s", dir)
	}
	return s, nil
}

// Project tables, read from Sources.Tables when present.
var tableFiles = []struct {
	name string
	read func(b *Builder, r io.Reader) error
}{
	{"admin_coords.tsv", (*Builder).ReadAdminCoords},
	{"districts.tsv", (*Builder).ReadDistricts},
	{"physical.tsv", func(b *Builder, r io.Reader) error { return b.ReadPhysical(r, "physical") }},
	{"regions.tsv", func(b *Builder, r io.Reader) error { return b.ReadPhysical(r, "regions") }},
	{"counties.tsv", func(b *Builder, r io.Reader) error { return b.ReadPhysical(r, "counties") }},
	{"facilities.tsv", (*Builder).ReadFacilities},
	{"names.tsv", (*Builder).ReadNames},
	{"renames.tsv", (*Builder).ReadRenames},
	{"aliases.tsv", (*Builder).ReadAliases},
}

// Build reads every source into a Builder and writes the gazetteer to w.
func (s Sources) Build(w io.Writer, version string) (BuildStats, error) {
	b := NewBuilder()
	if len(s.Geonames) == 0 {
		return BuildStats{}, geotag.Errorf(geotag.EINVALID, "sources: no geoname table given")
	}
	read := func(path string, fn func(io.Reader) error) error {
		if path == "" {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return geotag.Errorf(geotag.ENOTFOUND, "%v", err)
		}
		defer f.Close()
		if err := fn(f); err != nil {
			return geotag.Errorf(geotag.ErrorCode(err), "%s: %s", path, geotag.ErrorMessage(err))
		}
		return nil
	}
	for _, p := range s.Geonames {
		if err := read(p, func(r io.Reader) error { return b.ReadGeonames(r, filepath.Base(p), false) }); err != nil {
			return BuildStats{}, err
		}
	}
	for _, p := range s.Secondary {
		if err := read(p, func(r io.Reader) error { return b.ReadGeonames(r, filepath.Base(p), true) }); err != nil {
			return BuildStats{}, err
		}
	}
	steps := []struct {
		path string
		fn   func(io.Reader) error
	}{
		{s.AlternateNames, b.ReadAlternateNames},
		{s.Admin1, b.ReadAdmin1Codes},
		{s.Admin2, b.ReadAdmin2Codes},
		{s.Countries, b.ReadCountryInfo},
	}
	for _, st := range steps {
		if err := read(st.path, st.fn); err != nil {
			return BuildStats{}, err
		}
	}
	if s.Tables != "" {
		for _, t := range tableFiles {
			p := filepath.Join(s.Tables, t.name)
			if _, err := os.Stat(p); err != nil {
				continue
			}
			if err := read(p, func(r io.Reader) error { return t.read(b, r) }); err != nil {
				return BuildStats{}, err
			}
		}
	}
	return b.Build(w, version)
}
