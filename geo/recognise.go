package geo

import (
	"context"
	"unicode/utf8"
	"unsafe"

	"github.com/geotag/geotag"
)

// nameSpan is a recognised name: tokens [from, to) of the text.
type nameSpan struct {
	from, to   int
	key        string
	kind       string
	places     []geotag.Place // candidates for a place name, most important first
	alias      geotag.Place   // the country or division of a demonym or abbreviation
	likelihood float64        // probability that the span is a place mention at all
	takesStop  bool           // the span takes the full stop after its last token ("Calif.")
	keyScratch []byte         // the key, in scratch memory, while judging
	unresolved int            // > 0: a place the gazetteer lacks, with this precision
	skip       int            // code points of a clitic prefix before the name, outside the mention
	cue        uint8          // a trigger word of the language's rules says the kind (cue* constants)
	prefer     int64          // the language's tables name this place
	inNext     bool           // the language's rules say the next span contains this one ("طرابلس شمالي لبنان")
}

// isCountry reports whether p is a country or a dependent territory.
func isCountry(p geotag.Place) bool {
	if p.FeatureClass() != "A" {
		return false
	}
	c := p.FeatureCode()
	return len(c) >= 3 && c[:3] == "PCL" || c == "TERR"
}

func isADM1(p geotag.Place) bool { return p.Feature == "A.ADM1" }

// isMajor reports whether p is a country, a first-level division, a
// continent or a macro-region: names that stand as places on their own.
func isMajor(p geotag.Place) bool {
	return isCountry(p) || isADM1(p) || p.Feature == "L.CONT" || p.Feature == "L.RGN"
}

// recognise finds the name spans of the text, longest match first, left to
// right.
func (t *Tagger) recognise(ctx context.Context, st *state, text string, toks []token) ([]nameSpan, error) {
	st.spans = st.spans[:0]
	cues := t.textCues(text, toks)
	for i, steps := 0, 0; i < len(toks); steps++ {
		if st.maxSpans > 0 && len(st.spans) >= st.maxSpans {
			break // TagOptions.MaxMentions: the spans after are never kept
		}
		t.step(1)
		if steps&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		tk := &toks[i]
		if tk.key == "" || tk.digit || (!tk.cap && !t.articleStart(toks, i)) || tk.key == t.lex.kThe {
			i++
			continue
		}
		if j := t.streetAt(toks, i); j > 0 {
			// A street or road: a place the gazetteer cannot resolve, at site precision.
			st.spans = append(st.spans, nameSpan{from: i, to: j, kind: geotag.KindPlace, likelihood: 0.6, unresolved: 1})
			i = j
			continue
		}
		next, matched := t.longestName(st, cues, text, toks, i)
		if !matched && tk.caseless {
			if sp, ok := t.cliticPlace(toks, i); ok {
				st.spans = append(st.spans, sp)
			}
		} else if !matched {
			if j, prec := t.unknownPlace(toks, i); j > 0 {
				st.spans = append(st.spans, nameSpan{from: i, to: j, kind: geotag.KindPlace, likelihood: 0.6, unresolved: prec})
				next = j
			}
		}
		i = next
	}
	st.spans = t.divisionLists(st, st.spans, toks)
	st.spans = t.spacedAbbrevs(st, st.spans, toks)
	st.candidate, st.judged = nameSpan{}, spanCase{} // the pool keeps no text
	return st.spans, nil
}

