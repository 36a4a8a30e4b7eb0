package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// splitRequest is the body of POST /api/v1/reports/{id}/split: the spans
// of the text (code points) that become reports of their own.
type splitRequest struct {
	Parts []geotag.SplitPart `json:"parts"`
}

// splitAnswer is the original report as changed and the new reports.
type splitAnswer struct {
	Report *geotag.Report   `json:"report"`
	New    []*geotag.Report `json:"new"`
}

// splitReport cuts the parts out of a report's text into new reports
// (geotag.PlanSplit, geotag.SplitReport): every text is tagged before any
// write; the new reports are stored first, then the original keeps the
// rest of its text (its corrections carried over, as an edit does) with
// an edit and a split revision naming them, if it is still the version
// the split was planned on (If-Match: 412; changed meanwhile: 409, and
// the new reports are deleted again).
func (s *Server) splitReport(c *gin.Context) {
	var req splitRequest
	if err := decodeJSON(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	orig, err := s.reports.FindReportByID(ctx, c.Param("id"))
	if err == nil {
		err = checkIfMatch(c, orig)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	rest, pieces, err := geotag.PlanSplit(orig.Text, req.Parts)
	if err != nil {
		s.writeError(c, err)
		return
	}
	who, now := who(c), s.now().UTC()
	news, err := s.splitPieces(c, orig, pieces, who, now)
	if err != nil {
		s.writeError(c, err)
		return
	}
	restTagged, err := s.pretag(c, orig.Title, rest, &reportInput{})
	if err != nil {
		s.undoSplit(ctx, news)
		s.writeError(c, err)
		return
	}
	ids := make([]string, len(news))
	for i, r := range news {
		ids[i] = r.ID
	}
	in := reportInput{Text: &rest}
	r, err := s.commitChange(c, func(r *geotag.Report) error {
		if r.Text != orig.Text {
			return geotag.Errorf(geotag.ECONFLICT, "the report's text changed while it was being split; reload it and split again")
		}
		if _, err := s.applyChange(r, &in, who, func(string, string) (*tagged, error) { return restTagged, nil }); err != nil {
			return err
		}
		r.History = append(r.History, geotag.Revision{At: now, By: who, Action: geotag.ActionSplit, Mention: -1, SplitInto: ids})
		return nil
	})
	if err != nil {
		s.undoSplit(ctx, news)
		s.writeError(c, err)
		return
	}
	c.Header("ETag", etag(r))
	c.JSON(http.StatusOK, splitAnswer{Report: r, New: news})
}

// splitPieces tags and stores a new report for each piece of orig. On an
// error the reports stored so far are deleted again.
func (s *Server) splitPieces(c *gin.Context, orig *geotag.Report, pieces []string, who string, now time.Time) ([]*geotag.Report, error) {
	var news []*geotag.Report
	for i, p := range pieces {
		r := geotag.SplitReport(orig, p, i+1, who, now)
		r.Created = now
		err := s.reportLimits.CheckInput(r)
		if err == nil {
			err = s.setPlaces(c, r, &reportInput{}, who)
		}
		if err == nil {
			r.History = append([]geotag.Revision{createRevision(r, who, now)}, r.History...)
			err = s.reports.CreateReport(c.Request.Context(), r)
		}
		if err != nil {
			s.undoSplit(c.Request.Context(), news)
			return nil, err
		}
		news = append(news, r)
	}
	return news, nil
}

// undoSplit deletes the reports a failed split stored.
func (s *Server) undoSplit(ctx context.Context, news []*geotag.Report) {
	for _, r := range news {
		if err := s.reports.DeleteReport(context.WithoutCancel(ctx), r.ID); err != nil {
			s.logger.Warn("split: removing a new report after a failure", "id", r.ID, "err", err)
		}
	}
}
