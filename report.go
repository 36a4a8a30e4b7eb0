package geotag

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Report statuses.
const (
	StatusUnreviewed = "unreviewed"
	StatusReviewed   = "reviewed"
)

// Location provenance methods.
const (
	MethodAuto   = "auto"   // chosen by the geotagger
	MethodManual = "manual" // set by a person
)

// Report is one geotagged piece of text: a news item, a post, a live-blog
// entry. ID is assigned by the store, unique and sortable by creation time.
type Report struct {
	ID            string    `json:"id"`
	ExternalID    string    `json:"external_id,omitempty"` // caller's id; makes imports idempotent
	Title         string    `json:"title"`
	Text          string    `json:"text"`
	Source        string    `json:"source,omitempty"` // URL
	Time          time.Time `json:"time"`             // when the event happened
	TimePrecision string    `json:"time_precision,omitempty"`
	Created       time.Time `json:"created"`
	Updated       time.Time `json:"updated"`
	Status        string    `json:"status"`
	Tags          []string  `json:"tags,omitempty"`
	Mentions      []Mention `json:"mentions"`
	// TitleMentions are the places the title names, offsets in code points
	// of the title: the title is tagged with the text (one document, so
	// both resolve alike) and weighs in the main location, but corrections
	// are made to the text's mentions (Mentions), and the title's are
	// tagged again whenever the service tags the report.
	TitleMentions []Mention  `json:"title_mentions,omitempty"`
	Location      *Location  `json:"location"` // nil when no place was found
	Event                    // what happened: event_type, fatalities, actors…
	History       []Revision `json:"history,omitempty"`
}

// Location is the report's main location: one of its mentions, or a point an
// analyst set.
type Location struct {
	Lat        float64    `json:"lat"`
	Lon        float64    `json:"lon"`
	Precision  int        `json:"precision"`
	Name       string     `json:"name,omitempty"`
	PlaceID    int64      `json:"place_id,omitempty"`
	Mention    int        `json:"mention"` // index into Mentions; -1 for a manual point, or an automatic one only the title names
	Provenance Provenance `json:"provenance"`
	// Why says, for an automatic location, why PickMain chose it ("named
	// in the headline, most mentioned (3×), most specific (a town or
	// site)"); empty for a point a person set.
	Why string `json:"why,omitempty"`
}

// Provenance says where a location came from.
type Provenance struct {
	Method string    `json:"method"`           // MethodAuto or MethodManual
	Tagger string    `json:"tagger,omitempty"` // tagger and gazetteer version, for automatic locations
	By     string    `json:"by,omitempty"`     // who, for manual ones
	At     time.Time `json:"at"`
}

// Revision records one change to a report's places, so that corrections can
// be audited and undone.
type Revision struct {
	At             time.Time `json:"at"`
	By             string    `json:"by,omitempty"`
	Action         string    `json:"action"` // "create", "pick", "point", "add", "remove", "main", "review"…
	Mention        int       `json:"mention"`
	Before         *Mention  `json:"before,omitempty"`
	After          *Mention  `json:"after,omitempty"`
	BeforeLocation *Location `json:"before_location,omitempty"`
	AfterLocation  *Location `json:"after_location,omitempty"`
	// Bulk is the id of the bulk correction (or of its undo) that made
	// this revision; the same on every report it changed.
	Bulk string `json:"bulk,omitempty"`

	// An "edit" (and the "undo" of one) also records what it replaced, so
	// that undo can restore it: BeforeText is the text before (the same as
	// after when only the places changed) and BeforeMentions the mentions
	// before. Both are nil on edits recorded before they existed, which
	// cannot be undone. Carried and Dropped are the corrections made by
	// hand to the old mentions that the edit carried over to the new text
	// or dropped because their words are gone from it.
	BeforeText     *string   `json:"before_text,omitempty"`
	BeforeMentions []Mention `json:"before_mentions,omitempty"`
	Carried        []Carry   `json:"carried,omitempty"`
	Dropped        []Carry   `json:"dropped,omitempty"`

	// An "event" revision records the event coding it replaced and the
	// one it set.
	BeforeEvent *Event `json:"before_event,omitempty"`
	AfterEvent  *Event `json:"after_event,omitempty"`

	// A "split" revision names the reports a split made of this report's
	// text (SplitInto, on the original) or the report this one was split
	// from (SplitFrom, on each new one).
	SplitFrom string   `json:"split_from,omitempty"`
	SplitInto []string `json:"split_into,omitempty"`
}

