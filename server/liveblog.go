package server

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// liveBlogRequest is the body of POST /api/v1/split: a live-blog page as text
// or HTML (one of the two), or neither and the service fetches the page at
// URL (a write token needed: it makes the service fetch); the page's URL
// (each update's source, with its anchor), its title (HTML pages have their own), the day of its earliest
// update (a date; default: the page's published date, else today), the
// zone of clock times written without one (default UTC), and whether to
// tag each update (with the country and bbox biases of POST /api/v1/tag).
type liveBlogRequest struct {
	Text    string `json:"text"`
	HTML    string `json:"html"`
	URL     string `json:"url"`
	Title   string `json:"title"`
	Date    string `json:"date"`
	Zone    string `json:"zone"`
	Tag     bool   `json:"tag"`
	Country string `json:"country"`
	BBox    string `json:"bbox"`
}

// liveBlogEntry is one update in the answer: the report fields (time as
// POST /api/v1/reports and the import take it: an RFC 3339 time, or a
// date for day precision) and, when tagging was asked, the main location
// the report would get and its number of mentions.
type liveBlogEntry struct {
	Title     string           `json:"title"`
	Heading   string           `json:"heading,omitempty"`
	Text      string           `json:"text"`
	Source    string           `json:"source,omitempty"`
	Anchor    string           `json:"anchor,omitempty"`
	Time      string           `json:"time"`
	Precision string           `json:"precision"`
	Label     string           `json:"label"`
	Zone      string           `json:"zone,omitempty"`
	Mentions  *int             `json:"mentions,omitempty"`
	Location  *geotag.Location `json:"location,omitempty"`
}

// liveBlogAnswer is geotag.LiveBlog with its entries as liveBlogEntry.
type liveBlogAnswer struct {
	geotag.LiveBlog
	Entries []liveBlogEntry `json:"entries"`
}

// split cuts a live-blog page into its updates (geotag.SplitLiveBlog) and
// stores nothing: the page saves them through POST /api/v1/import. The
// body is bounded by MaxBody, the updates by MaxSplitUpdates (the first
// ones are kept and the answer says "truncated").
func (s *Server) splitLiveBlog(c *gin.Context) {
	var req liveBlogRequest
	if err := decodeJSON(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	page, o, err := s.liveBlogInput(c, req)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var opt geotag.TagOptions
	if req.Tag {
		if opt, err = tagOptions(c, req.Country, req.BBox); err != nil {
			s.writeError(c, err)
			return
		}
	}
	lb := geotag.SplitLiveBlog(page, o)
	ans := liveBlogAnswer{LiveBlog: lb, Entries: make([]liveBlogEntry, 0, len(lb.Entries))}
	for _, e := range lb.Entries {
		se := liveBlogEntry{Title: e.Title, Heading: e.Heading, Text: e.Text, Source: e.Source, Anchor: e.Anchor,
			Time: formatTime(e.Time, ""), Precision: e.Precision, Label: e.Label, Zone: e.Zone}
		if e.Precision == "day" {
			se.Time = formatTime(e.Time, "day")
		}
		if req.Tag {
			if err := s.placeEntry(c, &se, opt); err != nil {
				s.writeError(c, err)
				return
			}
		}
		ans.Entries = append(ans.Entries, se)
	}
	c.JSON(http.StatusOK, ans)
}

// liveBlogInput reads the request into a page and the splitter's options.
func (s *Server) liveBlogInput(c *gin.Context, req liveBlogRequest) (geotag.LiveBlogPage, geotag.SplitOptions, error) {
	o := geotag.SplitOptions{Now: s.now(), MaxEntries: s.maxSplit}
	var page geotag.LiveBlogPage
	src, err := validSource(req.URL)
	if err != nil {
		return page, o, geotag.FieldErrorf(geotag.EINVALID, "url", "url must be an http or https URL")
	}
	if utf8.RuneCountInString(req.Title) > 1000 {
		return page, o, geotag.FieldErrorf(geotag.EINVALID, "title", "title is longer than 1000 characters")
	}
	switch {
	case req.Text == "" && req.HTML == "" && req.URL != "":
		if page, err = s.fetchLiveBlog(c, req.URL); err != nil {
			return page, o, err
		}
		if t := strings.TrimSpace(req.Title); t != "" {
			page.Title = t
		}
	case (req.Text == "") == (req.HTML == ""):
		return page, o, geotag.FieldErrorf(geotag.EINVALID, "text", "give the page as text or as html, one of the two, or only its url to fetch it")
	case req.HTML != "" && s.blogs == nil:
		return page, o, geotag.FieldErrorf(geotag.EUNSUPPORTED, "html", "this service reads no HTML pages; paste the text")
	case req.HTML != "":
		if page, err = s.blogs.ReadLiveBlog([]byte(req.HTML), src, "text/html; charset=utf-8"); err != nil {
			return page, o, err
		}
		if t := strings.TrimSpace(req.Title); t != "" {
			page.Title = t
		}
	default:
		page = geotag.TextLiveBlogPage(req.Text, src, req.Title)
	}
	if req.Zone != "" {
		if o.Zone, o.ZoneName, err = geotag.ParseZone(req.Zone); err != nil {
			return page, o, err
		}
	}
	if req.Date != "" {
		t, _, err := parseTime(req.Date, "date")
		if err != nil {
			return page, o, err
		}
		o.Date = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	return page, o, nil
}

// fetchLiveBlog fetches the page a split names by its URL alone, through
// the service's safe client: as it makes the service fetch, it needs what
// a write needs (401 without a token, 403 with a read-only one).
func (s *Server) fetchLiveBlog(c *gin.Context, u string) (geotag.LiveBlogPage, error) {
	if s.blogPages == nil {
		return geotag.LiveBlogPage{}, geotag.FieldErrorf(geotag.EUNSUPPORTED, "url", "this service fetches no pages; paste the page's text or html")
	}
	if err := s.mayWrite(c); err != nil {
		return geotag.LiveBlogPage{}, err
	}
	if len(u) > geotag.MaxFeedURLBytes {
		return geotag.LiveBlogPage{}, geotag.FieldErrorf(geotag.EINVALID, "url", "url must be an http(s) URL of at most %d bytes", geotag.MaxFeedURLBytes)
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), fetchTimeout)
	defer cancel()
	return s.blogPages.FetchLiveBlog(ctx, u)
}

// placeEntry tags an update's text and gives it the main location the
// report would get.
func (s *Server) placeEntry(c *gin.Context, e *liveBlogEntry, opt geotag.TagOptions) error {
	ms, _, err := s.tagText(c, e.Text, opt)
	if err != nil {
		return err
	}
	r := &geotag.Report{Title: e.Title, Text: e.Text, Mentions: ms}
	if _, err := (geotag.Placement{Mentions: &ms, Tagger: s.tagger.Version(), At: s.now().UTC()}).Place(r); err != nil {
		return err
	}
	n := len(r.Mentions)
	e.Mentions, e.Location = &n, r.Location
	return nil
}
