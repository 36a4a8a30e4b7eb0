package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// histogramResponse is the answer of GET /api/v1/histogram: counts[i]
// reports have an event time in [from + i·width, from + (i+1)·width).
type histogramResponse struct {
	From         *time.Time `json:"from"` // null when nothing matches
	To           *time.Time `json:"to"`
	WidthSeconds int64      `json:"width_seconds"`
	Counts       []int      `json:"counts"`
	Total        int        `json:"total"`
}

// histogram answers the event-time histogram of the reports matching the
// filter, in at most ?bins= bins (1…1000, default 100), counted from the
// store's indexes without reading the reports: the time bar's data.
func (s *Server) histogram(c *gin.Context) {
	f, err := parseFilter(c.Request.URL.Query())
	if err != nil {
		s.writeError(c, err)
		return
	}
	f.Limit, f.Cursor = 0, ""
	bins := 100
	if b := c.Query("bins"); b != "" {
		bins, err = strconv.Atoi(b)
		if err != nil || bins < 1 || bins > 1000 {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "bins", "bins must be an integer 1..1000, not %q", b))
			return
		}
	}
	release, ok := s.admitWalk(c)
	if !ok {
		return
	}
	defer release()
	h, err := s.reports.Histogram(c.Request.Context(), f, bins)
	if err != nil {
		s.writeError(c, err)
		return
	}
	out := histogramResponse{WidthSeconds: h.WidthSeconds, Counts: h.Counts, Total: h.Total}
	if out.Counts == nil {
		out.Counts = []int{}
	}
	if len(h.Counts) > 0 {
		// In seconds: the span of many wide bins is longer than a
		// time.Duration holds.
		from := h.From.UTC()
		to := time.Unix(from.Unix()+int64(len(h.Counts))*h.WidthSeconds, int64(from.Nanosecond())).UTC()
		out.From, out.To = &from, &to
	}
	c.JSON(http.StatusOK, out)
}
