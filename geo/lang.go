package geo

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

// The languages other than English are tables read by one engine
// (langrec.go): geo/lang/CODE.txt, whose directives uk.txt describes.
// Adding a language is adding a file.
//
//go:embed lang/*.txt
var langFiles embed.FS

// Cue classes of trigger words.
const (
	cueNone     uint8 = iota
	cueADM1           // "Донецька область", "محافظة حلب", "ريف حماة"
	cueADM2           // "Покровський район"
	cueADM3           // "громада"
	cueCity           // "місто Ізюм", "مدينة إدلب"
	cueDistrict       // "حي الفردوس"
)

var cueNames = map[string]uint8{"adm1": cueADM1, "adm2": cueADM2, "adm3": cueADM3, "city": cueCity, "district": cueDistrict}

// cueMatches reports whether a candidate is of the kind a cue class names.
func cueMatches(cue uint8, p geotag.Place) bool {
	switch cue {
	case cueADM1:
		return isADM1(p)
	case cueADM2:
		return p.Feature == "A.ADM2" || p.Feature == "A.ADM3"
	case cueADM3:
		return p.Feature == "A.ADM3" || p.Feature == "A.ADM4" || p.FeatureClass() == "P"
	case cueCity:
		return p.FeatureClass() == "P" && p.Feature != "P.PPLX"
	case cueDistrict:
		return p.Feature == "P.PPLX" || p.Feature == "A.ADM3" || p.Feature == "A.ADM4" || p.Feature == "A.ADMD"
	}
	return false
}

// suffixRule maps an inflected ending to the dictionary endings it may
// stand for, both keyed.
type suffixRule struct {
	from      string
	fromRunes int
	to        []string
}

// trigger is a word that marks the name next to it as a kind of place.
type trigger struct {
	cue   uint8
	canon string // after-triggers: the key the gazetteer names the unit with ("область")
}

// language is one language's rules, read from its table.
type language struct {
	code      string
	script    *unicode.RangeTable
	isDefault bool
	caseless  bool
	marks     []rune
	markWords wordSet
	prefixes  []string // surface forms, shortest first
	article   string
	suffixes  []suffixRule          // longest ending first
	byLast    map[rune][]suffixRule // the same, by the last letter of the ending
	after     map[string]trigger
	before    map[string]trigger
	common    wordSet
	stop      wordSet
	locative  wordSet            // words before a place: "في", "під"
	given     wordSet            // given names: "Володимир Зеленський" is a person
	titles    wordSet            // words before a person's name: "міністр", "генсек"
	orgStart  wordSet            // words that open an organisation's name: "هيئة تحرير الشام"
	and       wordSet            // conjunctions joining a list: "та", "і", "и"
	home      map[string]bool    // countries whose towns a caseless word may name without a cue
	names     map[string][]int64 // key → ids of the gazetteer places it names
	demonyms  map[string]int64   // key → id of the country
	demStart  wordSet            // the first two letters of every demonym key: a cheap filter
}

// languages is every table, parsed once per process.
var languages = sync.OnceValue(func() []*language {
	ls, err := loadLanguages()
	if err != nil {
		panic(err) // the tables are embedded: a test catches this
	}
	return ls
})

func loadLanguages() ([]*language, error) {
	ents, err := langFiles.ReadDir("lang")
	if err != nil {
		return nil, err
	}
	var out []*language
	for _, e := range ents {
		b, err := langFiles.ReadFile(path.Join("lang", e.Name()))
		if err != nil {
			return nil, err
		}
		l, err := parseLanguage(string(b))
		if err != nil {
			return nil, fmt.Errorf("geo/lang/%s: %w", e.Name(), err)
		}
		out = append(out, l)
	}
	return out, nil
}

// fragKey keys a word or an ending as the tagger keys text, without
// splitting it.
func fragKey(s string) string { return strings.Join(geotag.TokenKeys(s), "") }

// parseLanguage reads one table.
func parseLanguage(txt string) (*language, error) {
	l := &language{markWords: wordSet{}, after: map[string]trigger{}, before: map[string]trigger{},
		common: wordSet{}, stop: wordSet{}, locative: wordSet{}, given: wordSet{}, titles: wordSet{}, orgStart: wordSet{}, and: wordSet{}, home: map[string]bool{}, names: map[string][]int64{}, demonyms: map[string]int64{}}
	for n, line := range strings.Split(txt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		dir, rest, _ := strings.Cut(line, " ")
		f := strings.Fields(rest)
		if err := l.directive(dir, rest, f); err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
	}
	if l.code == "" || l.script == nil {
		return nil, fmt.Errorf("no lang or script directive")
	}
	sort.SliceStable(l.suffixes, func(a, b int) bool { return len(l.suffixes[a].from) > len(l.suffixes[b].from) })
	l.byLast = map[rune][]suffixRule{}
	for _, r := range l.suffixes {
		last, _ := utf8.DecodeLastRuneInString(r.from)
		l.byLast[last] = append(l.byLast[last], r)
	}
	l.demStart = wordSet{}
	for k := range l.demonyms {
		l.demStart[firstRunes(k, 2)] = struct{}{}
	}
	sort.SliceStable(l.prefixes, func(a, b int) bool { return len(l.prefixes[a]) < len(l.prefixes[b]) })
	return l, nil
}

