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
	// wFold: a candidate whose own name is another spelling of the text's
	// name ("Samara" for "Samarra") when some candidate bears the name as
	// spelled: an exact name always wins over a near one.
	wFold = 10.0
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
	if looseSameDivision(surface, p) {
		return matchExact
	}
	a, _ := nextLoose(surface, afterArticle(surface))
	b, _ := nextLoose(p.Name, afterArticle(p.Name))
	if a != b {
		return matchAlt // another first letter: no spelling of the same name (and no allocation)
	}
	if k := geotag.NameKey(p.Name); k == key || strings.HasPrefix(k, key+" ") && isDivisionWord(k[len(key)+1:]) {
		return matchFold // "Samara" and "Samara Oblast" for "Samarra"
	}
	return matchAlt
}

// looseSameDivision is looseSame, where a division's name may also carry
// the word of its kind: "Idlib" spells "Idlib Governorate".
func looseSameDivision(surface string, p geotag.Place) bool {
	if looseSame(surface, p.Name) {
		return true
	}
	if p.FeatureClass() == "S" {
		return looseWordPrefix(surface, p.Name) // "Bab al-Hawa" spells "Bab al-Hawa Border Crossing"
	}
	if p.FeatureClass() != "A" {
		return false
	}
	i := strings.LastIndexByte(p.Name, ' ')
	if i <= 0 {
		return false
	}
	for _, w := range divisionWords {
		if looseEqual(p.Name[i+1:], w) {
			return looseSame(surface, p.Name[:i])
		}
	}
	return false
}

// looseWordPrefix reports whether name starts with the letters of text
// (compared as looseEqual does) and a new word follows them.
func looseWordPrefix(text, name string) bool {
	i, j := 0, 0
	for {
		ra, ni := nextLoose(text, i)
		if ra < 0 {
			return j > 0 && j < len(name) && (name[j] == ' ' || name[j] == '-')
		}
		rb, nj := nextLoose(name, j)
		if ra != rb {
			return false
		}
		i, j = ni, nj
	}
}

// divisionWords name a division's kind after its name.
var divisionWords = [...]string{"oblast", "governorate", "province", "region", "state", "district", "county", "raion", "rayon",
	"prefecture", "kray", "krai"}

// isDivisionWord reports whether a key is a word that names a division's
// kind after its name: "oblast", "governorate", "province"…
func isDivisionWord(k string) bool {
	for _, w := range divisionWords {
		if k == w {
			return true
		}
	}
	return false
}

// nameMatch scores, for each candidate of a group, how its name matches
// the text and how prominent it is: a small place named only by a variant
// loses wExact ("Iran" is not Iraan); when some candidate bears the name
// as its own, the others lose wSteal: all that bear it only in another
// spelling, and those that bear it as an alternate name unless they are
// countries, first-level divisions or capitals, or far more important than
// every bearer ("Palmyra"). It adds the candidates'
// importance, so famous places beat small namesakes when nothing in the
// text points elsewhere.
func (t *Tagger) nameMatch(g *group) {
	var exactA [maxCandidates]bool
	var impA [maxCandidates]float64
	exact, imp := exactA[:len(g.places)], impA[:len(g.places)]
	bestExact := -1.0
	for c, p := range g.places {
		imp[c] = t.importance(p)
		if exact[c] = looseSameDivision(g.surface, p); exact[c] && !bareHamlet(p) {
			bestExact = math.Max(bestExact, imp[c])
		}
	}
	for c, p := range g.places {
		g.score[c] += wImportance * imp[c]
		if exact[c] {
			continue
		}
		famous := bestExact >= 0 && imp[c] >= bestExact+famousMargin
		if bestExact >= 0 {
			// Another spelling is another name, whatever the place
			// ("Samarra" is neither Samara nor Samara Oblast); an
			// alternate name stays with countries, divisions, capitals and
			// places far more famous than its bearers ("Kiev", "Palmyra").
			switch keeps := famous || isMajor(p) || p.Feature == "P.PPLC"; {
			case !keeps:
				g.score[c] -= wSteal // small enough that the spelling need not be told apart
			case g.division && (isADM1(p) || isLowerDivision(p)):
				// "the Odesa region" is the Odessa oblast: the cue word
				// tells the division from the city, not the spelling
			case matchClass(g.surface, g.key, p) == matchFold:
				g.score[c] -= wFold
			}
		}
		if !famous && p.Population < 100000 && !isMajor(p) {
			g.score[c] -= wExact // a small place named only by a variant: "Iran" is not Iraan
		}
	}
}

