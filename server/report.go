package server

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// tagRequest is the body of POST /api/v1/tag.
type tagRequest struct {
	Text    string `json:"text"`
	Country string `json:"country"` // bias: ISO codes, comma-separated
	BBox    string `json:"bbox"`    // bias: W,S,E,N
}

// tagResponse is the answer of POST /api/v1/tag.
type tagResponse struct {
	Mentions []geotag.Mention `json:"mentions"`
	Tagger   string           `json:"tagger"`
	Lang     string           `json:"lang,omitempty"` // the language whose rules tagged the text: "en", "ar", "uk", "ru"
}

// tagOptions reads the country and bbox biases, from the body or else
// from the query string.
func tagOptions(c *gin.Context, country, bbox string) (geotag.TagOptions, error) {
	if country == "" {
		country = c.Query("country")
	}
	if bbox == "" {
		bbox = c.Query("bbox")
	}
	return geotag.ParseTagOptions(country, bbox)
}

// tag finds the places in a text and stores nothing.
func (s *Server) tag(c *gin.Context) {
	var req tagRequest
	if err := decodeJSON(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	opt, err := tagOptions(c, req.Country, req.BBox)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ms, err := s.tagText(c, req.Text, opt)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, tagResponse{Mentions: ms, Tagger: s.tagger.Version(), Lang: geotag.TextLanguage(s.tagger, req.Text)})
}

// tagText runs the tagger, timing it, and never returns a nil slice.
func (s *Server) tagText(c *gin.Context, text string, opt geotag.TagOptions) ([]geotag.Mention, error) {
	start := s.now()
	ms, err := s.tagger.Tag(c.Request.Context(), text, opt)
	s.metrics.observeTagging(s.now().Sub(start))
	if err != nil {
		return nil, err
	}
	if ms == nil {
		ms = []geotag.Mention{}
	}
	return ms, nil
}

// reportInput is the body of POST /api/v1/reports, PUT and PATCH
// /api/v1/reports/{id}. Absent (null) fields are left alone by PATCH.
type reportInput struct {
	ExternalID *string           `json:"external_id"`
	Title      *string           `json:"title"`
	Text       *string           `json:"text"`
	Source     *string           `json:"source"`
	Time       *string           `json:"time"` // RFC 3339, or a date, month or year
	Status     *string           `json:"status"`
	Tags       *[]string         `json:"tags"`
	Mentions   *[]geotag.Mention `json:"mentions"` // given: stored as they are; absent: the server tags the text
	Location   *geotag.LatLon    `json:"location"` // a manual main point, overriding the automatic one
	Country    string            `json:"country"`  // tagging bias, see POST /api/v1/tag
	BBox       string            `json:"bbox"`
}

// apply copies the fields in into r and reports whether the text changed.
func (in *reportInput) apply(r *geotag.Report) (textChanged bool, err error) {
	if in.ExternalID != nil {
		r.ExternalID = strings.TrimSpace(*in.ExternalID)
	}
	if in.Title != nil {
		r.Title = strings.TrimSpace(*in.Title)
	}
	if in.Text != nil && *in.Text != r.Text {
		r.Text = *in.Text
		textChanged = true
	}
	if in.Source != nil {
		src, err := validSource(*in.Source)
		if err != nil {
			return false, err
		}
		r.Source = src
	}
	if in.Time != nil {
		if *in.Time == "" {
			r.Time, r.TimePrecision = r.Created, ""
		} else {
			t, prec, err := parseTime(*in.Time, "time")
			if err != nil {
				return false, err
			}
			r.Time, r.TimePrecision = t, prec
		}
	}
	if in.Status != nil {
		r.Status = *in.Status
	}
	if in.Tags != nil {
		r.Tags = cleanTags(*in.Tags)
	}
	if utf8.RuneCountInString(r.Title) > 1000 {
		return false, geotag.FieldErrorf(geotag.EINVALID, "title", "title is longer than 1000 characters")
	}
	return textChanged, r.Validate()
}

// validSource accepts an absolute http or https URL, or nothing: any
// other scheme (javascript:, data:) would be a script in the map's links.
func validSource(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", geotag.FieldErrorf(geotag.EINVALID, "source", "source must be an http or https URL")
	}
	return u.String(), nil
}