// directive applies one line of a table.
func (l *language) directive(dir, rest string, f []string) error {
	if set := l.keySet(dir); set != nil {
		addKeys(set, f)
		return nil
	}
	switch dir {
	case "lang":
		l.code = rest
	case "script":
		l.script = unicode.Scripts[rest]
		if l.script == nil {
			return fmt.Errorf("unknown script %q", rest)
		}
	case "default":
		l.isDefault = true
	case "caseless":
		l.caseless = true
	case "mark":
		for _, w := range f {
			r, _ := utf8.DecodeRuneInString(w)
			l.marks = append(l.marks, r)
		}
	case "markword":
		for _, w := range f {
			l.markWords[strings.ToLower(w)] = struct{}{}
		}
	case "prefix":
		l.prefixes = append(l.prefixes, f...)
	case "article":
		l.article = rest
	case "suffix":
		return l.suffix(f)
	case "after", "before":
		return l.trigger(dir, f)
	case "home":
		for _, cc := range f {
			l.home[strings.ToUpper(cc)] = true
		}
	case "name", "demonym":
		return l.nameDirective(dir, rest, f)
	default:
		return fmt.Errorf("unknown directive %q", dir)
	}
	return nil
}

// keySet returns the word set a directive lists words for, or nil.
func (l *language) keySet(dir string) wordSet {
	switch dir {
	case "common":
		return l.common
	case "stop":
		return l.stop
	case "locative":
		return l.locative
	case "given":
		return l.given
	case "title":
		return l.titles
	case "orgstart":
		return l.orgStart
	case "and":
		return l.and
	}
	return nil
}

// suffix reads a "suffix" directive: an ending and the dictionary endings
// it may stand for.
func (l *language) suffix(f []string) error {
	if len(f) < 2 {
		return fmt.Errorf("suffix needs an ending and a dictionary ending")
	}
	r := suffixRule{from: dash(f[0])}
	if r.from == "" {
		return fmt.Errorf("suffix needs a non-empty ending")
	}
	r.fromRunes = utf8.RuneCountInString(r.from)
	for _, t := range f[1:] {
		r.to = append(r.to, dash(t))
	}
	l.suffixes = append(l.suffixes, r)
	return nil
}

// nameDirective reads a "name" or "demonym" directive: an id and the
// names, separated by semicolons, that stand for it.
func (l *language) nameDirective(dir, rest string, f []string) error {
	if len(f) < 2 {
		return fmt.Errorf("%s needs an id and names", dir)
	}
	id, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return err
	}
	for _, n := range strings.Split(strings.TrimSpace(strings.TrimPrefix(rest, f[0])), ";") {
		k := geotag.NameKey(n)
		if k == "" {
			continue
		}
		if dir == "name" {
			l.names[k] = append(l.names[k], id)
			continue
		}
		l.demonyms[k] = id
		if l.article != "" {
			// "اللبناني": the article's letter and the word's first fold into one.
			l.demonyms[geotag.NameKey(l.article+strings.TrimSpace(n))] = id
		}
	}
	return nil
}

func (l *language) trigger(dir string, f []string) error {
	if len(f) < 2 {
		return fmt.Errorf("%s needs a class and words", dir)
	}
	cue, ok := cueNames[f[0]]
	if !ok {
		return fmt.Errorf("unknown class %q", f[0])
	}
	if dir == "before" {
		for _, w := range f[1:] {
			l.before[fragKey(w)] = trigger{cue: cue}
		}
		return nil
	}
	words := strings.Split(strings.Join(f[1:], " "), ";")
	canon := fragKey(strings.TrimSpace(words[0]))
	for _, w := range words {
		l.after[fragKey(strings.TrimSpace(w))] = trigger{cue: cue, canon: canon}
	}
	return nil
}

// firstRunes returns the first n code points of s.
func firstRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, sz := utf8.DecodeRuneInString(s[i:])
		i += sz
	}
	return s[:i]
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return fragKey(s)
}

func addKeys(s wordSet, words []string) {
	for _, w := range words {
		if k := fragKey(w); k != "" {
			s[k] = struct{}{}
		}
	}
}

// lemmas appends to dst the dictionary forms a key may stand for by the
// language's suffix rules, most specific ending first; the key itself is
// not included.
func (l *language) lemmas(dst []string, key string) []string {
	n := utf8.RuneCountInString(key)
	last, _ := utf8.DecodeLastRuneInString(key)
	for _, r := range l.byLast[last] {
		if !strings.HasSuffix(key, r.from) || n-r.fromRunes < 2 {
			continue
		}
		stem := key[:len(key)-len(r.from)]
		for _, to := range r.to {
			dst = appendUnique(dst, joinStem(stem, to))
		}
	}
	return dst
}

