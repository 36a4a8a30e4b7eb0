package geo

import (
	"context"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/geotag/geotag"
)

// maxLangCombos bounds the keys tried for one span: the product of the
// dictionary forms of its words.
const maxLangCombos = 48

// minHomeTown is the population of a town in a language's home countries
// that a word without capitals may name with no other cue.
const minHomeTown = 10000

// maxLangSpan bounds the words of one name in the languages' rules.
const maxLangSpan = 4

// recogniseText finds the name spans of a text paragraph by paragraph: a
// paragraph in a language of geo/lang goes to that language's rules, any
// other to the English rules. A text with no letters of those languages'
// scripts goes to the English rules whole, as before languages existed.
func (t *Tagger) recogniseText(ctx context.Context, st *state, text string, toks []token) ([]nameSpan, error) {
	if !mayHaveLanguage(text) {
		return t.recognise(ctx, st, text, toks)
	}
	type para struct {
		a, b   int
		l, alt *language
	}
	var paras []para
	any := false
	for a := 0; a < len(toks); {
		b := a + 1
		for b < len(toks) && strings.Count(text[toks[b-1].byteEnd:toks[b].byteStart], "\n") < 2 {
			b++
		}
		l, alt := detectLanguages(text[toks[a].byteStart:toks[b-1].byteEnd])
		any = any || l != nil
		paras = append(paras, para{a, b, l, alt})
		a = b
	}
	if !any {
		return t.recognise(ctx, st, text, toks)
	}
	all := st.langSpans[:0]
	var err error
	for _, p := range paras {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if st.maxSpans > 0 && len(all) > st.maxSpans {
			break // TagOptions.MaxMentions: the spans after are never kept
		}
		if p.l != nil {
			if all, err = t.recogniseLang(ctx, p.l, p.alt, text, toks, p.a, p.b, all, st.maxSpans); err != nil {
				return nil, err
			}
			continue
		}
		spans, err := t.recognise(ctx, st, text, toks[p.a:p.b])
		if err != nil {
			return nil, err
		}
		for _, sp := range spans {
			sp.from += p.a
			sp.to += p.a
			all = append(all, sp)
		}
	}
	st.langSpans = all
	return all, nil
}

// mayHaveLanguage reports whether text holds a byte that starts an Arabic
// or Cyrillic letter in UTF-8 (lead bytes 0xD0–0xDB): a cheap test that
// keeps English text on its own path.
func mayHaveLanguage(text string) bool {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c >= 0xD0 && c <= 0xDB {
			return true
		}
	}
	return false
}

// form is one reading of a word: its key after a clitic prefix of skip
// code points is taken off.
type form struct {
	key     string
	skip    int
	article bool // the word (after the prefix) carries the article
}

// forms returns the readings of token tk: the whole word first, then the
// word without each clitic prefix, shortest prefix (longest stem) first.
func (t *Tagger) forms(l *language, text string, tk *token, dst []form) []form {
	word := text[tk.byteStart:tk.byteEnd]
	dst = append(dst, form{key: tk.key, article: l.article != "" && strings.HasPrefix(word, l.article)})
	for _, p := range l.prefixes {
		if !strings.HasPrefix(word, p) {
			continue
		}
		stem, skip := word[len(p):], utf8.RuneCountInString(p)
		for stem != "" {
			r, n := utf8.DecodeRuneInString(stem)
			if r != 'ـ' && !unicode.Is(unicode.Mn, r) {
				break
			}
			stem, skip = stem[n:], skip+1
		}
		if utf8.RuneCountInString(stem) < 2 {
			continue
		}
		k := t.keys.wordKey(stem)
		if k == "" {
			continue
		}
		f := form{key: k, skip: skip, article: l.article != "" && strings.HasPrefix(stem, l.article)}
		if k == dst[0].key && dst[0].skip == 0 {
			dst[0] = f // "ببغداد": the doubled letter folded the clitic into the key
			continue
		}
		dup := false
		for _, x := range dst {
			dup = dup || x.key == k
		}
		if !dup {
			dst = append(dst, f)
		}
	}
	return dst
}

// langHit is a key the gazetteer or the language's names know.
type langHit struct {
	key    string
	asIs   bool // every word read as written
	places []geotag.Place
	prefer int64
	skip   int
}

