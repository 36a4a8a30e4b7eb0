package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// viewInput is the body of POST /api/v1/views and PATCH
// /api/v1/views/{id}: absent fields are left alone by PATCH; "webhook":
// null removes the webhook.
type viewInput struct {
	Name    *string         `json:"name"`
	Query   *string         `json:"query"`
	Webhook json.RawMessage `json:"webhook"`
}

// webhookInput is a view's webhook as a client sets it; absent fields are
// left alone. The secret is write-only.
type webhookInput struct {
	URL     *string `json:"url"`
	Secret  *string `json:"secret"`
	Enabled *bool   `json:"enabled"`
}

// viewAnswer is a view with its links: its Atom feed, the map showing it,
// and its reports through the API.
type viewAnswer struct {
	*geotag.View
	Feed    string `json:"feed"`
	Map     string `json:"map"`
	Reports string `json:"reports"`
}

func (s *Server) viewAnswer(c *gin.Context, v *geotag.View) viewAnswer {
	q, _ := url.ParseQuery(v.Query)
	return viewAnswer{View: v,
		Feed:    requestURL(c, "/api/v1/views/"+url.PathEscape(v.ID)+"/feed.atom", nil),
		Map:     requestURL(c, "/", url.Values{"view": {v.ID}}),
		Reports: requestURL(c, "/api/v1/reports", q)}
}

// routeViews registers the saved views' routes, when there is a
// ViewService.
func (s *Server) routeViews(api *gin.RouterGroup, read, write gin.HandlerFunc) {
	if s.views == nil {
		return
	}
	api.GET("/views", read, s.listViews)
	api.POST("/views", write, s.createView)
	api.GET("/views/:id", read, s.getView)
	api.PATCH("/views/:id", write, s.patchView)
	api.DELETE("/views/:id", write, s.deleteView)
	api.GET("/views/:id/feed.atom", read, s.viewFeed)
}

// viewChange is a checked viewInput: the query in canonical form, the
// webhook decoded.
type viewChange struct {
	name, query *string
	hook        *webhookInput // nil: left alone
	dropHook    bool          // "webhook": null
}

// check checks everything in the input, before any transaction.
func (in *viewInput) check() (viewChange, error) {
	ch := viewChange{name: in.Name}
	if in.Query != nil {
		q, err := parseViewQuery(*in.Query)
		if err != nil {
			return ch, err
		}
		ch.query = &q
	}
	switch {
	case len(in.Webhook) == 0:
	case string(in.Webhook) == "null":
		ch.dropHook = true
	default:
		ch.hook = new(webhookInput)
		if err := json.Unmarshal(in.Webhook, ch.hook); err != nil {
			return ch, geotag.FieldErrorf(geotag.EINVALID, "webhook", "webhook is an object {url, secret, enabled} or null")
		}
	}
	return ch, nil
}

// apply copies the change into v. A new or re-enabled webhook starts
// delivering from at. The store checks the result (View.Validate).
func (ch viewChange) apply(v *geotag.View, at time.Time) error {
	if ch.name != nil {
		v.Name = *ch.name
	}
	if ch.query != nil {
		v.Query = *ch.query
	}
	if ch.dropHook {
		v.Webhook = nil
	}
	w := ch.hook
	if w == nil {
		return nil
	}
	wasOn := v.Webhook != nil && v.Webhook.Enabled
	if v.Webhook == nil {
		if w.URL == nil {
			return geotag.FieldErrorf(geotag.EINVALID, "webhook.url", "a new webhook needs a url")
		}
		v.Webhook = &geotag.Webhook{Enabled: true}
	}
	h := v.Webhook
	if w.URL != nil {
		h.URL = *w.URL
	}
	if w.Secret != nil {
		h.Secret = *w.Secret
	}
	if w.Enabled != nil {
		h.Enabled = *w.Enabled
	}
	if h.Enabled && !wasOn {
		h.Since, h.After = at, ""
	}
	return nil
}

func (s *Server) createView(c *gin.Context) {
	var in viewInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	ch, err := in.check()
	if err != nil {
		s.writeError(c, err)
		return
	}
	v := &geotag.View{By: who(c)}
	if err := ch.apply(v, s.now().UTC()); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.views.CreateView(c.Request.Context(), v); err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Location", "/api/v1/views/"+url.PathEscape(v.ID))
	c.JSON(http.StatusCreated, s.viewAnswer(c, v))
}

func (s *Server) listViews(c *gin.Context) {
	vs, err := s.views.FindViews(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	out := make([]viewAnswer, len(vs))
	for i, v := range vs {
		out[i] = s.viewAnswer(c, v)
	}
	c.JSON(http.StatusOK, gin.H{"views": out})
}

func (s *Server) getView(c *gin.Context) {
	v, err := s.views.FindViewByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.viewAnswer(c, v))
}

// patchView changes the fields given, checked before the transaction;
// inside it they are only copied (the webhook's merged with the stored
// one's).
func (s *Server) patchView(c *gin.Context) {
	var in viewInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	ch, err := in.check()
	if err != nil {
		s.writeError(c, err)
		return
	}
	at := s.now().UTC()
	v, err := s.views.UpdateView(c.Request.Context(), c.Param("id"), func(v *geotag.View) error { return ch.apply(v, at) })
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.viewAnswer(c, v))
}

func (s *Server) deleteView(c *gin.Context) {
	if err := s.views.DeleteView(c.Request.Context(), c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