// longestName judges the spans the gazetteer knows that start at token i,
// longest first, until one has a verdict other than vShorter; an accepted
// one joins st.spans. It returns the token to go on from and whether a
// span had that verdict.
func (t *Tagger) longestName(st *state, cues *textCues, text string, toks []token, i int) (int, bool) {
	lastEnd := 0
	if n := len(st.spans); n > 0 {
		lastEnd = st.spans[n-1].to
	}
	for j := t.viableEnd(st, toks, i, min(len(toks), i+t.maxTok+2)); j > i; j-- {
		if !t.spanShape(toks, i, j) {
			continue
		}
		st.spanKey = joinKeys(st.spanKey[:0], toks[i:j])
		if n := countKeyTokens(st.spanKey); n == 0 || n > t.maxTok {
			continue
		}
		places := t.lookup(st.spanKey)
		alias, akind, aok := t.alias(st.spanKey)
		if len(places) == 0 && !aok {
			continue
		}
		sp, c := &st.candidate, &st.judged // in the state: no allocation per span judged
		*sp = nameSpan{from: i, to: j, places: places, alias: alias, keyScratch: st.spanKey}
		*c = spanCase{text: text, toks: toks, sp: sp, cues: cues, isAlias: aok, aliasKind: akind, lastEnd: lastEnd}
		switch t.judge(c) {
		case vShorter:
			continue
		case vAccept:
			sp.key = string(st.spanKey)
			sp.keyScratch = nil
			st.spans = append(st.spans, *sp)
			if sp.kind == geotag.KindPlace {
				cues.accepted[sp.key] = true
			}
		case vSkip:
			if j == i+1 {
				// A rejected one-word name stays rejected, but the word after may start one.
				return i + 1, true
			}
		}
		return j, true
	}
	return i + 1, false
}

// viableEnd returns the end of the longest span from token i to maxJ
// that the gazetteer may know: a span's key is the key words of its tokens
// before the last (articles left out, as joinKeys does) and the last
// token's key, so a span is worth looking up only when those first words
// start a longer key. Spans that continue words that start no key are not
// looked up: a run of capitalised words costs one lookup a word, not one a
// span.
func (t *Tagger) viableEnd(st *state, toks []token, i, maxJ int) int {
	st.prefix = st.prefix[:0]
	end := i + 1
	for j := i + 2; j <= maxJ; j++ {
		k := toks[j-2].key
		if k == "" {
			break // spanShape takes no span with a word without a key inside
		}
		if !geotag.IsArticle(k) {
			if len(st.prefix) > 0 {
				st.prefix = append(st.prefix, ' ')
			}
			st.prefix = append(st.prefix, k...)
			if !t.g.IsKeyPrefix(unsafe.String(unsafe.SliceData(st.prefix), len(st.prefix))) {
				break
			}
		}
		end = j
	}
	return end
}

// streetAt recognises a street or road starting at token i: one to three
// capitalised words and a street word ("Main Street", "Wichita Drive",
// "Divinity Road", "Grand Avenue"), or a numbered road ("Highway 19",
// "Route 66", "Interstate 45"). It returns the end of the span, or 0.
func (t *Tagger) streetAt(toks []token, i int) int {
	tk := &toks[i]
	lex := t.lex
	if !tk.cap || tk.caseless || tk.upper && len(tk.key) > 3 || tk.key == lex.kThe || tk.flags&(fStop|fCalendar|fTitles) != 0 {
		return 0
	}
	if lex.roadNum.has(tk.key) {
		if i+1 < len(toks) && toks[i+1].gap == gapSpace && toks[i+1].digit {
			return i + 2
		}
		return 0
	}
	for j := i + 1; j <= min(len(toks)-1, i+3); j++ {
		w := &toks[j]
		if w.gap != gapSpace && !(w.gap == gapHyphen && j < i+3) || !w.cap {
			return 0
		}
		if w.flags&fStreet != 0 && !toks[j-1].possessive {
			switch {
			case lex.streetAbbrev.has(w.key):
				if !w.dotAfter || j+1 < len(toks) && toks[j+1].cap && !toks[j+1].sentStart {
					return 0 // "St. Louis" is a saint, not a street
				}
			case lex.streetAmbig.has(w.key):
				return 0 // "Dr. Smith", "Times Place", "No Way": too ambiguous
			}
			return j + 1
		}
		if w.flags&(fStop|fCalendar|fTitles) != 0 || w.upper {
			return 0
		}
	}
	return 0
}

// cliticPlace recognises an Arabic-script name written with a one-letter
// prefix ("وإدلب", "and Idlib"; "بحلب", "in Aleppo"): the mention starts
// after the prefix. Only well-known places are taken.
func (t *Tagger) cliticPlace(toks []token, i int) (nameSpan, bool) {
	k := toks[i].key
	r, n := utf8.DecodeRuneInString(k)
	switch r {
	case 'و', 'ب', 'ل', 'ف', 'ك':
	default:
		return nameSpan{}, false
	}
	rest := k[n:]
	if utf8.RuneCountInString(rest) < 3 {
		return nameSpan{}, false
	}
	places := t.g.Lookup(rest)
	if len(places) == 0 || !prominent(places[0]) {
		return nameSpan{}, false
	}
	return nameSpan{from: i, to: i + 1, key: rest, kind: geotag.KindPlace, places: places, likelihood: 0.7, skip: 1}, true
}

