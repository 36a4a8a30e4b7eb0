package gazetteer_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
)

// Fixture rows written for this test (points rounded from public atlases).
const ownRows = "" +
	"172256\tAyn al Arab\tAyn al Arab\tKobani,Kobane\t36.89\t38.35\tP\tPPLA2\tSY\t\t09\t\t\t\t50000\t\t\t\t\n" +
	"174186\tAfrin\tAfrin\tKobani\t36.51\t36.87\tP\tPPLA2\tSY\t\t09\t\t\t\t48000\t\t\t\t\n" +
	"99\tKobani\tKobani\t\t36.80\t38.30\tP\tPPL\tSY\t\t09\t\t\t\t0\t\t\t\t\n" +
	"713174\tBakhmut\tBakhmut\t\t48.59\t38.00\tP\tPPLA2\tUA\t\t14\t\t\t\t80000\t\t\t\t\n" +
	"98\tNova Kakhovka\tNova Kakhovka\tKakhovka dam town\t46.75\t33.35\tP\tPPL\tUA\t\t20\t\t\t\t45000\t\t\t\t\n" +
	"97\tKakhovka Dam\tKakhovka Dam\t\t46.70\t33.30\tP\tPPL\tUA\t\t20\t\t\t\t100\t\t\t\t\n"

func buildOwned(t *testing.T, facilities, renames string) (*gazetteer.Gazetteer, error) {
	t.Helper()
	b := gazetteer.NewBuilder()
	if err := b.ReadGeonames(strings.NewReader(ownRows), "fixture", false); err != nil {
		t.Fatal(err)
	}
	if err := b.ReadFacilities(strings.NewReader(facilities)); err != nil {
		return nil, err
	}
	if err := b.ReadRenames(strings.NewReader(renames)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := b.Build(&buf, "own-1"); err != nil {
		return nil, err
	}
	return gazetteer.Load(&buf)
}

// TestFacilitiesAndRenames: a facility is a point of class S under all its
// names, and owns them; a rename adds the old names to the place and takes
// them from other places of its country that bear them only as alternate
// names, not from a place whose own name it is.
func TestFacilitiesAndRenames(t *testing.T) {
	fac := "name\talternate_names\tlat\tlon\tkind\tcountry_code\tsource\n" +
		"Kakhovka Dam\tKakhovka dam,Kakhovka dam town\t46.78\t33.37\tdam\tUA\twikipedia:en:Kakhovka_Dam\n"
	ren := "old_names\tname\ttarget\tdate\tsource\n" +
		"Artemivsk\tBakhmut\t713174\t2016-02-04\tVerkhovna Rada resolution\n" +
		"Ayn al-Arab\tKobani\t172256\tparallel\twikipedia:en:Kobani\n"
	g, err := buildOwned(t, fac, ren)
	if err != nil {
		t.Fatal(err)
	}
	look := func(name string) []geotag.Place { return g.Lookup(geotag.NameKey(name)) }
	if ps := look("Kakhovka dam"); len(ps) != 1 || ps[0].Feature != "S.DAM" || ps[0].Precision() != 1 {
		t.Errorf("Kakhovka dam = %+v, want one S.DAM of precision 1, not the hamlet named Kakhovka Dam", ps)
	}
	if ps := look("Kakhovka dam town"); len(ps) != 1 || ps[0].Feature != "S.DAM" {
		t.Errorf("a facility's name stays with a namesake town: %+v", ps)
	}
	if ps := look("Artemivsk"); len(ps) != 1 || ps[0].ID != 713174 {
		t.Errorf("Artemivsk = %+v, want Bakhmut", ps)
	}
	var got []int64
	for _, p := range look("Kobani") {
		got = append(got, p.ID)
	}
	if len(got) != 2 || !(got[0] == 172256 && got[1] == 99 || got[0] == 99 && got[1] == 172256) {
		t.Errorf("Kobani = %v, want 172256 and the place named Kobani (99), not Afrin", got)
	}
	for _, bad := range []struct{ fac, ren string }{
		{"X\t\t1\t2\tcastle\tUA\tsrc\n", ""},
		{"X\t\t1\t2\tdam\tUA\t\n", ""},
		{"", "Artemivsk\tBakhmut\t713174\t2016-02-04\t\n"},
		{"", "Artemivsk\tBakhmut\t1\t2016-02-04\tsrc\n"},
	} {
		if _, err := buildOwned(t, bad.fac, bad.ren); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("facilities %q renames %q: err %v, want EINVALID", bad.fac, bad.ren, err)
		}
	}
}
