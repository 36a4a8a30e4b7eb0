package geo

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

// Weights of the resolution features. A candidate's score is the sum of
// named features (prior, context), so each choice can be explained.
const (
	wPop        = 0.6  // per decade of population
	wRank       = 0.15 // per place in the gazetteer's importance order
	wCountry    = 1.5  // per other mention in the candidate's country (up to 3)
	wAdmin1     = 2.0  // the candidate's first-level division is named
	wContainer  = 5.0  // "Paris, Texas": the name right after contains it
	wParent     = 3.0  // a district whose city is named
	wActor      = 0.5  // per mention of a country as an actor ("U.S. officials", "Russia said"), up to 1 place's worth
	wExact      = 1.5  // the text spells the candidate's own name, not a variant that normalises alike
	wBias       = 6.0  // inside the request's area of interest: the user's word outweighs fame
	wSeat       = 0.5  // a division's seat city over the division of the same name, when close
	seatKm      = 120.0
	wNear       = 2.5 // per nearby other place (decaying with distance)
	nearKm      = 150
	wCue        = 5.0  // "Idlib province", "Laurel County", "Jordan river": the text says which kind
	wWaterCue   = 15.0 // "the Niger river", "the Dnipro river": over the country or city of the name
	temperature = 1.0  // softmax temperature turning scores into probabilities
)

// featurePrior scores a feature class and code: countries and divisions are
// what bare names in news most often mean. Seats below the first level
// (PPLA2-4: thousands of county seats, many of them hamlets) get a small
// prior: their population, importance and the text decide.
func featurePrior(p geotag.Place) float64 {
	switch p.FeatureClass() {
	case "A":
		switch c := p.FeatureCode(); {
		case isCountry(p):
			return 6
		case c == "ADM1":
			return 4.5
		case c == "ADM2":
			return 2.5
		case c == "ADMD":
			return 1
		default:
			return 1
		}
	case "P":
		switch p.FeatureCode() {
		case "PPLC":
			return 3
		case "PPLA":
			return 2
		case "PPLA2", "PPLA3", "PPLA4":
			return 0.6
		case "PPLX", "PPLL":
			return -0.5
		}
		return 0
	case "L":
		switch p.FeatureCode() {
		case "CONT":
			return 6
		case "RGN", "RGNE":
			return 3
		}
		return 1
	case "H":
		return 1.5
	case "T":
		return 1
	case "S":
		switch p.FeatureCode() {
		case "AIRB", "AIRP", "DAM", "PS", "PSTB", "PRT", "BDG", "HSP", "PRN", "MFG":
			return 1 // the facilities that conflict reports name, as often as a town
		}
		return -1
	}
	return 0
}

func prior(p geotag.Place, rank int) float64 {
	s := featurePrior(p)
	if p.Population > 0 {
		s += wPop * math.Log10(float64(p.Population)+1)
	}
	return s - wRank*math.Min(float64(rank), 10)
}

// group is every mention of one place-name key: one sense per discourse.
type group struct {
	key      string
	places   []geotag.Place
	members  []int     // indexes into spans
	boost    []float64 // context boosts per candidate from the members' surroundings
	score    []float64
	best     int
	surface  string    // the text of the group's first mention
	division bool      // the text says its mentions are divisions: "the Odesa region", "rural Hama"
	probs    []float64 // softmax of the final scores, set with order by rank
	order    []int     // candidates by final score, best first (stable)
}

// resolution is the state of resolving one text's spans.
type resolution struct {
	text      string
	toks      []token
	spans     []nameSpan
	opt       geotag.TagOptions
	groups    []*group
	spanGroup []int // per span, its group, or -1 (demonyms, abbreviations, unresolved names)
}

