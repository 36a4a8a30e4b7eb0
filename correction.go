package geotag

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Correction actions.
const (
	ActionPick     = "pick"     // resolve a mention to another place (usually one of its alternatives)
	ActionPoint    = "point"    // put a mention, or the report itself, at a manual point
	ActionAdd      = "add"      // add a mention the tagger missed, by its span
	ActionRemove   = "remove"   // remove a wrong mention
	ActionMain     = "main"     // make a mention the report's main location
	ActionReview   = "review"   // mark the report reviewed
	ActionUnreview = "unreview" // mark it unreviewed again
	ActionUndo     = "undo"     // revert the latest correction not yet undone
	ActionEdit     = "edit"     // recorded by PUT and PATCH when the text or the places change
)

// Correction is the body of POST /api/v1/reports/{id}/corrections.
type Correction struct {
	Action  string   `json:"action"`
	Mention *int     `json:"mention"`  // index into the report's mentions
	Text    string   `json:"text"`     // optional: the mention's text, checked against the index (409 if it moved)
	PlaceID int64    `json:"place_id"` // pick, add: the gazetteer place
	Lat     *float64 `json:"lat"`      // point, add: a manual point
	Lon     *float64 `json:"lon"`
	Name    string   `json:"name"`  // point: a label for the manual point
	Start   *int     `json:"start"` // add: the span in code points, end exclusive
	End     *int     `json:"end"`
	All     bool     `json:"all"` // pick, point, remove, add: also every identical mention
}

// Corrector is what applying a correction needs besides the report: the
// gazetteer that pick and add find places in, the tagger's version (an
// automatic main location chosen again records it when the report had
// none), the clock, the author and the report limits (MaxMentions bounds
// an add with All).
type Corrector struct {
	Places Gazetteer
	Tagger string
	Now    func() time.Time
	By     string
	Limits ReportLimits
}

// Correct changes r as cr says and returns the revisions, one per mention
// changed (oldest first), without appending them to r.History. The
// report's main location follows: an automatic one is chosen again from
// the corrected mentions; a mention chosen by a person moves with that
// mention, or falls back to automatic when it is removed. It returns an
// EINVALID or EUNPROCESSABLE *Error naming the field at fault, ECONFLICT
// when cr.Text no longer matches its mention, when a span added overlaps
// a mention, or when there is nothing to undo; r may then be half changed
// and must be dropped.
func (k Corrector) Correct(r *Report, cr Correction) ([]Revision, error) {
	c := &correction{Corrector: k, r: r, cr: cr, now: k.Now().UTC()}
	oldLoc := r.Location
	var revs []Revision
	var err error
	switch cr.Action {
	case ActionPick:
		revs, err = c.pick()
	case ActionPoint:
		if cr.Mention == nil {
			return c.pointReport()
		}
		revs, err = c.point()
	case ActionAdd:
		revs, err = c.add()
	case ActionRemove:
		revs, err = c.remove()
	case ActionMain:
		return c.main()
	case ActionUndo:
		return undo(r, k.By, c.now)
	case ActionReview, ActionUnreview:
		return c.review()
	default:
		return nil, FieldErrorf(EINVALID, "action", "action must be one of pick, point, add, remove, main, review, unreview, undo, not %q", cr.Action)
	}
	if err != nil {
		return nil, err
	}
	k.relocate(r)
	if !sameLocation(oldLoc, r.Location) && len(revs) > 0 {
		revs[len(revs)-1].BeforeLocation = oldLoc
		revs[len(revs)-1].AfterLocation = r.Location
	}
	return revs, nil
}

// correction is one call of Correct: the report, the correction asked
// for and the time it is recorded at. Its methods, one per action, change
// r and return the revisions.
type correction struct {
	Corrector
	r   *Report
	cr  Correction
	now time.Time
}

func (c *correction) rev(action string, i int, before, after *Mention) Revision {
	return Revision{At: c.now, By: c.By, Action: action, Mention: i, Before: before, After: after}
}

// mention returns the index the correction names, checked against the
// report (and against the mention's text when the correction gives it).
func (c *correction) mention() (int, error) {
	r, cr := c.r, c.cr
	if cr.Mention == nil {
		return 0, FieldErrorf(EINVALID, "mention", "%s needs the index of a mention", cr.Action)
	}
	i := *cr.Mention
	if i < 0 || i >= len(r.Mentions) {
		return 0, FieldErrorf(EUNPROCESSABLE, "mention", "the report has no mention %d (it has %d)", i, len(r.Mentions))
	}
	if cr.Text != "" && cr.Text != r.Mentions[i].Text {
		return 0, FieldErrorf(ECONFLICT, "text", "mention %d is %q, not %q: the report changed; reload it", i, r.Mentions[i].Text, cr.Text)
	}
	return i, nil
}

