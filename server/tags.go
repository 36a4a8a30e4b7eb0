package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// Tag listing sizes.
const (
	defaultTagLimit = 20
	maxTagLimit     = 100
)

// listTags answers GET /api/v1/tags: the tags starting with ?q= (compared
// lower-cased; all tags when empty), each with the number of its reports
// matching the filter, most used first, at most ?limit= (1…100, default
// 20). The filter is parseFilter's, except that its text search is
// ?text=, as ?q= is the prefix here. A count that stopped at the store's
// cap has count_at_least set; truncated says the store stopped looking
// before it had seen every tag with the prefix. A listing with a filter is
// a bulk scan, charged to the client's scan budget (admitScan: 429 when it
// is spent); one without takes a walk turn. Every malformed parameter is a
// 400 naming it; a 503 when too many walks or scans are running.
func (s *Server) listTags(c *gin.Context) {
	query := c.Request.URL.Query()
	limit := defaultTagLimit
	if l := query.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxTagLimit {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be an integer 1..%d, not %q", maxTagLimit, l))
			return
		}
		limit = n
	}
	query.Del("limit")
	f, err := parseFilter(query)
	if err != nil {
		s.writeError(c, err)
		return
	}
	f.Q = strings.TrimSpace(query.Get("text"))
	f.Limit, f.Cursor = 0, ""
	admit := s.admitWalk
	if f.BBox != nil || f.From != nil || f.To != nil || f.PlaceID != 0 || f.Status != "" || f.Tag != "" || len(f.Tags) > 0 || f.Located != nil || f.Q != "" {
		admit = func(c *gin.Context) (func(), bool) { return s.admitScan(c, true) }
	}
	release, ok := admit(c)
	if !ok {
		return
	}
	defer release()
	tags, err := s.reports.Tags(c.Request.Context(), f, query.Get("q"), limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if tags.Tags == nil {
		tags.Tags = []geotag.TagCount{}
	}
	c.JSON(http.StatusOK, tags)
}
