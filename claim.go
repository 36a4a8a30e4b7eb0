package geotag

import (
	"context"
	"time"
)

// What a Claimer's leases are about.
const (
	ClaimFeed    = "feed"    // polling one feed (feed.Poller)
	ClaimWebhook = "webhook" // following one view's webhook (webhook.Follower)
)

// Claimer is a store shared by several servers (the PostgreSQL store) that
// lets one of them at a time work on a thing: poll a feed, follow a
// view's webhook. A store only one process opens (bbolt) needs none.
// Implementations are safe for concurrent use.
type Claimer interface {
	// Claim takes the lease of the thing of kind (ClaimFeed,
	// ClaimWebhook) and id for ttl, unless another server holds one that
	// has not lapsed: ok is false then. The caller calls release when
	// done; a lease of a server that dies lapses after ttl. Returns
	// EINVALID for a ttl that is not positive, EUNAVAILABLE when the
	// store cannot be reached.
	Claim(ctx context.Context, kind, id string, ttl time.Duration) (release func(), ok bool, err error)
}