// targets returns i and, with All, every other mention of the same name.
func (c *correction) targets(i int) []int {
	out := []int{i}
	if c.cr.All {
		key := NameKey(c.r.Mentions[i].Text)
		for j := range c.r.Mentions {
			if j != i && NameKey(c.r.Mentions[j].Text) == key {
				out = append(out, j)
			}
		}
		slices.Sort(out)
	}
	return out
}

// pick resolves the mention (and with All its namesakes) to a gazetteer place.
func (c *correction) pick() ([]Revision, error) {
	i, err := c.mention()
	if err != nil {
		return nil, err
	}
	if c.cr.PlaceID == 0 {
		return nil, FieldErrorf(EINVALID, "place_id", "pick needs a place_id")
	}
	p, ok := c.Places.Place(c.cr.PlaceID)
	if !ok {
		return nil, FieldErrorf(EUNPROCESSABLE, "place_id", "no place has id %d", c.cr.PlaceID)
	}
	var revs []Revision
	for _, j := range c.targets(i) {
		before := cloneMention(c.r.Mentions[j])
		pickPlace(&c.r.Mentions[j], p)
		revs = append(revs, c.rev(ActionPick, j, before, cloneMention(c.r.Mentions[j])))
	}
	return revs, nil
}

// validPoint checks the correction's lat and lon.
func (c *correction) validPoint() error {
	if c.cr.Lat == nil || c.cr.Lon == nil {
		return FieldErrorf(EINVALID, "lat", "point needs lat and lon")
	}
	return ValidPoint(*c.cr.Lat, *c.cr.Lon, "")
}

// pointReport puts the report itself at a manual point.
func (c *correction) pointReport() ([]Revision, error) {
	if err := c.validPoint(); err != nil {
		return nil, err
	}
	r, oldLoc := c.r, c.r.Location
	r.Location = &Location{Lat: *c.cr.Lat, Lon: *c.cr.Lon, Precision: 1, Name: strings.TrimSpace(c.cr.Name), Mention: -1,
		Provenance: Provenance{Method: MethodManual, By: c.By, At: c.now}}
	rv := c.rev(ActionPoint, -1, nil, nil)
	rv.BeforeLocation, rv.AfterLocation = oldLoc, r.Location
	return []Revision{rv}, nil
}

// point puts the mention (and with All its namesakes) at a manual point.
func (c *correction) point() ([]Revision, error) {
	if err := c.validPoint(); err != nil {
		return nil, err
	}
	i, err := c.mention()
	if err != nil {
		return nil, err
	}
	var revs []Revision
	for _, j := range c.targets(i) {
		m := &c.r.Mentions[j]
		before := cloneMention(*m)
		name := strings.TrimSpace(c.cr.Name)
		if name == "" {
			name = m.Text
		}
		pickPlace(m, Place{Name: name, Lat: *c.cr.Lat, Lon: *c.cr.Lon})
		m.Precision = 1
		revs = append(revs, c.rev(ActionPoint, j, before, cloneMention(*m)))
	}
	return revs, nil
}

// add adds the span the correction names (see addMentions).
func (c *correction) add() ([]Revision, error) {
	added, err := c.addMentions(c.r, c.cr)
	if err != nil {
		return nil, err
	}
	var revs []Revision
	for _, j := range added {
		revs = append(revs, c.rev(ActionAdd, j, nil, cloneMention(c.r.Mentions[j])))
	}
	return revs, nil
}

// remove removes the mention (and with All its namesakes); a main
// location chosen among the mentions follows its mention, and is marked
// gone (-2) when its own goes.
func (c *correction) remove() ([]Revision, error) {
	i, err := c.mention()
	if err != nil {
		return nil, err
	}
	r := c.r
	gone := c.targets(i)
	var revs []Revision
	for k := len(gone) - 1; k >= 0; k-- {
		j := gone[k]
		revs = append(revs, c.rev(ActionRemove, j, cloneMention(r.Mentions[j]), nil))
		r.Mentions = slices.Delete(r.Mentions, j, j+1)
		if l := r.Location; l != nil && l.Mention >= 0 {
			l2 := *l
			switch {
			case l.Mention == j:
				l2.Mention = -2 // its mention is gone
			case l.Mention > j:
				l2.Mention--
			}
			r.Location = &l2
		}
	}
	slices.Reverse(revs)
	return revs, nil
}

