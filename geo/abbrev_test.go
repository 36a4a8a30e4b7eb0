package geo_test

import (
	"context"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// Abbreviations written with spaced full stops are found like their
// unspaced forms, and take their last full stop.
func TestSpacedAbbreviations(t *testing.T) {
	f := newFake()
	tg := geo.NewTagger(f)
	for _, tc := range []struct {
		text, want string
	}{
		{"The plant near Wheeling, W. Va., closed.", "W. Va."},
		{"CHARLESTON, W. Va. (AP) — The governor spoke.", "W. Va."},
	} {
		ms, err := tg.Tag(context.Background(), tc.text, geotag.TagOptions{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, m := range ms {
			if m.Text == tc.want {
				found = true
				if m.Kind != geotag.KindAbbreviation || m.Place == nil || m.Place.Name != "West Virginia" {
					t.Errorf("%q: %s is %s %v, want the abbreviation of West Virginia", tc.text, m.Text, m.Kind, m.Place)
				}
			}
		}
		if !found {
			t.Errorf("%q: %q not found in %v", tc.text, tc.want, ms)
		}
	}
	// Initials are no abbreviation the gazetteer knows.
	ms, err := tg.Tag(context.Background(), "J. R. Smith and George W. Bush spoke.", geotag.TagOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Kind == geotag.KindAbbreviation {
			t.Errorf("initials: %q tagged as an abbreviation", m.Text)
		}
	}
}
