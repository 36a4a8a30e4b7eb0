package server

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// changeAttempts is how often commitChange makes a change again on a
// report that changed meanwhile before it gives up with a 409.
const changeAttempts = 3

// errStale says that the report changed between reading it and the write
// transaction; commitChange then reads it again.
var errStale = geotag.Errorf(geotag.ECONFLICT, "the report is being changed by others right now; reload it and try again")

// version is what tells two versions of a stored report apart: every
// write sets Updated (to the nanosecond) and a correction or edit adds a
// revision; the fields an edit or a correction changes are compared as
// well, so that even writes within one clock tick are told apart.
type version struct {
	updated, time       int64
	locationAt          int64
	revisions, mentions int
	status, text, title string
	source, externalID  string
	tags                string
	location            geotag.Location
	located             bool
}

func versionOf(r *geotag.Report) version {
	v := version{updated: r.Updated.UnixNano(), time: r.Time.UnixNano(), revisions: len(r.History), mentions: len(r.Mentions),
		status: r.Status, text: r.Text, title: r.Title, source: r.Source, externalID: r.ExternalID,
		tags: strings.Join(r.Tags, "\x00")}
	if l := r.Location; l != nil {
		v.location, v.located = *l, true
		v.location.Provenance.At = time.Time{} // compared as a number
		v.locationAt = l.Provenance.At.UnixNano()
	}
	return v
}

// commitChange changes the report of the request's id and stores it,
// with the work done outside the store's write lock: it reads the report,
// checks If-Match, calls change on it — tagging, carrying corrections
// over, applying a correction — and then, in the write transaction, only
// checks that the stored report is still the version read and writes the
// changed one. When another write came in between, it reads the report
// and calls change again, up to changeAttempts times in all, and then
// returns a 409 (errStale); nothing is lost silently. change may be called
// more than once, each time on a fresh copy: state it keeps must be reset
// at each call. It returns the stored report, ENOTFOUND, change's error, or
// the store's. The incident the report is a source of then follows the
// change (sourceEdited).
func (s *Server) commitChange(c *gin.Context, change func(r *geotag.Report) error) (*geotag.Report, error) {
	ctx := c.Request.Context()
	id := c.Param("id")
	for range changeAttempts {
		cur, err := s.reports.FindReportByID(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := checkIfMatch(c, cur); err != nil {
			return nil, err
		}
		read := versionOf(cur)
		if err := change(cur); err != nil {
			return nil, err
		}
		r, err := s.reports.UpdateReport(ctx, id, func(r *geotag.Report) error {
			if versionOf(r) != read {
				return errStale
			}
			*r = *cur // the store sets ID, Created and Updated itself
			return nil
		})
		if !errors.Is(err, errStale) {
			if err == nil {
				s.sourceEdited(c, r.ID)
			}
			return r, err
		}
	}
	return nil, errStale
}

// sourceEdited derives again the figures of the incident the edited
// report is a source of (geotag.IncidentDesk.SourceEdited). The edit is
// stored: a failure is logged, and the incident's answer (GET) derives
// its figures afresh anyway.
func (s *Server) sourceEdited(c *gin.Context, id string) {
	if s.incidents == nil {
		return
	}
	if err := s.desk().SourceEdited(context.WithoutCancel(c.Request.Context()), id, who(c)); err != nil {
		s.logger.Warn("incident of an edited report", "report", id, "err", err)
	}
}

// sourcesEdited is sourceEdited for the reports a bulk job changed, by
// its author (one index lookup per report; a write per incident whose
// figures changed).
func (s *Server) sourcesEdited(ids []string, by string) {
	if s.incidents == nil {
		return
	}
	d := s.desk()
	for _, id := range ids {
		if err := d.SourceEdited(context.Background(), id, by); err != nil {
			s.logger.Warn("incident of a report a bulk correction changed", "report", id, "err", err)
		}
	}
}
