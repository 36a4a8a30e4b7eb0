package geotag

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The ASCII fast path of TokenKeys must agree with the general one.
func checkASCII(t *testing.T, w string) {
	t.Helper()
	fast, ok := asciiTokenKeys(w)
	if !ok {
		return
	}
	if slow := tokenKeysSlow(w); !slices.Equal(fast, slow) {
		t.Fatalf("TokenKeys(%q): fast %q, general %q", w, fast, slow)
	}
}

func TestASCIITokenKeys(t *testing.T) {
	for _, w := range []string{"", "'", "Aleppo", "al-Khalidiyah", "Deir", "ez-Zor.", "Ra's", "Sheikhoun", "SHEIK", "Cheikh",
		"Douma", "Younis", "Tell", "Kfar", "Khirbat", "Ouou", "ouah", "aah", "Hasakeh", "Iyeh", "11th", "U.S.", "W.Va.",
		"Bab", "ou", "sheikhsheikh", "Dayr", "iyah", "xiyah", "Shaikhiyeh", "a`b", "it's", "Aaaah"} {
		checkASCII(t, w)
	}
	// Every ASCII word of the project's own tables.
	for _, f := range []string{"aliases.tsv", "names.tsv", "regions.tsv", "districts.tsv"} {
		file, err := os.Open(filepath.Join("gazetteer", "tables", f))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			for _, w := range strings.FieldsFunc(sc.Text(), func(r rune) bool { return r == ' ' || r == '\t' || r == ',' }) {
				checkASCII(t, w)
			}
		}
		file.Close()
	}
}

func FuzzTokenKeysASCII(f *testing.F) {
	for _, s := range []string{"Aleppo", "al-Khalidiyah", "Sheikhoun", "Ra's", "W.Va."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, w string) { checkASCII(t, w) })
}

// The reference for TokenKeys: the words FieldsFunc finds (splitWords),
// each normalised by tokenKey. TokenKeys' own splitter and its ASCII fast
// path must give the same keys for every input.
func refTokenKeys(word string) []string {
	var out []string
	for _, w := range splitWords(word) {
		if k := tokenKey(w); k != "" {
			out = append(out, k)
		}
	}
	return out
}

func FuzzTokenKeysReference(f *testing.F) {
	for _, s := range []string{"Київ", "حلب", "الحسكة", "Ḩasakah", "Dar‘ā", "Côte d'Ivoire", "ez-Zor", "İstanbul", "Sheikhoun", "ـحلب"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, w string) {
		if !utf8.ValidString(w) {
			return
		}
		if got, want := TokenKeys(w), refTokenKeys(w); !slices.Equal(got, want) {
			t.Fatalf("TokenKeys(%q) = %q, reference %q", w, got, want)
		}
	})
}
