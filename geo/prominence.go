package geo

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/geotag/geotag"
	"golang.org/x/text/unicode/norm"
)

// Weights of how a name matches its candidates and of their prominence.
const (
	// wSteal: a candidate that bears the text's name only as an alternate
	// name, or only after spelling folds, while another candidate bears it
	// as its own name ("Manchester" is not Richmond, "Samarra" not Samara).
	wSteal = 3.0
	// famousMargin: an alternate name still wins when its place is this
	// much more important (0..1) than every place that bears the name as
	// its own: "Palmyra" is Tadmur, not Palmyra, Missouri.
	famousMargin = 0.1
	// wImportance: per unit of the gazetteer's importance (population,
	// feature type and the number of names and scripts a place has).
	wImportance = 0.3
)

// importancer is implemented by gazetteers that rank places by how widely
// they are written about (gazetteer.Gazetteer does): 0..1 per place id.
type importancer interface {
	Importance(id int64) float64
}

// importance returns the gazetteer's importance of p, or 0 when the
// gazetteer has none.
func (t *Tagger) importance(p geotag.Place) float64 {
	if im, ok := t.g.(importancer); ok {
		return im.Importance(p.ID)
	}
	return 0
}

// Name match classes of a candidate.
const (
	matchExact = iota // the text spells the candidate's own name (case, marks and articles aside)
	matchFold         // the candidate's own name folds to the text's key ("Samara" for "Samarra")
	matchAlt          // only an alternate name matches ("Manchester" for Richmond)
)

// matchClass says how the text surface names p, whose key is key.
func matchClass(surface, key string, p geotag.Place) int {
	if looseSame(surface, p.Name) {
		return matchExact
	}
	if geotag.NameKey(p.Name) == key {
		return matchFold
	}
	return matchAlt
}

// nameMatch scores, for each candidate of a group, how its name matches
// the text and how prominent it is: a small place named only by a variant
// loses wExact ("Iran" is not Iraan); when some candidate bears the name
// as its own, the others lose wSteal, unless they are countries, first-level
// divisions or capitals, or an alternate name of a place far more
// important than every bearer ("Palmyra"). It adds the candidates'
// importance, so famous places beat small namesakes when nothing in the
// text points elsewhere.
func (t *Tagger) nameMatch(g *group) {
	exact := make([]bool, len(g.places))
	imp := make([]float64, len(g.places))
	bestExact := -1.0
	for c, p := range g.places {
		imp[c] = t.importance(p)
		if exact[c] = looseSame(g.surface, p.Name); exact[c] {
			bestExact = math.Max(bestExact, imp[c])
		}
	}
	for c, p := range g.places {
		g.score[c] += wImportance * imp[c]
		if exact[c] {
			continue
		}
		famous := bestExact >= 0 && imp[c] >= bestExact+famousMargin
		if bestExact >= 0 && !isMajor(p) && p.Feature != "P.PPLC" {
			if !famous || matchClass(g.surface, g.key, p) == matchFold {
				g.score[c] -= wSteal
			}
		}
		if !famous && p.Population < 100000 && !isMajor(p) {
			g.score[c] -= wExact // a small place named only by a variant: "Iran" is not Iraan
		}
	}
}

// looseSame reports whether a text spells a place's name, ignoring case,
// diacritics, apostrophes and transliteration marks (ʿ ʾ ‘ ’ ') anywhere,
// punctuation and spaces, and a leading Arabic article on either side:
// "Samarra" is "Sāmarrā’", "al-Bayda" is "Al Bayḑā’", "Kobani" is not
// "Kobane".
func looseSame(text, name string) bool {
	if sameName(text, name) {
		return true
	}
	a, b := looseForm(text), looseForm(name)
	return a == b || stripArticle(a) == stripArticle(b)
}

// looseForm lowercases s and keeps its letters and digits without marks,
// words separated by single spaces.
func looseForm(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r) || isMark(r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = false
			sb.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return sb.String()
}

func isMark(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʿ', 'ʾ', 'ʻ', 'ʼ', '`', '´':
		return true
	}
	return false
}

// stripArticle drops a leading Arabic article word ("al bayda" → "bayda")
// and joins the words.
func stripArticle(s string) string {
	if i := strings.IndexByte(s, ' '); i > 0 && geotag.IsArticle(s[:i]) {
		s = s[i+1:]
	}
	if !strings.Contains(s, " ") {
		return s
	}
	return strings.ReplaceAll(s, " ", "")
}

// runeLen is the length of a token's text in code points.
func runeLen(text string, tk *token) int { return utf8.RuneCountInString(text[tk.bstart:tk.bend]) }

// obscureVariant reports whether a one-word name stands only for hamlets
// (no population, no administrative rank) that bear it as an alternate
// name or another spelling, not as their own: such a word needs a locative
// cue or a container to be a place ("Galileo", "Annika").
func obscureVariant(surface string, places []geotag.Place) bool {
	for n, p := range places {
		if n == 8 {
			break
		}
		if p.Population > 0 || p.FeatureClass() != "P" || p.FeatureCode() != "PPL" || looseSame(surface, p.Name) {
			return false
		}
	}
	return len(places) > 0
}
