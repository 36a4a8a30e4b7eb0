package geo_test

import (
	"testing"

	"github.com/geotag/geotag/geo"
)

func TestSentences(t *testing.T) {
	text := "Gen. Smith met U.S. envoys in Kyiv. Shelling hit Izium! Was Joseph F. Wagner there? 12 died.\nTitle line\n\n“Quote” ends."
	var got []string
	for _, s := range geo.Sentences(text) {
		got = append(got, text[s.Start:s.End])
		if n := len([]rune(text[:s.Start])); n != s.Rune {
			t.Errorf("sentence %q: Rune = %d, want %d", text[s.Start:s.End], s.Rune, n)
		}
	}
	want := []string{"Gen. Smith met U.S. envoys in Kyiv.", " Shelling hit Izium!", " Was Joseph F. Wagner there?", " 12 died.",
		"Title line\n", "“Quote” ends."}
	if len(got) != len(want) {
		t.Fatalf("Sentences = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sentence %d = %q, want %q", i, got[i], want[i])
		}
	}
	if s := geo.Sentences(""); len(s) != 0 {
		t.Errorf("Sentences(\"\") = %v, want none", s)
	}
}