// bareHamlet reports whether p is a populated place with no population on
// record and no administrative rank: its own name does not take the name
// from the other candidates that bear it in another spelling (a nameless
// hamlet spelled "Barawe" does not outrank the Somali town Baraawe).
func bareHamlet(p geotag.Place) bool {
	return p.Feature == "P.PPL" && p.Population == 0
}

// looseSame reports whether a text spells a place's name, ignoring case,
// diacritics, apostrophes and transliteration marks (ʿ ʾ ‘ ’ ') anywhere,
// punctuation and spaces, and a leading Arabic article on either side:
// "Samarra" is "Sāmarrā’", "al-Bayda" is "Al Bayḑā’", "Kobani" is not
// "Kobane". It does not allocate.
func looseSame(text, name string) bool {
	if sameName(text, name) {
		return true
	}
	ta, na := afterArticle(text), afterArticle(name)
	return looseEqual(text, name) || ta > 0 && looseEqual(text[ta:], name) ||
		na > 0 && looseEqual(text, name[na:]) || ta > 0 && na > 0 && looseEqual(text[ta:], name[na:])
}

// looseEqual compares the letters and digits of a and b, folded.
func looseEqual(a, b string) bool {
	i, j := 0, 0
	for {
		ra, ni := nextLoose(a, i)
		rb, nj := nextLoose(b, j)
		if ra != rb {
			return false
		}
		if ra < 0 {
			return true
		}
		i, j = ni, nj
	}
}

// nextLoose returns the next letter or digit of s from byte i, lowercased
// and without its diacritics, and the byte after it; -1 at the end.
func nextLoose(s string, i int) (rune, int) {
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				return rune(c), i
			case 'A' <= c && c <= 'Z':
				return rune(c | 0x20), i
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if d := norm.NFD.PropertiesString(s[i:]).Decomposition(); len(d) > 0 {
			r, _ = utf8.DecodeRune(d) // the base letter of "ā", "Ḩ"
		}
		i += n
		if unicode.Is(unicode.Mn, r) || geotag.IsApostrophe(r) || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		return unicode.ToLower(r), i
	}
	return -1, i
}

// afterArticle returns the byte offset after a leading Arabic article word
// and its separator ("al-", "Al ", "el-"), or 0.
func afterArticle(s string) int {
	k := 0
	for k < len(s) && k < 4 && (s[k]|0x20 >= 'a' && s[k]|0x20 <= 'z') {
		k++
	}
	if k < 2 || k == len(s) || s[k] != ' ' && s[k] != '-' {
		return 0
	}
	var low [4]byte
	for n := 0; n < k; n++ {
		low[n] = s[n] | 0x20
	}
	if !geotag.IsArticle(string(low[:k])) {
		return 0
	}
	return k + 1
}

// runeLen is the length of a token's text in code points.
func runeLen(text string, tk *token) int {
	return utf8.RuneCountInString(text[tk.byteStart:tk.byteEnd])
}

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

// wEcho: per other record of the same name within echoKm in the same
// country (a town and its division, or two sources' records of one place),
// up to two: a place that several sources record under the name is the one
// the name is known for ("Gaza": the city, the Strip and its district).
const (
	wEcho  = 0.4
	echoKm = 50.0
)

// echoBonus adds wEcho to each candidate for every other candidate of its
// country near it that scores no more than 3 below it.
func echoBonus(g *group) {
	if len(g.places) < 2 {
		return
	}
	var add [maxCandidates]float64
	for c := range g.places {
		p, n := &g.places[c], 0
		for d := range g.places {
			q := &g.places[d]
			// |Δlat| over echoKm/111 degrees is over echoKm whatever the
			// longitudes (fastKm is at least 111.19 km a degree of it).
			if d != c && g.score[d] >= g.score[c]-3 && math.Abs(p.Lat-q.Lat) <= echoKm/111 && q.Country == p.Country && p.Country != "" && fastKm(p.Lat, p.Lon, q.Lat, q.Lon) < echoKm {
				if n++; n == 2 {
					break // two count at most
				}
			}
		}
		add[c] = wEcho * float64(min(n, 2))
	}
	for c := range g.places {
		g.score[c] += add[c]
	}
}
