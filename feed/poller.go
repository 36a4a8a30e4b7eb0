// Package feed polls RSS, Atom and JSON Feed sources and makes each new
// item a tagged report. It parses feeds with github.com/mmcdole/gofeed
// (one parser for the three formats, maintained) and reduces their HTML to
// text with golang.org/x/net/html.
package feed

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/geotag/geotag"
)

// Doer sends HTTP requests: the service's safe outgoing client
// (internal/fetch), which checks addresses, redirects, sizes and times.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Config is what a Poller needs. Reports, Feeds, Tagger and Client are
// required.
type Config struct {
	Reports geotag.ReportService
	Feeds   geotag.FeedService // the store's
	Tagger  geotag.Tagger
	Client  Doer
	// Limits bound each report made (zero fields: the defaults).
	Limits geotag.ReportLimits
	// Incidents, when set, are kept in step with the reports an edited
	// item revises (geotag.IncidentDesk.SourceEdited).
	Incidents      geotag.IncidentService
	IncidentLimits geotag.IncidentLimits // zero fields: the defaults
	// MinInterval is the shortest interval a feed may have; 0 means
	// geotag.DefaultFeedMinInterval (a minute).
	MinInterval time.Duration
	// MaxFeeds bounds the feeds stored; 0 means 1,000.
	MaxFeeds int
	// Concurrency bounds the feeds fetched (and their items tagged) at
	// once; 0 means 4.
	Concurrency int
	// MaxBackoff caps the wait after failures (the interval doubled per
	// failure in a row); 0 means 6 hours.
	MaxBackoff time.Duration
	// PollTimeout bounds one poll of one feed, its items' tagging and
	// writes included; 0 means 5 minutes.
	PollTimeout time.Duration
	// Claims, when several servers share the store (the PostgreSQL
	// store), gives a feed's poll to one of them at a time; nil for a
	// store one process opens.
	Claims geotag.Claimer
	Logger *slog.Logger
	Now    func() time.Time
}

// Poller polls the stored feeds when they are due, a bounded number at
// once; a feed that fails is retried later with a backoff and never holds
// up the others. It also implements geotag.FeedService over Config.Feeds,
// validating what clients send and polling a new or changed feed at once.
type Poller struct {
	cfg     Config
	kick    chan struct{}
	sem     chan struct{}
	mu      sync.Mutex
	running map[string]bool
	wg      sync.WaitGroup
}

// New returns a Poller for cfg; Run starts it.
func New(cfg Config) *Poller {
	if cfg.MinInterval <= 0 {
		cfg.MinInterval = geotag.DefaultFeedMinInterval
	}
	if cfg.MaxFeeds <= 0 {
		cfg.MaxFeeds = 1000
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 6 * time.Hour
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 5 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Poller{cfg: cfg, kick: make(chan struct{}, 1), sem: make(chan struct{}, cfg.Concurrency),
		running: map[string]bool{}}
}

// Run polls the due feeds until ctx ends, then waits for the polls in
// flight (which ctx's end cuts short) to finish. It sleeps until the next
// feed is due (or a feed is added or changed, or a poll ends), so a feed
// is fetched when its interval has passed, not at the next tick of a
// clock; it looks again at least every 30 s all the same.
func (p *Poller) Run(ctx context.Context) {
	defer p.wg.Wait()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		wait := 30 * time.Second
		if next := p.pollDue(ctx); !next.IsZero() {
			wait = min(wait, max(next.Sub(p.cfg.Now()), 10*time.Millisecond))
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-p.kick:
		}
	}
}

// wake makes Run look for due feeds now.
func (p *Poller) wake() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// pollDue starts a poll of every due feed not being polled, while a
// fetch slot is free (a poll ending wakes Run for the others), and
// returns when the next feed not being polled is due (zero: none).
func (p *Poller) pollDue(ctx context.Context) time.Time {
	feeds, err := p.cfg.Feeds.ListFeeds(ctx)
	if err != nil {
		if ctx.Err() == nil {
			p.cfg.Logger.Error("feeds: listing", "err", err)
		}
		return time.Time{}
	}
	now := p.cfg.Now()
	var next time.Time
	for _, f := range feeds {
		if f.Paused {
			continue
		}
		if due := f.Status.NextFetch; due.After(now) {
			if next.IsZero() || due.Before(next) {
				next = due
			}
			continue
		}
		if !p.claim(f.ID) {
			continue
		}
		select {
		case p.sem <- struct{}{}:
		default:
			p.release(f.ID)
			return time.Time{}
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			woke := false
			defer func() {
				if woke {
					p.wake()
				}
			}()
			defer func() { <-p.sem }()
			defer p.release(f.ID)
			woke = p.pollClaimed(ctx, f)
		}()
	}
	return next
}

