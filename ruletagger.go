package geotag

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// RuleTagger is a Tagger that applies the desk's rules and places to
// another tagger's mentions: where an enabled rule's words appear in the
// text within its scope, they become its place (the tagger's choice kept
// among the alternatives, Mention.Rule saying why) or, for RuleNotPlace,
// are dropped; where a desk place's name appears, it becomes that place.
// Rules rank above desk places, and both above the gazetteer; a longer
// name the tagger found around the words wins over them. It is safe for
// concurrent use; SetRules and SetDeskPlaces replace what it applies.
type RuleTagger struct {
	next Tagger
	snap atomic.Pointer[ruleSet]
	keys *wordKeys
	set  sync.Mutex // held by SetRules and SetDeskPlaces, so neither loses the other's change
}

// ruleSet is one immutable snapshot of what the RuleTagger applies.
type ruleSet struct {
	rules []Rule
	desk  []DeskPlace
	byKey map[string]*ruleEntry // a name key → what it means
	toks  map[string]bool       // every token of every key
	maxN  int                   // tokens of the longest key
}

// ruleEntry is what one name key means: the rules with those words, most
// specific scope first, and the desk places named so.
type ruleEntry struct {
	rules []*Rule
	desk  []Place
}

// NewRuleTagger applies no rules (yet) to next's mentions.
func NewRuleTagger(next Tagger) *RuleTagger {
	t := &RuleTagger{next: next, keys: &wordKeys{}}
	t.snap.Store(buildRuleSet(nil, nil))
	return t
}

// SetRules replaces the rules (disabled ones are kept out).
func (t *RuleTagger) SetRules(rules []Rule) {
	t.set.Lock()
	defer t.set.Unlock()
	t.snap.Store(buildRuleSet(rules, t.snap.Load().desk))
}

// SetDeskPlaces replaces the desk places.
func (t *RuleTagger) SetDeskPlaces(ds []DeskPlace) {
	t.set.Lock()
	defer t.set.Unlock()
	t.snap.Store(buildRuleSet(t.snap.Load().rules, ds))
}

func buildRuleSet(rules []Rule, desk []DeskPlace) *ruleSet {
	s := &ruleSet{rules: rules, desk: desk, byKey: map[string]*ruleEntry{}, toks: map[string]bool{}}
	entry := func(key string) *ruleEntry {
		e := s.byKey[key]
		if e == nil {
			e = &ruleEntry{}
			s.byKey[key] = e
			toks := strings.Split(key, " ")
			s.maxN = max(s.maxN, len(toks))
			for _, k := range toks {
				s.toks[k] = true
			}
		}
		return e
	}
	for i := range rules {
		r := &rules[i]
		if r.Disabled || r.Key == "" {
			continue
		}
		e := entry(r.Key)
		e.rules = append(e.rules, r)
	}
	for _, e := range s.byKey {
		slices.SortStableFunc(e.rules, func(a, b *Rule) int { return scopeSize(b) - scopeSize(a) })
	}
	for _, d := range desk {
		if len(d.Names) == 0 {
			continue
		}
		for _, n := range d.Names {
			if k := NameKey(n); k != "" {
				e := entry(k)
				if !slices.ContainsFunc(e.desk, func(p Place) bool { return p.ID == d.ID }) {
					e.desk = append(e.desk, d.Place())
				}
			}
		}
	}
	return s
}

// scopeSize counts a rule's scope fields: the more specific rule wins.
func scopeSize(r *Rule) int {
	n := 0
	for _, set := range []bool{r.Country != "", r.BBox != nil, r.Feed != "", r.Domain != ""} {
		if set {
			n++
		}
	}
	return n
}

// Version is the next tagger's, marked as the desk's.
func (t *RuleTagger) Version() string { return t.next.Version() + " +desk" }

// Language is the next tagger's, when it tells.
func (t *RuleTagger) Language(text string) string { return TextLanguage(t.next, text) }

// Tag tags text with the next tagger and applies the rules and desk
// places; its outcomes are the next tagger's.
func (t *RuleTagger) Tag(ctx context.Context, text string, opt TagOptions) ([]Mention, error) {
	ms, err := t.next.Tag(ctx, text, opt)
	if err != nil {
		return ms, err
	}
	s := t.snap.Load()
	if len(s.byKey) == 0 {
		return ms, nil
	}
	out := s.apply(t.keys, text, opt, ms)
	if opt.MaxMentions > 0 && len(out) > opt.MaxMentions {
		out = out[:opt.MaxMentions]
	}
	return out, nil
}

// word is one word of a text: its code-point span and its token keys.
type word struct {
	start, end int
	key        string
}

// words splits text as NameKey does, in one pass, keeping the spans.
func words(keys *wordKeys, text string) []word {
	var out []word
	start, i, bstart := -1, 0, 0
	flush := func(bend int) {
		k := keys.key(text[bstart:bend])
		for k != "" {
			one, rest, _ := strings.Cut(k, " ")
			out = append(out, word{start, i, one})
			k = rest
		}
		start = -1
	}
	for b, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start, bstart = i, b
			}
		} else if start >= 0 {
			flush(b)
		}
		i++
	}
	if start >= 0 {
		flush(len(text))
	}
	return out
}

