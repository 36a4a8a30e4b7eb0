package webhook

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/geotag/geotag"
)

// Reports is what a Follower reads of the reports (the bbolt store has
// it): every report created after the one with the ID after or, when
// after is "", at or after since, oldest first, until fn's first error.
type Reports interface {
	EachReportCreated(ctx context.Context, after string, since time.Time, fn func(*geotag.Report) error) error
}

// FollowConfig is what a Follower needs; every field but Interval,
// MaxReports, Logger and Now is required.
type FollowConfig struct {
	Views    geotag.ViewService
	Reports  Reports
	Notifier geotag.Notifier
	// Filter turns a saved view into its report filter as of now (the
	// server's filter language: server.ViewFilter, wired by serve).
	Filter func(v *geotag.View, now time.Time) (geotag.ReportFilter, error)
	// Interval is the wait between two rounds; 0 means 15 s.
	Interval time.Duration
	// MaxReports bounds the reports of one notice (the oldest pending
	// first; the rest go in the next round); 0 means 100.
	MaxReports int
	// Claims, when several servers share the store (the PostgreSQL
	// store), gives a view's webhook to one of them at a time, so that
	// two never send the same notice; nil for a store one process opens.
	Claims geotag.Claimer
	// LeaseTTL is how long a claim lasts if its server dies holding it;
	// 0 means 2 minutes.
	LeaseTTL time.Duration
	Logger   *slog.Logger
	Now      func() time.Time
}

// Follower finds, for every view whose webhook is enabled, the view's
// reports its webhook has not delivered (geotag.Webhook.Pending), hands
// them to the Notifier in one notice and moves the view's cursor
// (Webhook.After) past them once the notice is queued. A view's reports
// are sent at least once: a cursor that cannot be recorded after its
// notice was queued sends them again next round.
type Follower struct {
	cfg FollowConfig
}

// NewFollower returns a Follower for cfg.
func NewFollower(cfg FollowConfig) *Follower {
	if cfg.Interval <= 0 {
		cfg.Interval = 15 * time.Second
	}
	if cfg.MaxReports <= 0 {
		cfg.MaxReports = 100
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = 2 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Follower{cfg: cfg}
}

// Run makes a round at once and then every Interval, until ctx ends.
func (f *Follower) Run(ctx context.Context) {
	t := time.NewTicker(f.cfg.Interval)
	defer t.Stop()
	for {
		f.Round(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Round notifies every view with an enabled, signed webhook of its
// pending reports. A view that fails is logged and does not stop the
// others.
func (f *Follower) Round(ctx context.Context) {
	vs, err := f.cfg.Views.FindViews(ctx)
	if err != nil {
		f.cfg.Logger.Warn("webhook views", "err", err)
		return
	}
	for _, v := range vs {
		// The notifier signs every delivery: a webhook without a
		// secret waits until one is set.
		if w := v.Webhook; w == nil || !w.Enabled || w.Secret == "" || ctx.Err() != nil {
			continue
		}
		if err := f.followClaimed(ctx, v); err != nil {
			f.cfg.Logger.Warn("webhook view", "view", v.ID, "err", err)
		}
	}
}

// followClaimed follows v; when servers share the store (Claims) only
// while holding v's lease, and from v as stored now: another server may
// have moved its cursor since the list was read.
func (f *Follower) followClaimed(ctx context.Context, v *geotag.View) error {
	if f.cfg.Claims == nil {
		return f.follow(ctx, v)
	}
	release, ok, err := f.cfg.Claims.Claim(ctx, geotag.ClaimWebhook, v.ID, f.cfg.LeaseTTL)
	if err != nil || !ok {
		return err
	}
	defer release()
	v, err = f.cfg.Views.FindViewByID(ctx, v.ID)
	if geotag.ErrorCode(err) == geotag.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if w := v.Webhook; w == nil || !w.Enabled || w.Secret == "" {
		return nil
	}
	return f.follow(ctx, v)
}

// follow sends one notice of v's pending reports, the oldest first, and
// records the newest sent as v's cursor, unless the webhook was changed
// meanwhile (re-enabled or delivered by another round).
func (f *Follower) follow(ctx context.Context, v *geotag.View) error {
	rs, err := f.pending(ctx, v)
	if err != nil || len(rs) == 0 {
		return err
	}
	w := v.Webhook
	if _, err := f.cfg.Notifier.Notify(ctx, geotag.WebhookNotice{ViewID: v.ID, URL: w.URL, Secret: w.Secret, Reports: rs}); err != nil {
		return err
	}
	since, after, last := w.Since, w.After, rs[len(rs)-1].ID
	_, err = f.cfg.Views.UpdateView(ctx, v.ID, func(v *geotag.View) error {
		if h := v.Webhook; h != nil && h.Since.Equal(since) && h.After == after {
			h.After = last
		}
		return nil
	})
	return err
}

// errEnough stops the walk of pending once a notice is full.
var errEnough = errors.New("enough reports for one notice")

// pending returns at most MaxReports of the reports v's webhook has not
// delivered that match v's filter (ReportFilter.Match), those created
// first, in the order they were created: it reads only the reports
// created since the webhook's cursor, not every match.
func (f *Follower) pending(ctx context.Context, v *geotag.View) ([]*geotag.Report, error) {
	flt, err := f.cfg.Filter(v, f.cfg.Now())
	if err != nil {
		return nil, err
	}
	w := v.Webhook
	var rs []*geotag.Report
	err = f.cfg.Reports.EachReportCreated(ctx, w.After, w.Since, func(r *geotag.Report) error {
		if !w.Pending(r) || !flt.Match(r) {
			return nil
		}
		if rs = append(rs, r); len(rs) == f.cfg.MaxReports {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	return rs, nil
}