func (p *Poller) claim(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running[id] {
		return false
	}
	p.running[id] = true
	return true
}

func (p *Poller) release(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.running, id)
}

// pollClaimed polls f; when servers share the store (Config.Claims) it
// first takes f's lease and reads f again, as another server may have
// polled it since the list. It returns false when another server holds
// the lease: waking Run for that feed would only ask again while it is
// being polled elsewhere.
func (p *Poller) pollClaimed(ctx context.Context, f *geotag.Feed) bool {
	if p.cfg.Claims == nil {
		p.poll(ctx, f)
		return true
	}
	release, ok, err := p.cfg.Claims.Claim(ctx, geotag.ClaimFeed, f.ID, p.cfg.PollTimeout+time.Minute)
	if err != nil {
		if ctx.Err() == nil {
			p.cfg.Logger.Warn("feed lease", "feed", f.ID, "err", err)
		}
		return false
	}
	if !ok {
		return false
	}
	defer release()
	g, err := p.cfg.Feeds.FindFeedByID(ctx, f.ID)
	if err != nil || g.Paused || g.Status.NextFetch.After(p.cfg.Now()) {
		return true // gone, paused or polled meanwhile: the next list shows it
	}
	p.poll(ctx, g)
	return true
}

// poll fetches one feed, stores its new and changed items and records the
// outcome in the feed's status.
func (p *Poller) poll(ctx context.Context, f *geotag.Feed) {
	pctx, cancel := context.WithTimeout(ctx, p.cfg.PollTimeout)
	defer cancel()
	res := p.fetchAndStore(pctx, f)
	if ctx.Err() != nil {
		p.recordCut(context.WithoutCancel(ctx), f.ID, res)
		return
	}
	if res.err != nil {
		p.cfg.Logger.Warn("feed fetch failed", "feed", f.ID, "url", f.URL, "err", res.err)
	}
	_, err := p.cfg.Feeds.UpdateFeed(ctx, f.ID, func(g *geotag.Feed) error {
		p.record(g, res)
		return nil
	})
	if err != nil && geotag.ErrorCode(err) != geotag.ENOTFOUND {
		p.cfg.Logger.Error("feed status", "feed", f.ID, "err", err)
	}
}

// recordCut counts the reports a poll cut short by the service stopping
// had made; the rest of the status (validators, schedule, errors) stays,
// so that the feed is due again at start and fetched whole.
func (p *Poller) recordCut(ctx context.Context, id string, res result) {
	if res.stored == 0 && res.updated == 0 {
		return
	}
	now := p.cfg.Now().UTC()
	p.cfg.Feeds.UpdateFeed(ctx, id, func(g *geotag.Feed) error {
		g.Status.ItemsStored += res.stored
		g.Status.ItemsUpdated += res.updated
		if res.stored > 0 {
			g.Status.LastNewItem = &now
		}
		return nil
	})
}

// record writes a poll's outcome into the feed's status and schedules
// its next fetch: after its interval, or after a failure the interval
// doubled for each failure in a row, up to MaxBackoff.
func (p *Poller) record(g *geotag.Feed, res result) {
	now := p.cfg.Now().UTC()
	st := &g.Status
	st.LastFetch = &now
	interval := time.Duration(g.Interval)
	if res.err != nil {
		st.Failures++
		st.LastError = cut(geotag.ErrorMessage(res.err), maxErrorText)
		st.NextFetch = now.Add(backoff(interval, st.Failures, p.cfg.MaxBackoff))
		return
	}
	st.Failures, st.LastError, st.LastSuccess = 0, "", &now
	st.NextFetch = now.Add(interval)
	if !res.notModified {
		st.ETag, st.LastModified = res.etag, res.lastModified
		if res.title != "" {
			g.Title = res.title
		}
		st.ItemErrors = res.itemErrors
	}
	if res.stored > 0 {
		st.LastNewItem = &now
	}
	st.ItemsStored += res.stored
	st.ItemsUpdated += res.updated
	if res.itemErr != nil {
		st.LastError = cut("an item could not be stored: "+geotag.ErrorMessage(res.itemErr), maxErrorText)
	}
}

// backoff is interval·2^failures, at most max (and at least interval).
func backoff(interval time.Duration, failures int, max time.Duration) time.Duration {
	d := interval
	for i := 0; i < failures && d < max; i++ {
		d *= 2
	}
	return min(max, d)
}

// maxErrorText bounds the error kept in a feed's status (bytes).
const maxErrorText = 500

// errSkip ends an UpdateReport without writing.
var errSkip = errors.New("skip")