// main makes the mention the report's main location, by hand.
func (c *correction) main() ([]Revision, error) {
	i, err := c.mention()
	if err != nil {
		return nil, err
	}
	r, oldLoc := c.r, c.r.Location
	if r.Mentions[i].Place == nil {
		return nil, FieldErrorf(EUNPROCESSABLE, "mention", "mention %d (%q) is not resolved to a place; pick one first", i, r.Mentions[i].Text)
	}
	r.Location = MentionLocation(r.Mentions, i, Provenance{Method: MethodManual, By: c.By, At: c.now})
	rv := c.rev(ActionMain, i, nil, nil)
	rv.BeforeLocation, rv.AfterLocation = oldLoc, r.Location
	return []Revision{rv}, nil
}

// review marks the report reviewed, or unreviewed again.
func (c *correction) review() ([]Revision, error) {
	c.r.Status = StatusReviewed
	if c.cr.Action == ActionUnreview {
		c.r.Status = StatusUnreviewed
	}
	return []Revision{c.rev(c.cr.Action, -1, nil, nil)}, nil
}

// relocate brings the main location up to date after mentions changed.
func (k Corrector) relocate(r *Report) {
	l := r.Location
	switch {
	case l != nil && l.Provenance.Method == MethodManual && l.Mention == -1:
		// a manual point stays
	case l != nil && l.Provenance.Method == MethodManual && l.Mention >= 0 && l.Mention < len(r.Mentions) && r.Mentions[l.Mention].Place != nil:
		r.Location = MentionLocation(r.Mentions, l.Mention, l.Provenance)
	default:
		tagger := k.Tagger
		at := k.Now().UTC()
		if l != nil && l.Provenance.Method == MethodAuto {
			tagger = l.Provenance.Tagger
		}
		r.Location = AutoLocation(r, tagger, at)
	}
}

// pickPlace resolves m to p by hand: the old place joins the
// alternatives, p leaves them.
func pickPlace(m *Mention, p Place) {
	alts := []Candidate{}
	if m.Place != nil && (m.Place.ID != p.ID || p.ID == 0) {
		alts = append(alts, Candidate{Place: *m.Place, Score: m.Confidence})
	}
	for _, a := range m.Alternatives {
		if p.ID != 0 && a.ID == p.ID {
			continue
		}
		if m.Place != nil && a.ID == m.Place.ID && a.ID != 0 {
			continue
		}
		alts = append(alts, a)
	}
	if len(alts) > 5 {
		alts = alts[:5]
	}
	pp := p
	m.Place = &pp
	m.Alternatives = alts
	m.Confidence = 1
	m.Precision = p.Precision()
	m.Manual = true
	if m.Kind == "" {
		m.Kind = KindPlace
	}
}

// addMentions adds the span cr names (and with All every other whole-word
// occurrence of the same text that no mention covers yet) and returns the
// new mentions' indices.
func (k Corrector) addMentions(r *Report, cr Correction) ([]int, error) {
	if cr.Start == nil || cr.End == nil {
		return nil, FieldErrorf(EINVALID, "start", "add needs start and end (code points, end exclusive)")
	}
	runes := []rune(r.Text)
	start, end := *cr.Start, *cr.End
	if start < 0 || end <= start || end > len(runes) {
		return nil, FieldErrorf(EUNPROCESSABLE, "start", "span %d..%d is not inside the text of %d characters", start, end, len(runes))
	}
	text := string(runes[start:end])
	var place Place
	switch {
	case cr.PlaceID != 0:
		p, ok := k.Places.Place(cr.PlaceID)
		if !ok {
			return nil, FieldErrorf(EUNPROCESSABLE, "place_id", "no place has id %d", cr.PlaceID)
		}
		place = p
	case cr.Lat != nil && cr.Lon != nil:
		if err := ValidPoint(*cr.Lat, *cr.Lon, ""); err != nil {
			return nil, err
		}
		place = Place{Name: text, Lat: *cr.Lat, Lon: *cr.Lon}
	default:
		ps := k.Places.Lookup(NameKey(text))
		if len(ps) == 0 {
			return nil, FieldErrorf(EUNPROCESSABLE, "place_id", "no place is named %q; give a place_id or lat and lon", text)
		}
		place = ps[0]
	}
	if overlapsMention(r.Mentions, maxEnds(r.Mentions), start, end) {
		return nil, FieldErrorf(ECONFLICT, "start", "span %d..%d overlaps a mention; remove that one first", start, end)
	}
	spans := [][2]int{{start, end}}
	if cr.All {
		// Every other whole-word occurrence no mention or kept span
		// overlaps, found in one pass; no more than the mention limit.
		ends := maxEnds(r.Mentions)
		n := end - start
		last := -1 // the last occurrence kept
		for _, i := range wordOccurrences(r.Text, runes, text) {
			if i == start || i < end && start < i+n || last >= 0 && i < last+n || overlapsMention(r.Mentions, ends, i, i+n) {
				continue
			}
			spans = append(spans, [2]int{i, i + n})
			last = i
			if lim := k.Limits.MaxMentions; lim > 0 && len(r.Mentions)+len(spans) > lim {
				return nil, FieldErrorf(EUNPROCESSABLE, "all", "adding every occurrence of %.40q would give the report more than %d mentions", text, lim)
			}
		}
	}
	m := Mention{Text: text, Kind: KindPlace}
	pickPlace(&m, place)
	m.Alternatives = []Candidate{}
	return insertMentions(r, spans, m), nil
}

