package server

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// tagRequest is the body of POST /api/v1/tag.
type tagRequest struct {
	Title   string `json:"title"` // tagged with the text: title_mentions, and weighs in the main location
	Text    string `json:"text"`
	Country string `json:"country"` // bias: ISO codes, comma-separated
	BBox    string `json:"bbox"`    // bias: W,S,E,N
	Source  string `json:"source"`  // the text's URL, for desk rules scoped to a domain
	Feed    string `json:"feed"`    // its feed, for desk rules scoped to one
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
	opt.Source, opt.Feed = req.Source, req.Feed
	if err := checkTitle(req.Title); err != nil {
		s.writeError(c, err)
		return
	}
	tg, truncated, err := s.tagReport(c, req.Title, req.Text, opt)
	if err != nil {
		s.writeError(c, err)
		return
	}
	r := &geotag.Report{Title: req.Title, Text: req.Text, Mentions: tg.mentions, TitleMentions: tg.titleMentions}
	main := geotag.AutoLocation(r, s.tagger.Version(), s.now().UTC())
	s.writeTagAnswer(c, tagAnswer{mentions: tg.mentions, titleMentions: tg.titleMentions, location: main, truncated: truncated,
		lang: geotag.TextLanguage(s.tagger, req.Text), event: s.eventSuggestion(req.Text), degraded: tg.degraded})
}

// maxTitle is the longest title, in code points.
const maxTitle = 1000

func checkTitle(title string) error {
	if utf8.RuneCountInString(title) > maxTitle {
		return geotag.FieldErrorf(geotag.EINVALID, "title", "title is longer than %d characters", maxTitle)
	}
	return nil
}

// tagText runs the tagger, timing it, and never returns a nil slice. It
// keeps at most the first MaxMentions mentions of the report limits, each
// with at most their MaxAlternatives alternatives (five at most); truncated says that the text has
// more.
func (s *Server) tagText(c *gin.Context, text string, opt geotag.TagOptions) (ms []geotag.Mention, truncated bool, err error) {
	start := s.now()
	ms, err = s.tagger.Tag(c.Request.Context(), text, s.tagLimits.options(opt))
	s.metrics.observeTagging(s.now().Sub(start))
	if err != nil {
		return nil, false, err
	}
	if ms == nil {
		ms = []geotag.Mention{}
	}
	ms, truncated = s.tagLimits.cut(ms)
	return ms, truncated, nil
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
	eventInput                   // event_type, sub_event_type, fatalities, actors, civilian_targeting
}

