package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// feedInput is the body of POST /api/v1/feeds and PATCH
// /api/v1/feeds/{id}; absent fields are left alone by PATCH.
type feedInput struct {
	URL      *string          `json:"url"`
	Interval *geotag.Interval `json:"interval"` // "5m"
	Country  *string          `json:"country"`
	BBox     *string          `json:"bbox"`
	Tags     *[]string        `json:"tags"`
	Paused   *bool            `json:"paused"`
}

// apply copies the fields given into f; the feed service validates.
func (in *feedInput) apply(f *geotag.Feed) {
	if in.URL != nil {
		f.URL = strings.TrimSpace(*in.URL)
	}
	if in.Interval != nil {
		f.Interval = *in.Interval
	}
	if in.Country != nil {
		f.Country = strings.TrimSpace(*in.Country)
	}
	if in.BBox != nil {
		f.BBox = strings.TrimSpace(*in.BBox)
	}
	if in.Tags != nil {
		f.Tags = cleanTags(*in.Tags)
	}
	if in.Paused != nil {
		f.Paused = *in.Paused
	}
}

// createFeed stores a feed, which the service fetches at once and then
// every interval: 201 with the feed, 409 when its URL is already a feed.
func (s *Server) createFeed(c *gin.Context) {
	var in feedInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	f := &geotag.Feed{}
	in.apply(f)
	if err := s.feeds.CreateFeed(c.Request.Context(), f); err != nil {
		s.writeError(c, err)
		return
	}
	s.logger.Info("feed added", "id", f.ID, "url", f.URL, "by", who(c))
	c.Header("Location", "/api/v1/feeds/"+f.ID)
	c.JSON(http.StatusCreated, f)
}

// listFeeds answers every feed with its status.
func (s *Server) listFeeds(c *gin.Context) {
	fs, err := s.feeds.ListFeeds(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"feeds": fs})
}

// getFeed answers one feed.
func (s *Server) getFeed(c *gin.Context) {
	f, err := s.feeds.FindFeedByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, f)
}

// patchFeed changes the fields sent.
func (s *Server) patchFeed(c *gin.Context) {
	var in feedInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	f, err := s.feeds.UpdateFeed(c.Request.Context(), c.Param("id"), func(f *geotag.Feed) error {
		in.apply(f)
		return nil
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, f)
}

// deleteFeed stops polling a feed; its reports stay.
func (s *Server) deleteFeed(c *gin.Context) {
	if err := s.feeds.DeleteFeed(c.Request.Context(), c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	s.logger.Info("feed removed", "id", c.Param("id"), "by", who(c))
	c.Status(http.StatusNoContent)
}
