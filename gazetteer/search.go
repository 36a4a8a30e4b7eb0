package gazetteer

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

const multiCountry = math.MaxUint16

// Match qualities, the first part of a search score.
const (
	qualityExact       = 1.0
	qualityPrefix      = 0.8  // plus up to 0.1 for how much of the name was typed
	qualityTypo        = 0.7  // one edit away from a whole name
	qualityTypoPrefix  = 0.55 // one edit away from the start of a name
	maxSearchLimit     = 100
	maxQueryRunes      = 100
	weightQuality      = 0.6
	weightImportance   = 0.4
	weightFocus        = 0.25 // taken from importance when a focus is given
	focusScaleKm       = 100.0
	typoMinRunes       = 4
	typoPrefixMinRunes = 5
	bigRange           = 3000 // scan only the most important keys of a larger prefix range
	qualityInner       = 0.6  // the text starts a later word of the name
	innerMinRunes      = 3
	innerMaxHits       = 2000
	prefixImportance   = 0.5 // share of importance a prefix match keeps
)

// searchIndex is built on the first Search: the best importance of each
// name key, and where each two-byte prefix starts in the sorted keys.
type searchIndex struct {
	keyImp []uint16 // importance of the most important place of key i
	keyCC  []uint16 // country of key i's only place, or multiCountry
	first  []uint32 // keys starting with bytes b0 b1 begin at first[b0<<8|b1]
}

func (g *Gazetteer) searchIndex() *searchIndex {
	g.searchOnce.Do(func() {
		nk := g.Keys()
		s := &searchIndex{keyImp: make([]uint16, nk), keyCC: make([]uint16, nk), first: make([]uint32, 1<<16+1)}
		for i := 0; i < nk; i++ {
			p := g.posting(g.postOff[i])
			s.keyImp[i] = g.imp[p]
			s.keyCC[i] = g.country[p]
			if g.postOff[i+1]-g.postOff[i] > 1 {
				s.keyCC[i] = multiCountry
			}
		}
		j := 0
		for p := 0; p <= 1<<16; p++ {
			for j < nk && prefix2(g.key(j)) < p {
				j++
			}
			s.first[p] = uint32(j)
		}
		g.search = s
	})
	return g.search
}

func prefix2(k string) int {
	switch len(k) {
	case 0:
		return 0
	case 1:
		return int(k[0]) << 8
	}
	return int(k[0])<<8 | int(k[1])
}

// prefixRange returns the keys that start with p: [lo, hi).
func (g *Gazetteer) prefixRange(s *searchIndex, p string) (int, int) {
	if p == "" {
		return 0, 0
	}
	if len(p) == 1 {
		return int(s.first[int(p[0])<<8]), int(s.first[(int(p[0])+1)<<8])
	}
	b := prefix2(p)
	lo, hi := int(s.first[b]), int(s.first[b+1])
	if len(p) == 2 {
		return lo, hi
	}
	start := lo + sort.Search(hi-lo, func(i int) bool { return g.key(lo+i) >= p })
	end := start + sort.Search(hi-start, func(i int) bool { return !strings.HasPrefix(g.key(start+i), p) })
	return start, end
}

type scored struct {
	place int32
	score float64
}

// searcher collects the best places of one query.
type searcher struct {
	g     *Gazetteer
	q     geotag.PlaceQuery
	s     *searchIndex
	top   []scored // best first, at most limit
	limit int
	ccs   []bool // by country index; nil: any
	wImp  float64
	wFoc  float64
}

