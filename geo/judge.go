package geo

import "github.com/geotag/geotag"

// verdict is what a rule of judge says about a span the gazetteer knows.
type verdict uint8

const (
	vPass    verdict = iota // the rule says nothing: the next rule decides
	vShorter                // not this span; try a shorter one at the same token
	vAccept                 // a mention
	vSkip                   // not a place, and neither is any part of it: move past it
)

// textCues is what the whole text says about its words, gathered before
// the scan, and the names the scan has accepted so far.
type textCues struct {
	persons   map[string]int  // person evidence per key (personKeys)
	diseases  map[string]int  // uses in a disease's name (diseaseKeys)
	orgs      map[string]int  // uses in an organisation's name (orgKeys)
	locatives map[string]int  // uses after a locative word (locativeKeys)
	accepted  map[string]bool // keys accepted as places: one sense per discourse
}

// textCues gathers the cues of a text's tokens.
func (t *Tagger) textCues(text string, toks []token) *textCues {
	return &textCues{
		persons:   t.personKeys(text, toks),
		diseases:  t.lex.diseaseKeys(toks),
		orgs:      t.orgKeys(toks),
		locatives: t.locativeKeys(toks),
		accepted:  map[string]bool{},
	}
}

// spanCase is one span under judgement, with its surroundings.
type spanCase struct {
	t         *Tagger
	text      string
	toks      []token
	sp        *nameSpan
	cues      *textCues
	isAlias   bool   // the key is a demonym or an abbreviation
	aliasKind string // then geotag.KindDemonym or KindAbbreviation
	lastEnd   int    // the end of the last span accepted, 0 when none

	first, prev, next       *token // prev and next are nil at the text's ends
	single                  bool   // one token
	spaceBefore, spaceAfter bool   // a space (no break) joins the token before or after
	key                     string // the first token's key

	// Set for spans with places, before the place rules.
	top      geotag.Place // the most important candidate
	major    bool         // top stands as a place on its own (isMajor, unless an English word)
	evidence int8         // 0 not asked yet, 1 no, 2 yes (hasEvidence)
}

// spanRule is one named rule of judge.
type spanRule struct {
	name string
	rule func(c *spanCase) verdict
}

// nameRules apply to every span the gazetteer knows, in order.
var nameRules = [...]spanRule{
	{"contraction", ruleContraction},
	{"currency", ruleCurrency},
	{"demonym", ruleDemonym},
	{"abbreviation", ruleAbbreviation},
	{"alias without places", ruleAliasOnly},
}

// placeRules apply, in order, to the spans that name places; a span that
// passes them all is a place.
var placeRules = [...]spanRule{
	{"not a place word", ruleNotPlaceWord},
	{"function word", ruleFunctionWord},
	{"caseless minor place", ruleCaselessMinor},
	{"short word", ruleShortWord},
	{"acronym", ruleAcronym},
	{"street name", ruleStreet},
	{"organisation word after", ruleOrgAfter},
	{"armed group", ruleArmedGroup},
	{"organisation opener before", ruleOrgOpener},
	{"compound", ruleCompound},
	{"numbered unit", ruleNumberedUnit},
	{"given name or title before", rulePersonBefore},
	{"person elsewhere in the text", rulePersonElsewhere},
	{"first name", ruleFirstName},
	{"first name before an unknown name", ruleGivenBeforeName},
	{"surname after an unknown name", ruleSurname},
	{"obscure variant", ruleObscureVariant},
	{"given name alone", ruleGivenAlone},
	{"English word", ruleEnglishWord},
	{"disease or organisation word", ruleDiseaseOrOrg},
}

