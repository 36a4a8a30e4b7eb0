package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// healthz answers 200 while the process serves: the server is built only
// after the gazetteer is loaded and the store opened.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz answers 200 when the store answers a query within two seconds,
// and 503 otherwise, so that a load balancer stops sending traffic to a
// server whose disk is stuck.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.reports.FindReports(ctx, geotag.ReportFilter{Limit: 1}); err != nil {
		s.logger.Warn("not ready", "err", err)
		s.writeError(c, geotag.Errorf(geotag.EUNAVAILABLE, "the report store is not answering"))
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "tagger": s.tagger.Version()})
}

// config answers what the map page needs to know about this server,
// including the request limits: max_body bytes for a request,
// max_import_body bytes and max_import_items reports for POST
// /api/v1/import, report_limits, what one report may hold
// (geotag.ReportLimits; -1 for none), and the tagging limits: max_mentions
// of a tagged text, max_alternatives of a mention and max_tag_response
// bytes of a POST /api/v1/tag answer.
func (s *Server) config(c *gin.Context) {
	cfg := gin.H{
		"tagger":           s.tagger.Version(),
		"auth_required":    s.tokens != nil,
		"reads_need_token": s.readAuth && s.tokens != nil,
		"max_body":         s.maxBody,
		"max_import_body":  s.maxImport,
		"max_import_items": maxImportItems,
		"report_limits":    reportLimitsJSON(s.reportLimits),
		"max_mentions":     s.tagLimits.mentions,
		"max_alternatives": s.tagLimits.alternatives,
		"max_tag_response": s.tagLimits.response,
		"event_types":      eventTypesJSON(),
	}
	if s.tiles[0] != "" {
		cfg["tiles"] = gin.H{"url": s.tiles[0], "attribution": s.tiles[1]}
	}
	c.JSON(http.StatusOK, cfg)
}

// reportLimitsJSON names the report limits as /api/v1/config answers them;
// a negative limit (none) is -1.
func reportLimitsJSON(l geotag.ReportLimits) gin.H {
	none := func(v int) int { return max(v, -1) }
	return gin.H{
		"max_text_bytes":    none(l.MaxTextBytes),
		"max_tags":          none(l.MaxTags),
		"max_tag_bytes":     none(l.MaxTagBytes),
		"max_mentions":      none(l.MaxMentions),
		"max_alternatives":  none(l.MaxAlternatives),
		"max_revisions":     none(l.MaxRevisions),
		"max_history_bytes": none(l.MaxHistoryBytes),
		"max_report_bytes":  none(l.MaxReportBytes),
	}
}
