package geotag

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// FeedItem is one entry of a feed as the poller read it, its HTML already
// reduced to text.
type FeedItem struct {
	GUID      string // the item's id (RSS guid, Atom id, JSON Feed id)
	Link      string // its page
	Title     string
	Text      string
	Published time.Time // zero when the item has none
	DateOnly  bool      // Published names a day, not a moment
}

// maxTitleRunes is the longest title a report takes (reportInput.apply).
const maxTitleRunes = 1000

// Key names the item within its feed: its GUID, else its link, else a
// hash of its title and text (an item with neither id nor link).
func (it FeedItem) Key() string {
	switch {
	case it.GUID != "":
		return "g:" + it.GUID
	case it.Link != "":
		return "l:" + it.Link
	}
	h := sha256.Sum256([]byte(it.Title + "\x00" + it.Text))
	return "h:" + hex.EncodeToString(h[:16])
}

// ExternalID is the report's external_id: the GUID when it is globally
// unique by itself (a URL or URN: it has a scheme), else the link, else
// the feed's URL and the item's key, so that two feeds numbering their
// items 1, 2, 3 do not collide.
func (it FeedItem) ExternalID(feedURL string) string {
	if i := strings.Index(it.GUID, ":"); i > 0 {
		return it.GUID
	}
	if it.Link != "" {
		return it.Link
	}
	return feedURL + "#" + it.Key()
}

// Hash names the item's content: a changed title, text, link or time is an
// edit of the item.
func (it FeedItem) Hash() string {
	h := sha256.New()
	for _, s := range []string{it.Title, it.Text, it.Link, it.Published.UTC().Format(time.RFC3339)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Fill sets r's title, text, source and time from the item: the title cut
// to 1,000 characters, the source only when the link is an http(s) URL, the
// time at day precision when the item gives only a date (and now when it
// gives none, or one the report rules refuse). An item without a text
// gives its title as the text, so that its places are found.
func (it FeedItem) Fill(r *Report, now time.Time) {
	r.Title = cutRunes(strings.TrimSpace(it.Title), maxTitleRunes)
	r.Text = it.Text
	if r.Text == "" { // a headline-only item: tag its title
		r.Text = r.Title
	}
	if r.Text == "" {
		r.Text = it.Link
	}
	r.Source = ""
	if strings.HasPrefix(it.Link, "https://") || strings.HasPrefix(it.Link, "http://") {
		r.Source = it.Link
	}
	r.Time, r.TimePrecision = now, ""
	if !it.Published.IsZero() && CheckReportTime(it.Published) == nil {
		r.Time = it.Published.UTC()
		if it.DateOnly {
			r.Time = time.Date(r.Time.Year(), r.Time.Month(), r.Time.Day(), 0, 0, 0, 0, time.UTC)
			r.TimePrecision = "day"
		}
	}
}

// NewReport is the report a new item of f becomes, without places: the
// item's fields (Fill), the feed's tags, unreviewed, its external id.
func (it FeedItem) NewReport(f *Feed, now time.Time) *Report {
	r := &Report{Status: StatusUnreviewed, Tags: append([]string{}, f.Tags...), ExternalID: it.ExternalID(f.URL)}
	it.Fill(r, now)
	r.Created = now
	return r
}

// ReviseFromFeed rewrites r from an edited item: its fields, the mentions
// tagged from the new text (given, as tagging happens before any
// transaction) with any corrections carried over, and an "edit" revision
// by who that undo can reverse. It returns the Placement's errors.
func ReviseFromFeed(r *Report, it FeedItem, tagged []Mention, tagger, who string, now time.Time) error {
	before, oldText, oldMentions := r.Location, r.Text, r.Mentions
	it.Fill(r, now)
	if r.Time.Equal(now) { // an item without a time keeps the report's
		r.Time = r.Created
	}
	p := Placement{Tagged: tagged, OldText: &oldText, Tagger: tagger, By: who, At: now}
	co, err := p.Place(r)
	if err != nil {
		return err
	}
	if oldMentions == nil {
		oldMentions = []Mention{}
	}
	rv := Revision{At: now, By: who, Action: ActionEdit, Mention: -1,
		BeforeLocation: before, AfterLocation: r.Location, BeforeText: &oldText, BeforeMentions: oldMentions}
	if co != nil {
		rv.Carried, rv.Dropped = co.Carried, co.Dropped
	}
	r.History = append(r.History, rv)
	return nil
}

// cutRunes cuts s to at most n runes.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
