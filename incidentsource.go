package geotag

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
)

// What an edit or a deletion of a source report does to its incident: the
// incident's figures are derived again from its sources as stored now
// (the analyst's own figures stay: Derive keeps Set), and a deleted report
// leaves the sources. An incident whose last source is deleted is deleted
// with it: an incident stands on its sources (Unlink refuses the last one
// for the same reason), and a figure no stored report supports is not one
// a desk can publish. As for the analyst's actions, the figures are worked
// out before the write, which only checks that the incident is still the
// version read; an incident changed meanwhile is read and worked again.

// Revision actions of the follow-ups, beside "create", "link", "unlink"
// and "set".
const (
	ActionSourceEdited  = "source_edited"  // a source's figures changed: the incident's were derived again
	ActionSourceDeleted = "source_deleted" // a source report was deleted: it left the sources
)

// followAttempts is how often a follow-up is worked again on an incident
// that changed meanwhile before it gives up with ECONFLICT.
const followAttempts = 3

// errIncidentStale says that the incident changed between reading it and
// the write transaction.
var errIncidentStale = Errorf(ECONFLICT, "the incident changed while its sources' change was being applied")

// DeleteReport deletes the report and then takes it out of the incident
// it is a source of, by who (see SourceDeleted). It returns the
// ReportService's error (ENOTFOUND…), with nothing else done; or, once
// the report is deleted, the error of the incident's update, if any (the
// incident then lists the report as missing until its next write).
func (d IncidentDesk) DeleteReport(ctx context.Context, reportID, who string) error {
	// The incident is looked up before and after: a link made between the
	// two is seen by the second, a store that forgets a deleted report's
	// link by the first.
	before, err := d.Incidents.IncidentOf(ctx, reportID)
	if err != nil {
		return err
	}
	if err := d.Reports.DeleteReport(ctx, reportID); err != nil {
		return err
	}
	after, err := d.Incidents.IncidentOf(ctx, reportID)
	if err != nil {
		return err
	}
	ids := []string{before}
	if after != before {
		ids = append(ids, after)
	}
	for _, id := range ids {
		if id == "" {
			continue
		}
		if err := d.SourceDeleted(ctx, id, reportID, who); err != nil {
			return err
		}
	}
	return nil
}

// SourceDeleted takes the deleted report out of the incident's sources
// and derives its figures from those left, recording an
// ActionSourceDeleted revision by who; the incident is deleted when it
// was its last source. Nothing happens when the incident is gone or the
// report is not one of its sources. Returns ECONFLICT when the incident
// kept changing (followAttempts tries), or the service's errors.
func (d IncidentDesk) SourceDeleted(ctx context.Context, incidentID, reportID, who string) error {
	return d.follow(ctx, incidentID, func(inc *Incident) (*Incident, bool, error) {
		i := slices.Index(inc.Sources, reportID)
		if i < 0 {
			return nil, false, nil
		}
		next := &Incident{Title: inc.Title, Set: inc.Set, Sources: slices.Delete(slices.Clone(inc.Sources), i, i+1)}
		if len(next.Sources) == 0 {
			return nil, true, nil
		}
		rs, err := d.sources(ctx, next.Sources, false)
		if err != nil {
			return nil, false, err
		}
		next.Derive(rs)
		next.History = []IncidentRevision{{At: d.Now().UTC(), By: who, Action: ActionSourceDeleted, Report: reportID}}
		return next, false, nil
	})
}

// SourceEdited derives the figures of the incident the report is a
// source of again, after the report was changed, and stores them with an
// ActionSourceEdited revision by who when they differ from the stored
// ones (an edit of the text alone changes nothing). Nothing happens for a
// report in no incident. Returns ECONFLICT when the incident kept
// changing, or the services' errors.
func (d IncidentDesk) SourceEdited(ctx context.Context, reportID, who string) error {
	id, err := d.Incidents.IncidentOf(ctx, reportID)
	if err != nil || id == "" {
		return err
	}
	return d.follow(ctx, id, func(inc *Incident) (*Incident, bool, error) {
		rs, err := d.sources(ctx, inc.Sources, false)
		if err != nil {
			return nil, false, err
		}
		next := &Incident{Title: inc.Title, Set: inc.Set, Sources: inc.Sources}
		next.Derive(rs)
		if sameFigures(next.Figures, inc.Figures) {
			return nil, false, nil
		}
		next.History = []IncidentRevision{{At: d.Now().UTC(), By: who, Action: ActionSourceEdited, Report: reportID}}
		return next, false, nil
	})
}

// follow reads the incident, asks work for its next sources and figures
// (next nil: nothing to write; drop: delete the incident) and writes them
// if the incident is still the version read, reading and working it
// again when it is not, up to followAttempts times.
func (d IncidentDesk) follow(ctx context.Context, id string, work func(*Incident) (next *Incident, drop bool, err error)) error {
	for range followAttempts {
		inc, err := d.Incidents.FindIncidentByID(ctx, id)
		if ErrorCode(err) == ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		next, drop, err := work(inc)
		switch {
		case err != nil:
			return err
		case drop:
			err = d.dropIncident(ctx, inc)
		case next != nil:
			_, err = d.Incidents.UpdateIncident(ctx, id, func(cur *Incident) error {
				if cur.Version != inc.Version {
					return errIncidentStale
				}
				cur.Sources, cur.Figures = next.Sources, next.Figures
				appendIncidentRevision(cur, next.History[0], d.Limits.OrDefault().MaxRevisions)
				return nil
			})
		}
		if !errors.Is(err, errIncidentStale) {
			return err
		}
	}
	return errIncidentStale
}

// dropIncident deletes the incident read if it is still that version.
// IncidentService has no conditional delete: the version is checked on a
// fresh read just before (a change landing between the two is the only
// one that can be lost: a source linked to an incident whose last source
// was being deleted, within that instant).
func (d IncidentDesk) dropIncident(ctx context.Context, inc *Incident) error {
	cur, err := d.Incidents.FindIncidentByID(ctx, inc.ID)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if cur.Version != inc.Version {
		return errIncidentStale
	}
	err = d.Incidents.DeleteIncident(ctx, inc.ID)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	return err
}

// sameFigures reports whether two incidents' figures are the same as
// stored (compared in their JSON form, so that times in other locations
// and copied pointers compare by value).
func sameFigures(a, b IncidentFigures) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}
