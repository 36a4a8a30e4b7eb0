package geotag

import (
	"context"
	"iter"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultMaxLiveBlogEntries bounds the updates one split returns.
const DefaultMaxLiveBlogEntries = 500

// LiveBlogPage is a live-blog page as the splitter reads it: its blocks in
// page order. Pasted text is read one block a line, as the splitter goes
// (Text; TextLiveBlogPage), so that a page of a million short lines costs
// no block each; an HTML page gives one block a paragraph or heading
// (Blocks), read by the htmlpage package.
type LiveBlogPage struct {
	URL   string
	Title string
	// Date is the page's own date (an HTML page's published time), zero
	// when it has none; only its calendar day counts.
	Date   time.Time
	Text   string
	Blocks []LiveBlogBlock
	// Paragraphs says each block is a paragraph (HTML); otherwise blocks
	// are lines, and an empty one separates paragraphs.
	Paragraphs bool
}

// LiveBlogReader reads an HTML page into blocks (package htmlpage).
type LiveBlogReader interface {
	// ReadLiveBlog reads page, in UTF-8 or the encoding its meta or
	// contentType declares, as found at pageURL. Malformed HTML is read as
	// browsers read it; returns EINVALID for an encoding it cannot decode.
	ReadLiveBlog(page []byte, pageURL, contentType string) (LiveBlogPage, error)
}

// LiveBlogFetcher fetches a live-blog page by URL and reads it into
// blocks (package htmlpage, over the service's safe outgoing client).
type LiveBlogFetcher interface {
	// FetchLiveBlog fetches the page at url and reads it: HTML, or lines
	// of text when it is served as text/plain; the page's URL is where
	// the fetch ended (after redirects). Returns EINVALID for a URL that
	// is not an absolute http(s) URL or that carries a user name or
	// password; EUNPROCESSABLE for an address the service may not fetch
	// (loopback, private…), a failed or timed-out fetch, an answer other
	// than 2xx, a page that is neither HTML nor text, over the size cap,
	// of more elements than the reader takes or in an encoding it cannot
	// decode; EUNAVAILABLE when the ctx ends while it waits for its
	// turn among the pages fetched at once; and ctx's error when ctx
	// ends during the fetch.
	FetchLiveBlog(ctx context.Context, url string) (LiveBlogPage, error)
}

// LiveBlogBlock is one line or paragraph of a page. Anchor is the HTML id
// of the update the block belongs to ("" for none); Time a machine-readable
// time on it (an HTML <time datetime>), zero for none; Start says the block
// opens an element of its own with an id and a time (an update's container
// in HTML), which starts an update even without a header in its text;
// Heading says the block is an HTML heading.
type LiveBlogBlock struct {
	Text    string
	Anchor  string
	Time    time.Time
	Start   bool
	Heading bool
}

// SplitOptions say how to read a page's clock times. Date is the day of
// the page's earliest update; zero means the page's own Date, and without
// one Now's day in Zone. Zone is the zone of clock times written without
// one (ZoneName its name); nil means the zone the page's other headers
// write most often, and UTC when they write none. MaxEntries bounds the
// updates (0: DefaultMaxLiveBlogEntries).
type SplitOptions struct {
	Date       time.Time
	Zone       *time.Location
	ZoneName   string
	Now        time.Time
	MaxEntries int
}

// LiveBlogEntry is one update of a live blog, ready to become a report:
// Title (the update's own heading, else the page's title, else the start
// of its text), Text, Source (the page's URL with the update's anchor as
// fragment), Time and its Precision ("minute" for a clock time, "day" for
// an update dated only by the page or a dated heading), Label (the header
// as written: "UPDATE 1800 GMT") and Zone (the zone its clock was read in).
type LiveBlogEntry struct {
	Title     string    `json:"title"`
	Heading   string    `json:"heading,omitempty"`
	Text      string    `json:"text"`
	Source    string    `json:"source,omitempty"`
	Anchor    string    `json:"anchor,omitempty"`
	Time      time.Time `json:"time"`
	Precision string    `json:"precision"`
	Label     string    `json:"label"`
	Zone      string    `json:"zone,omitempty"`
}

// LiveBlog is a split page: its updates in page order, and how their times
// were read: Date (the day of the earliest update) and where it came from
// (DateFrom: "request", "page" or "today"), Zone (for clocks without
// one) and where it came from (ZoneFrom: "request", "page" or "default"),
// NewestFirst ("newest first" pages are reverse-chronological) and
// Truncated (more updates than MaxEntries: the first ones are kept).
type LiveBlog struct {
	Title       string          `json:"title,omitempty"`
	URL         string          `json:"url,omitempty"`
	Date        string          `json:"date"`
	DateFrom    string          `json:"date_from"`
	Zone        string          `json:"zone"`
	ZoneFrom    string          `json:"zone_from"`
	NewestFirst bool            `json:"newest_first"`
	Truncated   bool            `json:"truncated"`
	Entries     []LiveBlogEntry `json:"entries"`
}

// TextLiveBlogPage makes a page of pasted text: one block a line.
func TextLiveBlogPage(text, url, title string) LiveBlogPage {
	return LiveBlogPage{URL: url, Title: strings.TrimSpace(title), Text: text}
}

// blocks yields the page's blocks: its Text's lines, trimmed, then its
// Blocks.
func (p *LiveBlogPage) blocks() iter.Seq[LiveBlogBlock] {
	return func(yield func(LiveBlogBlock) bool) {
		for line := range strings.Lines(p.Text) {
			if !yield(LiveBlogBlock{Text: strings.TrimSpace(line)}) {
				return
			}
		}
		for _, b := range p.Blocks {
			if !yield(b) {
				return
			}
		}
	}
}

// rawEntry is an update as found, before its time is worked out.
type rawEntry struct {
	hdr      blogHeader
	at       time.Time // the block's own time, zero for none
	section  pageDate  // the date of the dated heading above it (or on its line)
	dated    bool
	sectionN int // which dated heading: a new one restarts the day count
	e        LiveBlogEntry
	text     strings.Builder
	breaks   bool
}

// SplitLiveBlog splits a page into its updates. An update starts at a
// header line ("UPDATE 1800 GMT:", "14:32", "Update, 6:45 p.m.:", "Posted
// at 11:05 BST", "ORIGINAL ENTRY:", a dated heading such as "Saturday 16
// July 2016" or "16 июля") or at an HTML block that opens an update's
// element (Start); the lines before the first update are left out. Each
// update's time is its day plus its clock in its zone: the day is the
// dated heading above it, or, counting from the day of the earliest
// update, the day the clock rolls past midnight (a clock more than two
// hours behind the previous update's, in time order; pages newest first
// are read from the bottom). A machine-readable block time wins over the
// clock. The work is linear in the page.
func SplitLiveBlog(p LiveBlogPage, o SplitOptions) LiveBlog {
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxLiveBlogEntries
	}
	raws, truncated := findEntries(p, o.MaxEntries)
	zoneFrom := "request"
	if o.Zone == nil {
		o.Zone, o.ZoneName, zoneFrom = pageZone(raws)
	}
	out := LiveBlog{Title: p.Title, URL: p.URL, Zone: o.ZoneName, ZoneFrom: zoneFrom, Truncated: truncated}
	start, from := o.Date, "request" // a calendar date: its own day
	switch {
	case start.IsZero() && !p.Date.IsZero():
		start, from = p.Date.In(o.Zone), "page" // an instant: its day in the zone
	case start.IsZero():
		start, from = o.Now.In(o.Zone), "today"
	}
	out.Date, out.DateFrom = start.Format(time.DateOnly), from
	out.NewestFirst = newestFirst(raws)
	datedEntries(raws, pageDate{start.Year(), int(start.Month()), start.Day()}, o.Zone, o.ZoneName, out.NewestFirst)
	out.Entries = make([]LiveBlogEntry, 0, len(raws))
	for _, r := range raws {
		out.Entries = append(out.Entries, r.finish(p))
	}
	return out
}

