package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// Entries of a view's Atom feed: 50 by default, ?limit= up to 200.
const (
	defaultFeedEntries = 50
	maxFeedEntries     = 200
	feedSummaryRunes   = 2000
)

// atomFeed is an Atom 1.0 document (RFC 4287) with GeoRSS-Simple points.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	GeoRSS    string      `xml:"xmlns:georss,attr"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Summary    string         `xml:"summary"`
	Categories []atomCategory `xml:"category"`
	Point      string         `xml:"georss:point,omitempty"`
	Place      string         `xml:"georss:featurename,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// viewFeed answers a view's newest reports (by event time, as the map
// lists them) as an Atom feed, for feed readers: each entry links to the
// report on the map and carries its point. Conditional GETs (If-None-Match
// with the ETag, If-Modified-Since with Last-Modified) get 304 when the
// feed is unchanged.
func (s *Server) viewFeed(c *gin.Context) {
	v, err := s.views.FindViewByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	f, err := ViewFilter(v, s.now())
	if err != nil {
		s.writeError(c, err)
		return
	}
	f.Limit = defaultFeedEntries
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxFeedEntries {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be within 1…%d, not %q", maxFeedEntries, l))
			return
		}
		f.Limit = n
	}
	if f.Q != "" { // a text search reads records: charged like one
		release, ok := s.admitScan(c, true)
		if !ok {
			return
		}
		defer release()
	}
	page, err := s.reports.FindReports(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	modified, etag := feedVersion(v, page.Reports)
	c.Header("ETag", etag)
	c.Header("Last-Modified", modified.Format(http.TimeFormat))
	c.Header("Cache-Control", "no-cache")
	if notModified(c.Request, etag, modified) {
		c.Status(http.StatusNotModified)
		return
	}
	feed := s.atomFeed(c, v, page.Reports, modified)
	c.Header("Content-Type", "application/atom+xml; charset=utf-8")
	c.Status(http.StatusOK)
	c.Writer.WriteString(xml.Header)
	enc := xml.NewEncoder(c.Writer)
	if err := enc.Encode(feed); err != nil {
		s.logger.Warn("view feed", "err", err)
	}
}

// feedVersion returns when the feed last changed (the view, or the newest
// change to a report in it) and an ETag naming its entries and their
// versions.
func feedVersion(v *geotag.View, rs []*geotag.Report) (time.Time, string) {
	modified := v.Updated
	h := sha256.New()
	h.Write([]byte(v.ID + "\x00" + v.Updated.UTC().Format(time.RFC3339Nano) + "\x00"))
	for _, r := range rs {
		if r.Updated.After(modified) {
			modified = r.Updated
		}
		h.Write([]byte(r.ID + "\x00" + r.Updated.UTC().Format(time.RFC3339Nano) + "\x00"))
	}
	return modified.UTC().Truncate(time.Second), `W/"` + hex.EncodeToString(h.Sum(nil)[:12]) + `"`
}

// notModified applies the conditional GET headers: If-None-Match wins
// over If-Modified-Since (RFC 9110 §13.2.2).
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil {
		return !modified.After(ims)
	}
	return false
}

func (s *Server) atomFeed(c *gin.Context, v *geotag.View, rs []*geotag.Report, modified time.Time) atomFeed {
	self := requestURL(c, "/api/v1/views/"+url.PathEscape(v.ID)+"/feed.atom", nil)
	feed := atomFeed{
		GeoRSS: "http://www.georss.org/georss",
		ID:     self, Title: v.Name, Subtitle: "geotag reports matching " + orAll(v.Query),
		Updated: modified.Format(time.RFC3339),
		Links: []atomLink{{Href: self, Rel: "self", Type: "application/atom+xml"},
			{Href: requestURL(c, "/", url.Values{"view": {v.ID}}), Rel: "alternate", Type: "text/html"}},
		Author: atomPerson{Name: "geotag"}, Generator: "geotag",
		Entries: make([]atomEntry, 0, len(rs)),
	}
	for _, r := range rs {
		feed.Entries = append(feed.Entries, atomEntryOf(c, r))
	}
	return feed
}

func atomEntryOf(c *gin.Context, r *geotag.Report) atomEntry {
	e := atomEntry{
		ID:        requestURL(c, "/api/v1/reports/"+url.PathEscape(r.ID), nil),
		Title:     r.Title,
		Updated:   r.Updated.UTC().Format(time.RFC3339),
		Published: r.Created.UTC().Format(time.RFC3339),
		Links:     []atomLink{{Href: requestURL(c, "/", url.Values{"r": {r.ID}}), Rel: "alternate", Type: "text/html"}},
		Summary:   r.Text,
	}
	if e.Title == "" {
		e.Title = firstWords(r.Text, 80)
	}
	if utf8.RuneCountInString(e.Summary) > feedSummaryRunes {
		e.Summary = firstWords(e.Summary, feedSummaryRunes)
	}
	if !r.Time.IsZero() {
		at := r.Time.UTC().Format("2006-01-02 15:04 UTC")
		if r.TimePrecision != "" {
			at = formatTime(r.Time, r.TimePrecision)
		}
		e.Summary = at + " — " + e.Summary
	}
	if r.Source != "" {
		e.Links = append(e.Links, atomLink{Href: r.Source, Rel: "related"})
	}
	for _, t := range r.Tags {
		e.Categories = append(e.Categories, atomCategory{Term: t})
	}
	if l := r.Location; l != nil {
		// GeoRSS-Simple is "lat lon", unlike GeoJSON.
		e.Point = strconv.FormatFloat(l.Lat, 'f', -1, 64) + " " + strconv.FormatFloat(l.Lon, 'f', -1, 64)
		e.Place = l.Name
	}
	return e
}

// firstWords returns s cut to at most n runes, with an ellipsis when cut.
func firstWords(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n-1 {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

func orAll(q string) string {
	if q == "" {
		return "everything"
	}
	if u, err := url.QueryUnescape(q); err == nil {
		return u
	}
	return q
}