// Search returns places for a partial, prefixed or misspelled name, best
// first: whole-name matches, then names that start with the text, then
// names one typing error away, then (for an unfiltered query that found
// nothing else) names with a later word that starts with the text, each
// blended with the place's importance
// and, when q.Focus is set, its closeness to the focus. q.Countries and
// q.BBox filter. It returns an empty slice for text with no letters or
// digits and when nothing matches; Limit defaults to 10 and is capped at
// 100.
//
// Text after a comma names where the place is ("Paris, Texas", "Nice,
// France", "Khalidiyah, Aleppo"): places in a country, first-level
// division or city of that name rank first.
func (g *Gazetteer) Search(q geotag.PlaceQuery) []geotag.Candidate {
	if utf8.RuneCountInString(q.Text) > maxQueryRunes {
		q.Text = string([]rune(q.Text)[:maxQueryRunes])
	}
	if name, where, ok := strings.Cut(q.Text, ","); ok && geotag.NameKey(where) != "" {
		return g.searchWithin(q, name, geotag.NameKey(where))
	}
	return g.searchName(q)
}

// contextBoost is added to the score of a place inside the area that the
// text after a comma names.
const contextBoost = 0.3

func (g *Gazetteer) searchWithin(q geotag.PlaceQuery, name, where string) []geotag.Candidate {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	limit = min(limit, maxSearchLimit)
	q.Text, q.Limit = name, maxSearchLimit
	res := g.searchName(q)
	// The areas "where" names: countries, divisions and towns by name,
	// demonyms and abbreviations ("Tex.", "UK").
	areas := map[int64]bool{}
	for _, p := range g.Lookup(where) {
		areas[p.ID] = true
	}
	if p, _, ok := g.Alias(where); ok {
		areas[p.ID] = true
	}
	for i := range res {
		if g.within(res[i].Place, areas, where) {
			res[i].Score = math.Round((res[i].Score+contextBoost)/(1+contextBoost)*1e4) / 1e4
		} else {
			res[i].Score = math.Round(res[i].Score/(1+contextBoost)*1e4) / 1e4
		}
	}
	sort.SliceStable(res, func(i, j int) bool { return res[i].Score > res[j].Score })
	return res[:min(len(res), limit)]
}

// within reports whether p lies in one of the areas: its country, its
// first-level division or one of its ancestors is among them, or its
// country's code or division's name is written as where.
func (g *Gazetteer) within(p geotag.Place, areas map[int64]bool, where string) bool {
	if strings.EqualFold(p.Country, where) || p.Admin1 != "" && geotag.NameKey(p.Admin1) == where ||
		p.CountryName != "" && geotag.NameKey(p.CountryName) == where {
		return true
	}
	id := p.ParentID
	for depth := 0; id != 0 && depth < 4; depth++ {
		if areas[id] {
			return true
		}
		i := g.pos(id)
		if i < 0 {
			break
		}
		id = g.parent[i]
	}
	if c := g.countryPlace(p.Country); c != 0 && areas[c] {
		return true
	}
	return false
}

// countryPlace returns the id of the country place with the code, or 0.
func (g *Gazetteer) countryPlace(cc string) int64 {
	if cc == "" {
		return 0
	}
	for _, p := range g.Lookup(geotag.NameKey(g.countryName(cc))) {
		if p.Country == cc && strings.HasPrefix(p.Feature, "A.PCL") {
			return p.ID
		}
	}
	return 0
}

func (g *Gazetteer) countryName(cc string) string {
	for _, c := range g.countries {
		if c.code == cc {
			return c.name
		}
	}
	return ""
}

func (g *Gazetteer) searchName(q geotag.PlaceQuery) []geotag.Candidate {
	key := geotag.NameKey(q.Text)
	out := []geotag.Candidate{}
	if key == "" || g.Keys() == 0 {
		return out
	}
	sr := g.newSearcher(q)
	if sr == nil {
		return out // no country of the query is known
	}
	// Whole name, then names that start with the text.
	if i := g.find(key); i >= 0 {
		sr.addKey(i, qualityExact)
	}
	lo, hi := g.prefixRange(sr.s, key)
	floor := sr.floor(lo, hi)
	for i := lo; i < hi; i++ {
		if sr.s.keyImp[i] < floor || !sr.keyPasses(i) {
			continue
		}
		if k := g.key(i); len(k) > len(key) {
			sr.addKey(i, qualityPrefix+0.1*float64(len(key))/float64(len(k)))
		}
	}
	if utf8.RuneCountInString(key) >= typoMinRunes {
		sr.typos(key)
	}
	// Nothing yet: a later word of a name ("Maqsoud" in "Sheikh
	// Maqsoud"), found by scanning the keys (a few milliseconds), which
	// only unfiltered queries without any other match pay for.
	if len(sr.top) == 0 && sr.ccs == nil && q.BBox == nil && utf8.RuneCountInString(key) >= innerMinRunes {
		sr.innerWords(key)
	}
	for _, t := range sr.top {
		out = append(out, geotag.Candidate{Place: g.place(t.place), Score: math.Round(t.score*1e4) / 1e4})
	}
	return out
}