// wordOccurrences returns the code-point offsets of the whole-word
// occurrences of text in s (runes is s as code points), in order, in
// linear time: strings.Index between them, not a comparison at every
// offset.
func wordOccurrences(s string, runes []rune, text string) []int {
	var out []int
	n := utf8.RuneCountInString(text)
	b, i := 0, 0 // byte and code-point offset of the search
	for {
		k := strings.Index(s[b:], text)
		if k < 0 {
			return out
		}
		i += utf8.RuneCountInString(s[b : b+k])
		b += k
		if wordBounded(runes, i, i+n) {
			out = append(out, i)
		}
		_, size := utf8.DecodeRuneInString(s[b:])
		b += size
		i++
	}
}

// maxEnds returns, for each mention (sorted by Start), the largest End of
// it and those before it.
func maxEnds(ms []Mention) []int {
	ends := make([]int, len(ms))
	for i, m := range ms {
		ends[i] = m.End
		if i > 0 {
			ends[i] = max(ends[i], ends[i-1])
		}
	}
	return ends
}

// overlapsMention reports whether the span start..end overlaps one of ms
// (sorted by Start; ends from maxEnds), in logarithmic time.
func overlapsMention(ms []Mention, ends []int, start, end int) bool {
	k, _ := slices.BinarySearchFunc(ms, end, func(m Mention, e int) int { return m.Start - e })
	return k > 0 && ends[k-1] > start // the mentions starting before end
}

// insertMentions adds a copy of m at each span (none overlapping the
// mentions or each other) to r's mentions, keeping them sorted by Start,
// in one merge; a main location chosen among the mentions follows its
// mention. It returns the new mentions' indices, ascending.
func insertMentions(r *Report, spans [][2]int, m Mention) []int {
	spans = slices.Clone(spans)
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	old := r.Mentions
	ms := make([]Mention, 0, len(old)+len(spans))
	added := make([]int, 0, len(spans))
	main := -1
	if l := r.Location; l != nil {
		main = l.Mention
	}
	newMain := main
	j := 0
	for _, sp := range spans {
		for ; j < len(old) && old[j].Start < sp[0]; j++ {
			if j == main {
				newMain = len(ms)
			}
			ms = append(ms, old[j])
		}
		nm := m
		nm.Start, nm.End = sp[0], sp[1]
		if m.Place != nil {
			p := *m.Place
			nm.Place = &p
		}
		nm.Alternatives = slices.Clone(m.Alternatives)
		added = append(added, len(ms))
		ms = append(ms, nm)
	}
	for ; j < len(old); j++ {
		if j == main {
			newMain = len(ms)
		}
		ms = append(ms, old[j])
	}
	r.Mentions = ms
	if l := r.Location; l != nil && main >= 0 && newMain != main {
		l2 := *l
		l2.Mention = newMain
		r.Location = &l2
	}
	return added
}

// wordBounded reports whether runes[i:j] is not part of a longer run of
// letters and digits. Unlike isWordRune (NameKey's words), an apostrophe
// bounds it: "Aleppo" is found whole in "Aleppo's".
func wordBounded(runes []rune, i, j int) bool {
	return (i == 0 || !isLetterOrDigit(runes[i-1])) && (j == len(runes) || !isLetterOrDigit(runes[j]))
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func cloneMention(m Mention) *Mention {
	c := m
	c.Place = clonePlace(m.Place)
	c.Alternatives = slices.Clone(m.Alternatives)
	return &c
}

func sameLocation(a, b *Location) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Lat == b.Lat && a.Lon == b.Lon && a.Mention == b.Mention && a.PlaceID == b.PlaceID && a.Provenance.Method == b.Provenance.Method
}
