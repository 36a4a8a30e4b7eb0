package geotag

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Incident is one event that several reports describe (a strike reported
// by five live-blog updates): an analyst links the reports, its Sources,
// and may set any of its figures by hand (Set); the others are derived
// from the sources by the rules of Derive, and Figures says which rule
// gave each. Version counts its writes, for If-Match.
type Incident struct {
	ID      string             `json:"id"`
	Title   string             `json:"title"`
	Sources []string           `json:"sources"` // report IDs, in the order linked
	Set     IncidentSet        `json:"set"`     // the analyst's figures
	Figures IncidentFigures    `json:"figures"` // as derived at the last write (or read)
	Created time.Time          `json:"created"`
	Updated time.Time          `json:"updated"`
	Version int                `json:"version"`
	History []IncidentRevision `json:"history,omitempty"`
}

// IncidentSet is what an analyst set on an incident; a zero field is
// derived from the sources instead.
type IncidentSet struct {
	Location     *LatLon    `json:"location,omitempty"`
	Time         *time.Time `json:"time,omitempty"`
	EventType    string     `json:"event_type,omitempty"`
	SubEventType string     `json:"sub_event_type,omitempty"`
	Fatalities   *int       `json:"fatalities,omitempty"`
}

// The rules an incident's figures come from.
const (
	RuleAnalyst      = "analyst"        // set by hand
	RuleMostPrecise  = "most_precise"   // the most precise source location; ties: the place most sources name, then the earliest source
	RuleEarliest     = "earliest"       // the earliest source's event time
	RuleMostSources  = "most_sources"   // the value most sources state
	RuleLowestOfTied = "lowest_of_tied" // several counts stated by equally many sources: the lowest (ACLED's lowest credible figure)
	RuleNone         = "none"           // no source states it
)

// IncidentFigures are an incident's one location, time, type and death
// count, each with the rule that gave it, and the actors its sources name.
// Missing lists sources that are no longer stored.
type IncidentFigures struct {
	Location       *Location `json:"location"`
	LocationRule   string    `json:"location_rule"`
	Time           time.Time `json:"time"`
	TimeRule       string    `json:"time_rule"`
	EventType      string    `json:"event_type,omitempty"`
	SubEventType   string    `json:"sub_event_type,omitempty"`
	TypeRule       string    `json:"type_rule"`
	Fatalities     *int      `json:"fatalities"`
	FatalitiesRule string    `json:"fatalities_rule"`
	Actors         []string  `json:"actors,omitempty"`
	Missing        []string  `json:"missing,omitempty"`
}

// IncidentRevision records one change: "create", "link", "unlink" (Report
// names the source) or "set" (Before and After the analyst's figures).
type IncidentRevision struct {
	At     time.Time    `json:"at"`
	By     string       `json:"by,omitempty"`
	Action string       `json:"action"`
	Report string       `json:"report,omitempty"`
	Before *IncidentSet `json:"before,omitempty"`
	After  *IncidentSet `json:"after,omitempty"`
}

// Incident limits.
const (
	MaxIncidentSources   = 200
	MaxIncidentTitle     = 500
	MaxIncidentRevisions = 500
)

// Validate checks the fields a client supplies: a title within
// MaxIncidentTitle bytes, 1…MaxIncidentSources distinct sources, and the
// analyst's figures (a known type and sub-type, put in the taxonomy's
// spelling; a count within 0…MaxFatalities; a valid point and time).
// Returns EINVALID naming the field.
func (inc *Incident) Validate() error {
	inc.Title = strings.TrimSpace(inc.Title)
	if len(inc.Title) > MaxIncidentTitle {
		return FieldErrorf(EINVALID, "title", "a title is at most %d bytes", MaxIncidentTitle)
	}
	if len(inc.Sources) == 0 || len(inc.Sources) > MaxIncidentSources {
		return FieldErrorf(EINVALID, "report_ids", "an incident has 1…%d source reports", MaxIncidentSources)
	}
	for i, id := range inc.Sources {
		if id == "" || len(id) > 64 || slices.Contains(inc.Sources[:i], id) {
			return FieldErrorf(EINVALID, "report_ids", "source report ids must be distinct and non-empty")
		}
	}
	return inc.Set.Validate()
}

// Validate checks an analyst's figures (see Incident.Validate).
func (s *IncidentSet) Validate() error {
	e := Event{EventType: s.EventType, SubEventType: s.SubEventType, Fatalities: s.Fatalities}
	if err := e.Validate(); err != nil {
		return err
	}
	s.EventType, s.SubEventType = e.EventType, e.SubEventType
	if s.Location != nil {
		if err := s.Location.Validate(); err != nil {
			return err
		}
	}
	if s.Time != nil {
		return CheckReportTime(*s.Time)
	}
	return nil
}

// Matches reports whether the incident's figures pass the parts of a
// ReportFilter an incident answers: location (BBox), time (From, To),
// event types, fatality range, actor (one its sources name) and title
// (Q). CheckIncidentFilter refuses the others.
func (inc *Incident) Matches(f ReportFilter) bool {
	g := &inc.Figures
	if f.BBox != nil && (g.Location == nil || !f.BBox.Contains(g.Location.Lat, g.Location.Lon)) {
		return false
	}
	if (f.From != nil && g.Time.Before(*f.From)) || (f.To != nil && !g.Time.Before(*f.To)) {
		return false
	}
	if len(f.EventTypes) > 0 && !slices.ContainsFunc(f.EventTypes, func(t string) bool { return strings.EqualFold(t, g.EventType) }) {
		return false
	}
	if (f.FatalitiesMin != nil || f.FatalitiesMax != nil) && g.Fatalities == nil {
		return false
	}
	if (f.FatalitiesMin != nil && *g.Fatalities < *f.FatalitiesMin) || (f.FatalitiesMax != nil && *g.Fatalities > *f.FatalitiesMax) {
		return false
	}
	if f.Actor != "" && !slices.ContainsFunc(g.Actors, func(a string) bool { return strings.EqualFold(a, f.Actor) }) {
		return false
	}
	return f.Q == "" || strings.Contains(strings.ToLower(inc.Title), strings.ToLower(f.Q))
}

// CheckIncidentFilter returns EINVALID for the report filters an incident
// cannot answer: place, status and tag belong to reports.
func CheckIncidentFilter(f ReportFilter) error {
	switch {
	case f.PlaceID != 0:
		return FieldErrorf(EINVALID, "place", "incidents are not filtered by place; use bbox")
	case f.Status != "":
		return FieldErrorf(EINVALID, "status", "incidents have no review status")
	case f.Tag != "":
		return FieldErrorf(EINVALID, "tag", "incidents have no tags")
	}
	return nil
}

// IncidentPage is one page of incidents, newest incident time first.
type IncidentPage struct {
	Incidents []*Incident
	Next      string // cursor of the next page, "" on the last
}

// IncidentService stores incidents. A report is the source of at most one
// incident. Implementations are safe for concurrent use.
type IncidentService interface {
	// CreateIncident assigns inc an ID, Created, Updated and Version 1 and
	// stores it. Returns EINVALID if inc fails Validate, ENOTFOUND if a
	// source is not a stored report, ECONFLICT if a source is already
	// another incident's (the message names both).
	CreateIncident(ctx context.Context, inc *Incident) error

	// FindIncidentByID returns ENOTFOUND if no incident has the id.
	FindIncidentByID(ctx context.Context, id string) (*Incident, error)

	// UpdateIncident loads the incident, calls fn on it and, if fn
	// returns nil, stores the result with Version one more and Updated
	// now, in one transaction. Returns ENOTFOUND if no incident has the
	// id, fn's error (nothing stored), EINVALID if the result fails
	// Validate, ENOTFOUND if fn added a source that is not a stored
	// report, ECONFLICT if it added one that is another incident's.
	UpdateIncident(ctx context.Context, id string, fn func(*Incident) error) (*Incident, error)

	// DeleteIncident deletes the incident, its sources becoming free to
	// link again. Returns ENOTFOUND if no incident has the id.
	DeleteIncident(ctx context.Context, id string) error

	// IncidentOf returns the ID of the incident the report is a source
	// of, "" when none (also for an unknown report).
	IncidentOf(ctx context.Context, reportID string) (string, error)

	// FindIncidents returns one page of the incidents whose figures
	// match f (Incident.Matches; f.Limit, default 100, at most 10000),
	// newest incident time first; the cursor is a position, as for
	// reports. Its work is bounded by the incidents in f's time window.
	// Returns EINVALID for a filter CheckIncidentFilter refuses, a
	// negative limit or a malformed cursor.
	FindIncidents(ctx context.Context, f ReportFilter) (IncidentPage, error)
}

// Derive works out the incident's figures from its sources (the reports
// of inc.Sources that are stored, in any order) and the analyst's Set,
// by the rules named in IncidentFigures. It changes nothing else.
func (inc *Incident) Derive(sources []*Report) {
	byID := make(map[string]*Report, len(sources))
	for _, r := range sources {
		byID[r.ID] = r
	}
	var rs []*Report
	g := IncidentFigures{}
	for _, id := range inc.Sources {
		if r := byID[id]; r != nil {
			rs = append(rs, r)
		} else {
			g.Missing = append(g.Missing, id)
		}
	}
	slices.SortStableFunc(rs, func(a, b *Report) int { return a.Time.Compare(b.Time) })
	g.Location, g.LocationRule = incidentLocation(rs, inc.Set.Location)
	g.Time, g.TimeRule = incidentTime(rs, inc.Set.Time)
	g.EventType, g.SubEventType, g.TypeRule = incidentType(rs, inc.Set)
	g.Fatalities, g.FatalitiesRule = incidentFatalities(rs, inc.Set.Fatalities)
	for _, r := range rs {
		for _, a := range r.Actors {
			if !slices.ContainsFunc(g.Actors, func(s string) bool { return strings.EqualFold(s, a.Name) }) {
				g.Actors = append(g.Actors, a.Name)
			}
		}
	}
	inc.Figures = g
}

// incidentLocation is the analyst's point, else the most precise source
// location (ties: the place most of the tied sources name, then the
// earliest source; rs is oldest first).
func incidentLocation(rs []*Report, set *LatLon) (*Location, string) {
	if set != nil {
		return &Location{Lat: set.Lat, Lon: set.Lon, Precision: 1, Mention: -1, Provenance: Provenance{Method: MethodManual}}, RuleAnalyst
	}
	var best []*Location
	for _, r := range rs {
		l := r.Location
		switch {
		case l == nil:
		case len(best) == 0 || l.Precision < best[0].Precision:
			best = []*Location{l}
		case l.Precision == best[0].Precision:
			best = append(best, l)
		}
	}
	if len(best) == 0 {
		return nil, RuleNone
	}
	pick, most := best[0], 0
	for _, l := range best {
		n := 0
		for _, o := range best {
			if o.PlaceID == l.PlaceID && (l.PlaceID != 0 || (o.Lat == l.Lat && o.Lon == l.Lon)) {
				n++
			}
		}
		if n > most {
			pick, most = l, n
		}
	}
	c := *pick
	return &c, RuleMostPrecise
}

// incidentTime is the analyst's time, else the earliest source's (rs
// oldest first).
func incidentTime(rs []*Report, set *time.Time) (time.Time, string) {
	if set != nil {
		return set.UTC(), RuleAnalyst
	}
	if len(rs) == 0 {
		return time.Time{}, RuleNone
	}
	return rs[0].Time, RuleEarliest
}

// incidentType is the analyst's type, else the type most sources code
// (ties: the earliest source's), with the sub-type most of those sources
// code.
func incidentType(rs []*Report, set IncidentSet) (typ, sub, rule string) {
	if set.EventType != "" {
		return set.EventType, set.SubEventType, RuleAnalyst
	}
	typ = mostCommon(rs, func(r *Report) string { return r.EventType })
	if typ == "" {
		return "", "", RuleNone
	}
	sub = mostCommon(rs, func(r *Report) string {
		if r.EventType != typ {
			return ""
		}
		return r.SubEventType
	})
	return typ, sub, RuleMostSources
}

// mostCommon returns the non-empty value of key most reports have, the
// earliest-seen among ties.
func mostCommon(rs []*Report, key func(*Report) string) string {
	n := map[string]int{}
	best := ""
	for _, r := range rs {
		k := key(r)
		if k == "" {
			continue
		}
		n[k]++
		if n[k] > n[best] {
			best = k
		}
	}
	return best
}

// incidentFatalities is the analyst's count, else the count most sources
// state; when several counts are stated by equally many sources, the
// lowest of them (ACLED uses the lowest credible figure).
func incidentFatalities(rs []*Report, set *int) (*int, string) {
	if set != nil {
		f := *set
		return &f, RuleAnalyst
	}
	n := map[int]int{}
	for _, r := range rs {
		if r.Fatalities != nil {
			n[*r.Fatalities]++
		}
	}
	if len(n) == 0 {
		return nil, RuleNone
	}
	best, most, tied := 0, 0, false
	for f, k := range n {
		switch {
		case k > most:
			best, most, tied = f, k, false
		case k == most:
			tied = true
			best = min(best, f)
		}
	}
	if tied {
		return &best, RuleLowestOfTied
	}
	return &best, RuleMostSources
}
