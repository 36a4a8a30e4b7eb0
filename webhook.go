package geotag

import (
	"context"
	"time"
)

// WebhookNotice is one notification of a saved view's webhook: the new
// reports that match the view, to POST to URL as a GeoJSON
// FeatureCollection signed with Secret (HMAC-SHA256). The saved view
// decides which reports are new; the notifier only delivers.
type WebhookNotice struct {
	ViewID  string
	URL     string
	Secret  string
	Reports []*Report
}

// Delivery states.
const (
	DeliveryPending   = "pending"   // queued or waiting for a retry
	DeliveryDelivered = "delivered" // the receiver answered 2xx
	DeliveryFailed    = "failed"    // every attempt failed, or the service restarted before one succeeded
)

// WebhookDelivery is one entry of the delivery log: a notice, its
// attempts and its outcome. The URL is logged without its query (which
// may hold a receiver's key); the secret never is.
type WebhookDelivery struct {
	ID          string     `json:"id"`
	ViewID      string     `json:"view_id"`
	URL         string     `json:"url"`
	Reports     []string   `json:"reports"` // the report IDs sent
	State       string     `json:"state"`
	Attempts    int        `json:"attempts"`
	LastStatus  int        `json:"last_status,omitempty"` // the receiver's last HTTP status
	LastError   string     `json:"last_error,omitempty"`
	Created     time.Time  `json:"created"`
	LastAttempt *time.Time `json:"last_attempt,omitempty"`
	NextAttempt *time.Time `json:"next_attempt,omitempty"`
}

// Notifier delivers webhook notices. Implementations are safe for
// concurrent use.
type Notifier interface {
	// Notify logs the notice (a pending delivery) and queues it, returning
	// the delivery without waiting for it; the notifier POSTs it and
	// retries with a growing delay until the receiver answers 2xx or the
	// attempts run out, logging each attempt. Returns EINVALID for a URL
	// that is not http(s), an empty secret or no reports, and EUNAVAILABLE
	// when the queue is full (the notice is then not logged).
	Notify(ctx context.Context, n WebhookNotice) (*WebhookDelivery, error)
}

// WebhookLog stores the delivery log. Implementations are safe for
// concurrent use.
type WebhookLog interface {
	// AddDelivery assigns d an ID and Created and stores it; the log keeps
	// a bounded number of the newest deliveries, dropping the oldest.
	AddDelivery(ctx context.Context, d *WebhookDelivery) error

	// UpdateDelivery loads the delivery, calls fn on it and stores it in
	// one transaction. Returns ENOTFOUND if no delivery has the id (or it
	// was dropped), or fn's error, in which case nothing is stored.
	UpdateDelivery(ctx context.Context, id string, fn func(*WebhookDelivery) error) (*WebhookDelivery, error)

	// ListDeliveries returns at most limit deliveries, newest first: those
	// of the view, or of every view when viewID is "", and only those in
	// the state when state is not "". Returns EINVALID for a limit
	// outside 1…1000.
	ListDeliveries(ctx context.Context, viewID, state string, limit int) ([]*WebhookDelivery, error)
}