// judge decides whether a span that the gazetteer knows is a mention: the
// first rule with a verdict decides; a place that passes every rule is a
// mention. It sets the span's kind and likelihood.
func (t *Tagger) judge(c *spanCase) verdict {
	c.t = t
	c.first = &c.toks[c.sp.from]
	c.prev, c.next = nil, nil
	if c.sp.from > 0 {
		c.prev = &c.toks[c.sp.from-1]
	}
	if c.sp.to < len(c.toks) {
		c.next = &c.toks[c.sp.to]
	}
	c.single = c.sp.to-c.sp.from == 1
	c.spaceBefore = c.prev != nil && c.first.gap == gapSpace
	c.spaceAfter = c.next != nil && c.next.gap == gapSpace
	c.key = c.first.key
	for _, r := range nameRules {
		if v := r.rule(c); v != vPass {
			return v
		}
	}
	c.setPlace()
	for _, r := range placeRules {
		if v := r.rule(c); v != vPass {
			return v
		}
	}
	return vAccept
}

// setPlace prepares a span with places for the place rules.
func (c *spanCase) setPlace() {
	c.top = c.sp.places[0]
	c.major = isMajor(c.top)
	if c.major && c.single && c.first.flags&fEnglish != 0 && geotag.NameKey(c.top.Name) != c.first.key {
		c.major = false // "Take" is an alternate name of Turkey in some language, not in English text
	}
	c.sp.kind = geotag.KindPlace
	c.sp.likelihood = 0.85
	if !c.single {
		c.sp.likelihood = 0.9
	}
	c.evidence = 0
}

// hasEvidence reports whether the context marks the span as a place
// (evidence) or the text accepted its name as a place before.
func (c *spanCase) hasEvidence() bool {
	if c.evidence == 0 {
		c.evidence = 1
		if c.t.evidence(c.toks, c.sp.from, c.sp.to, c.lastEnd) || c.cues.accepted[c.key] {
			c.evidence = 2
		}
	}
	return c.evidence == 2
}

func ruleContraction(c *spanCase) verdict {
	if c.first.contraction || c.toks[c.sp.to-1].contraction {
		return vShorter
	}
	return vPass
}

// ruleCurrency: "US$", "A$", "HK$".
func ruleCurrency(c *spanCase) verdict {
	if e := c.toks[c.sp.to-1].byteEnd; e < len(c.text) && c.text[e] == '$' {
		return vSkip
	}
	return vPass
}

func ruleDemonym(c *spanCase) verdict {
	if !c.isAlias || c.aliasKind != geotag.KindDemonym {
		return vPass
	}
	sp := c.sp
	if c.single && c.t.lex.isLanguageUse(c.toks, sp.from) {
		return vSkip // "in English", "Russian-speaking", "Arabic translation"
	}
	if c.first.cap && !(len(sp.places) > 0 && isMajor(sp.places[0]) && !c.single) {
		sp.kind, sp.likelihood = geotag.KindDemonym, 0.75
		sp.places = nil
		return vAccept
	}
	return vPass
}

func ruleAbbreviation(c *spanCase) verdict {
	if !c.isAlias || c.aliasKind != geotag.KindAbbreviation {
		return vPass
	}
	sp, first := c.sp, c.first
	if c.prev != nil && c.prev.digit && first.gap == gapSpace && !isCountry(sp.alias) {
		return vSkip // "500 B.C.": an era after a number, not British Columbia ("10 U.S. soldiers" stays)
	}
	if c.single && (first.dotted || first.upper) {
		if first.upper && !first.dotted && c.t.allCapsContext(c.toks, sp.from) {
			return vSkip
		}
		sp.kind, sp.likelihood = geotag.KindAbbreviation, 0.9
		sp.places = nil
		return vAccept
	}
	if c.single && first.cap && first.dotAfter && !first.sentStart {
		// "Calif.", "Va.": a capitalised abbreviation written with its stop.
		sp.kind, sp.likelihood, sp.takesStop = geotag.KindAbbreviation, 0.85, true
		sp.places = nil
		return vAccept
	}
	return vPass
}

// ruleAliasOnly: an alias the rules above did not take, with no place of
// that name.
func ruleAliasOnly(c *spanCase) verdict {
	if c.isAlias && len(c.sp.places) == 0 {
		return vShorter
	}
	return vPass
}

func ruleNotPlaceWord(c *spanCase) verdict {
	if c.t.lex.notPlace.has(string(c.sp.keyScratch)) || c.single && c.t.lex.groups.has(c.first.key) {
		return vSkip
	}
	return vPass
}