// joinStem joins a stem and an ending as keys join them: a letter doubled
// across the seam is written once.
func joinStem(stem, end string) string {
	if stem == "" || end == "" {
		return stem + end
	}
	a, _ := utf8.DecodeLastRuneInString(stem)
	b, n := utf8.DecodeRuneInString(end)
	if a == b {
		end = end[n:]
	}
	return stem + end
}

func appendUnique(dst []string, s string) []string {
	for _, x := range dst {
		if x == s {
			return dst
		}
	}
	return append(dst, s)
}

// langSet is every language table with what detection needs: for each
// code point below 0x800 (where the Cyrillic and Arabic blocks lie), the
// index of its script among the tables' scripts plus one, or 0.
type langSet struct {
	langs   []*language
	scripts []*unicode.RangeTable
	low     [0x800]uint8
}

var sharedLangs = sync.OnceValue(func() *langSet {
	s := &langSet{langs: languages()}
	for _, l := range s.langs {
		found := false
		for _, t := range s.scripts {
			found = found || t == l.script
		}
		if !found {
			s.scripts = append(s.scripts, l.script)
		}
	}
	for r := rune(0x80); r < 0x800; r++ {
		for i, t := range s.scripts {
			if unicode.Is(t, r) && unicode.IsLetter(r) {
				s.low[r] = uint8(i + 1)
			}
		}
	}
	return s
})

// scriptOf returns the index of r's script among the tables' scripts, or -1.
func (s *langSet) scriptOf(r rune) int {
	if r < 0x800 {
		return int(s.low[r]) - 1
	}
	if !unicode.IsLetter(r) {
		return -1
	}
	for i, t := range s.scripts {
		if unicode.Is(t, r) {
			return i
		}
	}
	return -1
}

// detectLanguage returns the language of the text's letters: the script
// most of them are written in, and within a script the language whose
// marks (letters, then frequent words) occur most, or its default. nil
// means the Latin script or none: the English rules.
func detectLanguage(text string) *language {
	l, _ := detectLanguages(text)
	return l
}

// detectLanguages is detectLanguage that also returns the other language
// of the script when no mark told them apart ("Удар по Харкову" is
// Ukrainian or Russian), nil otherwise.
func detectLanguages(text string) (*language, *language) {
	s := sharedLangs()
	var counts [8]int
	latin := 0
	for _, r := range text {
		if r < utf8.RuneSelf {
			if 'a' <= r|0x20 && r|0x20 <= 'z' {
				latin++
			}
			continue
		}
		if i := s.scriptOf(r); i >= 0 && i < len(counts) {
			counts[i]++
		}
	}
	best := -1
	for i := range s.scripts {
		if counts[i] > latin && (best < 0 || counts[i] > counts[best]) {
			best = i
		}
	}
	if best < 0 {
		return nil, nil
	}
	return pickByMarks(s.langs, s.scripts[best], text)
}

// maxMarkWords bounds the words pickByMarks reads when letters tie.
const maxMarkWords = 400

// pickByMarks chooses among the languages of one script by their marks:
// letters first; frequent words when the letters tie.
func pickByMarks(ls []*language, script *unicode.RangeTable, text string) (*language, *language) {
	var cands []*language
	for _, l := range ls {
		if l.script == script {
			cands = append(cands, l)
		}
	}
	if len(cands) == 1 {
		return cands[0], nil
	}
	score := make([]int, len(cands))
	for _, r := range text {
		if r < utf8.RuneSelf {
			continue
		}
		if runeClass(r)&rcUpper != 0 {
			r = unicode.ToLower(r)
		}
		for i, l := range cands {
			for _, m := range l.marks {
				if m == r {
					score[i]++
				}
			}
		}
	}
	if tied(score) {
		n := 0
		for w := range strings.FieldsFuncSeq(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if n++; n > maxMarkWords {
				break
			}
			if len(w) > 24 {
				continue
			}
			k := strings.ToLower(w)
			for i, l := range cands {
				if l.markWords.has(k) {
					score[i] += 2
				}
			}
		}
	}
	best := -1
	for i, l := range cands {
		if best < 0 || score[i] > score[best] || score[i] == score[best] && l.isDefault && !cands[best].isDefault {
			best = i
		}
	}
	var alt *language
	for i, l := range cands {
		if i != best && score[i] == score[best] {
			alt = l
		}
	}
	return cands[best], alt
}

// tied reports whether the highest score is shared.
func tied(score []int) bool {
	m, n := -1, 0
	for _, x := range score {
		switch {
		case x > m:
			m, n = x, 1
		case x == m:
			n++
		}
	}
	return n > 1
}

// Language returns the code of the rules the tagger applies to text: "ar",
// "uk", "ru" for the languages of geo/lang, "en" otherwise (Latin script or
// none). A text mixing languages by paragraph is tagged paragraph by
// paragraph; this names the language of most of its letters.
func (t *Tagger) Language(text string) string {
	if l := detectLanguage(text); l != nil {
		return l.code
	}
	return "en"
}
