package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/geotag/geotag/gazetteer"
)

const gazetteerUsage = `Usage:

	geotag gazetteer build [flags]

Build reads GeoNames-format sources and the project's tables and writes the
compact gazetteer file that geotag embeds (gazetteer/data/gazetteer.gz) or
loads with --gazetteer. Rebuild the bundled file from a checkout with:

	go run ./cmd/geotag gazetteer build --src ../shared/gazetteer

or with the full GeoNames dump (allCountries.txt, alternateNamesV2.txt,
admin1CodesASCII.txt, admin2Codes.txt, countryInfo.txt in one directory):

	go run ./cmd/geotag gazetteer build --src ~/geonames -o my-gazetteer.gz

Flags:
`

// runGazetteer runs "geotag gazetteer build".
func runGazetteer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "build" {
		fmt.Fprint(stderr, gazetteerUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return flag.ErrHelp
		}
		return fmt.Errorf("gazetteer: unknown or missing subcommand; want \"build\"")
	}
	fs := flag.NewFlagSet("gazetteer build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, gazetteerUsage); fs.PrintDefaults() }
	src := fs.String("src", "", "`DIR` of GeoNames files (cities500.txt or allCountries.txt, admin1CodesASCII.txt, …; whosonfirst/*.txt as secondary tables)")
	tables := fs.String("tables", filepath.Join("gazetteer", "tables"), "`DIR` of the project's tables (admin_coords, districts, physical, regions, names, aliases)")
	out := fs.String("o", filepath.Join("gazetteer", "data", "gazetteer.gz"), "write the gazetteer to `FILE`")
	version := fs.String("version", "", "build name recorded in the file (default: geotag-gazetteer-DATE)")
	geonames := fs.String("geonames", "", "comma-separated geoname `FILES` (instead of or besides --src)")
	secondary := fs.String("secondary", "", "comma-separated secondary geoname-format `FILES`")
	alt := fs.String("alternate-names", "", "alternateNamesV2.txt `FILE`")
	admin1 := fs.String("admin1", "", "admin1CodesASCII.txt `FILE`")
	admin2 := fs.String("admin2", "", "admin2Codes.txt `FILE`")
	countries := fs.String("countries", "", "countryInfo.txt `FILE`")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var s gazetteer.Sources
	if *src != "" {
		var err error
		if s, err = gazetteer.FindSources(*src, *tables); err != nil {
			return err
		}
	}
	s.Tables = *tables
	split := func(v string) []string {
		if v == "" {
			return nil
		}
		return strings.Split(v, ",")
	}
	s.Geonames = append(s.Geonames, split(*geonames)...)
	s.Secondary = append(s.Secondary, split(*secondary)...)
	for _, o := range []struct {
		dst *string
		v   string
	}{{&s.AlternateNames, *alt}, {&s.Admin1, *admin1}, {&s.Admin2, *admin2}, {&s.Countries, *countries}} {
		if o.v != "" {
			*o.dst = o.v
		}
	}
	if len(s.Geonames) == 0 {
		fs.Usage()
		return fmt.Errorf("gazetteer build: give --src DIR or --geonames FILES")
	}
	if *version == "" {
		*version = "geotag-gazetteer-" + time.Now().UTC().Format("2006-01-02")
	}
	tmp := *out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	w := bufio.NewWriterSize(f, 1<<20)
	start := time.Now()
	st, err := s.Build(w, *version)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %s in %v\n", *out, st, time.Since(start).Round(time.Millisecond))
	return nil
}
