package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
)

// runPlaces runs "geotag places QUERY": a search of the gazetteer, as the
// map's search box does it.
func runPlaces(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("places", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage:

	geotag places [flags] QUERY

Search the gazetteer by a full, partial or misspelled name ("Aleppo",
"alep", "Alepo") and print the ranked candidates. Text after a comma
names the area to prefer: "Paris, Texas", "Khalidiya, Aleppo".

Flags:
`)
		fs.PrintDefaults()
	}
	country := fs.String("country", "", "only places in these comma-separated ISO `CODES` (SY,IQ)")
	near := fs.String("near", "", "rank places near `LAT,LON` higher")
	bbox := fs.String("bbox", "", "only places inside `W,S,E,N`")
	limit := fs.Int("limit", 10, "print at most `N` candidates (1-100)")
	asJSON := fs.Bool("json", false, "print a GeoJSON FeatureCollection, best first")
	file := fs.String("gazetteer", "", "load the gazetteer from `FILE` instead of the bundled one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Flags may follow the query too: "geotag places Aleppo --json".
	var words []string
	for rest := fs.Args(); len(rest) > 0; rest = fs.Args() {
		words = append(words, rest[0])
		if err := fs.Parse(rest[1:]); err != nil {
			return err
		}
	}
	q := geotag.PlaceQuery{Text: strings.Join(words, " "), Limit: *limit}
	if strings.TrimSpace(q.Text) == "" {
		fs.Usage()
		return geotag.Errorf(geotag.EINVALID, "places: give a QUERY")
	}
	if *limit < 1 || *limit > 100 {
		return geotag.FieldErrorf(geotag.EINVALID, "limit", "--limit must be within 1..100")
	}
	if err := placeFilters(&q, *country, *near, *bbox); err != nil {
		return err
	}
	g, err := openGazetteer(*file)
	if err != nil {
		return err
	}
	res := g.Search(q)
	if *asJSON {
		return gazetteer.WriteGeoJSON(stdout, res)
	}
	if len(res) == 0 {
		fmt.Fprintf(stderr, "no places match %q\n", q.Text)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCORE\tID\tPLACE\tFEATURE\tLAT\tLON\tPOPULATION")
	for _, c := range res {
		fmt.Fprintf(tw, "%.3f\t%d\t%s\t%s\t%.5f\t%.5f\t%d\n", c.Score, c.ID, c.Label(), c.Feature, c.Lat, c.Lon, c.Population)
	}
	return tw.Flush()
}

// placeFilters sets q's countries, focus and box from the --country,
// --near and --bbox flags (each empty when not given).
func placeFilters(q *geotag.PlaceQuery, country, near, bbox string) error {
	if country != "" {
		for _, c := range strings.Split(country, ",") {
			c = strings.ToUpper(strings.TrimSpace(c))
			if len(c) != 2 {
				return geotag.FieldErrorf(geotag.EINVALID, "country", "--country wants ISO 3166-1 alpha-2 codes, got %q", c)
			}
			q.Countries = append(q.Countries, c)
		}
	}
	if near != "" {
		ll, err := parseLatLon(near)
		if err != nil {
			return err
		}
		q.Focus = &ll
	}
	if bbox != "" {
		b, err := geotag.ParseBBox(bbox)
		if err != nil {
			return err
		}
		q.BBox = &b
	}
	return nil
}

// parseLatLon parses "LAT,LON" in degrees.
func parseLatLon(s string) (geotag.LatLon, error) {
	a, b, ok := strings.Cut(s, ",")
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if !ok || err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return geotag.LatLon{}, geotag.FieldErrorf(geotag.EINVALID, "near", "--near wants LAT,LON in degrees, got %q", s)
	}
	return geotag.LatLon{Lat: lat, Lon: lon}, nil
}