// resolve turns recognised spans into mentions, in phases: group the
// place names by key, read each mention's surroundings, score each name
// on its own, then with the document's countries, divisions and parents,
// then with the proximity of the other places; then make the mentions.
func (t *Tagger) resolve(text string, toks []token, spans []nameSpan, opt geotag.TagOptions) []geotag.Mention {
	if len(spans) == 0 {
		return []geotag.Mention{}
	}
	r := &resolution{text: text, toks: toks, spans: spans, opt: opt}
	t.groupSpans(r)
	all := r.groups
	r.groups = t.budgetGroups(r) // the others are chosen by prior alone
	for n := range spans {
		if gi := r.spanGroup[n]; gi >= 0 && gi < len(r.groups) {
			t.surroundings(r, n, r.groups[gi])
		}
	}
	for _, g := range r.groups {
		t.scoreAlone(g, opt)
	}
	ctx := t.newDocContext(r.groups)
	t.scoreCoherence(r.groups, ctx.related)
	t.scoreContext(r.groups, t.documentContext(r, ctx))
	t.scoreProximity(r.groups)
	r.groups = all
	// The seat preference holds whatever the context added to both.
	for _, g := range r.groups {
		if len(g.places) > 1 {
			seatBonus(g)
			g.best = argmax(g.score)
		}
		t.rank(g)
	}
	return t.mentions(r)
}

// rank sets g's probabilities and the order of its candidates, once for
// all its mentions.
func (t *Tagger) rank(g *group) {
	t.step(len(g.places))
	if len(g.probs) != len(g.score) {
		g.probs = make([]float64, len(g.score))
	}
	g.probs = softmaxTo(g.probs, g.score)
	g.order = make([]int, len(g.places))
	for c := range g.order {
		g.order[c] = c
	}
	// A stable insertion sort, best first: at most maxCandidates long, and
	// no closure to allocate.
	for a := 1; a < len(g.order); a++ {
		for b := a; b > 0 && g.score[g.order[b]] > g.score[g.order[b-1]]; b-- {
			g.order[b], g.order[b-1] = g.order[b-1], g.order[b]
		}
	}
}

// groupSpans gathers the place names into groups, one per key: one sense
// per discourse.
func (t *Tagger) groupSpans(r *resolution) {
	byKey := map[string]int{}
	r.spanGroup = make([]int, len(r.spans))
	countries := docCountries(r.spans)
	for n := range r.spans {
		sp := &r.spans[n]
		r.spanGroup[n] = -1
		if sp.kind != geotag.KindPlace || sp.unresolved > 0 {
			continue
		}
		gkey := sp.key
		division := t.lex.divisionCueAt(r.toks, sp.from, sp.to) || t.pluralDivision(r, n) != nil
		if division {
			gkey += "\x00division" // "Kharkiv region" is not the "Kharkiv" of the same text
		}
		gi, ok := byKey[gkey]
		if !ok {
			places := keepCandidates(sp.places, countries)
			gi = len(r.groups)
			byKey[gkey] = gi
			k := len(places)
			f := make([]float64, 3*k) // boost, score and probs in one allocation
			r.groups = append(r.groups, &group{key: sp.key, places: places, boost: f[:k:k], score: f[k : 2*k : 2*k], probs: f[2*k:], division: division})
		}
		g := r.groups[gi]
		if len(g.members) == 0 {
			g.surface = r.text[r.toks[sp.from].byteStart:r.toks[sp.to-1].byteEnd]
		}
		g.members = append(g.members, n)
		r.spanGroup[n] = gi
	}
}

// surroundings adds to g's boosts what the words around span n say: a
// container after it, "rural" before it, a cue word after it, the
// language rules' cue and preferred place.
func (t *Tagger) surroundings(r *resolution, n int, g *group) {
	sp, toks := &r.spans[n], r.toks
	if n+1 < len(r.spans) && (toks[sp.to-1].commaAfter && r.spans[n+1].from == sp.to || t.lex.inContainer(toks, sp.to, r.spans[n+1].from) || sp.inNext) {
		containerBoost(g, &r.spans[n+1])
	}
	if sp.from > 0 && toks[sp.from].gap == gapSpace && toks[sp.from-1].key == t.lex.kRural {
		for c, p := range g.places { // "rural Hama": the governorate or district around the town
			if isADM1(p) || isLowerDivision(p) {
				g.boost[c] = math.Max(g.boost[c], g.boost[c]+wCue)
			}
		}
	}
	if sp.cue != cueNone || sp.prefer != 0 {
		langBoost(g, sp)
	}
	t.listBoost(r, n, g)
	want, w := t.pluralDivision(r, n), wCue // "the Idlib and Hama provinces"
	if want == nil && sp.to < len(toks) && toks[sp.to].gap == gapSpace {
		want = t.lex.cueFeature(toks[sp.to].key)
		if t.lex.cueRiver.has(toks[sp.to].key) || t.lex.cueWater.has(toks[sp.to].key) {
			w = wWaterCue
		}
	}
	if want != nil {
		for c, p := range g.places {
			if want(p) {
				g.boost[c] = math.Max(g.boost[c], g.boost[c]+w)
			}
		}
	}
}