// lookupLang returns the places a key names: the language's own names
// first, then the gazetteer's. Without a name of the language's own, it
// returns the gazetteer's shared slice (read only), as Lookup does.
func (t *Tagger) lookupLang(l *language, key string) ([]geotag.Place, int64) {
	ids := l.names[key]
	if len(ids) == 0 {
		return t.g.Lookup(key), 0
	}
	var out []geotag.Place
	var prefer int64
	for _, id := range ids {
		if p, ok := t.g.Place(id); ok {
			out = append(out, p)
			if prefer == 0 {
				prefer = id
			}
		}
	}
	for _, p := range t.g.Lookup(key) {
		if prefer == 0 || !hasID(out, p.ID) {
			out = append(out, p)
		}
	}
	return out, prefer
}

// lookupLangB is lookupLang for a key in scratch memory.
func (t *Tagger) lookupLangB(l *language, key []byte) ([]geotag.Place, int64) {
	if len(key) == 0 {
		return nil, 0
	}
	return t.lookupLang(l, unsafe.String(unsafe.SliceData(key), len(key)))
}

func hasID(ps []geotag.Place, id int64) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}

// langScan is the state of one paragraph's scan.
type langScan struct {
	l      *language
	alt    *language // the other language of the script, when no mark told them apart
	text   string
	toks   []token
	a, b   int
	lastJ  int   // end of the last accepted span
	cue    uint8 // a before-trigger stands right before the current token
	buf    []form
	firsts []form     // the readings of the current first token, with its dictionary forms
	lems   [][]string // per token of the paragraph: the key and its dictionary forms, once computed
	key    []byte
	orgEnd int // tokens before this one continue an organisation's name: no place starts there
}

// readings returns token k's key followed by its dictionary forms,
// computed once per scan.
func (s *langScan) readings(k int) []string {
	if s.lems[k-s.a] == nil {
		key := s.toks[k].key
		out := []string{key}
		if !s.l.caseless {
			out = s.l.lemmas(out, key)
			if s.alt != nil {
				out = s.alt.lemmas(out, key) // "Харкову": Ukrainian Харків or Russian Харьков
			}
		}
		s.lems[k-s.a] = out
	}
	return s.lems[k-s.a]
}

// recogniseLang finds the names in tokens [a, b), a paragraph in language
// l, appending them to out. With limit > 0 it stops once out holds more
// than limit spans: the caller keeps limit, and the one after has said
// whether the last kept one lies in it (inNext).
func (t *Tagger) recogniseLang(ctx context.Context, l, alt *language, text string, toks []token, a, b int, out []nameSpan, limit int) ([]nameSpan, error) {
	s := &langScan{l: l, alt: alt, text: text, toks: toks, a: a, b: b, lastJ: -1, lems: make([][]string, b-a)}
	for i, steps := a, 0; i < b && (limit <= 0 || len(out) <= limit); steps++ {
		t.step(1)
		if steps&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		tk := &toks[i]
		cue := s.cue
		s.cue = cueNone
		if tk.key == "" || tk.digit || !l.caseless && tk.caseless {
			i++
			continue
		}
		s.buf = t.forms(l, text, tk, s.buf[:0])
		if c := l.beforeCue(s.buf); c != cueNone {
			if i+1 < b && toks[i+1].gap != gapBreak {
				s.cue = c
			}
			i++
			continue
		}
		if l.opensOrg(s.buf) {
			s.orgEnd = s.orgZone(i)
			i++
			continue
		}
		if l.isStop(s.buf) {
			i++
			continue
		}
		if j := s.person(i); j > i {
			i = j // "Володимир Зеленський", "Андрей Белоусов"
			continue
		}
		sp, ok := t.langSpan(s, i, cue)
		if !ok {
			i++
			continue
		}
		if n := len(out); n > 0 && s.lastJ >= 0 && s.locativesBetween(s.lastJ, i) {
			out[n-1].inNext = true // "طرابلس شمالي لبنان", "Суджа в Курской области"
		}
		out = append(out, sp)
		s.lastJ = sp.to
		i = sp.to
	}
	return out, nil
}

// person returns the end of a person's name starting at token i: a given
// name and the capitalised words after it; i when there is none.
func (s *langScan) person(i int) int {
	tk := &s.toks[i]
	if s.l.caseless || !tk.cap || !s.l.given.has(tk.key) {
		return i
	}
	j := i + 1
	for j < s.b && j < i+3 && s.toks[j].gap == gapSpace && s.toks[j].cap && !s.toks[j].upper && !s.isAfter(j) {
		j++
	}
	if j == i+1 {
		return i
	}
	return j
}

