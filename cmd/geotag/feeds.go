package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/feed"
	"github.com/geotag/geotag/store"
)

const feedsUsage = `Usage:

	geotag feeds add    --data DIR | --store postgres://… [--interval 5m] [--country CC,CC] [--bbox W,S,E,N] [--tags a,b] URL
	geotag feeds list   --data DIR | --store postgres://…
	geotag feeds remove --data DIR | --store postgres://… ID

The service polls each feed (RSS 2.0, Atom or JSON Feed) every interval and
makes each new item a tagged report. The bbolt store is locked while "geotag
serve" runs on it: stop the service (or wait for the lock with --wait), or
manage feeds through the running service; a PostgreSQL store (--store or
$GEOTAG_STORE) is managed while servers run:

	curl -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	     -d '{"url":"https://example.org/rss","interval":"10m"}' http://localhost:8080/api/v1/feeds
`

// runFeeds manages the feeds in a data directory.
func runFeeds(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub, fs, err := subcommand("feeds", feedsUsage, args, stderr)
	if err != nil {
		return err
	}
	data := fs.String("data", "geotag-data", "data `DIR`ectory of the service")
	wait := fs.Duration("wait", time.Second, "how long to wait for the store's lock")
	interval := fs.String("interval", "5m", "add: how often to poll the feed")
	minInterval := fs.Duration("min-interval", geotag.DefaultFeedMinInterval, "add: the shortest interval allowed (serve's --feed-min-interval)")
	country := fs.String("country", "", "add: tagging bias, ISO country codes, comma-separated")
	bbox := fs.String("bbox", "", "add: tagging bias, W,S,E,N")
	tags := fs.String("tags", "", "add: tags of every report from the feed, comma-separated")
	storeURL := storeFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	chooseStore(fs, storeURL)
	db, err := openFeedStore(ctx, *data, *storeURL, *wait, sub == "add")
	if err != nil {
		return err
	}
	defer db.Close()
	feeds := feed.New(feed.Config{Feeds: db, MinInterval: *minInterval}) // validates; polls nothing here

	switch sub {
	case "add":
		if fs.NArg() != 1 {
			return errors.New("feeds add takes one URL")
		}
		iv, err := geotag.ParseInterval(*interval)
		if err != nil {
			return err
		}
		f := &geotag.Feed{URL: fs.Arg(0), Interval: iv, Country: *country, BBox: *bbox, Tags: splitList(*tags)}
		if err := feeds.CreateFeed(ctx, f); err != nil {
			return err
		}
		fmt.Fprintln(stdout, f.ID)
		fmt.Fprintf(stderr, "geotag: added feed %s (%s, every %v); the service polls it when it next runs\n", f.ID, f.URL, f.Interval)
		return nil
	case "list":
		fl, err := feeds.ListFeeds(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tURL\tEVERY\tSTORED\tLAST FETCH\tLAST ERROR")
		for _, f := range fl {
			last := "never"
			if f.Status.LastFetch != nil {
				last = f.Status.LastFetch.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%v\t%d\t%s\t%s\n", f.ID, f.URL, f.Interval, f.Status.ItemsStored, last, f.Status.LastError)
		}
		return tw.Flush()
	case "remove":
		if fs.NArg() != 1 {
			return errors.New("feeds remove takes one feed ID")
		}
		if err := feeds.DeleteFeed(ctx, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "geotag: removed feed %s (its reports stay)\n", fs.Arg(0))
		return nil
	}
	fmt.Fprint(stderr, feedsUsage)
	return fmt.Errorf("unknown feeds command %q", sub)
}

// splitList splits a comma-separated flag, dropping empty items.
func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// feedStore is a store's FeedService, to close after use.
type feedStore interface {
	geotag.FeedService
	Close() error
}

// openFeedStore opens the PostgreSQL store at storeURL or else the bbolt
// store in data (made first when create).
func openFeedStore(ctx context.Context, data, storeURL string, wait time.Duration, create bool) (feedStore, error) {
	if storeURL != "" {
		return openPostgres(ctx, storeURL, geotag.ReportLimits{})
	}
	if create {
		if err := os.MkdirAll(data, 0o755); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
	}
	return store.Open(filepath.Join(data, "geotag.db"), &store.Options{Timeout: wait})
}