// cleanTags trims, drops empty and duplicate tags, keeping their order.
func cleanTags(tags []string) []string {
	out := []string{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// setPlaces gives a new report r its mentions, from the client or from
// the tagger, and its main location: the client's point if given, else the
// automatic one.
func (s *Server) setPlaces(c *gin.Context, r *geotag.Report, in *reportInput, who string) error {
	_, err := s.placeReport(c, r, in, who, nil)
	return err
}

// placeReport is setPlaces for a new report or an edited one. oldText is nil for a new report. For an edit it is the text before, and
// r still holds the mentions, location and history from before: when the
// server tags the text (the client sent no mentions), the corrections made
// by hand to those mentions are carried over to the new ones
// (carryCorrections), a main location chosen among them follows its
// mention, and the outcome is returned. It is nil otherwise: a new report,
// or mentions the client sent, which are stored as they are.
func (s *Server) placeReport(c *gin.Context, r *geotag.Report, in *reportInput, who string, oldText *string) (*carryOutcome, error) {
	now := s.now().UTC()
	method := s.tagger.Version()
	var carried *carryOutcome
	if in.Mentions != nil {
		ms := slices.Clone(*in.Mentions)
		if err := validateMentions(r.Text, ms); err != nil {
			return nil, err
		}
		slices.SortStableFunc(ms, func(a, b geotag.Mention) int { return a.Start - b.Start })
		r.Mentions = ms
		method = "client"
	} else {
		opt, err := tagOptions(c, in.Country, in.BBox)
		if err != nil {
			return nil, err
		}
		ms, err := s.tagText(c, r.Text, opt)
		if err != nil {
			return nil, err
		}
		if oldText != nil {
			ci := carryInput{OldText: *oldText, Mentions: r.Mentions, Location: r.Location, History: r.History, NewText: r.Text, Tagged: ms}
			if in.Location != nil {
				ci.Location = nil // a new main point replaces a chosen mention
			}
			co := carryCorrections(ci)
			carried, ms = &co, co.Mentions
		}
		r.Mentions = ms
	}
	switch {
	case in.Location != nil:
		if err := validPoint(in.Location.Lat, in.Location.Lon, "location."); err != nil {
			return nil, err
		}
		r.Location = &geotag.Location{
			Lat: in.Location.Lat, Lon: in.Location.Lon, Precision: 1, Mention: -1,
			Provenance: geotag.Provenance{Method: geotag.MethodManual, By: who, At: now},
		}
	case carried != nil && carried.Main >= 0:
		r.Location = mentionLocation(r.Mentions, carried.Main, r.Location.Provenance)
	case r.Location == nil || r.Location.Provenance.Method != geotag.MethodManual || r.Location.Mention >= 0:
		r.Location = autoLocation(r.Mentions, method, now)
	}
	return carried, nil
}

// createReport stores a new report, tagging its text unless the client
// sent mentions. A report whose external_id is already stored is not
// stored again: the stored one is answered with 200 instead of 201.
func (s *Server) createReport(c *gin.Context) {
	var in reportInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	now := s.now().UTC()
	r := &geotag.Report{Time: now, Status: geotag.StatusUnreviewed, Tags: []string{}}
	r.Created = now
	if _, err := in.apply(r); err != nil {
		s.writeError(c, err)
		return
	}
	who := who(c)
	if err := s.setPlaces(c, r, &in, who); err != nil {
		s.writeError(c, err)
		return
	}
	r.History = []geotag.Revision{{At: now, By: who, Action: "create", Mention: -1, AfterLocation: r.Location}}
	err := s.reports.CreateReport(c.Request.Context(), r)
	if geotag.ErrorCode(err) == geotag.ECONFLICT && r.ID != "" {
		c.Header("Location", "/api/v1/reports/"+r.ID)
		c.JSON(http.StatusOK, r)
		return
	} else if err != nil {
		s.writeError(c, err)
		return
	}
	s.metrics.reportStored()
	c.Header("ETag", etag(r))
	c.Header("Location", "/api/v1/reports/"+r.ID)
	c.JSON(http.StatusCreated, r)
}

// getReport answers one report as a GeoJSON Feature with its text,
// mentions, location and history; ?format=json answers the plain report.
func (s *Server) getReport(c *gin.Context) {
	r, err := s.reports.FindReportByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	tag := etag(r)
	c.Header("ETag", tag)
	if c.GetHeader("If-None-Match") == tag {
		c.Status(http.StatusNotModified)
		return
	}
	if c.Query("format") == "json" {
		c.JSON(http.StatusOK, r)
		return
	}
	c.Header("Content-Type", "application/geo+json")
	c.JSON(http.StatusOK, fullReportFeature(r))
}

// editAnswer answers PUT and PATCH: the report, and, when the server
// tagged the text again, what became of the corrections made by hand to
// the old mentions (the same lists the edit's revision records).
type editAnswer struct {
	*geotag.Report
	Carried *[]geotag.Carry `json:"carried,omitempty"`
	Dropped *[]geotag.Carry `json:"dropped,omitempty"`
}

// updateReport replaces the editable fields of a report (PUT): absent
// fields become empty. patchReport changes only the fields sent. When the
// text changes and no mentions are sent, the text is tagged again and the
// corrections made by hand are carried over (placeReport), in the same
// transaction; the "edit" revision records the text and mentions it
// replaced (for undo) and what was carried and dropped, which the answer
// also gives as carried and dropped.
func (s *Server) updateReport(c *gin.Context) { s.changeReport(c, true) }
func (s *Server) patchReport(c *gin.Context)  { s.changeReport(c, false) }

func (s *Server) changeReport(c *gin.Context, replace bool) {
	var in reportInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if replace {
		empty := ""
		for _, p := range []**string{&in.Title, &in.Text, &in.Source, &in.Time} {
			if *p == nil {
				*p = &empty
			}
		}
		if in.Tags == nil {
			in.Tags = &[]string{}
		}
	}
	who := who(c)
	var carried *carryOutcome // the last run's: fn may run more than once
	r, err := s.reports.UpdateReport(c.Request.Context(), c.Param("id"), func(r *geotag.Report) error {
		carried = nil
		if err := checkIfMatch(c, r); err != nil {
			return err
		}
		before, status, oldText, oldMentions := r.Location, r.Status, r.Text, r.Mentions
		changed, err := in.apply(r)
		if err != nil {
			return err
		}
		if r.Status != status {
			action := ActionReview
			if r.Status == geotag.StatusUnreviewed {
				action = ActionUnreview
			}
			r.History = append(r.History, geotag.Revision{At: s.now().UTC(), By: who, Action: action, Mention: -1})
		}
		if changed || in.Mentions != nil || in.Location != nil {
			co, err := s.placeReport(c, r, &in, who, &oldText)
			if err != nil {
				return err
			}
			if oldMentions == nil {
				oldMentions = []geotag.Mention{}
			}
			rv := geotag.Revision{At: s.now().UTC(), By: who, Action: ActionEdit, Mention: -1,
				BeforeLocation: before, AfterLocation: r.Location, BeforeText: &oldText, BeforeMentions: oldMentions}
			if co != nil {
				rv.Carried, rv.Dropped = co.Carried, co.Dropped
			}
			r.History = append(r.History, rv)
			carried = co
		}
		r.Updated = s.now().UTC()
		return nil
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	ans := editAnswer{Report: r}
	if carried != nil {
		ans.Carried, ans.Dropped = &carried.Carried, &carried.Dropped
	}
	c.Header("ETag", etag(r))
	c.JSON(http.StatusOK, ans)
}

// etag names a version of a report: it changes with every update.
func etag(r *geotag.Report) string {
	return `"` + strconv.FormatInt(r.Updated.UnixNano(), 36) + "-" + strconv.Itoa(len(r.History)) + `"`
}

// checkIfMatch refuses a change to r when the request's If-Match names
// another version, so that two people correcting one report do not
// overwrite each other unknowingly.
func checkIfMatch(c *gin.Context, r *geotag.Report) error {
	im := c.GetHeader("If-Match")
	if im == "" || im == "*" {
		return nil
	}
	for _, t := range strings.Split(im, ",") {
		if strings.TrimSpace(t) == etag(r) {
			return nil
		}
	}
	return geotag.FieldErrorf(errPrecondition, "If-Match", "the report changed since you read it (now %s); reload it and try again", etag(r))
}

// deleteReport removes a report: 204, or 404 if there is none.
func (s *Server) deleteReport(c *gin.Context) {
	if err := s.reports.DeleteReport(c.Request.Context(), c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// featureFinder is implemented by stores that answer a page of reports as
// GeoJSON features encoded straight from their records (FindReports'
// order, cursor and totals), which costs a fraction of decoded reports.
type featureFinder interface {
	FindFeatures(ctx context.Context, f geotag.ReportFilter) (geotag.FeaturePage, error)
}

// listReports answers one page of the reports matching the filter as a
// GeoJSON FeatureCollection with numberMatched (the total),
// numberReturned, and a next link and cursor when there are more. With
// ?whole=true, a first page that cannot hold every match has no features
// at all, only the counts: what a map wants before it shows clusters. A total
// the store did not count to the end is given as numberMatchedAtLeast
// instead of numberMatched (which OGC API Features wants exact).
func (s *Server) listReports(c *gin.Context) {
	f, err := parseFilter(c.Request.URL.Query())
	if err != nil {
		s.writeError(c, err)
		return
	}
	whole := false
	if v := c.Query("whole"); v != "" {
		if whole, err = strconv.ParseBool(v); err != nil {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "whole", "whole must be true or false, not %q", v))
			return
		}
	}
	if whole && f.Cursor == "" {
		// Count first, from the index, and answer no features when they
		// would not all fit in the page: a map then asks for cluster
		// counts, and a dense view costs no features it throws away.
		cf := f
		cf.Limit = 1
		p, err := s.reports.FindReports(c.Request.Context(), cf)
		if err != nil {
			s.writeError(c, err)
			return
		}
		if limit := cmp.Or(f.Limit, defaultLimit); p.Total > min(limit, maxLimit) {
			c.Header("Content-Type", "application/geo+json")
			c.Status(http.StatusOK)
			cw := newCollectionWriter(c.Writer)
			cw.Close(
				matchedMember(p.Total, p.TotalCapped),
				member{"numberReturned", 0},
				member{"next", ""},
				member{"links", []Link{{Href: requestURL(c, c.Request.URL.Path, c.Request.URL.Query()), Rel: "self", Type: "application/geo+json"}}},
				member{"timeStamp", s.now().UTC()},
			)
			return
		}
	}
	release, ok := s.admitPage(c, f.Limit)
	if !ok {
		return
	}
	defer release()
	var page geotag.ReportPage
	var features []byte // the page as GeoJSON, when the store encodes it
	var returned int
	if ff, ok := s.reports.(featureFinder); ok {
		fp, err := ff.FindFeatures(c.Request.Context(), f)
		if err != nil {
			s.writeError(c, err)
			return
		}
		page, features, returned = fp.ReportPage, fp.Features, fp.N
	} else {
		page, err = s.reports.FindReports(c.Request.Context(), f)
		if err != nil {
			s.writeError(c, err)
			return
		}
		returned = len(page.Reports)
	}
	links := []Link{{Href: requestURL(c, c.Request.URL.Path, c.Request.URL.Query()), Rel: "self", Type: "application/geo+json"}}
	if page.Next != "" {
		nf := f
		nf.Cursor = page.Next
		links = append(links, Link{Href: requestURL(c, c.Request.URL.Path, filterQuery(nf)), Rel: "next", Type: "application/geo+json"})
	}
	c.Header("Content-Type", "application/geo+json")
	c.Status(http.StatusOK)
	cw := newCollectionWriter(c.Writer)
	if features != nil {
		cw.WriteFeatures(features)
	} else {
		for _, r := range page.Reports {
			cw.WriteReport(r, geotag.FeatureOptions{})
		}
	}
	cw.Close(
		matchedMember(page.Total, page.TotalCapped),
		member{"numberReturned", returned},
		member{"next", page.Next},
		member{"links", links},
		member{"timeStamp", s.now().UTC()},
	)
}

// requestURL returns an absolute URL on this server for path and query.
func requestURL(c *gin.Context, path string, q url.Values) string {
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: c.Request.Host, Path: path, RawQuery: q.Encode()}
	return u.String()
}

// matchedMember is numberMatched, or numberMatchedAtLeast when the store
// gave a lower bound.
func matchedMember(n int, atLeast bool) member {
	if atLeast {
		return member{"numberMatchedAtLeast", n}
	}
	return member{"numberMatched", n}
}
