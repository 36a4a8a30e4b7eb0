package geotag

import "fmt"

// Default incident limits (IncidentLimits). The sources, title and
// revision limits may be lowered, not raised: MaxIncidentSources,
// MaxIncidentTitle and MaxIncidentRevisions are what every store accepts.
const (
	DefaultMaxIncidentSources   = MaxIncidentSources   // source reports of one incident
	DefaultMaxIncidentTitle     = MaxIncidentTitle     // bytes of an incident's title
	DefaultMaxIncidentRevisions = MaxIncidentRevisions // revisions kept in an incident's history
	DefaultMaxIncidentPage      = 1000                 // incidents of one list page (limit=)
	MaxIncidentPage             = 10000                // the most a store answers in one page
	DefaultMaxSameEvent         = 20                   // same-event candidates answered
	DefaultSameEventReads       = maxSameEventFound    // reports one same-event query reads
	MaxSameEventReads           = 1000                 // the most a flag may set
)

// IncidentLimits bound what the incident desk stores and answers; zero
// fields mean the Default* values.
type IncidentLimits struct {
	MaxSources   int // source reports of one incident (1…MaxIncidentSources)
	MaxTitle     int // bytes of an incident's title (1…MaxIncidentTitle)
	MaxRevisions int // revisions kept in an incident's history (2…MaxIncidentRevisions; the first stays)
	MaxPage      int // incidents of one list page (1…MaxIncidentPage)
	MaxSameEvent int // same-event candidates answered for one report (1…1000)
	// SameEventReads is how many reports each same-event query reads
	// (1…MaxSameEventReads; SameEventFilters makes up to three).
	SameEventReads int
}

// OrDefault returns l with its zero fields set to the defaults.
func (l IncidentLimits) OrDefault() IncidentLimits {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&l.MaxSources, DefaultMaxIncidentSources)
	def(&l.MaxTitle, DefaultMaxIncidentTitle)
	def(&l.MaxRevisions, DefaultMaxIncidentRevisions)
	def(&l.MaxPage, DefaultMaxIncidentPage)
	def(&l.MaxSameEvent, DefaultMaxSameEvent)
	def(&l.SameEventReads, DefaultSameEventReads)
	return l
}

// Validate returns an error naming the first limit outside its range (a
// configuration error, for serve's flags).
func (l IncidentLimits) Validate() error {
	l = l.OrDefault()
	for _, c := range []struct {
		name    string
		v, l, h int
	}{
		{"max-incident-sources", l.MaxSources, 1, MaxIncidentSources},
		{"max-incident-title", l.MaxTitle, 1, MaxIncidentTitle},
		{"max-incident-revisions", l.MaxRevisions, 2, MaxIncidentRevisions},
		{"max-incident-page", l.MaxPage, 1, MaxIncidentPage},
		{"max-same-event", l.MaxSameEvent, 1, 1000},
		{"same-event-reads", l.SameEventReads, 1, MaxSameEventReads},
	} {
		if c.v < c.l || c.v > c.h {
			return fmt.Errorf("%s must be within %d…%d, not %d", c.name, c.l, c.h, c.v)
		}
	}
	return nil
}

// Check checks an incident a client writes against the limits on its
// sources and title (Incident.Validate checks the rest, within the
// stores' own maxima). Returns EINVALID naming the field.
func (l IncidentLimits) Check(inc *Incident) error {
	l = l.OrDefault()
	if len(inc.Sources) > l.MaxSources {
		return FieldErrorf(EINVALID, "report_ids", "an incident has 1…%d source reports", l.MaxSources)
	}
	if len(inc.Title) > l.MaxTitle {
		return FieldErrorf(EINVALID, "title", "a title is at most %d bytes", l.MaxTitle)
	}
	return nil
}

// appendIncidentRevision adds rev to the incident's history, keeping the
// first revision (its creation) and the newest, max in all.
func appendIncidentRevision(inc *Incident, rev IncidentRevision, max int) {
	inc.History = append(inc.History, rev)
	if n := len(inc.History); n > max {
		inc.History = append(inc.History[:1:1], inc.History[n-max+1:]...)
	}
}
