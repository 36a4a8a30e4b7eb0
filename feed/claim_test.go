package feed

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// fakeClaims holds leases for "another server": the ids in held are
// refused; claims counts the leases taken and released the releases.
type fakeClaims struct {
	mu       sync.Mutex
	held     map[string]bool
	claims   int
	released int
}

func (c *fakeClaims) Claim(ctx context.Context, kind, id string, ttl time.Duration) (func(), bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if kind != geotag.ClaimFeed || ttl <= 0 {
		return nil, false, geotag.Errorf(geotag.EINVALID, "kind %q, ttl %v", kind, ttl)
	}
	if c.held[id] {
		return nil, false, nil
	}
	c.claims++
	return func() { c.mu.Lock(); c.released++; c.mu.Unlock() }, true, nil
}

// TestPollClaimed: with a Claimer, a feed whose lease another server holds
// is not fetched; a free one is fetched under its lease, released after;
// and one another server polled since the list (due later now) is not
// fetched again.
func TestPollClaimed(t *testing.T) {
	srv := &feedServer{body: jsonDoc, ctype: "application/feed+json"}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	e := newEnv(t, nil)
	claims := &fakeClaims{held: map[string]bool{}}
	e.p.cfg.Claims = claims
	ctx := context.Background()
	f := e.add(t, geotag.Feed{URL: ts.URL, Interval: geotag.Interval(time.Hour)})

	claims.held[f.ID] = true
	if polled := e.p.pollClaimed(ctx, f); polled || len(e.reports.all()) != 0 {
		t.Fatalf("a feed held elsewhere: polled %v, %d reports", polled, len(e.reports.all()))
	}
	claims.held[f.ID] = false
	if polled := e.p.pollClaimed(ctx, f); !polled || len(e.reports.all()) == 0 || claims.released != 1 {
		t.Fatalf("a free feed: polled %v, %d reports, %d releases", polled, len(e.reports.all()), claims.released)
	}
	got, _ := e.feeds.FindFeedByID(ctx, f.ID)
	if !got.Status.NextFetch.After(e.now) {
		t.Fatalf("next fetch %v, not after now %v", got.Status.NextFetch, e.now)
	}
	hits := srv.hits.Load()
	e.p.pollClaimed(ctx, f) // f as listed before the poll: due
	if srv.hits.Load() != hits {
		t.Fatal("a feed polled since the list was fetched again")
	}
}