// containerBoost boosts the candidates of g that lie in the country or
// division the next mention y names: "X, Y".
func containerBoost(g *group, y *nameSpan) {
	var conts []geotag.Place
	if y.kind != geotag.KindPlace {
		conts = append(conts, y.alias)
	} else {
		for _, p := range y.places {
			if isCountry(p) || isADM1(p) {
				conts = append(conts, p)
			}
		}
	}
	for c, p := range g.places {
		for _, y := range conts {
			if p.Country == y.Country && (isCountry(y) || p.Admin1Code == y.Admin1Code) && p.ID != y.ID {
				g.boost[c] = math.Max(g.boost[c], wContainer)
			}
		}
	}
}

// scoreAlone scores what a name means on its own: prior, surroundings,
// the request's bias, the match of the name, seats and echoes (pass 0).
func (t *Tagger) scoreAlone(g *group, opt geotag.TagOptions) {
	if len(g.places) < 2 {
		return // one candidate: the scores rank nothing, its probability is 1
	}
	for c := range g.places {
		p := &g.places[c]
		g.score[c] = prior(*p, c) + g.boost[c] + biasScore(p, opt)
	}
	t.nameMatch(g)
	seatBonus(g)
	echoBonus(g)
}

// documentContext gathers the countries, divisions and places the names
// probably stand for, each name weighing by its own probabilities
// (demonyms and abbreviations with certainty).
func (t *Tagger) documentContext(r *resolution, ctx *docContext) *docContext {
	for n := range r.spans {
		if sp := &r.spans[n]; sp.kind != geotag.KindPlace {
			ctx.add(&sp.alias, 1, -1, true)
		}
	}
	var buf [maxCandidates]float64
	for gi, g := range r.groups {
		probs := softmaxTo(buf[:len(g.score)], g.score)
		for c := range g.places {
			if probs[c] > 0.02 {
				ctx.add(&g.places[c], probs[c], gi, isCountry(g.places[c]))
			}
		}
	}
	return ctx
}

// scoreContext adds the country, division and parent context of the
// other names (pass 1).
func (t *Tagger) scoreContext(groups []*group, ctx *docContext) {
	for gi, g := range groups {
		if len(g.places) < 2 {
			continue // one candidate: nothing to rank
		}
		for c := range g.places {
			p := &g.places[c]
			if p.Country != "" {
				g.score[c] += wCountry * ctx.countryW(gi, p)
			}
			if hasAdmin1(*p) {
				g.score[c] += wAdmin1 * math.Min(ctx.admin1W(gi, p), 1.5)
			}
			if p.ParentID != 0 {
				g.score[c] += wParent * math.Min(ctx.parentW(gi, p), 1)
			}
		}
		g.best = argmax(g.score)
	}
}

// proximityPoint is the best reading of a name that pulls the others.
type proximityPoint struct {
	lat, lon, w float64
	gi          int
}

// scoreProximity: places named together lie together (pass 2). Points of
// the other names' best readings (towns, sites, districts), weighted by
// their probability, pull the candidates of each name that are
// themselves points.
func (t *Tagger) scoreProximity(groups []*group) {
	var pts []proximityPoint
	for gi, g := range groups {
		p := g.places[g.best]
		if isMajor(p) || p.FeatureClass() == "H" || p.FeatureClass() == "L" {
			continue
		}
		pts = append(pts, proximityPoint{p.Lat, p.Lon, softmaxAt(g.score, g.best), gi})
		if len(pts) >= 40 {
			break
		}
	}
	if len(pts) == 0 {
		return
	}
	var order []int
	for gi, g := range groups {
		if len(g.places) < 2 {
			continue
		}
		// Only the leading candidates can win by proximity.
		order = topK(order[:0], g.score, 12)
		for _, c := range order {
			p := g.places[c]
			if isMajor(p) {
				continue
			}
			near := 0.0
			for _, q := range pts {
				if q.gi == gi || math.Abs(p.Lat-q.lat) > 12 {
					continue // beyond 12° of latitude the pull is under 1%
				}
				if near += q.w * math.Exp(-fastKm(p.Lat, p.Lon, q.lat, q.lon)/nearKm); near >= 2.5 {
					break // the pull counts up to 2.5: the rest cannot add to it
				}
			}
			g.score[c] += wNear * math.Min(near, 2.5)
		}
		g.best = argmax(g.score)
	}
}

