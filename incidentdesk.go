package geotag

import (
	"context"
	"slices"
	"time"
)

// IncidentDesk carries out an analyst's incident actions: it reads the
// source reports and derives the figures before the write, and the write
// only checks that the incident is still the version read (ECONFLICT
// otherwise: someone changed it meanwhile) and stores the result.
type IncidentDesk struct {
	Reports   ReportService
	Incidents IncidentService
	Now       func() time.Time
	Limits    IncidentLimits // zero: the defaults
}

// Create links the reports as one new incident with the analyst's title
// and figures, recorded by who. It returns the errors of
// IncidentService.CreateIncident (EINVALID, also past d.Limits; ENOTFOUND
// for a report that is not stored, ECONFLICT for one in another incident).
func (d IncidentDesk) Create(ctx context.Context, title string, reportIDs []string, set IncidentSet, who string) (*Incident, error) {
	inc := &Incident{Title: title, Sources: reportIDs, Set: set}
	if err := d.validate(inc); err != nil {
		return nil, err
	}
	rs, err := d.sources(ctx, reportIDs, true)
	if err != nil {
		return nil, err
	}
	if inc.Title == "" && len(rs) > 0 {
		inc.Title = rs[0].Title
	}
	inc.Derive(rs)
	inc.History = []IncidentRevision{{At: d.Now().UTC(), By: who, Action: "create"}}
	if err := d.Incidents.CreateIncident(ctx, inc); err != nil {
		return nil, err
	}
	return inc, nil
}

// Link adds a report to the incident as read (inc). Returns ENOTFOUND for
// a report that is not stored, ECONFLICT for one in another incident or
// when the incident changed since inc was read, EINVALID past
// d.Limits.MaxSources; a report already linked changes nothing.
func (d IncidentDesk) Link(ctx context.Context, inc *Incident, reportID, who string) (*Incident, error) {
	if slices.Contains(inc.Sources, reportID) {
		return inc, nil
	}
	if _, err := d.Reports.FindReportByID(ctx, reportID); err != nil {
		return nil, err
	}
	sources := append(slices.Clip(inc.Sources), reportID)
	return d.write(ctx, inc, sources, inc.Set, IncidentRevision{By: who, Action: "link", Report: reportID})
}

// Unlink removes a source from the incident as read. Returns ENOTFOUND
// when the report is not one of its sources, EUNPROCESSABLE for its last
// source (delete the incident instead), ECONFLICT when the incident
// changed since it was read.
func (d IncidentDesk) Unlink(ctx context.Context, inc *Incident, reportID, who string) (*Incident, error) {
	i := slices.Index(inc.Sources, reportID)
	if i < 0 {
		return nil, FieldErrorf(ENOTFOUND, "report", "report %s is not a source of incident %s", reportID, inc.ID)
	}
	if len(inc.Sources) == 1 {
		return nil, FieldErrorf(EUNPROCESSABLE, "report", "report %s is the incident's last source: delete the incident instead", reportID)
	}
	sources := slices.Delete(slices.Clone(inc.Sources), i, i+1)
	return d.write(ctx, inc, sources, inc.Set, IncidentRevision{By: who, Action: "unlink", Report: reportID})
}

// SetFigures makes set the analyst's figures (and title, when not "") of
// the incident as read. Returns EINVALID for invalid figures, ECONFLICT
// when the incident changed since it was read.
func (d IncidentDesk) SetFigures(ctx context.Context, inc *Incident, title string, set IncidentSet, who string) (*Incident, error) {
	if err := set.Validate(); err != nil {
		return nil, err
	}
	before, after := inc.Set, set
	rev := IncidentRevision{By: who, Action: "set", Before: &before, After: &after}
	return d.writeTitled(ctx, inc, inc.Sources, set, title, rev)
}

// Refresh derives the incident's figures from its sources as stored now,
// for an answer, and returns the sources that are stored; nothing is
// written.
func (d IncidentDesk) Refresh(ctx context.Context, inc *Incident) ([]*Report, error) {
	rs, err := d.sources(ctx, inc.Sources, false)
	if err != nil {
		return nil, err
	}
	inc.Derive(rs)
	return rs, nil
}

func (d IncidentDesk) write(ctx context.Context, inc *Incident, sources []string, set IncidentSet, rev IncidentRevision) (*Incident, error) {
	return d.writeTitled(ctx, inc, sources, set, "", rev)
}

// writeTitled derives the figures of the incident with the sources and
// set, then stores them with the revision if the incident is still at the
// version read.
func (d IncidentDesk) writeTitled(ctx context.Context, inc *Incident, sources []string, set IncidentSet, title string, rev IncidentRevision) (*Incident, error) {
	next := Incident{Title: inc.Title, Sources: sources, Set: set}
	if title != "" {
		next.Title = title
	}
	if err := d.validate(&next); err != nil {
		return nil, err
	}
	rs, err := d.sources(ctx, sources, false)
	if err != nil {
		return nil, err
	}
	next.Derive(rs)
	rev.At = d.Now().UTC()
	return d.Incidents.UpdateIncident(ctx, inc.ID, func(cur *Incident) error {
		if cur.Version != inc.Version {
			return Errorf(ECONFLICT, "incident %s changed while it was being updated; reload it and try again", inc.ID)
		}
		cur.Title, cur.Sources, cur.Set, cur.Figures = next.Title, next.Sources, next.Set, next.Figures
		appendIncidentRevision(cur, rev, d.Limits.OrDefault().MaxRevisions)
		return nil
	})
}

// validate checks inc (Incident.Validate) and then against d.Limits.
func (d IncidentDesk) validate(inc *Incident) error {
	if err := inc.Validate(); err != nil {
		return err
	}
	return d.Limits.Check(inc)
}

// sources reads the stored reports of ids; with strict an unknown one is
// ENOTFOUND, else it is left out (Derive lists it as missing).
func (d IncidentDesk) sources(ctx context.Context, ids []string, strict bool) ([]*Report, error) {
	rs := make([]*Report, 0, len(ids))
	for _, id := range ids {
		r, err := d.Reports.FindReportByID(ctx, id)
		if ErrorCode(err) == ENOTFOUND && !strict {
			continue
		}
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, nil
}