// opensOrg reports whether a word opens an organisation's name: an opener
// without the article ("قوات سوريا الديمقراطية", not "القوات الروسية").
func (l *language) opensOrg(fs []form) bool {
	for _, f := range fs {
		if !f.article && l.orgStart.has(f.key) {
			return true
		}
	}
	return false
}

// orgZone returns the end of the organisation's name opened at token i:
// up to two words, ending at a break, a function word, a common noun or a
// trigger ("قوات الاحتلال مدينة جنين": the city is no part of the name).
func (s *langScan) orgZone(i int) int {
	j := i + 1
	for j < s.b && j <= i+2 {
		tk := &s.toks[j]
		if tk.gap == gapBreak || s.l.stop.has(tk.key) || s.l.common.has(tk.key) {
			break
		}
		if _, ok := s.l.before[tk.key]; ok {
			break
		}
		j++
	}
	return j
}

// afterTitle reports whether a title word stands among the three words
// before token i in the same clause: "міністр оборони Умєров", "генсеком
// НАТО Рютте".
func (s *langScan) afterTitle(i int) bool {
	for k := i - 1; k >= max(s.a, i-3); k-- {
		for _, r := range s.readings(k) {
			if s.l.titles.has(r) {
				return true
			}
		}
		if s.toks[k].gap == gapBreak {
			break
		}
	}
	return false
}

// listTrigger finds an after-trigger that ends a list of names starting at
// token i: "у Київській, Чернігівській та Сумській областях".
func (s *langScan) listTrigger(i int) (trigger, bool) {
	for k := i + 1; k < s.b && k <= i+8; k++ {
		tk := &s.toks[k]
		if tk.gap == gapBreak && !s.toks[k-1].commaAfter {
			break
		}
		if tr, ok := s.l.after[tk.key]; ok {
			return tr, k > i+1
		}
		switch {
		case s.l.and.has(tk.key) && tk.gap == gapSpace:
		case tk.cap && (s.toks[k-1].commaAfter || s.l.and.has(s.toks[k-1].key)):
		default:
			return trigger{}, false
		}
	}
	return trigger{}, false
}

// beforeCue returns the cue of a before-trigger reading of a word.
func (l *language) beforeCue(fs []form) uint8 {
	for _, f := range fs {
		if tr, ok := l.before[f.key]; ok {
			return tr.cue
		}
	}
	return cueNone
}

// isStop reports whether a word (any reading) is a function word, which
// never starts a name.
func (l *language) isStop(fs []form) bool {
	for _, f := range fs {
		if l.stop.has(f.key) {
			return true
		}
	}
	return false
}

// langSpan finds the longest name starting at token i: a demonym, or a
// place of one to maxTok words whose last word may be an after-trigger.
func (t *Tagger) langSpan(s *langScan, i int, cue uint8) (nameSpan, bool) {
	l, toks := s.l, s.toks
	first := &toks[i]
	if !l.caseless && (!first.cap || first.upper) {
		if sp, ok := t.langDemonym(s, i); ok {
			return sp, true
		}
		if ids := l.names[first.key]; first.upper && len(ids) > 0 {
			// An acronym the tables name: "США", "КНДР".
			if ps, prefer := t.lookupLang(l, first.key); len(ps) > 0 {
				return nameSpan{from: i, to: i + 1, key: first.key, kind: geotag.KindPlace, places: ps, prefer: prefer, likelihood: 0.9}, true
			}
		}
		return nameSpan{}, false
	}
	if i < s.orgEnd {
		if sp, ok := t.langDemonym(s, i); ok {
			return sp, true
		}
		return nameSpan{}, false
	}
	s.firsts = append(s.firsts[:0], s.buf...)
	if !l.caseless {
		for _, k := range s.readings(i)[1:] {
			s.firsts = append(s.firsts, form{key: k})
		}
	}
	if tr, ok := s.listTrigger(i); ok && !l.caseless {
		// One of a list before a shared trigger: "Київській" in "у Київській,
		// Чернігівській та Сумській областях" is "Київська область".
		var hits []langHit
		for _, r := range s.readings(i) {
			key := r + " " + tr.canon
			if ps, prefer := t.lookupLang(l, key); len(ps) > 0 {
				hits = append(hits, langHit{key: key, places: ps, prefer: prefer})
			}
		}
		if len(hits) > 0 {
			sp := mergeHits(hits)
			sp.from, sp.to, sp.kind, sp.cue, sp.likelihood = i, i+1, geotag.KindPlace, tr.cue, 0.85
			return sp, true
		}
	}
	maxJ := min(s.b, i+min(t.maxTok, maxLangSpan))
	for j := maxJ; j > i; j-- {
		if !s.spanShape(i, j) {
			continue
		}
		if j == i+1 {
			if sp, ok := t.langDemonym(s, i); ok {
				return sp, true
			}
		}
		hits, tcue := t.spanHits(s, i, j)
		if len(hits) == 0 && tcue != cueNone && j == i+2 {
			hits = t.spanHitsLemmas(s, i) // "Покровського району": the adjective alone
		}
		if len(hits) == 0 {
			continue
		}
		sp := mergeHits(hits)
		sp.from, sp.to, sp.kind, sp.cue = i, j, geotag.KindPlace, max(cue, tcue)
		if !t.acceptLang(s, &sp, cue) {
			continue
		}
		return sp, true
	}
	return nameSpan{}, false
}