// mentions makes the mentions of the spans, in order.
func (t *Tagger) mentions(r *resolution) []geotag.Mention {
	maxAlt := maxAlternatives
	if r.opt.MaxAlternatives > 0 {
		maxAlt = min(maxAlt, r.opt.MaxAlternatives)
	}
	out := make([]geotag.Mention, 0, len(r.spans))
	slab := newMentionSlab(r, maxAlt)
	for n := range r.spans {
		sp := &r.spans[n]
		m := r.mentionText(sp)
		switch {
		case sp.unresolved > 0:
			m.Precision = sp.unresolved
			m.Alternatives = []geotag.Candidate{}
		case sp.kind != geotag.KindPlace:
			p := sp.alias
			m.Place = &p
			m.Confidence = round3(sp.likelihood * 0.97)
			m.Precision = p.Precision()
			m.Alternatives = []geotag.Candidate{}
		default:
			g := r.groups[r.spanGroup[n]]
			t.step(min(maxAlt, len(g.places)))
			placeMention(&m, g, sp.likelihood, maxAlt, &slab)
		}
		out = append(out, m)
	}
	return out
}

// mentionText returns the mention of a span with its offsets, kind and
// text: without a clitic prefix, with a full stop it takes.
func (r *resolution) mentionText(sp *nameSpan) geotag.Mention {
	toks := r.toks
	m := geotag.Mention{Start: toks[sp.from].start, End: toks[sp.to-1].end, Kind: sp.kind}
	bstart, bend := toks[sp.from].byteStart, toks[sp.to-1].byteEnd
	for k := 0; k < sp.skip; k++ {
		_, n := utf8.DecodeRuneInString(r.text[bstart:])
		bstart += n
		m.Start++
	}
	if sp.takesStop {
		m.End++
		bend++
	}
	m.Text = r.text[bstart:bend]
	return m
}

// placeMention sets m's place, confidence, precision and alternatives
// from its group's ranking.
func placeMention(m *geotag.Mention, g *group, likelihood float64, maxAlt int, slab *mentionSlab) {
	probs, order := g.probs, g.order
	best := order[0]
	m.Place = slab.place(g.places[best])
	m.Confidence = round3(likelihood * probs[best])
	m.Precision = m.Place.Precision()
	m.Alternatives = slab.alternatives(min(maxAlt, len(order)-1))
	for _, c := range order[1:] {
		if len(m.Alternatives) == maxAlt {
			break
		}
		m.Alternatives = append(m.Alternatives, geotag.Candidate{Place: g.places[c], Score: round3(likelihood * probs[c])})
	}
}

// seatBonus prefers, among a name's candidates, the seat city of a
// division of the same name whose centre lies close to it: a bare "Aleppo",
// "Idlib" or "Kherson" in a report is the city, as ACLED codes it (precision
// 1, not 3), and "Idlib province" still picks the division through its cue
// word. Where the division is large and its centre far from the city (New
// York, Mexico), the name stays ambiguous and the other evidence decides.
func seatBonus(g *group) {
	var boostA, boostP float64
	for c, b := range g.boost {
		if g.places[c].FeatureClass() == "P" {
			boostP = math.Max(boostP, b)
		} else {
			boostA = math.Max(boostA, b)
		}
	}
	if boostA > boostP {
		return // a cue word ("Idlib province") already says which
	}
	// A national capital over a division of its country with its name:
	// "Washington" in news is the capital before the state.
	for _, a := range g.places {
		if !isADM1(a) {
			continue
		}
		for c, p := range g.places {
			if p.Feature == "P.PPLC" && p.Country == a.Country {
				g.score[c] = math.Max(g.score[c], g.score[argmaxOf(g, a.ID)]+wSeat)
			}
		}
	}
	for _, a := range g.places {
		if !isADM1(a) && !isLowerDivision(a) {
			continue
		}
		seat := -1 // of a lower division, only its best-scoring town: one seat each
		for c, p := range g.places {
			switch {
			case isADM1(a) && isSeatOf(p, a):
				g.score[c] = math.Max(g.score[c], g.score[argmaxOf(g, a.ID)]+wSeat)
			case !isADM1(a) && (isSeatOf(p, a) || isTownOfDistrict(p, a)) && (seat < 0 || g.score[c] > g.score[seat]):
				seat = c
			}
		}
		if seat >= 0 {
			g.score[seat] = math.Max(g.score[seat], g.score[argmaxOf(g, a.ID)]+wSeat)
		}
	}
}

