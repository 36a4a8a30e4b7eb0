package geotag

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// confident is the confidence above which a mention counts as a sure
// enough place for the main location to prefer its precision.
const Confident = 0.5

// MentionPrecision returns m's precision, from its place when unset.
func MentionPrecision(m *Mention) int {
	if m.Precision > 0 {
		return m.Precision
	}
	if m.Place != nil {
		return m.Place.Precision()
	}
	return 3
}

// IsPlaceMention reports whether m is a resolved toponym: demonyms and
// abbreviations never become a report's main location.
func IsPlaceMention(m *Mention) bool {
	return m.Place != nil && (m.Kind == KindPlace || m.Kind == "")
}

// Main is the automatic main location PickMain chooses: a mention of the
// text (Mention ≥ 0), or, for a place only the title names, a mention of
// the title (Mention -1, Title ≥ 0); both -1 when no mention is a resolved
// place. Why says in words why it was chosen.
type Main struct {
	Mention int
	Title   int
	Why     string
}

// specificity weighs a place by its precision: a town counts more than the
// district around it, a district more than a country.
var specificity = [...]float64{1: 1, 2: 0.5, 3: 0.2}

// placeGroup is every mention of one place in a report.
type placeGroup struct {
	rep        *Mention // the mention the location is taken from
	mention    int      // its index in the text's mentions, -1 for the title's
	title      int      // its index in the title's mentions, -1 for the text's
	order      int      // first position in title and text together
	count      int      // mentions that count (the confident ones, when any is)
	score      float64  // their role weights times the place's specificity
	headline   bool
	event      bool
	weakOnly   role // the role of every mention when all are speaker, dateline or background; rolePlain otherwise
	confident  bool
	confidence float64 // the best of its mentions'
}

// PickMain chooses r's main location where its events happened, from its
// title's and text's mentions (demonyms and abbreviations never count):
//
//   - Mentions of one place are counted together. When any place is
//     confident (a mention with confidence ≥ 0.5), only confident mentions
//     count; when none is, the most confident mention wins.
//   - Each mention weighs by the part it plays: in the headline or in a
//     sentence telling an event ("an airstrike hit …") 1.5, in another
//     sentence 1, in a sentence of history ("since", "formerly", "ago") 0.5,
//     where someone spoke ("officials in X said", "X said", "X-based") or in
//     a dateline ("X, March 3 (Reuters) —") 0.25. The cues are English
//     words; in other languages every text mention counts 1.
//   - A place's weight is the sum times its specificity (town or site 1,
//     district 0.5, region or country 0.2): the most mentioned and most
//     specific place of the events wins; ties go to the finer precision,
//     then to the place named first.
//
// The main mention is the place's first counted mention in the text (its
// title mention when the text does not name it).
func PickMain(r *Report) Main {
	groups := groupPlaces(r)
	if len(groups) == 0 {
		return Main{Mention: -1, Title: -1}
	}
	best := groups[0]
	for _, g := range groups[1:] {
		if better(g, best) {
			best = g
		}
	}
	return Main{Mention: best.mention, Title: best.title, Why: why(best, groups)}
}