// spanShape reports whether tokens [i, j) can form one name: joined by
// spaces or hyphens, no function word inside, capitalised where the
// script has capitals (a trailing after-trigger excepted).
func (s *langScan) spanShape(i, j int) bool {
	for k := i; k < j; k++ {
		tk := &s.toks[k]
		if k > i && (tk.gap == gapBreak || tk.key == "") {
			return false
		}
		if k > i && (s.l.stop.has(tk.key) && tk.gap != gapHyphen || tk.digit) {
			return false
		}
		inner := k > i && k < j-1 && tk.gap == gapHyphen && s.toks[k+1].gap == gapHyphen // "Ростов-на-Дону"
		if !s.l.caseless && !tk.cap && !inner && !(k == j-1 && k > i && s.isAfter(k)) {
			return false
		}
		if tk.caseless != s.l.caseless {
			return false
		}
	}
	return true
}

func (s *langScan) isAfter(k int) bool { _, ok := s.l.after[s.toks[k].key]; return ok }

// variants returns the keys token k may stand for inside a span.
func (t *Tagger) variants(s *langScan, k int, last bool) ([]string, uint8) {
	key := s.toks[k].key
	if tr, ok := s.l.after[key]; ok && last {
		return []string{tr.canon}, tr.cue
	}
	return s.readings(k), cueNone
}

// spanHits looks up every combination of the readings of tokens [i, j):
// the first word's clitic forms, each word's dictionary forms.
func (t *Tagger) spanHits(s *langScan, i, j int) ([]langHit, uint8) {
	firsts := s.firsts
	var restArr [maxLangSpan][]string
	rest := restArr[:0]
	var cue uint8
	n := len(firsts)
	for k := i + 1; k < j; k++ {
		v, c := t.variants(s, k, k == j-1)
		cue = max(cue, c)
		rest = append(rest, v)
		n *= len(v)
	}
	if n > maxLangCombos {
		// Keep the first word's readings; the others only as written.
		for r := range rest {
			rest[r] = rest[r][:1]
		}
	}
	var hits []langHit
	var idxArr [maxLangSpan]int
	idx := idxArr[:len(rest)]
	for fi, f := range firsts {
		clear(idx)
		for {
			s.key = append(s.key[:0], f.key...)
			for r := range rest {
				s.key = append(append(s.key, ' '), rest[r][idx[r]]...)
			}
			if ps, prefer := t.lookupLangB(s.l, s.key); len(ps) > 0 {
				asIs := fi == 0 && allZero(idx)
				hits = append(hits, langHit{key: string(s.key), asIs: asIs, places: ps, prefer: prefer, skip: f.skip})
			}
			if !nextIndex(idx, rest) {
				break
			}
		}
		if s.l.caseless && len(hits) > 0 {
			break // the longest valid stem wins
		}
	}
	return hits, cue
}

// spanHitsLemmas looks up the readings of token i alone.
func (t *Tagger) spanHitsLemmas(s *langScan, i int) []langHit {
	var hits []langHit
	for _, k := range s.readings(i) {
		if ps, prefer := t.lookupLang(s.l, k); len(ps) > 0 {
			hits = append(hits, langHit{key: k, places: ps, prefer: prefer})
		}
	}
	return hits
}