// districtTownKm is how near a lower division's centre a town of its name
// lies to be the town the division is named after, whatever its population
// or recorded first-level division: Who's On First districts (Mindat, Renk,
// Pibor) carry large populations and first-level codes of another scheme,
// while their towns have no population on record, and their centres lie
// 40-70 km from the town.
const districtTownKm = 75.0

// isTownOfDistrict reports whether the town p lies within districtTownKm of
// the centre of the lower division a of its name in its country; a hamlet
// farther off is not its town.
func isTownOfDistrict(p, a geotag.Place) bool {
	return p.FeatureClass() == "P" && p.Country == a.Country && isLowerDivision(a) &&
		fastKm(p.Lat, p.Lon, a.Lat, a.Lon) < districtTownKm
}

// isLowerDivision reports whether p is a division below the first level.
func isLowerDivision(p geotag.Place) bool {
	switch p.Feature {
	case "A.ADM2", "A.ADM3", "A.ADMD":
		return true
	}
	return false
}

// isSeatOf reports whether the town p stands for the same-named division
// a when the text names it bare: the division's capital (its seat, in the
// same first-level division, however far the division's centre lies:
// Homs, Timbuktu), or, for a lower division, a seat or a town of 10,000 or
// more in its first-level division (or, where either has none, close to its
// centre): Douma and the Duma district, whose centre lies far out in the
// desert.
func isSeatOf(p, a geotag.Place) bool {
	if p.FeatureClass() != "P" || p.Country != a.Country {
		return false
	}
	code := p.FeatureCode()
	if isADM1(a) {
		if p.Admin1Code != a.Admin1Code {
			return false
		}
		return code == "PPLA" || code == "PPLC" || code == "PPLA2" && fastKm(p.Lat, p.Lon, a.Lat, a.Lon) < seatKm
	}
	if !strings.HasPrefix(code, "PPLA") && code != "PPLC" && p.Population < 10000 {
		return false // a hamlet of the same name is no seat
	}
	if hasAdmin1(p) && hasAdmin1(a) {
		return p.Admin1Code == a.Admin1Code
	}
	return fastKm(p.Lat, p.Lon, a.Lat, a.Lon) < seatKm
}

// argmaxOf returns the index of the candidate with the id.
func argmaxOf(g *group, id int64) int {
	for c, p := range g.places {
		if p.ID == id {
			return c
		}
	}
	return 0
}

// sameName reports whether the text spells a place's name, ignoring case,
// marks and punctuation: "Iran" is Iran, not Iraan; "Aleppo" is Aleppo.
func sameName(text, name string) bool {
	i, j := 0, 0
	for {
		for i < len(text) && !isNameByte(text[i]) {
			i++
		}
		for j < len(name) && !isNameByte(name[j]) {
			j++
		}
		if i == len(text) || j == len(name) {
			return i == len(text) && j == len(name)
		}
		a, b := text[i], name[j]
		if a >= utf8.RuneSelf || b >= utf8.RuneSelf {
			return strings.EqualFold(text[i:], name[j:]) // rare: compare the rest by Unicode case folding
		}
		if a|0x20 != b|0x20 {
			return false
		}
		i++
		j++
	}
}

