package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/paulmach/orb/geojson"
)

func placesRun(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func TestPlacesCommand(t *testing.T) {
	// Text: a header and one line per candidate, best first.
	out, _, err := placesRun(t, "places", "Alepo")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "SCORE") || !strings.Contains(lines[1], "170063") || !strings.Contains(lines[1], "Aleppo, Syria") {
		t.Errorf("places Alepo:\n%s", out)
	}

	// GeoJSON, with flags after the query, a country filter and a limit.
	out, _, err = placesRun(t, "places", "Khaldiyeh", "--country", "sy", "--limit", "3", "--json")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection([]byte(out))
	if err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(fc.Features) == 0 || len(fc.Features) > 3 {
		t.Fatalf("%d features", len(fc.Features))
	}
	for _, f := range fc.Features {
		if f.Properties.MustString("country") != "SY" {
			t.Errorf("feature outside SY: %v", f.Properties)
		}
	}
	if f := fc.Features[0]; f.Properties.MustFloat64("parent") != 170063 || f.Properties.MustFloat64("rank") != 1 {
		t.Errorf("first feature %v, want Aleppo's Khalidiyah district", f.Properties)
	}

	// --near ranks the Paris in Texas first.
	out, _, err = placesRun(t, "places", "--near", "33.66,-95.55", "--json", "Paris")
	if err != nil {
		t.Fatal(err)
	}
	if fc, err := geojson.UnmarshalFeatureCollection([]byte(out)); err != nil || fc.Features[0].Properties.MustString("admin1") != "Texas" {
		t.Errorf("places --near Paris: %v\n%s", err, out)
	}

	// Text after a comma names the area.
	out, _, err = placesRun(t, "places", "--limit", "1", "Paris,", "Texas")
	if err != nil || !strings.Contains(out, "Paris, Texas, United States") {
		t.Errorf("places Paris, Texas: %v\n%s", err, out)
	}

	// Nothing found is not an error; the collection is empty.
	out, _, err = placesRun(t, "places", "--json", "qqqqxxxzzz")
	if err != nil || !strings.Contains(out, `"features":[]`) {
		t.Errorf("no match: %v %s", err, out)
	}

	for _, args := range [][]string{
		{"places"},
		{"places", "--limit", "0", "Aleppo"},
		{"places", "--near", "91,0", "Aleppo"},
		{"places", "--near", "x", "Aleppo"},
		{"places", "--country", "SYR", "Aleppo"},
		{"places", "--bbox", "1,2,3", "Aleppo"},
	} {
		if _, _, err := placesRun(t, args...); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("%v: err = %v, want EINVALID", args, err)
		}
	}
}

// TestGazetteerBuildCommand builds a gazetteer from the package's small
// fixture sources and searches it with places --gazetteer.
func TestGazetteerBuildCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "g.gz")
	src := filepath.Join("..", "..", "gazetteer", "testdata")
	out, _, err := placesRun(t, "gazetteer", "build", "--src", filepath.Join(src, "src"), "--tables", filepath.Join(src, "tables"), "-o", file, "--version", "test-1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "places") {
		t.Errorf("build output %q", out)
	}
	out, _, err = placesRun(t, "places", "--gazetteer", file, "--json", "Nice")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection([]byte(out))
	if err != nil || len(fc.Features) != 2 || fc.Features[0].Properties.MustFloat64("id") != 2990440 {
		t.Errorf("places --gazetteer Nice: %v\n%s", err, out)
	}
	if _, _, err := placesRun(t, "gazetteer", "build", "-o", file); err == nil {
		t.Error("build without sources succeeded")
	}
	if _, _, err := placesRun(t, "gazetteer", "frobnicate"); err == nil {
		t.Error("unknown subcommand succeeded")
	}
}
