package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/internal/fetch"
)

// outgoingFlags are serve's flags for the requests the service makes
// itself (feeds, article pages, webhooks), for the feed poller and for
// the webhooks of saved views.
type outgoingFlags struct {
	allowHosts      string
	maxBytes        int64
	timeout         time.Duration
	feedMinInterval time.Duration
	maxFeeds        int
	feedFetches     int
	articleFetches  int
	webhookEvery    time.Duration
}

func (o *outgoingFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&o.allowHosts, "allow-fetch-hosts", "", "comma-separated host `NAMES`, addresses and CIDRs the service may fetch feeds and pages from although they are loopback, private or link-local (none by default)")
	fs.Int64Var(&o.maxBytes, "max-fetch-bytes", fetch.DefaultMaxBytes, "largest feed or page the service fetches, in `BYTES`")
	fs.DurationVar(&o.timeout, "fetch-timeout", fetch.DefaultTimeout, "longest a fetch of a feed or page may take, redirects and body included")
	fs.DurationVar(&o.feedMinInterval, "feed-min-interval", geotag.DefaultFeedMinInterval, "shortest polling interval a feed may have")
	fs.IntVar(&o.maxFeeds, "max-feeds", 1000, "most feeds the service polls")
	fs.IntVar(&o.feedFetches, "feed-fetches", 4, "feeds fetched (and their items tagged) at once")
	fs.IntVar(&o.articleFetches, "article-extractions", 2, "pages POST /api/v1/fetch extracts at once, and pages POST /api/v1/split fetches and reads at once (others wait, up to 45 s)")
	fs.DurationVar(&o.webhookEvery, "webhook-interval", 15*time.Second, "how often saved views with a webhook are checked for new reports to send")
}

// client returns the safe outgoing client the flags describe.
func (o *outgoingFlags) client() (*fetch.Client, error) {
	allow, err := fetch.ParseAllow(o.allowHosts)
	if err != nil {
		return nil, fmt.Errorf("--allow-fetch-hosts: %w", err)
	}
	if o.maxBytes <= 0 || o.timeout <= 0 || o.feedMinInterval <= 0 || o.maxFeeds <= 0 || o.feedFetches <= 0 || o.articleFetches <= 0 || o.webhookEvery <= 0 {
		return nil, fmt.Errorf("--max-fetch-bytes, --fetch-timeout, --feed-min-interval, --max-feeds, --feed-fetches, --article-extractions and --webhook-interval must be positive")
	}
	return fetch.New(fetch.Options{Allow: allow, MaxBytes: o.maxBytes, Timeout: o.timeout}), nil
}