// ruleFunctionWord: function words, calendar words and generic nouns alone.
func ruleFunctionWord(c *spanCase) verdict {
	if c.single && c.first.flags&(fStop|fCalendar|fGeneric|fStopArabic) != 0 {
		return vShorter
	}
	return vPass
}

// ruleCaselessMinor: without capitals, only well-known places stand alone.
func ruleCaselessMinor(c *spanCase) verdict {
	if c.single && c.first.caseless && !prominent(c.top) {
		return vShorter
	}
	return vPass
}

func ruleShortWord(c *spanCase) verdict {
	if c.single && len(c.key) < 3 && !c.first.upper && runeLen(c.text, c.first) < 3 {
		return vShorter
	}
	return vPass
}

// ruleAcronym: an acronym in running text (ISIS, NATO, CNN) unless it is a
// country's or opens a dateline ("BEIRUT (AP)", "CHARLESTON, W.Va.").
func ruleAcronym(c *spanCase) verdict {
	if !c.single || !c.first.upper || c.t.allCapsContext(c.toks, c.sp.from) {
		return vPass
	}
	if !(isCountry(c.top) && len(c.key) >= 3 || len(c.key) >= 4 && (c.first.sentStart || c.first.commaAfter)) {
		return vSkip
	}
	return vPass
}

// ruleStreet: "Clark Drive", "Lincoln Avenue" (streetAt takes them whole).
func ruleStreet(c *spanCase) verdict {
	if c.spaceAfter && c.next.cap && c.next.flags&fStreet != 0 && !c.major {
		return vSkip
	}
	return vPass
}

// ruleOrgAfter: "Sham Front", "Jordan Times".
func ruleOrgAfter(c *spanCase) verdict {
	if c.spaceAfter && c.next.cap && c.next.flags&fOrgAfter != 0 && !c.major {
		return vSkip
	}
	return vPass
}

// ruleArmedGroup: "Arakan Army", "Kachin Independence Army", "Donbas
// Liberation Front": a division or town that starts a run of at most three
// capitalised words ending the name in an armed group's word (army, front,
// brigade, battalion, militia) names the group, not a place. Countries keep
// their name ("Ukraine Army" is still about Ukraine), and so does a name
// that goes on ("California Army National Guard").
func ruleArmedGroup(c *spanCase) verdict {
	if isCountry(c.top) {
		return vPass
	}
	toks := c.toks
	for k := c.sp.to; k < len(toks) && k < c.sp.to+3; k++ {
		tk := &toks[k]
		if tk.gap != gapSpace || !tk.cap || tk.sentStart {
			return vPass
		}
		if c.t.lex.armedGroup.has(tk.key) {
			if k+1 < len(toks) && toks[k+1].gap == gapSpace && toks[k+1].cap {
				return vPass
			}
			return vSkip
		}
	}
	return vPass
}

// ruleOrgOpener: "Jabhat al-Nusra".
func ruleOrgOpener(c *spanCase) verdict {
	if c.t.orgOpener(c.toks, c.sp.from) {
		return vSkip
	}
	return vPass
}

// ruleCompound: "Wal-Mart", "Coca-Cola".
func ruleCompound(c *spanCase) verdict {
	n := c.next
	if c.single && n != nil && n.gap == gapHyphen && n.cap && !c.major && !n.upper &&
		(len(c.key) <= 3 || len(c.t.g.Lookup(n.key)) == 0 && !c.t.isAlias(n.key)) {
		return vSkip
	}
	return vPass
}

// ruleNumberedUnit: "Pack 179".
func ruleNumberedUnit(c *spanCase) verdict {
	if c.single && c.spaceAfter && c.next.digit && c.first.flags&fEnglish != 0 && !c.major {
		return vSkip
	}
	return vPass
}

// rulePersonBefore: "John Kerry", "Michael Jordan", "President Obama".
func rulePersonBefore(c *spanCase) verdict {
	p := c.prev
	if p != nil && p.cap && !p.dotted && (c.spaceBefore && p.flags&fGivenAll != 0 ||
		p.flags&fTitles != 0 && (c.spaceBefore || p.dotAfter && c.first.dotGap)) {
		return vSkip
	}
	return vPass
}

