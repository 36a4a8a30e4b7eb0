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

// listTags answers GET /api/v1/tags: the tags starting with ?prefix=
// (compared lower-cased; all tags when empty), each with the number of its
// reports matching the filter (parseFilter's, its text search ?q= as on
// every other route), most used first, at most ?limit= (1…100, default
// 20). The spelling before, ?q= for the prefix and ?text= for the text
// search, is still read when the request has no ?prefix= (kept for one
// release: send prefix=, even empty, for the new meaning of q); ?text=
// beside ?prefix= is a 400. A count that stopped at the store's cap has
// count_at_least set; truncated says the store stopped looking before it
// had seen every tag with the prefix. A listing with a filter is a bulk
// scan, charged to the client's scan budget (admitScan: 429 when it is
// spent); one without takes a walk turn. Every malformed parameter is a
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
	prefix := query.Get("prefix")
	switch {
	case !query.Has("prefix"): // the spelling before: q the prefix, text the search
		prefix, f.Q = query.Get("q"), strings.TrimSpace(query.Get("text"))
	case query.Has("text"):
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "text", "text= is the old spelling of q= (the text search); with prefix= send q="))
		return
	}
	f.Limit, f.Cursor = 0, ""
	admit := s.admitWalk
	if f.HasConditions() {
		admit = func(c *gin.Context) (func(), bool) { return s.admitScan(c, true) }
	}
	release, ok := admit(c)
	if !ok {
		return
	}
	defer release()
	tags, err := s.reports.Tags(c.Request.Context(), f, prefix, limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if tags.Tags == nil {
		tags.Tags = []geotag.TagCount{}
	}
	c.JSON(http.StatusOK, tags)
}
