package geotag

import (
	"bufio"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
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

// The reference implementation of the general path, as first written:
// faster versions must give the same keys for every input.
func refTokenKeys(word string) []string {
	var out []string
	for _, w := range refSplitWords(word) {
		if k := refTokenKey(w); k != "" {
			out = append(out, k)
		}
	}
	return out
}
func refSplitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || isApostrophe(r))
	})
}
func refTokenKey(w string) string {
	buf := make([]rune, 0, len(w))
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		w = norm.NFD.String(w)
	}
	var prev rune
	for _, r := range w {
		if isApostrophe(r) || unicode.Is(unicode.Mn, r) || r == 'ـ' { // tatweel
			continue
		}
		r = foldRune(r)
		if r == prev && unicode.IsLetter(r) {
			continue
		}
		buf = append(buf, r)
		prev = r
	}
	if len(buf) == 0 {
		return ""
	}
	// Arabic-script article prefix.
	if len(buf) > 4 && buf[0] == 'ا' && buf[1] == 'ل' {
		buf = buf[2:]
	}
	s := string(buf)
	if v, ok := wordForms[s]; ok {
		return v
	}
	if strings.Contains(s, "ou") { // French-style transliteration: Douma, Younis, Shaykhoun
		s = strings.ReplaceAll(s, "ou", "u")
	}
	if n := utf8.RuneCountInString(s); n >= 5 {
		switch {
		case strings.HasSuffix(s, "iyah"), strings.HasSuffix(s, "iyeh"):
			s = s[:len(s)-4] + "iya"
		case strings.HasSuffix(s, "ieh"):
			s = s[:len(s)-3] + "iya"
		case strings.HasSuffix(s, "ah"), strings.HasSuffix(s, "eh"):
			s = s[:len(s)-2] + "a"
		}
	}
	for _, p := range [...]string{"sheikh", "shaikh", "sheik", "cheikh"} {
		if strings.HasPrefix(s, p) {
			s = "shaykh" + s[len(p):]
			break
		}
	}
	if v, ok := wordForms[s]; ok {
		return v
	}
	return s
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
