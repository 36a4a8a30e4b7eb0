package geotag

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NameKey returns the normalised form of a place name under which the
// gazetteer indexes it and the geotagger looks it up. The same function on
// both sides is what lets spelling variants meet:
//
//   - case folded, diacritics and marks stripped (Ḩ → h, é → e);
//   - apostrophes and ayn/hamza signs (' ’ ‘ ʿ ʾ) dropped; hyphens,
//     dots and other punctuation act as spaces;
//   - Arabic articles (al-, el-, as-, ash-, ar-, ad-, az-, ez-…) dropped
//     before another word, and the Arabic-script article ال likewise;
//   - doubled letters single (Raqqa → raqa, Tall → tal);
//   - transliterated endings folded: -iyah, -iyeh, -ieh, -iyya → -iya;
//     -ah, -eh → -a on words of five or more letters;
//   - French-style "ou" read as "u" (Douma → duma, Younis → yunis);
//   - the common words of Arabic and Hebrew place names spelled one way:
//     Dayr → deir, Tell → tal, Ayn/Ein → ain, Kfar → kafr, Jebel → jabal,
//     Beni → bani, Bayt → beit, Sheikh/Shaikh → shaykh.
//
// So "al-Hasakah", "Hasakah", "Al Ḩasakah" and "Hasakeh" all give "hasaka".
// NameKey(a+" "+b) equals JoinKeys of the TokenKeys of a and b, so a
// tagger can normalise a text word by word.
func NameKey(s string) string {
	var toks []string
	for _, w := range splitWords(s) {
		toks = append(toks, TokenKeys(w)...)
	}
	return JoinKeys(toks)
}

// TokenKeys returns the normalised keys of one word of text: usually one,
// more when the word holds hyphens or other inner punctuation ("ez-Zor" →
// "ez", "zor"), none when it has no letters or digits.
func TokenKeys(word string) []string {
	if out, ok := asciiTokenKeys(word); ok {
		return out
	}
	return tokenKeysSlow(word)
}

// tokenKeysSlow is TokenKeys for any text.
func tokenKeysSlow(word string) []string {
	var out []string
	start := -1
	for i, r := range word {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if k := tokenKey(word[start:i]); k != "" {
				out = append(out, k)
			}
			start = -1
		}
	}
	if start >= 0 {
		if k := tokenKey(word[start:]); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// isWordRune reports whether r belongs to a word: a letter, a digit, a
// mark or an apostrophe-like sign.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || IsApostrophe(r)
}

// JoinKeys joins token keys into a name key, dropping articles that stand
// before another token.
func JoinKeys(toks []string) string {
	var b strings.Builder
	for i, t := range toks {
		if i < len(toks)-1 && IsArticle(t) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	return b.String()
}

// IsArticle reports whether a token key is a transliterated Arabic article
// (or the Hebrew ha-), which NameKey treats as optional.
func IsArticle(tok string) bool {
	switch tok {
	case "al", "el", "il", "ul", "as", "es", "ash", "esh", "ar", "er", "ad", "ed", "adh", "az", "ez",
		"at", "et", "ath", "an", "en", "ats", "ha", "ال":
		return true
	}
	return false
}

// splitWords splits s on everything that is neither a letter, a digit, a
// mark nor an apostrophe-like sign.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
}