// Carry is one correction a person made to a report's places, as a text
// edit carried it over to the new text (or dropped it): Action is the
// correction ("pick", "point", "add", "remove" or "main"), Text its words,
// Start and End their span (in the new text when carried, in the old one
// when dropped), Mention the index of the corrected mention after the edit
// (-1 when dropped, and for "remove", whose mention is gone), Place the
// place given by hand (nil for "remove" and "main"), and By and At who made
// the correction and when: the original correction's, never the edit's.
type Carry struct {
	Action  string    `json:"action"`
	Text    string    `json:"text"`
	Start   int       `json:"start"`
	End     int       `json:"end"`
	Mention int       `json:"mention"`
	Place   *Place    `json:"place,omitempty"`
	By      string    `json:"by,omitempty"`
	At      time.Time `json:"at"`
}

// Validate checks the fields a client supplies.
func (r *Report) Validate() error {
	if r.Title == "" && r.Text == "" {
		return FieldErrorf(EINVALID, "text", "a report needs a title or a text")
	}
	if !r.Time.IsZero() {
		if err := CheckReportTime(r.Time); err != nil {
			return err
		}
	}
	if r.Status != "" && r.Status != StatusUnreviewed && r.Status != StatusReviewed {
		return FieldErrorf(EINVALID, "status", "status must be %q or %q", StatusUnreviewed, StatusReviewed)
	}
	if err := r.Event.Validate(); err != nil {
		return err
	}
	if l := r.Location; l != nil {
		if err := (LatLon{Lat: l.Lat, Lon: l.Lon}).Validate(); err != nil {
			return err
		}
	}
	return nil
}

// ReportFilter selects reports. Zero fields select everything.
type ReportFilter struct {
	BBox    *BBox
	From    *time.Time // event time ≥ From
	To      *time.Time // event time < To
	PlaceID int64      // reports with a mention resolved to this place
	Status  string
	Tag     string
	// Tags are more tags (any case): reports with any of Tag and Tags,
	// or with TagsAll, with all of them. At most MaxFilterTags in all.
	Tags    []string
	TagsAll bool
	Q       string // case-insensitive substring of title or text
	// Located, when set, keeps the reports with (true) or without (false)
	// a main location: the unlocated ones are on no map, and a bbox
	// selects none of them.
	Located *bool

	EventTypes    []string // reports of any of these event types (canonical names)
	FatalitiesMin *int     // reports with at least this many fatalities known
	FatalitiesMax *int     // reports with at most this many fatalities known
	Actor         string   // reports with an actor of this name (any case)
	Limit         int      // page size; 0 means the service's default
	Cursor        string   // opaque, from a previous page's Next
}

// MaxFilterTags is the most tags one filter names (Tag and Tags).
const MaxFilterTags = 8

