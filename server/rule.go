package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// routeDesk registers the desk's rules, places and audit log, when the
// server has them.
func (s *Server) routeDesk(api *gin.RouterGroup, read, write gin.HandlerFunc) {
	if s.rules != nil {
		api.GET("/rules", read, s.listRules)
		api.POST("/rules", write, s.createRule)
		api.PATCH("/rules/:id", write, s.patchRule)
		api.DELETE("/rules/:id", write, s.deleteRule)
		api.POST("/rules/:id/retag", write, s.retagRule)
	}
	if s.deskPlaces != nil {
		api.GET("/desk-places", read, s.listDeskPlaces)
		api.POST("/desk-places", write, s.createDeskPlaces)
		api.PATCH("/desk-places/:id", write, s.patchDeskPlace)
		api.DELETE("/desk-places/:id", write, s.deleteDeskPlace)
	}
	if s.audit != nil {
		api.GET("/audit", read, s.listAudit)
	}
}

// ruleInput is the body of POST and PATCH /api/v1/rules: absent (null)
// fields are left alone by PATCH. bbox is "W,S,E,N"; "" clears it.
type ruleInput struct {
	Words    *string `json:"words"`
	Action   *string `json:"action"`
	PlaceID  *int64  `json:"place_id"`
	From     *int64  `json:"from_place_id"`
	Country  *string `json:"country"`
	BBox     *string `json:"bbox"`
	Feed     *string `json:"feed"`
	Domain   *string `json:"domain"`
	Disabled *bool   `json:"disabled"`
	Note     *string `json:"note"`
}

// apply sets the fields the input has on r and normalises it.
func (in ruleInput) apply(r *geotag.Rule, places geotag.Gazetteer) error {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&r.Words, in.Words)
	set(&r.Action, in.Action)
	set(&r.Country, in.Country)
	set(&r.Feed, in.Feed)
	set(&r.Domain, in.Domain)
	set(&r.Note, in.Note)
	if in.PlaceID != nil {
		r.Place = &geotag.Place{ID: *in.PlaceID}
	}
	if in.From != nil {
		r.From = *in.From
	}
	if in.Disabled != nil {
		r.Disabled = *in.Disabled
	}
	if in.BBox != nil {
		r.BBox = nil
		if *in.BBox != "" {
			b, err := geotag.ParseBBox(*in.BBox)
			if err != nil {
				return err
			}
			r.BBox = &b
		}
	}
	return r.Normalize(places)
}

// listRules answers every rule: {"rules":[…]}, or with format=jsonl one
// rule per line (the file `geotag tag --rules` reads).
func (s *Server) listRules(c *gin.Context) {
	rs, err := s.rules.Rules(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	if c.Query("format") == "jsonl" {
		c.Header("Content-Type", "application/x-ndjson")
		c.Header("Content-Disposition", `attachment; filename="geotag-rules.jsonl"`)
		c.Status(http.StatusOK)
		if err := geotag.WriteRules(c.Writer, rs); err != nil {
			s.logger.Debug("rules export cut short", "err", err)
		}
		return
	}
	c.JSON(http.StatusOK, gin.H{"rules": rs})
}

// createRule stores a new rule signed with the token's name: 201.
func (s *Server) createRule(c *gin.Context) {
	var in ruleInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	r := geotag.Rule{By: who(c)}
	if err := in.apply(&r, s.places); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.rules.CreateRule(c.Request.Context(), &r); err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, r)
}

// patchRule changes the fields given, disables or enables a rule.
func (s *Server) patchRule(c *gin.Context) {
	var in ruleInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	r, err := s.rules.UpdateRule(c.Request.Context(), c.Param("id"), who(c), func(r *geotag.Rule) error {
		return in.apply(r, s.places)
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// deleteRule removes a rule: 204.
func (s *Server) deleteRule(c *gin.Context) {
	if err := s.rules.DeleteRule(c.Request.Context(), c.Param("id"), who(c)); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// retagInput is the body of POST /api/v1/rules/{id}/retag: the reports
// whose mentions of the rule's words resolved to place_id (default: the
// rule's from_place_id) get the rule's place, or lose the mention.
type retagInput struct {
	PlaceID int64  `json:"place_id"`
	Filter  string `json:"filter"`
	DryRun  bool   `json:"dry_run"`
}

// retagRule re-tags the stored reports a rule touches, as a bulk
// correction (with its dry run and undo).
func (s *Server) retagRule(c *gin.Context) {
	var in retagInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	rs, err := s.rules.Rules(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	id := c.Param("id")
	for _, r := range rs {
		if r.ID != id {
			continue
		}
		bc := geotag.BulkCorrection{Words: r.Words, PlaceID: in.PlaceID, Filter: in.Filter, DryRun: in.DryRun, Action: geotag.ActionRemove, Rule: r.Ref()}
		if bc.PlaceID == 0 {
			bc.PlaceID = r.From
		}
		if r.Action == geotag.RulePlace {
			bc.Action, bc.To = geotag.ActionPick, r.Place.ID
		}
		if r.Disabled {
			s.writeError(c, geotag.Errorf(geotag.ECONFLICT, "rule %s is disabled; enable it to re-tag with it", id))
			return
		}
		s.startBulk(c, bc)
		return
	}
	s.writeError(c, geotag.Errorf(geotag.ENOTFOUND, "no rule has id %q", strings.TrimSpace(id)))
}
