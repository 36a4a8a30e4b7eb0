package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// listDeliveries answers the webhook delivery log, newest first:
// ?view= one saved view's, ?state=pending|delivered|failed, ?limit=
// 1…1000 (default 100).
func (s *Server) listDeliveries(c *gin.Context) {
	limit := 100
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be a number 1…1000"))
			return
		}
		limit = n
	}
	state := c.Query("state")
	switch state {
	case "", geotag.DeliveryPending, geotag.DeliveryDelivered, geotag.DeliveryFailed:
	default:
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "state", "state must be pending, delivered or failed"))
		return
	}
	ds, err := s.deliveries.ListDeliveries(c.Request.Context(), c.Query("view"), state, limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"deliveries": ds})
}
