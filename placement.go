package geotag

import (
	"slices"
	"time"
	"unicode/utf8"
)

// Placement is what giving a report its mentions and main location needs.
type Placement struct {
	// Mentions are the client's mentions, validated and stored as they
	// are (sorted by Start); nil when the service tagged the text.
	Mentions *[]Mention
	// Tagged are the tagger's mentions of the report's text, and
	// TaggedTitle of its title (SplitTitled), used when Mentions is nil.
	Tagged      []Mention
	TaggedTitle []Mention
	// Point is a manual main point, overriding the automatic choice.
	Point *LatLon
	// OldText is nil for a new report; for an edit it is the text before,
	// and the report still holds the mentions, location and history from
	// before.
	OldText *string
	Tagger  string    // the tagger's version, recorded in an automatic location
	By      string    // who set a manual point
	At      time.Time // when
}

// Place gives r its mentions and main location as p says: the client's
// mentions of the text (r's title mentions are then left as they are), or
// the tagger's of the text and the title; for an edited text whose tagging the service
// did, the corrections made by hand to the old mentions are carried over
// to the new ones (CarryCorrections) and a main location chosen among them
// follows its mention, and the outcome is returned. It is nil otherwise:
// a new report, or mentions the client sent, which are stored as they
// are. The main location is p.Point when given, else the carried choice,
// else, unless a manual point stays, the automatic one (PickMain). It
// returns the ValidateMentions and ValidPoint errors, with r then half
// changed (to be dropped).
func (p Placement) Place(r *Report) (*CarryOutcome, error) {
	method := p.Tagger
	var carried *CarryOutcome
	if p.Mentions != nil {
		ms := slices.Clone(*p.Mentions)
		if err := ValidateMentions(r.Text, ms); err != nil {
			return nil, err
		}
		slices.SortStableFunc(ms, func(a, b Mention) int { return a.Start - b.Start })
		r.Mentions = ms
		method = "client"
	} else {
		ms := slices.Clone(p.Tagged)
		r.TitleMentions = slices.Clone(p.TaggedTitle)
		if p.OldText != nil {
			ci := CarryInput{OldText: *p.OldText, Mentions: r.Mentions, Location: r.Location, History: r.History, NewText: r.Text, Tagged: ms}
			if p.Point != nil {
				ci.Location = nil // a new main point replaces a chosen mention
			}
			co := CarryCorrections(ci)
			carried, ms = &co, co.Mentions
		}
		r.Mentions = ms
	}
	switch {
	case p.Point != nil:
		if err := ValidPoint(p.Point.Lat, p.Point.Lon, "location."); err != nil {
			return nil, err
		}
		r.Location = &Location{
			Lat: p.Point.Lat, Lon: p.Point.Lon, Precision: 1, Mention: -1,
			Provenance: Provenance{Method: MethodManual, By: p.By, At: p.At},
		}
	case carried != nil && carried.Main >= 0:
		r.Location = MentionLocation(r.Mentions, carried.Main, r.Location.Provenance)
	case r.Location == nil || r.Location.Provenance.Method != MethodManual || r.Location.Mention >= 0:
		r.Location = AutoLocation(r, method, p.At)
	}
	return carried, nil
}

// TitledText is the document the tagger reads for a report: the title and
// the text as two paragraphs, so that the names of both resolve alike (one
// sense per document) and a report of only a title is placed. textStart is
// where the text starts in it, in code points. Without a title it is the
// text.
func TitledText(title, text string) (doc string, textStart int) {
	if title == "" {
		return text, 0
	}
	return title + "\n\n" + text, utf8.RuneCountInString(title) + 2
}

// SplitTitled splits the tagger's mentions of TitledText(title, text) into
// the title's and the text's, each with offsets in its own field, in code
// points. A mention across the two (none, from a tagger that ends names
// at a blank line) is dropped.
func SplitTitled(title string, ms []Mention) (titleMs, textMs []Mention) {
	if title == "" {
		return nil, ms
	}
	n := utf8.RuneCountInString(title)
	textMs = make([]Mention, 0, len(ms))
	for _, m := range ms {
		switch {
		case m.End <= n:
			titleMs = append(titleMs, m)
		case m.Start >= n+2:
			m.Start, m.End = m.Start-n-2, m.End-n-2
			textMs = append(textMs, m)
		}
	}
	return titleMs, textMs
}
