package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// correctionResult answers a correction: the report after it and the
// revisions it recorded.
type correctionResult struct {
	Report    *geotag.Report    `json:"report"`
	Revisions []geotag.Revision `json:"revisions"`
}

// correctReport applies one correction to a report and records a
// revision for each mention it changed. The correction is worked out
// before the write transaction, on the report as read, and stored only if
// the report is still that version (commitChange: made again on a newer
// version, up to three times, then a 409).
func (s *Server) correctReport(c *gin.Context) {
	var cr geotag.Correction
	if err := decodeJSON(c, &cr); err != nil {
		s.writeError(c, err)
		return
	}
	var revs []geotag.Revision
	r, err := s.commitChange(c, func(r *geotag.Report) error {
		var err error
		revs, err = s.corrector(who(c)).Correct(r, cr)
		if err != nil {
			return err
		}
		r.History = append(r.History, revs...)
		r.Updated = s.now().UTC()
		return nil
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("ETag", etag(r))
	c.JSON(http.StatusOK, correctionResult{Report: r, Revisions: revs})
}

// reportHistory lists a report's revisions, oldest first.
func (s *Server) reportHistory(c *gin.Context) {
	r, err := s.reports.FindReportByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	h := r.History
	if h == nil {
		h = []geotag.Revision{}
	}
	c.Header("Content-Type", "application/json; charset=utf-8")
	c.Status(http.StatusOK)
	o := newObjectWriter(c.Writer) // streamed, revision by revision
	o.member("id", r.ID)
	list(o, "revisions", h)
	if err := o.end(); err != nil {
		s.logger.Debug("history answer cut short", "id", r.ID, "err", err)
	}
}

// corrector applies corrections for the author by with the server's
// gazetteer, tagger, clock and report limits.
func (s *Server) corrector(by string) geotag.Corrector {
	return geotag.Corrector{Places: s.places, Tagger: s.tagger.Version(), Now: s.now, By: by, Limits: s.reportLimits}
}
