package geotag_test

import (
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

func TestNameKey(t *testing.T) {
	groups := [][]string{
		{"Hasakah", "al-Hasakah", "Al-Hasakah", "Al Ḩasakah", "Hasakeh", "AL HASAKAH"},
		{"Khalidiya", "Khalidiyah", "Khālidīyah", "al-Khalidiyah", "Khalidiyeh"},
		{"Deir ez-Zor", "Deir ez Zor", "Deir Ez-Zor"},
		{"Ras al-Ain", "Ras al Ain", "Ra’s al-Ain"},
		{"Raqqa", "Ar-Raqqah", "ar Raqqa", "Raqqah"},
		{"Safira", "As Safirah", "as-Safīrah"},
		{"Tal Abyad", "Tall Abyaḑ"},
		{"الحسكة", "حسكة"},
		{"Khan Shaykhun", "Khan Sheikhoun", "Khan Shaykhoun"},
		{"Khan Younis", "Khan Yunis"},
		{"Douma", "Duma"},
		{"Ras al-Ain", "Ras al-Ayn", "Ra's al 'Ayn"},
		{"Deir ez-Zor", "Dayr ez-Zor"},
		{"Kafr Nabl", "Kfar Nabl"},
		{"Tel Abyad", "Tall Abyad", "Tell Abyad"},
		{"Jabal al-Zawiya", "Jebel Zawiya", "Djebel ez-Zawiyah"},
		{"Beit Lahiya", "Bayt Lahiya", "Beit Lahiyah"},
		{"Bani Zeid", "Beni Zeid"},
	}
	for _, g := range groups {
		want := geotag.NameKey(g[0])
		if want == "" {
			t.Fatalf("NameKey(%q) is empty", g[0])
		}
		for _, s := range g[1:] {
			if got := geotag.NameKey(s); got != want {
				t.Errorf("NameKey(%q)=%q, want %q (as %q)", s, got, want, g[0])
			}
		}
	}
	// Different places stay apart.
	for _, pair := range [][2]string{{"Aleppo", "Amman"}, {"Nice", "Niger"}, {"Paris", "Parish"}} {
		if geotag.NameKey(pair[0]) == geotag.NameKey(pair[1]) {
			t.Errorf("NameKey(%q) == NameKey(%q)", pair[0], pair[1])
		}
	}
	// An article alone is a name of its own.
	if got := geotag.NameKey("El"); got != "el" {
		t.Errorf("NameKey(El)=%q, want el", got)
	}
	for _, s := range []string{"", "  ", "---", "''"} {
		if got := geotag.NameKey(s); got != "" {
			t.Errorf("NameKey(%q)=%q, want empty", s, got)
		}
	}
}

func TestNameKeyCompositional(t *testing.T) {
	for _, s := range []string{"Deir ez-Zor", "Ras al-Ain", "Khan Younis", "Bab al-Hawa crossing", "Al Ḩasakah"} {
		var toks []string
		for _, w := range strings.Fields(s) {
			toks = append(toks, geotag.TokenKeys(w)...)
		}
		if got, want := geotag.JoinKeys(toks), geotag.NameKey(s); got != want {
			t.Errorf("JoinKeys(tokens(%q))=%q, want %q", s, got, want)
		}
	}
}
