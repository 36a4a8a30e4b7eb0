package geotag

import (
	"slices"
	"time"
)

// Placement is what giving a report its mentions and main location needs.
type Placement struct {
	// Mentions are the client's mentions, validated and stored as they
	// are (sorted by Start); nil when the service tagged the text.
	Mentions *[]Mention
	// Tagged are the tagger's mentions of the report's text, used when
	// Mentions is nil.
	Tagged []Mention
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
// mentions, or the tagger's; for an edited text whose tagging the service
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
