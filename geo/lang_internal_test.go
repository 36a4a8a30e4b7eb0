package geo

import (
	"strings"
	"testing"
)

func TestLanguageTablesLoad(t *testing.T) {
	ls, err := loadLanguages()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, l := range ls {
		codes[l.code] = true
		if len(l.stop) == 0 {
			t.Errorf("%s: no stop words", l.code)
		}
	}
	for _, c := range []string{"ar", "uk", "ru"} {
		if !codes[c] {
			t.Errorf("no table for %s", c)
		}
	}
}

func TestParseLanguageErrors(t *testing.T) {
	for _, txt := range []string{
		"script Cyrillic",                     // no lang
		"lang xx",                             // no script
		"lang xx\nscript Klingon",             // unknown script
		"lang xx\nscript Latin\nfrobnicate a", // unknown directive
		"lang xx\nscript Latin\nsuffix а",     // suffix without a dictionary ending
		"lang xx\nscript Latin\nsuffix - а",   // an empty ending
		"lang xx\nscript Latin\nname x Foo",   // id not a number
		"lang xx\nscript Latin\nafter adm9 x", // unknown class
		"lang xx\nscript Latin\nbefore city",  // no words
		"lang xx\nscript Latin\ndemonym 12",   // no names
	} {
		if _, err := parseLanguage(txt); err == nil {
			t.Errorf("parseLanguage(%q): no error", txt)
		}
	}
}

func TestLemmas(t *testing.T) {
	l, err := parseLanguage("lang xx\nscript Cyrillic\nsuffix а -\nsuffix ова ів\nsuffix ю ь я")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(l.lemmas(nil, fragKey("Харкова")), ",")
	if got != fragKey("Харків")+","+fragKey("Харков") {
		t.Errorf("lemmas of Харкова: %s", got)
	}
	// A letter doubled across the seam is written once, as keys write it.
	if got := strings.Join(l.lemmas(nil, fragKey("Запоріжжю")), ","); !strings.Contains(got, fragKey("Запоріжжя")) {
		t.Errorf("lemmas of Запоріжжю: %s", got)
	}
	// A stem of one letter is no stem.
	if got := l.lemmas(nil, fragKey("Ва")); len(got) != 0 {
		t.Errorf("lemmas of Ва: %v", got)
	}
}

func TestMayHaveLanguage(t *testing.T) {
	for text, want := range map[string]bool{"Aleppo, Syria": false, "Ḩalab café": false, "Київ": true, "حلب": true} {
		if got := mayHaveLanguage(text); got != want {
			t.Errorf("mayHaveLanguage(%q) = %v", text, got)
		}
	}
}