func allZero(idx []int) bool {
	for _, x := range idx {
		if x != 0 {
			return false
		}
	}
	return true
}

// nextIndex advances a mixed-radix counter over the readings; false when done.
func nextIndex(idx []int, rest [][]string) bool {
	for r := len(idx) - 1; r >= 0; r-- {
		idx[r]++
		if idx[r] < len(rest[r]) {
			return true
		}
		idx[r] = 0
	}
	return false
}

// mergeHits joins the places of every reading that hit, the reading
// written as is first, then by how important their best place is. A
// single hit's places are shared, not copied (they are read only).
func mergeHits(hits []langHit) nameSpan {
	if len(hits) == 1 {
		h := hits[0]
		return nameSpan{key: h.key, skip: h.skip, prefer: h.prefer, places: h.places}
	}
	best := 0
	for h := range hits {
		if hits[h].asIs {
			best = h
			break
		}
		if hitPrior(hits[h]) > hitPrior(hits[best]) {
			best = h
		}
	}
	sp := nameSpan{key: hits[best].key, skip: hits[best].skip, prefer: hits[best].prefer}
	sp.places = append(sp.places, hits[best].places...)
	for h, x := range hits {
		if h == best {
			continue
		}
		if sp.prefer == 0 {
			sp.prefer = x.prefer
		}
		for _, p := range x.places {
			if !hasID(sp.places, p.ID) && len(sp.places) < maxCandidates {
				sp.places = append(sp.places, p)
			}
		}
	}
	return sp
}

func hitPrior(h langHit) float64 {
	m := math.Inf(-1)
	for c, p := range h.places {
		if c >= 5 {
			break
		}
		m = math.Max(m, prior(p, 0))
	}
	if h.prefer != 0 {
		m += 100
	}
	return m
}

// acceptLang decides whether a span the gazetteer knows is a mention. A
// name of two or more words is; one word is when it names a well-known
// place or the language's tables name it, or when the text marks it as a
// place (a trigger word, a locative word, a list of places) and it names a
// populated place. Without capitals (Arabic), a well-known place is a
// country, a province or a city of 20,000 or more that is a seat; with
// them, a capitalised word that does not start a sentence is enough.
func (t *Tagger) acceptLang(s *langScan, sp *nameSpan, cue uint8) bool {
	sp.likelihood = 0.9
	if sp.to-sp.from > 1 || sp.prefer != 0 {
		return true
	}
	sp.likelihood = 0.85
	if s.l.common.has(s.toks[sp.from].key) || s.l.common.has(sp.key) {
		return false
	}
	if !s.l.caseless {
		for _, r := range s.readings(sp.from) {
			if s.l.common.has(r) {
				return false // "Ради" is the council (рада), "Армії" the army
			}
		}
	}
	top := bestPlace(sp.places)
	if !isMajor(top) && !prominent(top) && s.afterTitle(sp.from) {
		return false // "генсеком НАТО Рютте": a person
	}
	if s.l.caseless && wellKnown(top) || !s.l.caseless && prominent(top) {
		return true
	}
	if s.l.caseless && s.homeTown(sp.places) {
		sp.likelihood = 0.7 // "اقتحمت قوات الاحتلال قلقيلية": a town of the region the language is written in
		return true
	}
	marked := cue != cueNone || s.listed(sp) || s.afterLocative(sp.from)
	if marked && (populated(top) || cue != cueNone && anyCue(sp.places, cue)) {
		sp.likelihood = 0.7
		return true
	}
	return !s.l.caseless && !s.toks[sp.from].sentStart
}

// homeTown reports whether a candidate is a town of minHomeTown or more in
// one of the language's home countries.
func (s *langScan) homeTown(ps []geotag.Place) bool {
	for _, p := range ps {
		if s.l.home[p.Country] && p.FeatureClass() == "P" && p.Population >= minHomeTown {
			return true
		}
	}
	return false
}

// anyCue reports whether a candidate is of the kind the cue names.
func anyCue(ps []geotag.Place, cue uint8) bool {
	for _, p := range ps {
		if cueMatches(cue, p) {
			return true
		}
	}
	return false
}