// IsApostrophe reports whether r is one of the signs written for an
// apostrophe or an ayn/hamza in transliterations (' ’ ‘ ʿ ʾ ʻ ʼ ` ´): the
// one list of them, for every package that reads words.
func IsApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʿ', 'ʾ', 'ʻ', 'ʼ', '`', '´':
		return true
	}
	return false
}

// tokenKey normalises one word with no inner separators.
func tokenKey(w string) string {
	var arr [48]rune
	buf := arr[:0]
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
		if IsApostrophe(r) || unicode.Is(unicode.Mn, r) || r == 'ـ' { // tatweel
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

// wordForms folds the spellings of the common words of Arabic and Hebrew
// place names onto one: Deir/Dayr, Tal/Tell, Ain/Ayn/Ein, Kafr/Kfar,
// Jabal/Jebel, Bani/Beni, Beit/Bayt. Keys are after double-letter folding.
var wordForms = map[string]string{
	"dayr": "deir", "dair": "deir", "deyr": "deir",
	"tel": "tal",
	"ayn": "ain", "ein": "ain", "ayin": "ain",
	"kfar": "kafr", "kafar": "kafr", "kefar": "kafr", "kfr": "kafr",
	"jebel": "jabal", "djebel": "jabal", "jabel": "jabal", "jebal": "jabal",
	"beni": "bani", "bni": "bani",
	"bayt": "beit", "bait": "beit",
	"khirbat": "khirbet", "khirbit": "khirbet", "kherbet": "khirbet",
}

// foldRune lowercases r and folds letters that NFD does not decompose.
func foldRune(r rune) rune {
	switch r {
	case 'ı', 'İ':
		return 'i'
	case 'ł', 'Ł':
		return 'l'
	case 'ø', 'Ø':
		return 'o'
	case 'đ', 'Đ', 'ð', 'Ð':
		return 'd'
	case 'ß':
		return 's'
	case 'æ', 'Æ':
		return 'e'
	case 'þ', 'Þ':
		return 't'
	case 'أ', 'إ', 'آ', 'ٱ':
		return 'ا'
	case 'ة':
		return 'ه'
	case 'ى':
		return 'ي'
	}
	return unicode.ToLower(r)
}

// asciiTokenKeys is TokenKeys for a short ASCII word, the common case of
// English text, without the rune buffers and Unicode tables: the same
// steps as tokenKey on bytes. ok is false when the word is not ASCII or
// too long for the stack buffer.
func asciiTokenKeys(word string) (out []string, ok bool) {
	if len(word) > 64 {
		return nil, false
	}
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			return nil, false
		}
	}
	var buf [72]byte
	for i := 0; i < len(word); {
		// One run of letters, digits and apostrophes.
		for i < len(word) && !isASCIIWordByte(word[i]) {
			i++
		}
		start := i
		for i < len(word) && isASCIIWordByte(word[i]) {
			i++
		}
		if start == i {
			break
		}
		b := buf[:0]
		var prev byte
		for _, c := range []byte(word[start:i]) {
			if c == '\'' || c == '`' {
				continue
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c == prev && 'a' <= c && c <= 'z' {
				continue
			}
			b = append(b, c)
			prev = c
		}
		if len(b) == 0 {
			continue
		}
		out = append(out, asciiKey(b))
	}
	return out, true
}

func isASCIIWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '\'' || c == '`'
}

// asciiKey applies tokenKey's spelling rules to a folded ASCII word.
func asciiKey(b []byte) string {
	if v, ok := wordForms[string(b)]; ok {
		return v
	}
	// ou → u
	n := 0
	for i := 0; i < len(b); i++ {
		if b[i] == 'o' && i+1 < len(b) && b[i+1] == 'u' {
			continue
		}
		b[n] = b[i]
		n++
	}
	b = b[:n]
	if len(b) >= 5 {
		switch {
		case hasSuffix(b, "iyah"), hasSuffix(b, "iyeh"):
			b = append(b[:len(b)-4], "iya"...)
		case hasSuffix(b, "ieh"):
			b = append(b[:len(b)-3], "iya"...)
		case hasSuffix(b, "ah"), hasSuffix(b, "eh"):
			b = append(b[:len(b)-2], 'a')
		}
	}
	for _, p := range [...]string{"sheikh", "shaikh", "sheik", "cheikh"} {
		if len(b) >= len(p) && string(b[:len(p)]) == p {
			rest := string(b[len(p):])
			b = append(append(b[:0], "shaykh"...), rest...)
			break
		}
	}
	if v, ok := wordForms[string(b)]; ok {
		return v
	}
	return string(b)
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}