// FilterTags returns f's tags, Tag first, trimmed and lower-cased (tags
// match in any case), without repeats or blanks.
func (f ReportFilter) FilterTags() []string {
	var out []string
	for _, t := range append([]string{f.Tag}, f.Tags...) {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// ReportPage is one page of a query, newest event time first.
type ReportPage struct {
	Reports []*Report
	Next    string // cursor of the next page, "" on the last
	Total   int    // reports matching the filter, all pages together
	// TotalCapped says that Total is a lower bound: the store stopped
	// counting there, as an exact count would cost a walk over every match.
	TotalCapped bool
}

// Cell is one cluster of reports for a map view: Count reports whose mean
// position is at Lat, Lon, and how they split by location precision and
// by event type (each adds up to Count).
type Cell struct {
	Lat   float64 `json:"lat"`
	Lon   float64 `json:"lon"`
	Count int     `json:"count"`
	// Precision counts the reports by their location's precision class
	// (PrecisionClass): [0] sites or towns, [1] districts or vicinities,
	// [2] regions or countries.
	Precision [3]int `json:"precision"`
	// EventTypes counts the reports by event type code (EventTypeCode):
	// [0] those without an event type, [i] those of EventTypes[i-1].
	EventTypes [len(EventTypes) + 1]int `json:"event_types"`
}

// PrecisionClass is the class a cluster counts a location's precision in:
// 1 (a site or town), 2 (a district or vicinity) or 3 (a region or
// country, and any other value).
func PrecisionClass(p int) int {
	if p == 1 || p == 2 {
		return p
	}
	return 3
}

// ReportService stores reports. Implementations are safe for concurrent use.
type ReportService interface {
	// CreateReport assigns r an ID, Created and Updated, and stores it.
	// Returns ECONFLICT if r.ExternalID is already stored (r is then set to
	// the stored report), EINVALID if r fails Validate.
	CreateReport(ctx context.Context, r *Report) error

	// FindReportByID returns ENOTFOUND if no report has the id.
	FindReportByID(ctx context.Context, id string) (*Report, error)

	// UpdateReport loads the report, calls fn on it and stores the result in
	// one transaction. Returns ENOTFOUND if no report has the id, or fn's
	// error, in which case nothing is stored.
	UpdateReport(ctx context.Context, id string, fn func(*Report) error) (*Report, error)

	// DeleteReport returns ENOTFOUND if no report has the id.
	DeleteReport(ctx context.Context, id string) error

	// FindReports returns one page of the reports matching f, newest event
	// time first (ties by ID), with Total counting every page (or, with
	// TotalCapped, a lower bound of it when counting is costly). The cursor
	// is a position, not an offset: paging never skips or repeats a report
	// while others are added or deleted. Returns EINVALID for a negative
	// limit, an unknown status, an invalid bbox or a malformed cursor.
	FindReports(ctx context.Context, f ReportFilter) (ReportPage, error)

	// EachReport calls fn for every report matching f (Limit and Cursor
	// ignored), newest first, in constant memory. It stops at and returns
	// fn's first error.
	EachReport(ctx context.Context, f ReportFilter, fn func(*Report) error) error

	// Cells returns cluster counts of the reports matching f for a map at
	// the zoom level (0 world … 18 street), largest count first; reports
	// without a location are not counted. Returns EINVALID for a zoom
	// outside 0…24 or an invalid filter.
	Cells(ctx context.Context, f ReportFilter, zoom int) ([]Cell, error)

	// Histogram counts the reports matching f (Limit and Cursor ignored)
	// over event time, without reading them, in at most bins bins of equal
	// width: a power-of-two multiple of one minute, the narrowest that
	// spans the matches, or, for a large view whose bins would be hours
	// wide, a power-of-two multiple of one day, the narrowest whose bins
	// start at UTC midnights and span the matches. No matches give no bins.
	// Returns EINVALID for bins outside 1…1000 or an invalid filter.
	Histogram(ctx context.Context, f ReportFilter, bins int) (Histogram, error)

	// Tags lists the tags, in their indexed lower-case form, that start
	// with prefix (compared lower-cased; "" lists every tag), each with the
	// number of its reports matching f (Limit and Cursor ignored; f.Tag
	// keeps the reports that also carry that tag), most used first, ties
	// by tag; tags none of whose reports match are left out. At most limit
	// tags are returned. The work is bounded: a tag's count stops at a cap
	// (the service's; the count is then that cap and AtLeast is set), and
	// the listing stops after a bounded number of distinct tags or index
	// entries (then Truncated is set, and the tags past that point are
	// neither listed nor counted). No tags give an empty list. Returns
	// EINVALID for a limit outside 1…100 or an invalid filter.
	Tags(ctx context.Context, f ReportFilter, prefix string, limit int) (TagList, error)
}

// TagCount is one tag and how many reports carry it: exactly Count, or,
// with AtLeast, Count or more.
type TagCount struct {
	Tag     string `json:"tag"`
	Count   int    `json:"count"`
	AtLeast bool   `json:"count_at_least,omitempty"`
}

// TagList is the answer of ReportService.Tags. Truncated says the service
// stopped looking before it had seen every tag with the prefix.
type TagList struct {
	Tags      []TagCount `json:"tags"`
	Truncated bool       `json:"truncated"`
}

// Validate checks that the point is a finite latitude and longitude.
func (p LatLon) Validate() error {
	if !(p.Lat >= -90 && p.Lat <= 90) {
		return FieldErrorf(EINVALID, "lat", "latitude must be within ±90")
	}
	if !(p.Lon >= -180 && p.Lon <= 180) {
		return FieldErrorf(EINVALID, "lon", "longitude must be within ±180")
	}
	return nil
}

// Histogram counts reports over event time: Counts[i] reports have a time
// in [From + i·WidthSeconds, From + (i+1)·WidthSeconds). The bins span the
// matches, from the bin of the oldest to the bin of the newest. The width
// is in seconds, not a time.Duration: one bin over the whole report time
// range is longer than a Duration can hold.
type Histogram struct {
	From         time.Time
	WidthSeconds int64
	Counts       []int
	Total        int // all the counts together
}

// FeaturePage is one page of FindReports as GeoJSON: Features holds the
// bytes AppendReportFeature makes of each report of the page, in order,
// each followed by a newline; Reports is nil.
type FeaturePage struct {
	ReportPage
	Features []byte
	N        int // features in Features
}
