package geotag

import (
	"context"
	"strings"
)

// Kinds of mention.
const (
	KindPlace        = "place"        // a toponym: "Aleppo", "the Euphrates"
	KindDemonym      = "demonym"      // an adjectival or people form: "Syrian", "Russians"
	KindAbbreviation = "abbreviation" // "U.S.", "UAE", "W.Va."
)

// Mention is one place name found in a text. Start and End count Unicode
// code points (not bytes), End exclusive, so that []rune(text)[Start:End] ==
// Text. Place is nil when the name was recognised but could not be resolved;
// Alternatives are the next-best candidates, best first, at most five.
type Mention struct {
	Start        int         `json:"start"`
	End          int         `json:"end"`
	Text         string      `json:"text"`
	Kind         string      `json:"kind"`
	Confidence   float64     `json:"confidence"` // probability that Place is right, 0..1
	Precision    int         `json:"precision"`  // 1 site/town, 2 district/vicinity, 3 area/country centroid
	Place        *Place      `json:"place"`
	Alternatives []Candidate `json:"alternatives"`
	Manual       bool        `json:"manual,omitempty"` // set or corrected by a person
	Rule         *RuleRef    `json:"rule,omitempty"`   // the desk rule that decided it, if one did
}

// TagOptions bias a tagging request towards an area of interest: candidates
// inside these countries or this box rank higher, and bound its answer. The
// zero value means no bias and no bound beyond the tagger's own.
type TagOptions struct {
	Countries []string // ISO 3166-1 alpha-2 codes
	BBox      *BBox

	// MaxMentions > 0 bounds the mentions returned: only the first ones in
	// the text are returned, and the names after them give them no context.
	// A caller that must tell whether any were left out asks for one more
	// than it will keep.
	MaxMentions int
	// MaxAlternatives > 0 bounds each mention's alternatives below the
	// tagger's own maximum (five).
	MaxAlternatives int

	// Source (a URL) and Feed say where the text comes from, for desk
	// rules scoped to a source domain or a feed; empty: unknown.
	Source string
	Feed   string

	// Notes, when set, is where the tagger writes how it tagged the text
	// (a tagger that has nothing to say leaves it alone).
	Notes *TagNotes
}

// TagNotes is what a tagger says about one tagging, beside its mentions.
type TagNotes struct {
	// Degraded is empty when every name was resolved with the whole of the
	// text's evidence. Otherwise it says what was cut short and why: the
	// geo tagger's resolution budget (candidates in proportion to the
	// text's length) was reached, and the names after that point were
	// chosen by their prior alone (the request's bias still counts).
	Degraded string
}

// Tagger finds and resolves the place names in a text.
type Tagger interface {
	// Tag returns the mentions of text in order of Start, not overlapping.
	// It returns an empty slice for text with no place names, an EINVALID
	// *Error for text that is not valid UTF-8, and ctx's error when ctx ends
	// first. A name that cannot be resolved is returned with a nil Place; it
	// never removes the others.
	Tag(ctx context.Context, text string, opt TagOptions) ([]Mention, error)

	// Version names the tagger and its gazetteer, for provenance.
	Version() string
}

// ParseTagOptions parses an area-of-interest bias as users write it:
// countries as comma-separated ISO 3166-1 alpha-2 codes ("SY,jo"), a box as
// "W,S,E,N". Empty strings mean no bias. It returns an EINVALID *Error
// naming the field ("country" or "bbox") at fault.
func ParseTagOptions(countries, bbox string) (TagOptions, error) {
	var opt TagOptions
	for _, c := range strings.Split(countries, ",") {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" {
			continue
		}
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			return opt, FieldErrorf(EINVALID, "country", "country must be ISO 3166-1 alpha-2 codes like SY,JO, not %q", c)
		}
		opt.Countries = append(opt.Countries, c)
	}
	if bbox != "" {
		b, err := ParseBBox(bbox)
		if err != nil {
			return opt, err
		}
		opt.BBox = &b
	}
	return opt, nil
}