// newSearcher prepares a search for q: its limit, weights and countries.
// It returns nil when q names countries and none of them is known.
func (g *Gazetteer) newSearcher(q geotag.PlaceQuery) *searcher {
	sr := &searcher{g: g, q: q, s: g.searchIndex(), limit: q.Limit, wImp: weightImportance}
	if sr.limit <= 0 {
		sr.limit = 10
	}
	sr.limit = min(sr.limit, maxSearchLimit)
	if q.Focus != nil {
		sr.wImp, sr.wFoc = weightImportance-weightFocus, weightFocus
	}
	if len(q.Countries) == 0 {
		return sr
	}
	sr.ccs = make([]bool, len(g.countries))
	any := false
	for i, c := range g.countries {
		for _, want := range q.Countries {
			if c.code != "" && strings.EqualFold(c.code, want) {
				sr.ccs[i] = true
				any = true
			}
		}
	}
	if !any {
		return nil
	}
	return sr
}

// typos adds the names one typing error away from key, whole and, for
// longer keys while the results are short, as prefixes.
func (sr *searcher) typos(key string) {
	g := sr.g
	variants := edits(key)
	for _, v := range variants {
		if i := g.find(v); i >= 0 {
			sr.addKey(i, qualityTypo)
		}
	}
	if utf8.RuneCountInString(key) < typoPrefixMinRunes || len(sr.top) >= sr.limit {
		return
	}
	for _, v := range variants {
		lo, hi := g.prefixRange(sr.s, v)
		floor := sr.floor(lo, hi)
		for i := lo; i < hi; i++ {
			if sr.s.keyImp[i] >= floor && sr.keyPasses(i) && len(g.key(i)) > len(v) {
				sr.addKey(i, qualityTypoPrefix)
			}
		}
	}
}

// innerWords scores the names in which a word after the first starts
// with key.
func (sr *searcher) innerWords(key string) {
	g := sr.g
	pat := " " + key
	hits := 0
	for off := 0; hits < innerMaxHits; hits++ {
		j := strings.Index(g.keys[off:], pat)
		if j < 0 {
			return
		}
		at := off + j
		// The key holding byte at: the last key starting at or before it.
		i := sort.Search(len(g.keyOff)-1, func(i int) bool { return int(g.keyOff[i+1]) > at })
		if i < len(g.keyOff)-1 && sr.keyPasses(i) {
			sr.addKey(i, qualityInner)
		}
		off = at + len(pat)
	}
}

// keyPasses reports whether key i may have a place in the wanted
// countries, from the key's own country when it names one place.
func (sr *searcher) keyPasses(i int) bool {
	c := sr.s.keyCC[i]
	return sr.ccs == nil || c == multiCountry || sr.ccs[c]
}

// floor returns the least key importance worth scoring in keys [lo, hi):
// 0 for a small range, and for a large one (a query of one or two
// letters) the importance above which about bigRange keys lie, so that
// the most important places are found without scoring every name.
func (sr *searcher) floor(lo, hi int) uint16 {
	if hi-lo <= bigRange {
		return 0
	}
	var hist [256]int
	for i := lo; i < hi; i++ {
		if sr.keyPasses(i) {
			hist[sr.s.keyImp[i]>>8]++
		}
	}
	n := 0
	for b := 255; b > 0; b-- {
		if n += hist[b]; n >= bigRange {
			return uint16(b) << 8
		}
	}
	return 0
}