// match is one span of the text a rule or a desk place decides.
type match struct {
	start, end int
	rule       *Rule  // nil for a desk place
	place      *Place // the place; nil for RuleNotPlace
}

// apply finds the matches and merges them into ms.
func (s *ruleSet) apply(keys *wordKeys, text string, opt TagOptions, ms []Mention) []Mention {
	ws := words(keys, text)
	var found []match
	for i := 0; i < len(ws); i++ {
		if !s.toks[ws[i].key] {
			continue
		}
		n := 0 // the longest key made of known tokens from here
		for n < s.maxN && i+n < len(ws) && s.toks[ws[i+n].key] {
			n++
		}
		for ; n > 0; n-- {
			keys := make([]string, n)
			for j := range n {
				keys[j] = ws[i+j].key
			}
			e := s.byKey[JoinKeys(keys)]
			if e == nil {
				continue
			}
			if m, ok := e.decide(opt, ms); ok {
				m.start, m.end = ws[i].start, ws[i+n-1].end
				found = append(found, m)
				i += n - 1
				break
			}
		}
	}
	if len(found) == 0 {
		return ms
	}
	return merge(text, ms, found, opt.MaxAlternatives)
}

// decide returns what the words mean in this text: the first rule in
// scope, else the first desk place.
func (e *ruleEntry) decide(opt TagOptions, ms []Mention) (match, bool) {
	for _, r := range e.rules {
		if r.inScope(opt, ms) {
			return match{rule: r, place: r.Place}, true
		}
	}
	if len(e.desk) > 0 {
		p := e.desk[0]
		return match{place: &p}, true
	}
	return match{}, false
}

// merge puts the matches into ms (both sorted by start): a tagger's
// mention overlapping a match gives way to it, its places kept as the
// new mention's alternatives, unless it is longer and holds the match.
func merge(text string, ms []Mention, found []match, maxAlts int) []Mention {
	if maxAlts <= 0 || maxAlts > 5 {
		maxAlts = 5
	}
	runes := []rune(text)
	out := make([]Mention, 0, len(ms)+len(found))
	j := 0
	for _, f := range found {
		for ; j < len(ms) && ms[j].End <= f.start; j++ {
			out = append(out, ms[j])
		}
		var over []Mention
		k := j
		for ; k < len(ms) && ms[k].Start < f.end; k++ {
			over = append(over, ms[k])
		}
		if len(over) == 1 && over[0].End-over[0].Start > f.end-f.start && over[0].Start <= f.start && over[0].End >= f.end {
			continue // a longer name around the words: the tagger's stays (added by the loop above next time)
		}
		if f.rule == nil && len(over) == 1 && over[0].Start == f.start && over[0].End == f.end && over[0].Place != nil && IsDeskPlaceID(over[0].Place.ID) {
			continue // the tagger chose a desk place already
		}
		j = k
		if f.place == nil {
			continue // not a place
		}
		m := Mention{Start: f.start, End: f.end, Text: string(runes[f.start:f.end]), Kind: KindPlace, Confidence: 1,
			Precision: f.place.Precision(), Place: clonePlace(f.place), Alternatives: alternatives(over, f.place.ID, maxAlts)}
		if f.rule != nil {
			m.Rule = f.rule.Ref()
		}
		out = append(out, m)
	}
	return append(out, ms[j:]...)
}

// alternatives returns the places of the mentions a match replaced and
// their alternatives, best first, without the match's place.
func alternatives(over []Mention, id int64, limit int) []Candidate {
	alts := []Candidate{}
	seen := map[int64]bool{id: true}
	add := func(c Candidate) {
		if len(alts) < limit && !seen[c.ID] {
			seen[c.ID] = true
			alts = append(alts, c)
		}
	}
	for _, m := range over {
		if m.Place != nil {
			add(Candidate{Place: *m.Place, Score: m.Confidence})
		}
		for _, a := range m.Alternatives {
			add(a)
		}
	}
	return alts
}

// SyncRules is a RuleService that, after every change, gives the new list
// to the rule tagger.
type SyncRules struct {
	RuleService
	Tagger *RuleTagger
}

// Reload reads the rules and hands them on.
func (s SyncRules) Reload(ctx context.Context) error {
	rs, err := s.RuleService.Rules(context.WithoutCancel(ctx))
	if err != nil {
		return err
	}
	s.Tagger.SetRules(rs)
	return nil
}

// CreateRule stores r and reloads.
func (s SyncRules) CreateRule(ctx context.Context, r *Rule) error {
	if err := s.RuleService.CreateRule(ctx, r); err != nil {
		return err
	}
	return s.Reload(ctx)
}

// UpdateRule changes the rule and reloads.
func (s SyncRules) UpdateRule(ctx context.Context, id, by string, fn func(*Rule) error) (Rule, error) {
	r, err := s.RuleService.UpdateRule(ctx, id, by, fn)
	if err != nil {
		return r, err
	}
	return r, s.Reload(ctx)
}

// DeleteRule removes the rule and reloads.
func (s SyncRules) DeleteRule(ctx context.Context, id, by string) error {
	if err := s.RuleService.DeleteRule(ctx, id, by); err != nil {
		return err
	}
	return s.Reload(ctx)
}
