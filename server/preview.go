package server

import (
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// maxPreviewCorrections bounds the corrections one preview applies.
const maxPreviewCorrections = 100

// previewRequest is the body of POST /api/v1/preview: a text, mentions of
// it (a tagging answer, perhaps corrected), and corrections to apply in
// order, each to the mentions as the ones before left them.
type previewRequest struct {
	Title         string              `json:"title"`
	Text          string              `json:"text"`
	Mentions      []geotag.Mention    `json:"mentions"`
	TitleMentions []geotag.Mention    `json:"title_mentions"` // the title's (a tagging answer's), offsets in the title
	Corrections   []geotag.Correction `json:"corrections"`
}

// previewAnswer is the mentions and main location a report with the
// request's text and mentions would have after the corrections, and the
// revisions each correction would record.
type previewAnswer struct {
	Mentions  []geotag.Mention  `json:"mentions"`
	Location  *geotag.Location  `json:"location"`
	Revisions []geotag.Revision `json:"revisions"`
}

// preview applies the report rules — the automatic main location, then
// each correction — to a posted tagging and stores nothing, so that the
// map page shows what the service will do rather than a copy of its rules.
func (s *Server) preview(c *gin.Context) {
	var req previewRequest
	if err := decodeJSON(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if len(req.Corrections) > maxPreviewCorrections {
		s.writeError(c, geotag.FieldErrorf(geotag.EUNPROCESSABLE, "corrections", "a preview applies at most %d corrections", maxPreviewCorrections))
		return
	}
	if req.Mentions == nil {
		req.Mentions = []geotag.Mention{}
	}
	if err := checkTitle(req.Title); err != nil {
		s.writeError(c, err)
		return
	}
	if len(req.TitleMentions) > utf8.RuneCountInString(req.Title) { // so at most maxTitle
		s.writeError(c, geotag.FieldErrorf(geotag.EUNPROCESSABLE, "title_mentions", "a title has at most one mention per character"))
		return
	}
	if err := geotag.ValidateTitleMentions(req.Title, req.TitleMentions); err != nil {
		s.writeError(c, err)
		return
	}
	r := &geotag.Report{Title: req.Title, Text: req.Text, Mentions: req.Mentions, TitleMentions: req.TitleMentions}
	if err := s.reportLimits.Check(r); err != nil {
		s.writeError(c, err)
		return
	}
	who := who(c)
	if _, err := (geotag.Placement{Mentions: &req.Mentions, Tagger: s.tagger.Version(), By: who, At: s.now().UTC()}).Place(r); err != nil {
		s.writeError(c, err)
		return
	}
	k := s.corrector(who)
	ans := previewAnswer{Revisions: []geotag.Revision{}}
	for i, cr := range req.Corrections {
		revs, err := k.Correct(r, cr)
		if err != nil {
			s.writeError(c, geotag.FieldErrorf(geotag.ErrorCode(err), "corrections["+itoa(i)+"]."+geotag.ErrorField(err), "%s", geotag.ErrorMessage(err)))
			return
		}
		r.History = append(r.History, revs...)
		ans.Revisions = append(ans.Revisions, revs...)
	}
	ans.Mentions, ans.Location = r.Mentions, r.Location
	c.JSON(http.StatusOK, ans)
}
