package server

import (
	"net/http"
	"strings"
	"testing"
)

// langTagger is the fake tagger that also says a text's language.
type langTagger struct{ fakeTagger }

func (langTagger) Language(text string) string {
	if strings.ContainsRune(text, 'і') {
		return "uk"
	}
	return "en"
}

func TestTagReportsLanguage(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Tagger = &langTagger{} })
	w := e.do(t, "POST", "/api/v1/tag", `{"text":"Обстріл Харкова і Aleppo"}`)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	res := decode[tagResponse](t, w)
	if res.Lang != "uk" {
		t.Errorf("lang %q, want uk", res.Lang)
	}
	if len(res.Mentions) != 1 || res.Mentions[0].Text != "Aleppo" {
		t.Errorf("mentions %+v", res.Mentions)
	}
	// A tagger that does not say leaves the field out.
	w = newEnv(t).do(t, "POST", "/api/v1/tag", `{"text":"Aleppo"}`)
	if strings.Contains(w.Body.String(), `"lang"`) {
		t.Errorf("lang from a tagger without languages: %s", w.Body)
	}
}
