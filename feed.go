package geotag

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"time"
)

// Feed limits and defaults.
const (
	DefaultFeedInterval    = 5 * time.Minute
	DefaultFeedMinInterval = time.Minute
	MaxFeedInterval        = 24 * time.Hour
	MaxFeedURLBytes        = 2048
)

// Feed is a source the service polls (RSS 2.0, Atom or JSON Feed): each new
// item becomes a report, tagged with the feed's bias (Country, BBox) and
// carrying its Tags.
type Feed struct {
	ID       string     `json:"id"`
	URL      string     `json:"url"`
	Title    string     `json:"title,omitempty"` // the feed's own, from its last fetch
	Interval Interval   `json:"interval"`
	Country  string     `json:"country,omitempty"` // tagging bias: ISO codes, comma-separated
	BBox     string     `json:"bbox,omitempty"`    // tagging bias: W,S,E,N
	Tags     []string   `json:"tags"`
	Paused   bool       `json:"paused,omitempty"`
	Created  time.Time  `json:"created"`
	Updated  time.Time  `json:"updated"`
	Status   FeedStatus `json:"status"`
}

// FeedStatus is what the poller last saw of a feed.
type FeedStatus struct {
	LastFetch    *time.Time `json:"last_fetch"`              // last attempt, failed or not
	LastSuccess  *time.Time `json:"last_success"`            // last fetch that was read (or 304)
	LastNewItem  *time.Time `json:"last_new_item"`           // last time an item became a report
	LastError    string     `json:"last_error,omitempty"`    // why the last fetch failed; "" after a success
	ItemErrors   int        `json:"item_errors,omitempty"`   // items of the last fetch that could not be stored
	ItemsStored  int        `json:"items_stored"`            // reports made from the feed, all fetches together
	ItemsUpdated int        `json:"items_updated,omitempty"` // reports revised because their item changed
	Failures     int        `json:"failures,omitempty"`      // fetches failed in a row (the backoff's exponent)
	NextFetch    time.Time  `json:"next_fetch"`
	ETag         string     `json:"etag,omitempty"`          // for a conditional GET
	LastModified string     `json:"last_modified,omitempty"` // likewise
}

// Interval is a duration written as Go writes one ("5m", "1h30m").
type Interval time.Duration

func (d Interval) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// MarshalJSON writes the interval as a string.
func (d Interval) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a string such as "5m".
func (d *Interval) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return FieldErrorf(EINVALID, "interval", "interval must be a string such as \"5m\"")
	}
	v, err := ParseInterval(s)
	*d = v
	return err
}

// ParseInterval reads a duration such as "5m"; "" is the default.
func ParseInterval(s string) (Interval, error) {
	if s == "" {
		return Interval(DefaultFeedInterval), nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, FieldErrorf(EINVALID, "interval", "interval must be a duration such as \"5m\" or \"1h\"")
	}
	return Interval(v), nil
}

// Validate checks what a client sets on a feed: an absolute http(s) URL
// without credentials of at most MaxFeedURLBytes, an interval between min
// and MaxFeedInterval, the bias as ParseTagOptions reads it and tags
// within the report limits. It returns an EINVALID *Error naming the field.
func (f *Feed) Validate(min time.Duration, limits ReportLimits) error {
	u, err := url.Parse(f.URL)
	switch {
	case len(f.URL) > MaxFeedURLBytes:
		return FieldErrorf(EINVALID, "url", "url is longer than %d bytes", MaxFeedURLBytes)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return FieldErrorf(EINVALID, "url", "a feed needs an absolute http or https URL")
	case u.User != nil:
		return FieldErrorf(EINVALID, "url", "a feed URL may not carry a user name or password")
	case time.Duration(f.Interval) < min:
		return FieldErrorf(EINVALID, "interval", "interval must be at least %v", Interval(min))
	case time.Duration(f.Interval) > MaxFeedInterval:
		return FieldErrorf(EINVALID, "interval", "interval must be at most %v", Interval(MaxFeedInterval))
	}
	if _, err := ParseTagOptions(f.Country, f.BBox); err != nil {
		return err
	}
	l := limits.OrDefault()
	if l.MaxTags >= 0 && len(f.Tags) > l.MaxTags {
		return FieldErrorf(EINVALID, "tags", "a feed may have at most %d tags", l.MaxTags)
	}
	for _, t := range f.Tags {
		if l.MaxTagBytes >= 0 && len(t) > l.MaxTagBytes {
			return FieldErrorf(EINVALID, "tags", "tag is longer than %d bytes", l.MaxTagBytes)
		}
	}
	return nil
}

// TagOptions returns the feed's tagging bias (validated by Validate) and
// its ID as the texts' Feed, so that desk rules scoped to the feed apply.
func (f *Feed) TagOptions() TagOptions {
	opt, _ := ParseTagOptions(f.Country, f.BBox)
	opt.Feed = f.ID
	return opt
}

// FeedItemState is what the store remembers of one item of a feed: the
// report made from it, the item's content hash when it was last written,
// and the report's Updated time after that write (a later Updated means
// a person changed the report since).
type FeedItemState struct {
	ReportID string    `json:"report_id"`
	Hash     string    `json:"hash"`
	Updated  time.Time `json:"updated"`
}

// FeedService stores feeds and the items already made into reports.
// Implementations are safe for concurrent use.
type FeedService interface {
	// CreateFeed assigns f an ID, Created and Updated and stores it.
	// Returns EINVALID for a feed without a URL, ECONFLICT (f then set to
	// the stored feed) when a feed with the same URL is stored, and
	// EUNPROCESSABLE when the service holds as many feeds as it may.
	CreateFeed(ctx context.Context, f *Feed) error

	// FindFeedByID returns ENOTFOUND if no feed has the id.
	FindFeedByID(ctx context.Context, id string) (*Feed, error)

	// ListFeeds returns every feed, oldest first.
	ListFeeds(ctx context.Context) ([]*Feed, error)

	// UpdateFeed loads the feed, calls fn on it and stores the result in
	// one transaction (ID and Created kept). Returns ENOTFOUND if no feed
	// has the id, ECONFLICT if fn gave it the URL of another feed, or
	// fn's error, in which case nothing is stored.
	UpdateFeed(ctx context.Context, id string, fn func(*Feed) error) (*Feed, error)

	// DeleteFeed removes the feed and its item states (the reports made
	// from it stay). Returns ENOTFOUND if no feed has the id.
	DeleteFeed(ctx context.Context, id string) error

	// FeedItems returns the stored states of the feed's items with these
	// keys (FeedItem.Key); keys never stored are absent from the map.
	FeedItems(ctx context.Context, feedID string, keys []string) (map[string]FeedItemState, error)

	// PutFeedItem records the state of one item. Returns ENOTFOUND if the
	// feed is gone (deleted meanwhile).
	PutFeedItem(ctx context.Context, feedID, key string, st FeedItemState) error
}