// wellKnown is prominent for a script without capitals, where common
// words meet the names of villages far more often.
func wellKnown(p geotag.Place) bool {
	if isMajor(p) {
		return true
	}
	switch p.Feature {
	case "P.PPLC", "P.PPLA", "P.PPLA2":
		return p.Population >= 20000
	}
	return false
}

// populated reports whether a place is a town of some size or a seat, or
// a region, a peninsula, a river or a sea, which a locative word may name.
func populated(p geotag.Place) bool {
	switch p.Feature {
	case "P.PPLC", "P.PPLA", "P.PPLA2", "P.PPLA3", "T.PEN", "H.STM", "H.SEA", "H.GULF":
		return true
	}
	if p.FeatureClass() == "L" {
		return true
	}
	return p.Population >= 5000 || p.FeatureClass() == "A"
}

// locativesBetween reports whether tokens [j, k) are one or two locative
// words in the same clause: "X في Y", "X شمالي Y", "X у Y".
func (s *langScan) locativesBetween(j, k int) bool {
	if k <= j || k > j+2 {
		return false
	}
	for m := j; m < k; m++ {
		if s.toks[m].gap == gapBreak || !s.l.locative.has(s.toks[m].key) {
			return false
		}
	}
	return s.toks[k].gap != gapBreak
}

// afterLocative reports whether a locative word stands right before token i.
func (s *langScan) afterLocative(i int) bool {
	if i == 0 || s.toks[i].gap != gapSpace {
		return false
	}
	prev := &s.toks[i-1]
	if s.l.locative.has(prev.key) {
		return true
	}
	// "وقرب", "ومن": a locative word with a clitic.
	for _, p := range s.l.prefixes {
		w := s.text[prev.byteStart:prev.byteEnd]
		if strings.HasPrefix(w, p) && s.l.locative.has(fragKey(w[len(p):])) {
			return true
		}
	}
	return false
}

// listed reports whether the span continues a list of places: "دوما
// وحرستا", "Бахмут, Соледар".
func (s *langScan) listed(sp *nameSpan) bool {
	i := sp.from
	if s.lastJ != i || i == 0 {
		return false
	}
	return s.toks[i-1].commaAfter || sp.skip == 1
}

// bestPlace returns the candidate with the highest prior.
func bestPlace(ps []geotag.Place) geotag.Place {
	b := 0
	for c := range ps {
		if prior(ps[c], 0) > prior(ps[b], 0) {
			b = c
		}
	}
	return ps[b]
}

// langDemonym recognises a people or adjective form of a country at token i.
func (t *Tagger) langDemonym(s *langScan, i int) (nameSpan, bool) {
	l := s.l
	fs := s.buf
	maybe := false
	for _, f := range fs {
		maybe = maybe || l.demStart.has(firstRunes(f.key, 2))
	}
	if !maybe {
		return nameSpan{}, false
	}
	try := func(key string, f form) (nameSpan, bool) {
		id, ok := l.demonyms[key]
		if !ok {
			return nameSpan{}, false
		}
		p, ok := t.g.Place(id)
		if !ok {
			return nameSpan{}, false
		}
		return nameSpan{from: i, to: i + 1, key: key, kind: geotag.KindDemonym, alias: p, likelihood: 0.75, skip: f.skip}, true
	}
	for _, f := range fs {
		if sp, ok := try(f.key, f); ok {
			return sp, true
		}
	}
	// A lemma: "російських", "السورية" (with the article: an adjective,
	// not the country), "سوريون". Without the article the word may be the
	// place itself ("سورية"): places first.
	for _, f := range fs {
		if !f.article && l.article != "" {
			if ps, _ := t.lookupLang(l, f.key); len(ps) > 0 && isMajor(bestPlace(ps)) {
				continue // "سورية" is Syria; "مسيرة تركية" a Turkish drone
			}
		}
		for _, k := range l.lemmas(nil, f.key) {
			if sp, ok := try(k, f); ok {
				return sp, true
			}
		}
	}
	return nameSpan{}, false
}

// langBoost adds the evidence of a trigger word and of the language's own
// names to a group's candidates.
func langBoost(g *group, sp *nameSpan) {
	for c, p := range g.places {
		if sp.cue != cueNone && cueMatches(sp.cue, p) {
			g.boost[c] += wCue
		}
		if sp.prefer != 0 && p.ID == sp.prefer {
			g.boost[c] += wCue
		}
	}
}
