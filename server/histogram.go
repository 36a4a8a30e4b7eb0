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
	// With by=event_type: each event type's counts per bin (the rest of
	// a bin's count has no type), or by_truncated when the view is too
	// large to split.
	ByEventType map[string][]int `json:"by_event_type,omitempty"`
	Truncated   bool             `json:"by_truncated,omitempty"`
}

// histogram answers the event-time histogram of the reports matching the
// filter, in at most ?bins= bins (1…1000, default 100), counted from the
// store's indexes without reading the reports: the time bar's data. With
// ?by=event_type each bin is split by event type, when the store can
// (EINVALID otherwise, and for another by).
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
	var split geotag.EventHistogrammer
	if by := c.Query("by"); by != "" {
		var ok bool
		if split, ok = s.reports.(geotag.EventHistogrammer); !ok || by != "event_type" {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "by", "by must be event_type (with a store that splits by it), not %q", by))
			return
		}
	}
	release, ok := s.admitWalk(c)
	if !ok {
		return
	}
	defer release()
	var eh geotag.EventHistogram
	if split != nil {
		eh, err = split.EventHistogram(c.Request.Context(), f, bins)
	} else {
		eh.Histogram, err = s.reports.Histogram(c.Request.Context(), f, bins)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	h := eh.Histogram
	out := histogramResponse{WidthSeconds: h.WidthSeconds, Counts: h.Counts, Total: h.Total, Truncated: eh.Truncated}
	if eh.ByType != nil {
		out.ByEventType = map[string][]int{}
		for i, counts := range eh.ByType {
			out.ByEventType[geotag.EventTypes[i].Name] = counts
		}
	}
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