// apply copies the fields in into r and reports whether the text or the
// title changed (what the service tags).
func (in *reportInput) apply(r *geotag.Report) (textChanged bool, err error) {
	if in.ExternalID != nil {
		r.ExternalID = strings.TrimSpace(*in.ExternalID)
	}
	if in.Title != nil && strings.TrimSpace(*in.Title) != r.Title {
		r.Title = strings.TrimSpace(*in.Title)
		r.TitleMentions = nil // the tagging, if the service does it, gives the new title's
		textChanged = true
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
			if !r.Created.IsZero() { // a new report keeps its time: now
				r.Time = r.Created
			}
			r.TimePrecision = ""
		} else {
			t, prec, err := parseTime(*in.Time, "time")
			if err == nil {
				err = geotag.CheckReportTime(t) // also 0001-01-01, the zero time Validate lets by
			}
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
	if in.eventInput.given() {
		if r.Event, err = in.event(r.Event); err != nil {
			return false, err
		}
	}
	if err := checkTitle(r.Title); err != nil {
		return false, err
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

// cleanTags trims, drops empty and duplicate tags, keeping their order, in
// linear time (a set of the tags kept).
func cleanTags(tags []string) []string {
	out := []string{}
	seen := make(map[string]struct{}, min(len(tags), 1024))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if _, dup := seen[t]; t != "" && !dup {
			seen[t] = struct{}{}
			out = append(out, t)
		}
	}
	return out
}

// tagged is the tagger's mentions of one title and text, tagged together
// (geotag.TitledText), and the title and text themselves, found before a
// write transaction so that the tagger never runs while the store's write
// lock is held (nor twice when a grouped commit runs a transaction's
// function again).
type tagged struct {
	title, text   string
	mentions      []geotag.Mention // the text's
	titleMentions []geotag.Mention // the title's, offsets in the title
	degraded      string           // the tagger's geotag.TagNotes.Degraded: empty, or what it cut short
}

// tagReport tags a title with its text (tagText on geotag.TitledText) and
// splits the mentions between them.
func (s *Server) tagReport(c *gin.Context, title, text string, opt geotag.TagOptions) (*tagged, bool, error) {
	doc, _ := geotag.TitledText(title, text)
	var notes geotag.TagNotes
	opt.Notes = &notes
	ms, truncated, err := s.tagText(c, doc, opt)
	if err != nil {
		return nil, false, err
	}
	tms, ms := geotag.SplitTitled(title, ms)
	return &tagged{title: title, text: text, mentions: ms, titleMentions: tms, degraded: notes.Degraded}, truncated, nil
}

// pretag tags a report's title and text with the biases in the input (or
// the query string).
func (s *Server) pretag(c *gin.Context, title, text string, in *reportInput) (*tagged, error) {
	opt, err := tagOptions(c, in.Country, in.BBox)
	if err != nil {
		return nil, err
	}
	if in.Source != nil {
		opt.Source = *in.Source
	}
	tg, truncated, err := s.tagReport(c, title, text, opt)
	if err != nil {
		return nil, err
	}
	if truncated {
		return nil, geotag.FieldErrorf(geotag.EUNPROCESSABLE, "text", "the title and text name more than %d places, the most one report may have: split it", s.tagLimits.mentions)
	}
	return tg, nil
}

// setPlaces gives a new report r its mentions, from the client or from
// the tagger, and its main location: the client's point if given, else the
// automatic one. It runs outside any transaction.
func (s *Server) setPlaces(c *gin.Context, r *geotag.Report, in *reportInput, who string) error {
	var tg *tagged
	if in.Mentions == nil {
		var err error
		if tg, err = s.pretag(c, r.Title, r.Text, in); err != nil {
			return err
		}
	}
	_, err := s.placeReport(r, in, who, nil, tg)
	return err
}

// placeReport is setPlaces for a new report or an edited one, with the
// text already tagged (tg; nil when the client sent mentions): the rules
// are geotag.Placement's. oldText is nil for a new report, else the text
// before the edit. It returns errStale when tg is not the tagging of
// r.Title and r.Text (they changed since it was tagged).
func (s *Server) placeReport(r *geotag.Report, in *reportInput, who string, oldText *string, tg *tagged) (*geotag.CarryOutcome, error) {
	p := geotag.Placement{Mentions: in.Mentions, Point: in.Location, OldText: oldText, Tagger: s.tagger.Version(), By: who, At: s.now().UTC()}
	if in.Mentions == nil {
		if tg == nil || tg.text != r.Text || tg.title != r.Title {
			return nil, errStale
		}
		p.Tagged, p.TaggedTitle = tg.mentions, tg.titleMentions
	}
	return p.Place(r)
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
	if err := s.reportLimits.CheckInput(r); err != nil {
		s.writeError(c, err)
		return
	}
	who := who(c)
	if err := s.setPlaces(c, r, &in, who); err != nil {
		s.writeError(c, err)
		return
	}
	r.History = []geotag.Revision{createRevision(r, who, now)}
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
	// Streamed: a report with thousands of mentions and revisions is never
	// held whole as JSON.
	write := writeReportFeature
	if c.Query("format") == "json" {
		write = writeReportJSON
		c.Header("Content-Type", "application/json; charset=utf-8")
	} else {
		c.Header("Content-Type", "application/geo+json")
	}
	c.Status(http.StatusOK)
	if err := write(c.Writer, r); err != nil {
		s.logger.Debug("report answer cut short", "id", r.ID, "err", err)
	}
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
// corrections made by hand are carried over (placeReport); the "edit"
// revision records the text and mentions it replaced (for undo) and what
// was carried and dropped, which the answer also gives as carried and
// dropped. All of it is done before the write transaction, on the report
// as read (commitChange): the transaction only checks that the report is
// still that version and writes. When another write came in between, the
// edit is made again on the new version (the text tagged again only if
// the text to tag changed), up to three times in all, then a 409.
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
		in.eventInput.replaceAll()
	}
	who := who(c)
	var carried *geotag.CarryOutcome // the last call's
	var tg *tagged                   // kept across calls while the text to tag is the same
	r, err := s.commitChange(c, func(r *geotag.Report) error {
		var err error
		carried, err = s.applyChange(r, &in, who, func(title, text string) (*tagged, error) {
			if tg != nil && tg.text == text && tg.title == title {
				return tg, nil
			}
			tin := in
			if tin.Source == nil { // the stored source, for desk rules scoped to a domain
				src := r.Source
				tin.Source = &src
			}
			t, err := s.pretag(c, title, text, &tin)
			tg = t
			return t, err
		})
		return err
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

// applyChange applies an edit to r: the fields, a review revision when the
// status changed, and, when the text, the mentions or the point changed,
// the places (tag gives the new text's tagging, unless the client sent
// mentions) and an edit revision. Text and tags over the report limits are
// refused before anything is tagged. It returns what became of the
// corrections made by hand.
func (s *Server) applyChange(r *geotag.Report, in *reportInput, who string, tag func(title, text string) (*tagged, error)) (*geotag.CarryOutcome, error) {
	before, status, oldText, oldMentions := r.Location, r.Status, r.Text, r.Mentions
	oldEvent := r.Event.Clone()
	changed, err := in.apply(r)
	if err != nil {
		return nil, err
	}
	if err := recordEvent(r, oldEvent, who, s.now().UTC()); err != nil {
		return nil, err
	}
	if err := s.reportLimits.CheckInput(r); err != nil {
		return nil, err
	}
	if r.Status != status {
		action := geotag.ActionReview
		if r.Status == geotag.StatusUnreviewed {
			action = geotag.ActionUnreview
		}
		r.History = append(r.History, geotag.Revision{At: s.now().UTC(), By: who, Action: action, Mention: -1})
	}
	var co *geotag.CarryOutcome
	if changed || in.Mentions != nil || in.Location != nil {
		var tg *tagged
		if in.Mentions == nil {
			if tg, err = tag(r.Title, r.Text); err != nil {
				return nil, err
			}
		}
		if co, err = s.placeReport(r, in, who, &oldText, tg); err != nil {
			return nil, err
		}
		if oldMentions == nil {
			oldMentions = []geotag.Mention{}
		}
		rv := geotag.Revision{At: s.now().UTC(), By: who, Action: geotag.ActionEdit, Mention: -1,
			BeforeLocation: before, AfterLocation: r.Location, BeforeText: &oldText, BeforeMentions: oldMentions}
		if co != nil {
			rv.Carried, rv.Dropped = co.Carried, co.Dropped
		}
		r.History = append(r.History, rv)
	}
	r.Updated = s.now().UTC()
	return co, nil
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

// deleteReport removes a report: 204, or 404 if there is none. With
// incidents, the report then leaves the incident it was a source of
// (geotag.IncidentDesk.DeleteReport: figures derived again; the incident
// deleted with its last source).
func (s *Server) deleteReport(c *gin.Context) {
	del := s.reports.DeleteReport
	if s.incidents != nil {
		del = func(ctx context.Context, id string) error { return s.desk().DeleteReport(ctx, id, who(c)) }
	}
	if err := del(c.Request.Context(), c.Param("id")); err != nil {
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
		if done, err := s.answerCountOnly(c, f); done || err != nil {
			if err != nil {
				s.writeError(c, err)
			}
			return
		}
	}
	release, ok := s.admitPage(c, f.Limit)
	if !ok {
		return
	}
	defer release()
	page, features, returned, err := s.findPage(c, f)
	if err != nil {
		s.writeError(c, err)
		return
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

// answerCountOnly counts the matches of f first, from the index, and,
// when they would not all fit in the page, answers the counts alone, no
// features, reporting done: a map then asks for cluster counts, and a
// dense view costs no features it throws away.
func (s *Server) answerCountOnly(c *gin.Context, f geotag.ReportFilter) (done bool, err error) {
	cf := f
	cf.Limit = 1
	p, err := s.reports.FindReports(c.Request.Context(), cf)
	if err != nil {
		return false, err
	}
	if limit := cmp.Or(f.Limit, defaultLimit); p.Total <= min(limit, maxLimit) {
		return false, nil
	}
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
	return true, nil
}

// findPage finds one page of f: as GeoJSON features encoded by the store
// when it can (features non-nil), else as reports.
func (s *Server) findPage(c *gin.Context, f geotag.ReportFilter) (page geotag.ReportPage, features []byte, returned int, err error) {
	if ff, ok := s.reports.(featureFinder); ok {
		fp, err := ff.FindFeatures(c.Request.Context(), f)
		if err != nil {
			return page, nil, 0, err
		}
		return fp.ReportPage, fp.Features, fp.N, nil
	}
	page, err = s.reports.FindReports(c.Request.Context(), f)
	return page, nil, len(page.Reports), err
}

// matchedMember is numberMatched, or numberMatchedAtLeast when the store
// gave a lower bound.
func matchedMember(n int, atLeast bool) member {
	if atLeast {
		return member{"numberMatchedAtLeast", n}
	}
	return member{"numberMatched", n}
}
