package feed

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/geotag/geotag"
)

// fakeReports is an in-memory ReportService with the three methods the
// poller uses (the others are the nil embedded interface's: a call
// panics, which a test would show).
type fakeReports struct {
	geotag.ReportService
	mu    sync.Mutex
	n     int
	byID  map[string]*geotag.Report
	byExt map[string]string
	now   func() time.Time
}

func newFakeReports() *fakeReports {
	return &fakeReports{byID: map[string]*geotag.Report{}, byExt: map[string]string{}, now: time.Now}
}

func clone(r *geotag.Report) *geotag.Report {
	c := *r
	c.Tags = append([]string{}, r.Tags...)
	c.Mentions = append([]geotag.Mention{}, r.Mentions...)
	c.History = append([]geotag.Revision{}, r.History...)
	return &c
}

func (f *fakeReports) CreateReport(ctx context.Context, r *geotag.Report) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, ok := f.byExt[r.ExternalID]; ok && r.ExternalID != "" {
		*r = *clone(f.byID[id])
		return geotag.Errorf(geotag.ECONFLICT, "external id taken")
	}
	if err := r.Validate(); err != nil {
		return err
	}
	f.n++
	r.ID = strings.Repeat("0", 5) + string(rune('A'+f.n%26)) + time.Now().Format("150405.000000000")
	r.Updated = f.now().UTC()
	f.byID[r.ID] = clone(r)
	if r.ExternalID != "" {
		f.byExt[r.ExternalID] = r.ID
	}
	return nil
}

func (f *fakeReports) FindReportByID(ctx context.Context, id string) (*geotag.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.byID[id]
	if !ok {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "no report")
	}
	return clone(r), nil
}

func (f *fakeReports) UpdateReport(ctx context.Context, id string, fn func(*geotag.Report) error) (*geotag.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.byID[id]
	if !ok {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "no report")
	}
	c := clone(r)
	if err := fn(c); err != nil {
		return nil, err
	}
	c.ID, c.Updated = id, f.now().UTC().Add(time.Nanosecond*time.Duration(len(c.History)))
	f.byID[id] = clone(c)
	return c, nil
}

func (f *fakeReports) all() []*geotag.Report {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*geotag.Report
	for _, r := range f.byID {
		out = append(out, clone(r))
	}
	return out
}

func (f *fakeReports) byExternal(ext string) *geotag.Report {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, ok := f.byExt[ext]; ok {
		return clone(f.byID[id])
	}
	return nil
}

// fakeFeeds is an in-memory FeedService.
type fakeFeeds struct {
	mu    sync.Mutex
	n     int
	feeds []*geotag.Feed
	items map[string]geotag.FeedItemState // feedID + "\x00" + key
}

func newFakeFeeds() *fakeFeeds { return &fakeFeeds{items: map[string]geotag.FeedItemState{}} }

func (s *fakeFeeds) find(id string) (int, error) {
	for i, f := range s.feeds {
		if f.ID == id {
			return i, nil
		}
	}
	return -1, geotag.Errorf(geotag.ENOTFOUND, "no feed %q", id)
}

func (s *fakeFeeds) CreateFeed(ctx context.Context, f *geotag.Feed) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.feeds {
		if g.URL == f.URL {
			*f = *g
			return geotag.Errorf(geotag.ECONFLICT, "taken")
		}
	}
	s.n++
	f.ID = "feed" + string(rune('0'+s.n))
	c := *f
	s.feeds = append(s.feeds, &c)
	return nil
}

func (s *fakeFeeds) FindFeedByID(ctx context.Context, id string) (*geotag.Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.find(id)
	if err != nil {
		return nil, err
	}
	c := *s.feeds[i]
	return &c, nil
}

func (s *fakeFeeds) ListFeeds(ctx context.Context) ([]*geotag.Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*geotag.Feed
	for _, f := range s.feeds {
		c := *f
		out = append(out, &c)
	}
	return out, nil
}

func (s *fakeFeeds) UpdateFeed(ctx context.Context, id string, fn func(*geotag.Feed) error) (*geotag.Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.find(id)
	if err != nil {
		return nil, err
	}
	c := *s.feeds[i]
	if err := fn(&c); err != nil {
		return nil, err
	}
	c.ID = id
	s.feeds[i] = &c
	out := c
	return &out, nil
}

func (s *fakeFeeds) DeleteFeed(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.find(id)
	if err != nil {
		return err
	}
	s.feeds = append(s.feeds[:i], s.feeds[i+1:]...)
	return nil
}

func (s *fakeFeeds) FeedItems(ctx context.Context, feedID string, keys []string) (map[string]geotag.FeedItemState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]geotag.FeedItemState{}
	for _, k := range keys {
		if st, ok := s.items[feedID+"\x00"+k]; ok {
			out[k] = st
		}
	}
	return out, nil
}

func (s *fakeFeeds) PutFeedItem(ctx context.Context, feedID, key string, st geotag.FeedItemState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.find(feedID); err != nil {
		return err
	}
	s.items[feedID+"\x00"+key] = st
	return nil
}

// fakeTagger finds "Aleppo" and "Homs" and records the bias it was given.
type fakeTagger struct {
	mu    sync.Mutex
	opts  []geotag.TagOptions
	onTag func() // called before each tagging, when set
}

var places = map[string]*geotag.Place{
	"Aleppo": {ID: 170063, Name: "Aleppo", Lat: 36.2, Lon: 37.16, Country: "SY", Feature: "P.PPLA"},
	"Homs":   {ID: 169577, Name: "Homs", Lat: 34.73, Lon: 36.71, Country: "SY", Feature: "P.PPLA"},
}

func (t *fakeTagger) Tag(ctx context.Context, text string, opt geotag.TagOptions) ([]geotag.Mention, error) {
	t.mu.Lock()
	t.opts = append(t.opts, opt)
	on := t.onTag
	t.mu.Unlock()
	if on != nil {
		on()
	}
	var ms []geotag.Mention
	rs := []rune(text)
	for i := range rs {
		for name, p := range places {
			n := []rune(name)
			if i+len(n) <= len(rs) && string(rs[i:i+len(n)]) == name {
				ms = append(ms, geotag.Mention{Start: i, End: i + len(n), Text: name, Kind: geotag.KindPlace, Confidence: 0.9, Precision: 1, Place: p})
			}
		}
	}
	return ms, nil
}

func (t *fakeTagger) Version() string { return "fake/1" }