// unknownPlace recognises a name the gazetteer lacks when the text marks it
// as a place with a capitalised container word: "Zzyzxabad District",
// "Neches River". It returns the end of the span (after the container word)
// and the precision the container implies, or 0.
func (t *Tagger) unknownPlace(toks []token, i int) (int, int) {
	for j := i + 1; j <= min(len(toks)-1, i+3); j++ {
		nt := &toks[j-1]
		if !nt.cap || nt.upper || nt.digit || nt.contraction || nt.possessive && j < len(toks) ||
			nt.flags&(fEnglish|fStop|fGeneric|fCalendar|fTitles|fGivenAll|fOrgAfter|fStreet) != 0 ||
			j-1 > i && nt.gap != gapSpace && nt.gap != gapHyphen {
			return 0, 0
		}
		c := &toks[j]
		if c.gap != gapSpace || !c.cap {
			continue
		}
		if p := t.lex.containerPrecision(c.key); p > 0 {
			return j + 1, p
		}
	}
	return 0, 0
}

// containerPrecision returns the precision a container word after a name
// implies, or 0 when the word is no container.
func (l *lexicon) containerPrecision(key string) int {
	switch {
	case l.container2.has(key):
		return 2
	case l.container3.has(key):
		return 3
	case l.container1.has(key):
		return 1
	}
	return 0
}

// spanShape reports whether tokens [i, j) can form one name: joined by spaces
// or hyphens only, no possessive inside, capitalised where it matters.
func (t *Tagger) spanShape(toks []token, i, j int) bool {
	t.step(j - i)
	for k := i + 1; k < j; k++ {
		if toks[k].gap == gapBreak || toks[k-1].possessive || toks[k-1].dotted && toks[k].gap != gapSpace {
			return false
		}
		if toks[k].key == "" {
			return false
		}
	}
	last := &toks[j-1]
	if !last.cap && !(j-i > 1 && (t.lex.facility.has(last.key) || hyphenPart(toks, j-1))) || last.digit {
		return false // "Mosul Dam", "the Kakhovka dam" as news writes it, "Hpa-an"
	}
	if j-i == 1 {
		return toks[i].cap
	}
	for k := i + 1; k < j-1; k++ {
		if !toks[k].cap && !(toks[k].flags&fConnect != 0) && !t.lex.facility.has(toks[k].key) && !hyphenPart(toks, k) {
			return false
		}
	}
	if !toks[i].cap && !t.articleStart(toks, i) {
		return false
	}
	return true
}

// hyphenPart reports whether token k, not capitalised, is the short
// (three letters at most) lower-case or numeric part of a word written with
// a hyphen after a capitalised one: "Hpa-an", "T-4"; not the word of
// "Pakistan-administered". The span still has to be a name the gazetteer
// knows.
func hyphenPart(toks []token, k int) bool {
	return k > 0 && toks[k].gap == gapHyphen && toks[k-1].cap && !toks[k-1].digit && len(toks[k].key) <= 3
}

// articleStart reports whether a lower-case token opens a name as an
// Arabic article does: "al-Hasakah", "el-Arish", "al Bab" (not "at Monday").
func (t *Tagger) articleStart(toks []token, i int) bool {
	if i+1 >= len(toks) || !geotag.IsArticle(toks[i].key) || !toks[i+1].cap {
		return false
	}
	switch toks[i+1].gap {
	case gapHyphen:
		return true
	case gapSpace:
		return toks[i].key == t.lex.kAl || toks[i].key == t.lex.kEl
	}
	return false
}

// joinKeys appends the name key of tokens to dst, as geotag.JoinKeys does.
func joinKeys(dst []byte, toks []token) []byte {
	for n := range toks {
		k := toks[n].key
		if n < len(toks)-1 && geotag.IsArticle(k) {
			continue
		}
		if len(dst) > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, k...)
	}
	return dst
}

