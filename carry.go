package geotag

import (
	"slices"
	"time"
	"unicode/utf8"
)

// CarryInput is what a text edit needs of the report before it to carry
// the corrections made by hand over to the new text.
type CarryInput struct {
	OldText  string
	Mentions []Mention  // the mentions of OldText
	Location *Location  // the main location; nil when the edit sets its own point
	History  []Revision // the report's history before the edit
	NewText  string
	Tagged   []Mention // the tagger's mentions of NewText, in order
}

// CarryOutcome is the new text's mentions with the corrections carried
// over, the index of the main mention a person chose (-1 when there is
// none, or when its words are gone), and what was carried and dropped.
type CarryOutcome struct {
	Mentions []Mention
	Main     int
	Carried  []Carry
	Dropped  []Carry
}

// CarryCorrections carries the corrections made by hand to the mentions
// of in.OldText over to in.Tagged, the mentions of the edited text. It is a
// pure function: it changes none of its inputs, and the same input gives
// the same outcome, however often it runs (store transactions may call
// their fn more than once).
//
//   - A mention a person corrected (Manual: a place picked, a point set, a
//     mention added) and the mention chosen as the main location are found
//     again by their words in the new text: the whole-word occurrence
//     nearest their old relative position, matched case-sensitively first,
//     then by NameKey; an occurrence is given to one correction
//     only. The corrected mention, place and all, takes that span, and any
//     tagged mention overlapping it goes. The original correction's
//     author and time are kept (found in the history).
//   - A name removed as not a place (a "remove" revision whose name no
//     mention has any more) stays removed: every tagged mention with its
//     NameKey goes.
//   - Corrections whose words are not in the new text are Dropped, with
//     their span in the old text.
//
// Carried lists, in order of the old mentions, each correction carried
// and each removal applied (one per tagged mention removed).
func CarryCorrections(in CarryInput) CarryOutcome {
	out := CarryOutcome{Main: -1, Carried: []Carry{}, Dropped: []Carry{}}
	main := -1
	if l := in.Location; l != nil && l.Provenance.Method == MethodManual && l.Mention >= 0 && l.Mention < len(in.Mentions) && in.Mentions[l.Mention].Place != nil {
		main = l.Mention
	}
	var carried placedMentions
	out.Dropped = carried.place(in, main, out.Dropped)

	// The tagged mentions that no carried one overlaps, less removed names.
	removed := removedNames(in.History, in.Mentions)
	var removals []Carry
	ms := []Mention{}
	for _, m := range in.Tagged {
		if carried.overlaps(m.Start, m.End) {
			continue
		}
		if rv, ok := removed[NameKey(m.Text)]; ok {
			removals = append(removals, Carry{Action: ActionRemove, Text: m.Text, Start: m.Start, End: m.End, Mention: -1, By: rv.By, At: rv.At})
			continue
		}
		ms = append(ms, *cloneMention(m))
	}
	for _, p := range carried {
		ms = append(ms, p.m)
	}
	slices.SortStableFunc(ms, func(a, b Mention) int { return a.Start - b.Start })
	out.Mentions = ms

	for _, p := range carried {
		j := slices.IndexFunc(ms, func(m Mention) bool { return m.Start == p.m.Start })
		if p.fix != nil {
			c := *p.fix
			c.Text, c.Start, c.End, c.Mention = p.m.Text, p.m.Start, p.m.End, j
			out.Carried = append(out.Carried, c)
		}
		if p.main {
			out.Main = j
			out.Carried = append(out.Carried, mainCarry(in.Location, p.m.Text, p.m.Start, p.m.End, j))
		}
	}
	out.Carried = append(out.Carried, removals...)
	return out
}

// placedMention is a corrected or chosen mention at its span in the new
// text.
type placedMention struct {
	m    Mention
	fix  *Carry // the correction it carries; nil for a main choice alone
	main bool   // the main location a person chose
}

// placedMentions are the carried mentions; their spans cannot be given
// twice.
type placedMentions []placedMention

func (ps placedMentions) overlaps(s, e int) bool {
	return slices.ContainsFunc(ps, func(p placedMention) bool { return p.m.Start < e && s < p.m.End })
}

