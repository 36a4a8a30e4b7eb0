package geotag

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Desk rule actions.
const (
	RulePlace    = "place"     // the words are this place
	RuleNotPlace = "not_place" // the words are not a place (a person, a team…)
)

// Rule is a desk rule: wherever its words (as NameKey keys them) appear
// in a newly tagged text within its scope, they are its place (the
// tagger's own choice kept among the alternatives) or, for RuleNotPlace,
// no place at all. Rules rank above the gazetteer. The scope fields are
// all optional and must all hold: Country (ISO alpha-2), BBox (the text
// is about a place in it), Feed (the ID of the feed the text came from) and Domain
// (the host of its source URL, or a subdomain of it).
type Rule struct {
	ID       string    `json:"id"`
	Words    string    `json:"words"`
	Key      string    `json:"key"` // NameKey(Words); set by Normalize
	Action   string    `json:"action"`
	Place    *Place    `json:"place,omitempty"`         // RulePlace: the place, as the gazetteer had it
	From     int64     `json:"from_place_id,omitempty"` // the place the words resolved to when the rule was made
	Country  string    `json:"country,omitempty"`
	BBox     *BBox     `json:"bbox,omitempty"`
	Feed     string    `json:"feed,omitempty"`
	Domain   string    `json:"domain,omitempty"`
	Disabled bool      `json:"disabled,omitempty"`
	Note     string    `json:"note,omitempty"`
	By       string    `json:"by,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

// RuleRef is how a mention names the rule that decided it: the panel's
// "desk rule by ana, 3 Dec".
type RuleRef struct {
	ID string    `json:"id"`
	By string    `json:"by,omitempty"`
	At time.Time `json:"at"` // when the rule was last changed
}

// Ref returns the reference a mention carries to r.
func (r Rule) Ref() *RuleRef { return &RuleRef{ID: r.ID, By: r.By, At: r.Updated} }

// Rule limits.
const (
	MaxRuleWords = 200  // bytes of a rule's words
	MaxRuleNote  = 1000 // bytes of its note
	MaxRuleKeys  = 8    // words (key tokens) of a rule or a desk place name
	MaxRules     = 10_000
)

// Normalize trims the fields, sets Key and checks the rule: EINVALID
// naming the field at fault. Places (the desk's gazetteer) resolves a
// RulePlace's place by id: EUNPROCESSABLE when it has no such place.
func (r *Rule) Normalize(places Gazetteer) error {
	r.Words = strings.TrimSpace(r.Words)
	r.Key = NameKey(r.Words)
	switch {
	case r.Key == "":
		return FieldErrorf(EINVALID, "words", "a rule needs words with letters or digits")
	case len(r.Words) > MaxRuleWords:
		return FieldErrorf(EINVALID, "words", "a rule's words are at most %d bytes", MaxRuleWords)
	case strings.Count(r.Key, " ")+1 > MaxRuleKeys:
		return FieldErrorf(EINVALID, "words", "a rule's words are at most %d words", MaxRuleKeys)
	case len(r.Note) > MaxRuleNote:
		return FieldErrorf(EINVALID, "note", "a rule's note is at most %d bytes", MaxRuleNote)
	}
	switch r.Action {
	case RulePlace:
		if r.Place == nil || r.Place.ID == 0 {
			return FieldErrorf(EINVALID, "place", "a place rule needs a place with an id")
		}
		p, ok := places.Place(r.Place.ID)
		switch {
		case ok:
			r.Place = &p
		case IsDeskPlaceID(r.Place.ID) && r.Place.Name != "" && ValidPoint(r.Place.Lat, r.Place.Lon, "") == nil:
			// a desk place this gazetteer lacks, as a rules file has it
		default:
			return FieldErrorf(EUNPROCESSABLE, "place", "no place has id %d", r.Place.ID)
		}
	case RuleNotPlace:
		r.Place = nil
	default:
		return FieldErrorf(EINVALID, "action", "a rule's action is %q or %q, not %q", RulePlace, RuleNotPlace, r.Action)
	}
	r.Country = strings.ToUpper(strings.TrimSpace(r.Country))
	if r.Country != "" {
		if _, err := ParseTagOptions(r.Country, ""); err != nil || len(r.Country) != 2 {
			return FieldErrorf(EINVALID, "country", "a rule's country is one ISO 3166-1 alpha-2 code, not %q", r.Country)
		}
	}
	if r.BBox != nil {
		if err := r.BBox.Validate(); err != nil {
			return err
		}
	}
	r.Feed = strings.TrimSpace(r.Feed)
	r.Domain = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(r.Domain), "www."))
	if len(r.Feed) > 200 || len(r.Domain) > 253 || strings.ContainsAny(r.Domain, "/: ") {
		return FieldErrorf(EINVALID, "domain", "a rule's domain is a host name like example.org, and its feed a name of at most 200 bytes")
	}
	return nil
}

// RuleService stores the desk rules. Implementations are safe for
// concurrent use, and record every change in the audit log.
type RuleService interface {
	// Rules lists every rule, oldest first.
	Rules(ctx context.Context) ([]Rule, error)
	// CreateRule gives r an ID, Created and Updated and stores it (r must
	// be normalised). ETOOLARGE when MaxRules are stored.
	CreateRule(ctx context.Context, r *Rule) error
	// UpdateRule calls fn on the rule and stores the result, with Updated
	// set; by (who changed it) is recorded in the audit log. ENOTFOUND
	// when no rule has the id; fn's error stores nothing.
	UpdateRule(ctx context.Context, id, by string, fn func(*Rule) error) (Rule, error)
	// DeleteRule removes the rule; by is recorded in the audit log.
	// ENOTFOUND when no rule has the id.
	DeleteRule(ctx context.Context, id, by string) error
}

// inScope reports whether rule r applies to a text tagged with opt whose
// tagger found ms.
func (r *Rule) inScope(opt TagOptions, ms []Mention) bool {
	if r.Feed != "" && !strings.EqualFold(r.Feed, opt.Feed) {
		return false
	}
	if r.Domain != "" && !hostIn(opt.Source, r.Domain) {
		return false
	}
	if r.Country != "" && !aboutCountry(r.Country, opt, ms) {
		return false
	}
	if r.BBox != nil && !aboutBox(*r.BBox, opt, ms) {
		return false
	}
	return true
}

// hostIn reports whether the host of the URL source is domain or a
// subdomain of it.
func hostIn(source, domain string) bool {
	u, err := url.Parse(strings.TrimSpace(source))
	if err != nil || u.Host == "" {
		return false
	}
	h := strings.ToLower(u.Hostname())
	return h == domain || strings.HasSuffix(h, "."+domain)
}

// aboutCountry: the tagging was biased to the country, or the tagger
// resolved a name of the text to a place in it.
func aboutCountry(cc string, opt TagOptions, ms []Mention) bool {
	for _, c := range opt.Countries {
		if c == cc {
			return true
		}
	}
	for _, m := range ms {
		if m.Place != nil && m.Place.Country == cc {
			return true
		}
	}
	return false
}

// aboutBox: the tagging was biased to a box that meets b, or the tagger
// resolved a name of the text to a place inside b.
func aboutBox(b BBox, opt TagOptions, ms []Mention) bool {
	if o := opt.BBox; o != nil && boxesMeet(*o, b) {
		return true
	}
	for _, m := range ms {
		if m.Place != nil && b.Contains(m.Place.Lat, m.Place.Lon) {
			return true
		}
	}
	return false
}

// boxesMeet reports whether two boxes share a point; either may cross the
// antimeridian.
func boxesMeet(a, b BBox) bool {
	if a.S > b.N || b.S > a.N {
		return false
	}
	for _, x := range lonRanges(a) {
		for _, y := range lonRanges(b) {
			if x[0] <= y[1] && y[0] <= x[1] {
				return true
			}
		}
	}
	return false
}

// lonRanges splits a box's longitudes at the antimeridian.
func lonRanges(b BBox) [][2]float64 {
	if b.CrossesAntimeridian() {
		return [][2]float64{{b.W, 180}, {-180, b.E}}
	}
	return [][2]float64{{b.W, b.E}}
}