// addKey scores the places of key i that pass the filters.
func (sr *searcher) addKey(i int, quality float64) {
	g := sr.g
	base := weightQuality * quality
	wImp := sr.wImp
	if quality == qualityPrefix || quality > qualityPrefix && quality < qualityExact {
		// A name the text only starts counts half its importance, so that a
		// country's rare long alternate name ("Nicer" for Niger) does not
		// outrank a town that bears the whole name ("Nice").
		wImp *= prefixImportance
	}
	if len(sr.top) == sr.limit {
		bound := base + wImp*float64(sr.s.keyImp[i])/65535 + sr.wFoc
		if bound <= sr.top[len(sr.top)-1].score {
			return
		}
	}
	for j := g.postOff[i]; j < g.postOff[i+1]; j++ {
		p := g.posting(j)
		imp := float64(g.imp[p]) / 65535
		score := base + wImp*imp
		if sr.wFoc == 0 && len(sr.top) == sr.limit && score <= sr.top[len(sr.top)-1].score {
			return // the rest of the list is less important still
		}
		if sr.ccs != nil && !sr.ccs[g.country[p]] {
			continue
		}
		lat, lon := float64(g.lat[p])/1e5, float64(g.lon[p])/1e5
		if sr.q.BBox != nil && !sr.q.BBox.Contains(lat, lon) {
			continue
		}
		if sr.q.Focus != nil {
			d := geotag.DistanceKm(sr.q.Focus.Lat, sr.q.Focus.Lon, lat, lon)
			score += sr.wFoc * focusScaleKm / (focusScaleKm + d)
		}
		sr.insert(p, score)
	}
}

// insert keeps the best score of each place among the top results.
func (sr *searcher) insert(p int32, score float64) {
	for j := range sr.top {
		if sr.top[j].place == p {
			if score <= sr.top[j].score {
				return
			}
			sr.top = append(sr.top[:j], sr.top[j+1:]...)
			break
		}
	}
	if len(sr.top) == sr.limit && score <= sr.top[len(sr.top)-1].score {
		return
	}
	j := sort.Search(len(sr.top), func(j int) bool { return sr.top[j].score < score })
	if len(sr.top) < sr.limit {
		sr.top = append(sr.top, scored{})
	}
	copy(sr.top[j+1:], sr.top[j:])
	sr.top[j] = scored{p, score}
}

// edits returns the strings one deletion, transposition, substitution or
// insertion away from key. Substitutions and insertions use a-z for a
// Latin key and the key's own letters otherwise.
func edits(key string) []string {
	rs := []rune(key)
	var alphabet []rune
	ascii := true
	for _, r := range rs {
		if r >= utf8.RuneSelf {
			ascii = false
		}
	}
	if ascii {
		for r := 'a'; r <= 'z'; r++ {
			alphabet = append(alphabet, r)
		}
	} else {
		seen := map[rune]bool{}
		for _, r := range rs {
			if r != ' ' && !seen[r] {
				seen[r] = true
				alphabet = append(alphabet, r)
			}
		}
	}
	seen := map[string]bool{key: true}
	var out []string
	add := func(v []rune) {
		s := string(v)
		if !seen[s] && strings.TrimSpace(s) == s && !strings.Contains(s, "  ") {
			seen[s] = true
			out = append(out, s)
		}
	}
	buf := make([]rune, 0, len(rs)+1)
	for i := range rs {
		buf = append(append(buf[:0], rs[:i]...), rs[i+1:]...)
		add(buf)
		if i+1 < len(rs) {
			buf = append(buf[:0], rs...)
			buf[i], buf[i+1] = buf[i+1], buf[i]
			add(buf)
		}
	}
	for i := range rs {
		for _, a := range alphabet {
			if a != rs[i] {
				buf = append(buf[:0], rs...)
				buf[i] = a
				add(buf)
			}
		}
	}
	for i := 0; i <= len(rs); i++ {
		for _, a := range alphabet {
			buf = append(append(append(buf[:0], rs[:i]...), a), rs[i:]...)
			add(buf)
		}
	}
	return out
}