// place finds again, in the new text, each old mention a person corrected
// and the main one chosen (index main), appending to dropped those whose
// words are gone.
func (ps *placedMentions) place(in CarryInput, main int, dropped []Carry) []Carry {
	oldLen, newLen := len([]rune(in.OldText)), len([]rune(in.NewText))
	runes := []rune(in.NewText)
	for i, m := range in.Mentions {
		manual := m.Manual && m.Place != nil
		if !manual && i != main {
			continue
		}
		var fix *Carry
		if manual {
			action, by, at := correctionOrigin(in.History, m)
			fix = &Carry{Action: action, Place: clonePlace(m.Place), By: by, At: at}
		}
		target := 0
		if oldLen > 0 {
			target = int(float64(m.Start) / float64(oldLen) * float64(newLen))
		}
		s, e, ok := nearestOccurrence(in.NewText, runes, m.Text, target, ps.overlaps)
		if !ok {
			if fix != nil {
				fix.Text, fix.Start, fix.End, fix.Mention = m.Text, m.Start, m.End, -1
				dropped = append(dropped, *fix)
			}
			if i == main {
				dropped = append(dropped, mainCarry(in.Location, m.Text, m.Start, m.End, -1))
			}
			continue
		}
		nm := *cloneMention(m)
		nm.Start, nm.End, nm.Text = s, e, string(runes[s:e])
		*ps = append(*ps, placedMention{m: nm, fix: fix, main: i == main})
	}
	return dropped
}

// mainCarry records the choice of a main location among the mentions.
func mainCarry(l *Location, text string, start, end, mention int) Carry {
	return Carry{Action: ActionMain, Text: text, Start: start, End: end, Mention: mention, By: l.Provenance.By, At: l.Provenance.At}
}

// nearestOccurrence returns the whole-word occurrence of text in s (runes
// is s as code points) that starts nearest target and that taken does not
// refuse, preferring an exact match (found with strings.Index, in linear
// time) to one of the same length and NameKey (another case, other
// diacritics; compared at each word-bounded offset); ties go to the
// earlier. ok is false when there is none.
func nearestOccurrence(s string, runes []rune, text string, target int, taken func(start, end int) bool) (start, end int, ok bool) {
	n := utf8.RuneCountInString(text)
	if n == 0 {
		return 0, 0, false
	}
	pick, dist := -1, 0
	consider := func(i int) {
		if taken(i, i+n) {
			return
		}
		d := i - target
		if d < 0 {
			d = -d
		}
		if pick < 0 || d < dist {
			pick, dist = i, d
		}
	}
	for _, i := range wordOccurrences(s, runes, text) {
		consider(i)
	}
	if pick >= 0 {
		return pick, pick + n, true
	}
	key := NameKey(text)
	if key == "" {
		return 0, 0, false
	}
	for i := 0; i+n <= len(runes); i++ {
		if wordBounded(runes, i, i+n) && NameKey(string(runes[i:i+n])) == key {
			consider(i)
		}
	}
	if pick >= 0 {
		return pick, pick + n, true
	}
	return 0, 0, false
}

// correctionOrigin finds, newest first, the revision that gave m its place
// by hand: a pick, point or add whose result is m, or an edit that carried
// such a correction to m's span. It returns that correction's action,
// author and time; for a mention whose origin the history does not hold
// (sent by a client as manual), "pick" for a gazetteer place or "point",
// and no author.
func correctionOrigin(h []Revision, m Mention) (action, by string, at time.Time) {
	for k := len(h) - 1; k >= 0; k-- {
		rv := h[k]
		switch rv.Action {
		case ActionPick, ActionPoint, ActionAdd:
			if a := rv.After; a != nil && a.Start == m.Start && a.Text == m.Text && samePlace(a.Place, m.Place) {
				return rv.Action, rv.By, rv.At
			}
		case ActionEdit:
			for _, c := range rv.Carried {
				if c.Action != ActionRemove && c.Action != ActionMain && c.Start == m.Start && c.Text == m.Text && samePlace(c.Place, m.Place) {
					return c.Action, c.By, c.At
				}
			}
		}
	}
	if m.Place != nil && m.Place.ID != 0 {
		return ActionPick, "", time.Time{}
	}
	return ActionPoint, "", time.Time{}
}

// removedNames returns, by NameKey, the names a person removed as not
// places and that no mention has any more (a removal undone, or a name
// added again by hand, brings a mention back and ends it), each with its
// latest removal.
func removedNames(h []Revision, ms []Mention) map[string]Revision {
	have := map[string]bool{}
	for _, m := range ms {
		have[NameKey(m.Text)] = true
	}
	out := map[string]Revision{}
	for _, rv := range h {
		if rv.Action != ActionRemove || rv.Before == nil {
			continue
		}
		if k := NameKey(rv.Before.Text); k != "" && !have[k] {
			out[k] = rv
		}
	}
	return out
}

func samePlace(a, b *Place) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ID == b.ID && a.Lat == b.Lat && a.Lon == b.Lon
}

func clonePlace(p *Place) *Place {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