func countKeyTokens(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	n := 1
	for _, c := range b {
		if c == ' ' {
			n++
		}
	}
	return n
}

// isLanguageUse reports whether the demonym at i names a language: "in
// Russian", "speaks French", "English-language", "Arabic speakers".
func (l *lexicon) isLanguageUse(toks []token, i int) bool {
	nounAfter := i+1 < len(toks) && toks[i+1].gap == gapSpace && toks[i+1].lower
	if i > 0 && toks[i].gap == gapSpace && toks[i-1].lower && !nounAfter {
		if l.langBefore.has(toks[i-1].key) {
			return true // "written in Russian.", not "in Russian airstrikes"
		}
	}
	if i+1 < len(toks) && toks[i+1].lower && toks[i+1].gap != gapBreak {
		if l.langAfter.has(toks[i+1].key) {
			return true
		}
	}
	return false
}

// prominent reports whether a place is well known enough to be spoken of
// as an actor ("Tbilisi says", "Gainesville says"): a capital, a seat, or a
// town of 50,000 or more.
func prominent(p geotag.Place) bool {
	switch p.Feature {
	case "P.PPLC", "P.PPLA", "P.PPLA2":
		return true
	}
	return p.FeatureClass() == "A" || p.Population >= 50000
}

// orgKeys counts the words the text uses inside an organisation's name:
// after an opener ("Jabhat al-Nusra", "Jaish al-Islam") or before a word
// such as Front or Brigade ("the Nusra Front", "Sham Front"). Such a word
// names no place elsewhere in the text either ("a focus on Nusra").
func (t *Tagger) orgKeys(toks []token) map[string]int {
	var m map[string]int
	add := func(k string) {
		if m == nil {
			m = map[string]int{}
		}
		m[k] += 2
	}
	for k := 0; k < len(toks); k++ {
		cur := &toks[k]
		if !cur.cap || cur.key == "" || geotag.IsArticle(cur.key) {
			continue
		}
		if t.orgOpener(toks, k) {
			add(cur.key)
		}
		if k+1 < len(toks) && toks[k+1].gap == gapSpace && toks[k+1].cap && toks[k+1].flags&fOrgAfter != 0 {
			if t.lex.orgHard.has(toks[k+1].key) {
				add(cur.key)
			}
		}
	}
	return m
}

// diseaseKeys counts the words the text uses as the name of a disease or a
// pathogen: "Ebola virus", "Marburg virus", "West Nile fever", "Reston
// ebolavirus". Such a word names no place elsewhere in the text either.
func (l *lexicon) diseaseKeys(toks []token) map[string]int {
	var m map[string]int
	for k := 0; k+1 < len(toks); k++ {
		cur, next := &toks[k], &toks[k+1]
		if !cur.cap || next.gap != gapSpace {
			continue
		}
		if l.disease.has(next.key) {
			if m == nil {
				m = map[string]int{}
			}
			m[cur.key] += 2
		}
	}
	return m
}

func (t *Tagger) isAlias(k string) bool {
	_, _, ok := t.g.Alias(k)
	return ok
}

// locativeKeys returns the keys of capitalised words that follow a locative
// preposition somewhere in the text ("in Fargo"): the text uses them as
// places, whatever else it does with them.
func (t *Tagger) locativeKeys(toks []token) map[string]int {
	var m map[string]int
	for k := 1; k < len(toks); k++ {
		if !toks[k].cap || toks[k].possessive || toks[k].gap != gapSpace || !toks[k-1].lower {
			continue
		}
		if k+1 < len(toks) && toks[k+1].gap == gapSpace && toks[k+1].cap {
			continue // "in Jones County"
		}
		if t.lex.locStrong.has(toks[k-1].key) {
			if m == nil {
				m = map[string]int{}
			}
			m[toks[k].key]++
		}
	}
	return m
}

// isAge reports whether a token is a plausible age in years.
func isAge(k string) bool {
	if len(k) == 0 || len(k) > 3 {
		return false
	}
	n := 0
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
		n = n*10 + int(k[i]-'0')
	}
	return n > 0 && n < 120
}