func isNameByte(c byte) bool {
	return c >= utf8.RuneSelf || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// docContext accumulates, over the names of a document, how strongly each
// country, first-level division and place is implied, remembering each
// name's own share so that a name is never its own evidence.
type docContext struct {
	country map[string]float64 // from towns, divisions, features
	actor   map[string]float64 // from countries named as actors: "Russia said", "U.S. officials", "Syrian"
	admin1  map[admin1Key]float64
	ids     map[int64]float64
	shares  [][]geoShare // per group: the candidates it contributed, with weights
	related [][]int      // per group: itself and the groups whose names contain its name or are contained in it
}

type admin1Key struct{ cc, code string }

type geoShare struct {
	p     *geotag.Place
	w     float64
	actor bool
}

// newDocContext prepares the context of a document's groups, counting the
// pairs of names it compares.
func (t *Tagger) newDocContext(groups []*group) *docContext {
	if len(groups) <= 200 {
		t.step(len(groups) * len(groups))
	}
	return newDocContext(groups)
}

// newDocContext prepares the context of a document's groups. Names that
// contain one another ("Dublin" and "Dublin City", "Richmond" and "North
// Richmond") are no independent evidence for each other: each is left out
// of the other's context, as a name is of its own.
func newDocContext(groups []*group) *docContext {
	n := 0
	for _, g := range groups {
		n += len(g.places)
	}
	// Sized for the candidates at once: growing the maps cost more than
	// filling them on texts of many names.
	d := &docContext{country: map[string]float64{}, actor: map[string]float64{}, admin1: make(map[admin1Key]float64, n/2), ids: make(map[int64]float64, n),
		shares: make([][]geoShare, len(groups)), related: make([][]int, len(groups))}
	words := make([][]string, len(groups))
	if len(groups) <= 200 {
		for gi, g := range groups {
			words[gi] = strings.Fields(g.key)
		}
	}
	for gi := range groups {
		d.related[gi] = append(d.related[gi], gi)
		if len(groups) > 200 {
			continue
		}
		for hi := range groups {
			if hi != gi && nested(words[gi], words[hi]) {
				d.related[gi] = append(d.related[gi], hi)
			}
		}
	}
	return d
}

// nested reports whether the words of one key all occur in the other.
func nested(a, b []string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	for _, w := range a {
		found := false
		for _, x := range b {
			if x == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// add records that p is implied with weight w by group gi (-1 for demonyms
// and abbreviations, which are no group).
func (d *docContext) add(p *geotag.Place, w float64, gi int, actor bool) {
	if p.Country != "" {
		if actor {
			d.actor[p.Country] += w
		} else {
			d.country[p.Country] += w
		}
		if hasAdmin1(*p) {
			d.admin1[admin1Key{p.Country, p.Admin1Code}] += w
		}
	}
	d.ids[p.ID] += w
	if gi >= 0 {
		d.shares[gi] = append(d.shares[gi], geoShare{p, w, actor})
	}
}

func hasAdmin1(p geotag.Place) bool { return p.Admin1Code != "" && p.Admin1Code != "00" }

// countryW, admin1W and parentW return the evidence for p's country,
// division and parent from every group but gi.
func (d *docContext) countryW(gi int, p *geotag.Place) float64 {
	w, a := d.country[p.Country], d.actor[p.Country]
	for _, h := range d.related[gi] {
		for _, s := range d.shares[h] {
			if s.p.Country == p.Country {
				if s.actor {
					a -= s.w
				} else {
					w -= s.w
				}
			}
		}
	}
	// Places of a country say where the story is; the country named as an
	// actor says less ("U.S. officials" in a report from Geneva).
	return math.Min(w, 3) + math.Min(a*wActor, 1)
}

func (d *docContext) admin1W(gi int, p *geotag.Place) float64 {
	w := d.admin1[admin1Key{p.Country, p.Admin1Code}]
	for _, h := range d.related[gi] {
		for _, s := range d.shares[h] {
			if s.p.Country == p.Country && s.p.Admin1Code == p.Admin1Code {
				w -= s.w
			}
		}
	}
	return w
}

func (d *docContext) parentW(gi int, p *geotag.Place) float64 {
	w := d.ids[p.ParentID]
	for _, h := range d.related[gi] {
		for _, s := range d.shares[h] {
			if s.p.ID == p.ParentID {
				w -= s.w
			}
		}
	}
	return w
}

// inContainer reports whether the tokens between a name ending at j and the
// next name starting at k say "in" it: "Nice in southern France", "Tripoli
// in Lebanon".
func (l *lexicon) inContainer(toks []token, j, k int) bool {
	if k <= j || k > j+2 || toks[j].key != l.kIn || !toks[j].lower || toks[j].gap != gapSpace || toks[k].gap != gapSpace {
		return false
	}
	if k == j+2 && !l.dirAdj.has(toks[j+1].key) {
		return false
	}
	return true
}

// divisionCueAt reports whether the words around tokens [i, j) say the
// name is a division: "Idlib province", "the Raqqa countryside", "rural
// Hama".
func (l *lexicon) divisionCueAt(toks []token, i, j int) bool {
	if i > 0 && toks[i].gap == gapSpace && toks[i-1].key == l.kRural {
		return true
	}
	if j < len(toks) && toks[j].gap == gapSpace {
		return l.cueADM1.has(toks[j].key) || l.cueADM2.has(toks[j].key)
	}
	return false
}

// cueFeature returns a test for the candidates that a word after a name
// points to: "Idlib province" is a division, "Laurel County" a county.
func (l *lexicon) cueFeature(key string) func(geotag.Place) bool {
	switch {
	case l.cueADM1.has(key):
		return isADM1
	case l.cueADM2.has(key):
		return func(p geotag.Place) bool { c := p.Feature; return c == "A.ADM2" || c == "A.ADM3" || c == "P.PPLX" }
	case l.cueP.has(key):
		return func(p geotag.Place) bool { return p.FeatureClass() == "P" }
	case l.cueRiver.has(key):
		return func(p geotag.Place) bool { return p.Feature == "H.STM" || p.FeatureClass() == "H" }
	case l.cueWater.has(key):
		return func(p geotag.Place) bool { return p.FeatureClass() == "H" }
	case l.cueRelief.has(key):
		return func(p geotag.Place) bool { return p.FeatureClass() == "T" || p.FeatureClass() == "L" }
	}
	return nil
}

func biasScore(p *geotag.Place, opt geotag.TagOptions) float64 {
	s := 0.0
	for _, c := range opt.Countries {
		if len(c) == 2 && (c == p.Country || c[0]|0x20 == p.Country[0]|0x20 && len(p.Country) == 2 && c[1]|0x20 == p.Country[1]|0x20) {
			s = wBias
			break
		}
	}
	if opt.BBox != nil && opt.BBox.Contains(p.Lat, p.Lon) {
		s = math.Max(s, wBias)
	}
	return s
}

// topK appends to dst the indexes of the k highest scores.
func topK(dst []int, xs []float64, k int) []int {
	for i := range xs {
		dst = append(dst, i)
	}
	if len(dst) > k {
		sort.Slice(dst, func(a, b int) bool { return xs[dst[a]] > xs[dst[b]] })
		dst = dst[:k]
	}
	return dst
}

// fastKm is the equirectangular approximation of the distance between two
// points: within a few percent of the great circle at the distances where
// proximity matters.
func fastKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088 * math.Pi / 180
	dl := math.Abs(lon2 - lon1)
	if dl > 180 {
		dl = 360 - dl
	}
	x := dl * math.Cos((lat1+lat2)*math.Pi/360)
	y := lat2 - lat1
	return r * math.Sqrt(x*x+y*y)
}

func argmax(xs []float64) int {
	b := 0
	for i, x := range xs {
		if x > xs[b] {
			b = i
		}
	}
	return b
}

func softmax(xs []float64) []float64 {
	return softmaxTo(make([]float64, len(xs)), xs)
}

// softmaxTo writes the softmax of xs into out (of xs's length) and
// returns it.
func softmaxTo(out, xs []float64) []float64 {
	if len(xs) == 0 {
		return out
	}
	m := xs[argmax(xs)]
	sum := 0.0
	for i, x := range xs {
		out[i] = math.Exp((x - m) / temperature)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// softmaxAt returns softmax(xs)[i], the same number, without a slice.
func softmaxAt(xs []float64, i int) float64 {
	m := xs[argmax(xs)]
	sum := 0.0
	for _, x := range xs {
		sum += math.Exp((x - m) / temperature)
	}
	return math.Exp((xs[i]-m)/temperature) / sum
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