// findEntries walks the blocks and gathers the updates, at most max.
func findEntries(p LiveBlogPage, max int) (raws []*rawEntry, truncated bool) {
	var cur *rawEntry
	var section pageDate
	dated, sectionN := false, 0
	lastAnchor := ""
	for b := range p.blocks() {
		hdr, ok := readHeader(b.Text)
		start := ok || (b.Start && !b.Time.IsZero() && b.Anchor != lastAnchor)
		if b.Anchor != "" {
			lastAnchor = b.Anchor
		}
		if !start {
			if cur != nil {
				cur.add(b, p.Paragraphs)
			}
			continue
		}
		if hdr.hasDate {
			dated, sectionN = true, sectionN+1
			section = hdr.date
			if section.Year == 0 {
				section.Year = -1 // the year of the day count, filled in later
			}
		}
		if cur != nil && cur.empty() && !cur.hdr.clock && cur.at.IsZero() {
			raws = raws[:len(raws)-1] // a dated heading right above a header is that header's date
		}
		if len(raws) == max {
			return raws, true
		}
		cur = &rawEntry{hdr: hdr, at: b.Time, section: section, dated: dated, sectionN: sectionN}
		cur.e.Anchor = b.Anchor
		cur.e.Label, cur.e.Heading = headerLabel(b.Text, hdr, b.Heading)
		if rest := restOf(b.Text, hdr.restRunes); rest != "" && cur.e.Heading == "" {
			cur.text.WriteString(rest)
		}
		raws = append(raws, cur)
	}
	if cur != nil && cur.empty() && !cur.hdr.clock && cur.at.IsZero() {
		raws = raws[:len(raws)-1]
	}
	return raws, false
}