// unknownName reports whether a capitalised token is a name that is neither
// an English word, a function word, a title, a place nor an alias: most
// often part of a person's name ("Demetrius", "Burjanadze").
func (t *Tagger) unknownName(tk *token) bool {
	if !tk.cap || tk.caseless || tk.upper || tk.dotted || tk.digit || tk.contraction || len(tk.key) < 2 {
		return false
	}
	k := tk.key
	if (tk.flags&fEnglish != 0) || (tk.flags&fStop != 0) || (tk.flags&fTitles != 0) || (tk.flags&fConnect != 0) || (tk.flags&fCalendar != 0) ||
		(tk.flags&fGeneric != 0) || (tk.flags&fOrgAfter != 0) || (tk.flags&fStreet != 0) || geotag.IsArticle(k) {
		return false
	}
	if len(t.g.Lookup(k)) > 0 {
		return false
	}
	_, _, ok := t.g.Alias(k)
	return !ok
}

// allCapsContext reports whether the word at i stands among other all-capital
// words (a shouted headline), where capitals say nothing.
func (t *Tagger) allCapsContext(toks []token, i int) bool {
	if i > 0 && toks[i].gap != gapBreak && toks[i-1].upper && len(toks[i-1].key) > 3 {
		return true
	}
	if i+1 < len(toks) && toks[i+1].gap != gapBreak && toks[i+1].upper && len(toks[i+1].key) > 3 {
		return true
	}
	return false
}

// orgOpener reports whether the span starting at i continues an
// organisation's name opened by a word such as Jabhat or Jaish.
// It looks back over at most maxArticleRun articles ("Jabhat Fatah
// al-Sham"), so that a run of them ("Al-Al-Al-…") costs no more than one
// name: scanning the whole run from each of its words made tagging
// quadratic in the text.
func (t *Tagger) orgOpener(toks []token, i int) bool {
	k := i - 1
	for k >= 0 && i-1-k < maxArticleRun && geotag.IsArticle(toks[k].key) && toks[k+1].gap != gapBreak {
		k--
	}
	t.step(i - k)
	return k >= 0 && toks[k+1].gap != gapBreak && (toks[k].flags&fOrgStart != 0)
}

// maxArticleRun bounds the articles between an organisation's opener and
// the name it opens.
const maxArticleRun = 3

// evidence reports whether the context marks tokens [i, j) as a place: a
// locative word before it ("in Nice", "north of Mobile") or a containing
// place after a comma ("Reading, Pennsylvania").
func (t *Tagger) evidence(toks []token, i, j, lastJ int) bool {
	// A list of places: "Middletown, Trenton and Monroe".
	if lastJ > 0 && (lastJ == i && toks[i-1].commaAfter ||
		lastJ == i-1 && toks[i].gap == gapSpace && (toks[i-1].key == t.lex.kAnd || toks[i-1].key == t.lex.kOr) && toks[i-1].lower) {
		return true
	}
	if i > 0 && toks[i].gap == gapSpace && toks[i-1].lower {
		if toks[i-1].flags&fLocCue != 0 {
			return true
		}
		if toks[i-1].key == t.lex.kOf && i > 1 && toks[i-1].gap == gapSpace && (toks[i-2].flags&fOfCue != 0) {
			return true
		}
	}
	return t.containerAfter(toks, j)
}

// containerAfter reports whether ", Country" or ", State" follows token j-1.
func (t *Tagger) containerAfter(toks []token, j int) bool {
	if j >= len(toks) || !toks[j-1].commaAfter || !toks[j].cap {
		return false
	}
	k := toks[j].key
	if p, _, ok := t.g.Alias(k); ok && (isCountry(p) || isADM1(p)) && (toks[j].upper || toks[j].dotted || toks[j].dotAfter) {
		return true
	}
	for n := j + 1; n <= min(len(toks), j+3); n++ {
		if n > j+1 && toks[n-1].gap == gapBreak {
			break
		}
		var buf []byte
		buf = joinKeys(buf, toks[j:n])
		for _, p := range t.g.Lookup(string(buf)) {
			if isCountry(p) || isADM1(p) {
				return true
			}
		}
	}
	return false
}
