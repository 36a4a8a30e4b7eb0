package geotag

// Languager is implemented by a Tagger that applies rules per language. It
// is optional: callers report a text's language only when their tagger
// says it.
type Languager interface {
	// Language returns the code of the rules the tagger applies to most of
	// text ("en", "ar", "uk", "ru"…); it never fails, and returns the
	// tagger's default language for text with no letters.
	Language(text string) string
}

// TextLanguage returns t's language for text, or "" when t does not say.
func TextLanguage(t Tagger, text string) string {
	if l, ok := t.(Languager); ok {
		return l.Language(text)
	}
	return ""
}
