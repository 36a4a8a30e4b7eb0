package webhook

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// countNotifier counts the notices of each report.
type countNotifier struct {
	mu   sync.Mutex
	sent map[string]int
}

func (n *countNotifier) Notify(ctx context.Context, nt geotag.WebhookNotice) (*geotag.WebhookDelivery, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, r := range nt.Reports {
		n.sent[r.ID]++
	}
	return &geotag.WebhookDelivery{ViewID: nt.ViewID}, nil
}

// heldClaims refuses the leases of the ids in held ("another server"
// holds them) and, when it grants one, runs before first (another
// server's round that finished just before the lease was taken).
type heldClaims struct {
	held   map[string]bool
	before func()
}

func (c *heldClaims) Claim(ctx context.Context, kind, id string, ttl time.Duration) (func(), bool, error) {
	if kind != geotag.ClaimWebhook || ttl <= 0 {
		return nil, false, geotag.Errorf(geotag.EINVALID, "kind %q, ttl %v", kind, ttl)
	}
	if c.held[id] {
		return nil, false, nil
	}
	if c.before != nil {
		c.before()
	}
	return func() {}, true, nil
}

// TestFollowerClaims: with a Claimer, a view whose lease another server
// holds is not followed; a view is followed from its cursor as stored
// when the lease is taken, not as listed, so the reports another server
// sent meanwhile are not sent again.
func TestFollowerClaims(t *testing.T) {
	ctx := context.Background()
	since := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	reports := &memReports{}
	views := &memViews{}
	views.CreateView(ctx, &geotag.View{Name: "w", Query: "tag=watch", Webhook: &geotag.Webhook{URL: "https://h.example/", Secret: "s", Enabled: true, Since: since}})
	a := reports.add(since, "watch")
	n := &countNotifier{sent: map[string]int{}}
	claims := &heldClaims{held: map[string]bool{"v1": true}}
	f := NewFollower(FollowConfig{Views: views, Reports: reports, Notifier: n, Filter: tagFilter, Claims: claims})

	f.Round(ctx)
	if len(n.sent) != 0 {
		t.Fatalf("a view held elsewhere was followed: %v", n.sent)
	}
	// Another server sends a once the lease is free, just before this
	// one takes it: this one reads the moved cursor and sends only b.
	claims.held["v1"] = false
	b := reports.add(since.Add(time.Minute), "watch")
	claims.before = func() {
		views.UpdateView(ctx, "v1", func(v *geotag.View) error { v.Webhook.After = a.ID; return nil })
		claims.before = nil
	}
	f.Round(ctx)
	if n.sent[a.ID] != 0 || n.sent[b.ID] != 1 {
		t.Fatalf("sent %v, want only %s once", n.sent, b.ID)
	}
	if v, _ := views.FindViewByID(ctx, "v1"); v.Webhook.After != b.ID {
		t.Fatalf("cursor %q, want %q", v.Webhook.After, b.ID)
	}
}
