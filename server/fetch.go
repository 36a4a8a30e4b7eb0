package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// fetchRequest is the body of POST /api/v1/fetch.
type fetchRequest struct {
	URL string `json:"url"`
}

// fetchTimeout bounds a whole article fetch and extraction.
const fetchTimeout = 45 * time.Second

// fetchArticle fetches a page through the service's safe client and
// answers its article (title, text, time) for the New report form;
// nothing is stored. The text is cut to the report limit (truncated).
func (s *Server) fetchArticle(c *gin.Context) {
	var req fetchRequest
	if err := decodeJSON(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if req.URL == "" || len(req.URL) > geotag.MaxFeedURLBytes {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "url", "url must be an http(s) URL of at most %d bytes", geotag.MaxFeedURLBytes))
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), fetchTimeout)
	defer cancel()
	a, err := s.articles.FetchArticle(ctx, req.URL)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if max := s.reportLimits.MaxTextBytes; max > 0 && len(a.Text) > max {
		a.Text, a.Truncated = cutUTF8(a.Text, max), true
	}
	c.JSON(http.StatusOK, a)
}

// cutUTF8 cuts s to at most n bytes at a character boundary.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