// groupPlaces gathers the place mentions of r's title and text by place,
// in the order the places are first named.
func groupPlaces(r *Report) []*placeGroup {
	var groups []*placeGroup
	byKey := map[placeKey]*placeGroup{}
	sure := slices.ContainsFunc(r.TitleMentions, isSure) || slices.ContainsFunc(r.Mentions, isSure)
	add := func(m *Mention, i int, inTitle bool, rl role, order int) {
		if !IsPlaceMention(m) || (sure && !isSure(*m)) {
			return
		}
		k := keyOf(m.Place)
		g := byKey[k]
		if g == nil {
			g = &placeGroup{mention: -1, title: -1, order: order, weakOnly: rl}
			byKey[k] = g
			groups = append(groups, g)
		}
		if g.mention < 0 && (!inTitle || g.title < 0) {
			g.rep, g.mention, g.title = m, i, -1
			if inTitle {
				g.mention, g.title = -1, i
			}
		}
		g.count++
		g.score += roleWeight[rl] * specificity[MentionPrecision(g.rep)]
		g.headline = g.headline || rl == roleHeadline
		g.event = g.event || rl == roleEvent
		if rl != g.weakOnly || rl < roleBackground {
			g.weakOnly = rolePlain
		}
		g.confident = g.confident || m.Confidence >= Confident
		g.confidence = max(g.confidence, m.Confidence)
	}
	for i := range r.TitleMentions {
		add(&r.TitleMentions[i], i, true, roleHeadline, r.TitleMentions[i].Start)
	}
	n := readNarrative(r.Text)
	base := len([]rune(r.Title)) + 2
	for i := range r.Mentions {
		m := &r.Mentions[i]
		add(m, i, false, n.role(m), base+m.Start)
	}
	return groups
}

func isSure(m Mention) bool { return IsPlaceMention(&m) && m.Confidence >= Confident }

// placeKey names one place: its gazetteer id, or, for a point, its name
// and coordinates.
type placeKey struct {
	id       int64
	name     string
	lat, lon float64
}

func keyOf(p *Place) placeKey {
	if p.ID != 0 {
		return placeKey{id: p.ID}
	}
	return placeKey{name: p.Name, lat: p.Lat, lon: p.Lon}
}

// better reports whether g is a better main location than best, which was
// named before it.
func better(g, best *placeGroup) bool {
	if !g.confident { // none is: the most confident wins
		return g.confidence > best.confidence
	}
	const eps = 1e-9
	if g.score > best.score+eps {
		return true
	}
	return g.score > best.score-eps && MentionPrecision(g.rep) < MentionPrecision(best.rep)
}

var precisionWords = [...]string{1: "a town or site", 2: "a district", 3: "a region or country"}

// why says in an analyst's words what made g the main location among
// groups, and which places named only as where someone spoke, a dateline
// or history were set aside.
func why(g *placeGroup, groups []*placeGroup) string {
	if len(groups) == 1 {
		return "the only place named (" + precisionWords[MentionPrecision(g.rep)] + ")"
	}
	if !g.confident {
		return "no place is sure: the most likely one (confidence " + strconv.FormatFloat(g.confidence, 'f', 2, 64) + ")"
	}
	var parts []string
	mostCount, finest := true, true
	for _, o := range groups {
		mostCount = mostCount && (o == g || o.count < g.count)
		finest = finest && (o == g || MentionPrecision(o.rep) > MentionPrecision(g.rep))
	}
	if g.headline {
		parts = append(parts, "named in the headline")
	}
	if g.event {
		parts = append(parts, "where the reported events happened")
	}
	if mostCount && g.count > 1 {
		parts = append(parts, "most mentioned ("+strconv.Itoa(g.count)+"×)")
	} else if g.count > 1 {
		parts = append(parts, "mentioned "+strconv.Itoa(g.count)+"×")
	}
	p := precisionWords[MentionPrecision(g.rep)]
	if finest {
		parts = append(parts, "most specific ("+p+")")
	} else {
		parts = append(parts, p)
	}
	var aside []string
	for _, o := range groups {
		if o != g && o.weakOnly != rolePlain && len(aside) < 3 {
			aside = append(aside, o.rep.Text+" ("+weakWords[o.weakOnly]+")")
		}
	}
	s := strings.Join(parts, ", ")
	if len(aside) > 0 {
		s += "; set aside: " + strings.Join(aside, ", ")
	}
	return s
}

var weakWords = map[role]string{
	roleBackground: "only in background",
	roleSpeaker:    "only as where someone spoke",
	roleDateline:   "only the dateline",
}