// headerLabel returns the header part of a header line, and the rest of
// the line as the update's heading when the line is an HTML heading.
func headerLabel(line string, h blogHeader, heading bool) (label, head string) {
	label = strings.TrimRight(firstRunes(line, h.restRunes), " \t:-–—|,")
	if heading {
		head = restOf(line, h.restRunes)
	}
	return label, head
}

// firstRunes returns the first n runes of s.
func firstRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// restOf returns s after its first n runes, trimmed.
func restOf(s string, n int) string {
	return strings.TrimSpace(s[len(firstRunes(s, n)):])
}

func (r *rawEntry) empty() bool { return r.text.Len() == 0 && r.e.Heading == "" }

// add appends a block to the update's text; the first short line after a
// header alone on its line (or an HTML heading) becomes its heading.
func (r *rawEntry) add(b LiveBlogBlock, paragraphs bool) {
	if b.Text == "" {
		r.breaks = r.text.Len() > 0
		return
	}
	if r.empty() && r.e.Heading == "" && (b.Heading || (!paragraphs && r.hdr.onlyHeader && looksLikeHeading(b.Text))) {
		r.e.Heading = b.Text
		if r.e.Anchor == "" {
			r.e.Anchor = b.Anchor
		}
		return
	}
	if r.e.Anchor == "" {
		r.e.Anchor = b.Anchor
	}
	if r.text.Len() > 0 {
		if r.breaks || paragraphs {
			r.text.WriteString("\n\n")
		} else {
			r.text.WriteString("\n")
		}
	}
	r.breaks = false
	r.text.WriteString(b.Text)
}

// looksLikeHeading says whether a line reads as a headline: short, and
// not ending a sentence.
func looksLikeHeading(s string) bool {
	if utf8.RuneCountInString(s) > 120 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!?:;,\"”»)…", last)
}

// finish fills in the update's title, text and source.
func (r *rawEntry) finish(p LiveBlogPage) LiveBlogEntry {
	e := r.e
	e.Text = r.text.String()
	switch {
	case e.Heading != "":
		e.Title = e.Heading
	case p.Title != "":
		e.Title = p.Title
	default:
		e.Title = firstSentence(e.Text, 100)
	}
	e.Source = p.URL
	if e.Anchor != "" && p.URL != "" {
		base, _, _ := strings.Cut(p.URL, "#")
		e.Source = base + "#" + e.Anchor
	}
	return e
}

// firstSentence returns s up to its first full stop, at most n runes.
func firstSentence(s string, n int) string {
	if i := strings.IndexAny(s, ".!?\n"); i > 0 {
		s = s[:i]
	}
	if utf8.RuneCountInString(s) > n {
		s = firstRunes(s, n-1) + "…"
	}
	return strings.TrimSpace(s)
}