// rulePersonElsewhere weighs the person evidence of the whole text: 2 per
// strong cue (a first name, a title, an age, "X's wife"), 1 per verb of
// saying, which towns share ("Tbilisi says"); each locative use ("in X")
// counts 2 against. "Kerry said" after "John Kerry" is a person; "Kyiv
// said … Kyiv announced" is still Kyiv.
func rulePersonElsewhere(c *spanCase) verdict {
	pw := personWeight(c.cues.persons[c.key], c.top.Feature == "P.PPLC") - 2*c.cues.locatives[c.key]
	if c.single && !c.major && (pw >= 2 || pw == 1 && !prominent(c.top)) {
		return vSkip
	}
	return vPass
}

// ruleFirstName: "Michael Jordan", "Jordan Matthews": a first name, not
// the Isle of Man's Michael.
func ruleFirstName(c *spanCase) verdict {
	if c.single && c.t.firstNameAt(c.toks, c.sp.from, c.top) {
		return vSkip
	}
	return vPass
}

// ruleGivenBeforeName: "Victoria Nuland", "Nino Burjanadze": the first
// name of a person.
func ruleGivenBeforeName(c *spanCase) verdict {
	if (!c.major || c.single && c.first.flags&fGivenAll != 0 && !isCountry(c.top)) &&
		c.spaceAfter && c.next.cap && !c.next.sentStart && c.t.unknownName(c.next) {
		return vSkip
	}
	return vPass
}

// ruleSurname: "Demetrius Clark".
func ruleSurname(c *spanCase) verdict {
	if !c.major && c.spaceBefore && !c.first.sentStart && c.t.unknownName(c.prev) {
		return vSkip
	}
	return vPass
}

// ruleObscureVariant: "Galileo" is only an alternate name of a Haitian
// hamlet.
func ruleObscureVariant(c *spanCase) verdict {
	if c.single && !c.major && !c.hasEvidence() && obscureVariant(c.text[c.first.byteStart:c.first.byteEnd], c.sp.places) {
		return vShorter
	}
	return vPass
}

// ruleGivenAlone: "Patrick", "George" alone.
func ruleGivenAlone(c *spanCase) verdict {
	f := c.first.flags
	if c.single && !c.major && !c.hasEvidence() &&
		(f&fGiven != 0 && c.top.Population < 250000 || f&fGivenAll != 0 && c.top.Population < 100000) {
		return vShorter
	}
	return vPass
}

// ruleEnglishWord: ordinary English words that are also names of towns
// (Nice, Reading, Police, Mobile) need a country, a major place, or
// evidence.
func ruleEnglishWord(c *spanCase) verdict {
	first := c.first
	if !c.single || first.flags&fEnglish == 0 {
		return vPass
	}
	switch {
	case isCountry(c.top):
		c.sp.likelihood = 0.85
	case c.major && !first.sentStart:
		c.sp.likelihood = 0.8
	case c.hasEvidence() && !first.sentStart:
		c.sp.likelihood = 0.7
	case c.hasEvidence() && first.sentStart && (c.cues.accepted[c.key] || c.t.containerAfter(c.toks, c.sp.to)):
		c.sp.likelihood = 0.7
	default:
		return vShorter
	}
	return vPass
}

// ruleDiseaseOrOrg: a one-word minor place whose word the text uses more
// in a disease's or an organisation's name than after a locative word:
// "Ebola" after "Ebola virus", "Nusra" after "Jabhat al-Nusra".
func ruleDiseaseOrOrg(c *spanCase) verdict {
	k := c.sp.keyScratch
	if isMajor(c.sp.places[0]) || countKeyTokens(k) != 1 {
		return vPass
	}
	loc := c.cues.locatives[string(k)]
	if c.cues.diseases[string(k)] > loc || c.cues.orgs[string(k)] > loc {
		return vSkip
	}
	return vPass
}
