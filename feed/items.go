package feed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/geotag/geotag"
)

// result is what one poll of a feed did.
type result struct {
	err                error // the fetch or the feed failed
	notModified        bool
	title              string
	etag, lastModified string
	stored, updated    int
	itemErrors         int
	itemErr            error // the first item's error
}

// accept lists the feed types, then anything (some servers send RSS as
// text/html).
const accept = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"

// fetchAndStore fetches f with a conditional GET and stores its items.
func (p *Poller) fetchAndStore(ctx context.Context, f *geotag.Feed) result {
	var res result
	base, err := url.Parse(f.URL)
	if err != nil {
		res.err = geotag.FieldErrorf(geotag.EINVALID, "url", "not a URL")
		return res
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		res.err = geotag.FieldErrorf(geotag.EINVALID, "url", "not a URL")
		return res
	}
	req.Header.Set("Accept", accept)
	if f.Status.ETag != "" {
		req.Header.Set("If-None-Match", f.Status.ETag)
	}
	if f.Status.LastModified != "" {
		req.Header.Set("If-Modified-Since", f.Status.LastModified)
	}
	resp, err := p.cfg.Client.Do(req)
	if err != nil {
		res.err = err
		return res
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		res.notModified = true
		return res
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		res.err = geotag.Errorf(geotag.EUNPROCESSABLE, "the feed answered HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
		return res
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		res.err = err
		return res
	}
	if resp.Request != nil && resp.Request.URL != nil {
		base = resp.Request.URL // links are relative to where redirects led
	}
	title, items, err := Parse(body, base)
	if err != nil {
		res.err = err
		return res
	}
	res.title, res.etag, res.lastModified = title, resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	p.storeItems(ctx, f, items, &res)
	if ctx.Err() != nil { // cut short: the next poll reads the feed whole
		res.err = geotag.Errorf(geotag.EUNPROCESSABLE, "the poll took longer than %v and was cut short; %d new items stored", p.cfg.PollTimeout, res.stored)
	}
	return res
}

// storeItems makes the new items reports and revises the reports of the
// changed ones, oldest item first. Items already stored and unchanged
// cost one lookup each, all in one read.
func (p *Poller) storeItems(ctx context.Context, f *geotag.Feed, items []geotag.FeedItem, res *result) {
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.Key()
	}
	seen, err := p.cfg.Feeds.FeedItems(ctx, f.ID, keys)
	if err != nil {
		res.err = err
		return
	}
	done := make(map[string]bool, len(items)) // a key twice in one document: the first wins
	for i := len(items) - 1; i >= 0 && ctx.Err() == nil; i-- {
		it, key := items[i], keys[i]
		if done[key] {
			continue
		}
		done[key] = true
		h := it.Hash()
		st, ok := seen[key]
		if ok && st.Hash == h {
			continue
		}
		var err error
		var n int
		if ok {
			n, err = p.revise(ctx, f, it, key, h, st)
			res.updated += n
		} else {
			n, err = p.create(ctx, f, it, key, h)
			res.stored += n
		}
		if err != nil {
			res.itemErrors++
			if res.itemErr == nil {
				res.itemErr = fmt.Errorf("%s: %w", key[2:], err)
			}
			if ctx.Err() != nil {
				return
			}
		}
	}
}

// who names the feed in the reports' revisions.
func who(f *geotag.Feed) string { return "feed " + f.ID }

// tag tags text with the feed's bias, the feed and the item's source
// (for desk rules scoped to either), within the report limits, before
// any transaction.
func (p *Poller) tag(ctx context.Context, f *geotag.Feed, text, source string) ([]geotag.Mention, error) {
	opt := f.TagOptions()
	opt.Source = source
	l := p.cfg.Limits.OrDefault()
	if l.MaxMentions > 0 {
		opt.MaxMentions = l.MaxMentions
	}
	if l.MaxAlternatives > 0 {
		opt.MaxAlternatives = l.MaxAlternatives
	}
	return p.cfg.Tagger.Tag(ctx, text, opt)
}

// create stores a new item as a report and records its state; 1 when a
// report was made. A report with its external id already stored (made
// before a restart cut the poll short, or from another feed) is not made
// again: the item's state then names it.
func (p *Poller) create(ctx context.Context, f *geotag.Feed, it geotag.FeedItem, key, hash string) (int, error) {
	now := p.cfg.Now().UTC()
	r := it.NewReport(f, now)
	if err := p.cfg.Limits.OrDefault().CheckInput(r); err != nil {
		return 0, err
	}
	ms, err := p.tag(ctx, f, r.Text, r.Source)
	if err != nil {
		return 0, err
	}
	if _, err := (geotag.Placement{Tagged: ms, Tagger: p.cfg.Tagger.Version(), At: now}).Place(r); err != nil {
		return 0, err
	}
	r.History = []geotag.Revision{{At: now, By: who(f), Action: "create", Mention: -1, AfterLocation: r.Location}}
	n := 1
	err = p.cfg.Reports.CreateReport(ctx, r)
	if geotag.ErrorCode(err) == geotag.ECONFLICT && r.ID != "" {
		n, err = 0, nil
	}
	if err != nil {
		return 0, err
	}
	return n, p.cfg.Feeds.PutFeedItem(ctx, f.ID, key, geotag.FeedItemState{ReportID: r.ID, Hash: hash, Updated: r.Updated})
}

// revise rewrites the report of an edited item (an edit revision), unless
// a person changed the report since the feed last wrote it or deleted it:
// then the item's new hash is recorded and the report left alone. 1 when
// a report was revised.
func (p *Poller) revise(ctx context.Context, f *geotag.Feed, it geotag.FeedItem, key, hash string, st geotag.FeedItemState) (int, error) {
	now := p.cfg.Now().UTC()
	var draft geotag.Report
	it.Fill(&draft, now)
	if err := p.cfg.Limits.OrDefault().CheckInput(&draft); err != nil {
		return 0, err
	}
	ms, err := p.tag(ctx, f, draft.Text, draft.Source)
	if err != nil {
		return 0, err
	}
	r, err := p.cfg.Reports.UpdateReport(ctx, st.ReportID, func(r *geotag.Report) error {
		if !r.Updated.Equal(st.Updated) {
			return errSkip
		}
		return geotag.ReviseFromFeed(r, it, ms, p.cfg.Tagger.Version(), who(f), now)
	})
	n := 1
	switch {
	case errors.Is(err, errSkip), geotag.ErrorCode(err) == geotag.ENOTFOUND:
		n, err = 0, nil
		st.Hash = hash
	case err == nil:
		st = geotag.FeedItemState{ReportID: r.ID, Hash: hash, Updated: r.Updated}
		if p.cfg.Incidents != nil {
			d := geotag.IncidentDesk{Reports: p.cfg.Reports, Incidents: p.cfg.Incidents, Now: p.cfg.Now, Limits: p.cfg.IncidentLimits}
			if ierr := d.SourceEdited(ctx, r.ID, who(f)); ierr != nil {
				p.cfg.Logger.Warn("incident of a revised feed item's report", "report", r.ID, "err", ierr)
			}
		}
	}
	if err != nil {
		return 0, err
	}
	return n, p.cfg.Feeds.PutFeedItem(ctx, f.ID, key, st)
}