// MentionLocation returns a location at mention i of ms.
func MentionLocation(ms []Mention, i int, prov Provenance) *Location {
	m := &ms[i]
	return &Location{
		Lat:        m.Place.Lat,
		Lon:        m.Place.Lon,
		Precision:  MentionPrecision(m),
		Name:       m.Place.Name,
		PlaceID:    m.Place.ID,
		Mention:    i,
		Provenance: prov,
	}
}

// AutoLocation returns r's automatic main location (PickMain), with why it
// was chosen; nil if no mention is a resolved place. A place only the
// title names gives a location at no mention (-1).
func AutoLocation(r *Report, tagger string, at time.Time) *Location {
	m := PickMain(r)
	prov := Provenance{Method: MethodAuto, Tagger: tagger, At: at}
	var l *Location
	switch {
	case m.Mention >= 0:
		l = MentionLocation(r.Mentions, m.Mention, prov)
	case m.Title >= 0:
		l = MentionLocation(r.TitleMentions, m.Title, prov)
		l.Mention = -1
	default:
		return nil
	}
	l.Why = m.Why
	return l
}

// ValidateMentions checks client-supplied mentions against the text:
// spans in code points inside the text and in order, text matching the
// span (filled in when empty), confidence within 0..1 and places at valid
// coordinates. Kind defaults to place.
func ValidateMentions(text string, ms []Mention) error { return validateMentions(text, ms, "mentions") }

// ValidateTitleMentions is ValidateMentions for the mentions of a title,
// naming the fields title_mentions[i].
func ValidateTitleMentions(title string, ms []Mention) error {
	return validateMentions(title, ms, "title_mentions")
}

func validateMentions(text string, ms []Mention, list string) error {
	runes := []rune(text)
	for i := range ms {
		m := &ms[i]
		field := func(name string) string { return list + "[" + strconv.Itoa(i) + "]." + name }
		if m.Start < 0 || m.End <= m.Start || m.End > len(runes) {
			return FieldErrorf(EUNPROCESSABLE, field("start"),
				"mention span %d..%d is not inside the text of %d characters", m.Start, m.End, len(runes))
		}
		span := string(runes[m.Start:m.End])
		if m.Text == "" {
			m.Text = span
		} else if m.Text != span {
			return FieldErrorf(EUNPROCESSABLE, field("text"),
				"mention text %q does not match the text at %d..%d, %q (offsets count Unicode code points)", m.Text, m.Start, m.End, span)
		}
		switch m.Kind {
		case "":
			m.Kind = KindPlace
		case KindPlace, KindDemonym, KindAbbreviation:
		default:
			return FieldErrorf(EINVALID, field("kind"), "kind must be place, demonym or abbreviation")
		}
		if !(m.Confidence >= 0 && m.Confidence <= 1) {
			return FieldErrorf(EINVALID, field("confidence"), "confidence must be within 0..1")
		}
		if m.Precision < 0 || m.Precision > 3 {
			return FieldErrorf(EINVALID, field("precision"), "precision must be 1, 2 or 3")
		}
		if m.Place != nil {
			if err := ValidPoint(m.Place.Lat, m.Place.Lon, field("place.")); err != nil {
				return err
			}
		}
		for j, a := range m.Alternatives {
			if err := ValidPoint(a.Lat, a.Lon, field("alternatives["+strconv.Itoa(j)+"].")); err != nil {
				return err
			}
		}
		if m.Alternatives == nil {
			m.Alternatives = []Candidate{}
		}
	}
	return nil
}

// ValidPoint checks a latitude and longitude, naming prefix+"lat" or
// prefix+"lon" when one is out of range or not a number.
func ValidPoint(lat, lon float64, prefix string) error {
	if math.IsNaN(lat) || lat < -90 || lat > 90 {
		return FieldErrorf(EUNPROCESSABLE, prefix+"lat", "latitude must be a number within ±90")
	}
	if math.IsNaN(lon) || lon < -180 || lon > 180 {
		return FieldErrorf(EUNPROCESSABLE, prefix+"lon", "longitude must be a number within ±180")
	}
	return nil
}
