package feed

import (
	"context"

	"github.com/geotag/geotag"
)

var _ geotag.FeedService = (*Poller)(nil)

// CreateFeed validates f (geotag.Feed.Validate with the poller's minimum
// interval and report limits; interval 0 is the default), refuses one
// over MaxFeeds (EUNPROCESSABLE), stores it and polls it at once.
func (p *Poller) CreateFeed(ctx context.Context, f *geotag.Feed) error {
	if f.Interval == 0 {
		f.Interval = geotag.Interval(geotag.DefaultFeedInterval)
	}
	if f.Tags == nil {
		f.Tags = []string{}
	}
	f.Status = geotag.FeedStatus{}
	if err := f.Validate(p.cfg.MinInterval, p.cfg.Limits); err != nil {
		return err
	}
	fs, err := p.cfg.Feeds.ListFeeds(ctx)
	if err != nil {
		return err
	}
	if len(fs) >= p.cfg.MaxFeeds {
		return geotag.Errorf(geotag.EUNPROCESSABLE, "the service holds %d feeds, the most it may (serve --max-feeds)", p.cfg.MaxFeeds)
	}
	if err := p.cfg.Feeds.CreateFeed(ctx, f); err != nil {
		return err
	}
	p.wake()
	return nil
}

// FindFeedByID is the store's.
func (p *Poller) FindFeedByID(ctx context.Context, id string) (*geotag.Feed, error) {
	return p.cfg.Feeds.FindFeedByID(ctx, id)
}

// ListFeeds is the store's.
func (p *Poller) ListFeeds(ctx context.Context) ([]*geotag.Feed, error) {
	return p.cfg.Feeds.ListFeeds(ctx)
}

// UpdateFeed changes a feed with fn and validates the result; a changed
// URL forgets the conditional-GET validators and polls the feed at once,
// as does a feed taken out of pause.
func (p *Poller) UpdateFeed(ctx context.Context, id string, fn func(*geotag.Feed) error) (*geotag.Feed, error) {
	f, err := p.cfg.Feeds.UpdateFeed(ctx, id, func(f *geotag.Feed) error {
		url, paused := f.URL, f.Paused
		if err := fn(f); err != nil {
			return err
		}
		if err := f.Validate(p.cfg.MinInterval, p.cfg.Limits); err != nil {
			return err
		}
		if f.URL != url || (paused && !f.Paused) {
			f.Status.ETag, f.Status.LastModified = "", ""
			f.Status.NextFetch, f.Status.Failures = f.Created, 0
		}
		return nil
	})
	if err == nil {
		p.wake()
	}
	return f, err
}

// DeleteFeed is the store's; a poll in flight finds the feed gone and
// records nothing.
func (p *Poller) DeleteFeed(ctx context.Context, id string) error {
	return p.cfg.Feeds.DeleteFeed(ctx, id)
}

// FeedItems is the store's.
func (p *Poller) FeedItems(ctx context.Context, feedID string, keys []string) (map[string]geotag.FeedItemState, error) {
	return p.cfg.Feeds.FeedItems(ctx, feedID, keys)
}

// PutFeedItem is the store's.
func (p *Poller) PutFeedItem(ctx context.Context, feedID, key string, st geotag.FeedItemState) error {
	return p.cfg.Feeds.PutFeedItem(ctx, feedID, key, st)
}
