package geotag

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// View limits.
const (
	DefaultMaxViews   = 1000 // views a service stores
	MaxViewNameRunes  = 200
	MaxViewQueryBytes = 4096
	MaxWebhookURL     = 2048
	MaxWebhookSecret  = 256
)

// View is a saved view of the map: a name and a query in the filter
// language of GET /api/v1/reports and the map page's address
// ("bbox=35.9,36.1,37.3,36.3&tag=aleppo&since=7d"). The query is stored in
// the canonical form the server writes after checking it (sorted keys,
// only filter parameters); since=24h|7d|30d (or any Nh / Nd) is a rolling
// window that ends when the view is read. Webhook, when set, asks for the
// view's new reports to be delivered (see Webhook); nil for none.
type View struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Query   string    `json:"query"`
	By      string    `json:"by,omitempty"` // the token that saved it
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	Webhook *Webhook  `json:"webhook,omitempty"`
}

// Webhook is where a view's new reports go: a POST to URL of the reports
// that match the view and were created after the last delivery, signed
// with an HMAC of Secret when it is set. Enabled turns delivery on and
// off without losing the address. After is the delivery cursor, set by
// the deliverer only (the API neither takes nor shows a change to it):
// the ID of the newest report delivered; report IDs sort by creation, so
// the reports to deliver are the view's matches with a greater ID ("" when
// nothing was delivered yet: the reports created from Since on). Since is
// when the webhook was set or re-enabled; Delivered when a delivery last
// succeeded. The secret is stored as given (an HMAC needs the key itself)
// and never answered: SecretSet says there is one.
type Webhook struct {
	URL       string    `json:"url"`
	Secret    string    `json:"-"`
	SecretSet bool      `json:"secret_set"`
	Enabled   bool      `json:"enabled"`
	Since     time.Time `json:"since"`
	After     string    `json:"after,omitempty"`
	Delivered time.Time `json:"delivered,omitzero"`
}

// Validate checks a view's name, the size of its query and its webhook.
// The query's filter parameters are checked by the server, which owns the
// filter language.
func (v *View) Validate() error {
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" {
		return FieldErrorf(EINVALID, "name", "a view needs a name")
	}
	if utf8.RuneCountInString(v.Name) > MaxViewNameRunes {
		return FieldErrorf(EINVALID, "name", "a view's name is at most %d characters", MaxViewNameRunes)
	}
	if len(v.Query) > MaxViewQueryBytes {
		return FieldErrorf(EINVALID, "query", "a view's query is at most %d bytes", MaxViewQueryBytes)
	}
	if w := v.Webhook; w != nil {
		u, err := url.Parse(w.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(w.URL) > MaxWebhookURL || u.User != nil {
			return FieldErrorf(EINVALID, "webhook.url", "a webhook URL is an http or https URL without credentials, at most %d bytes", MaxWebhookURL)
		}
		if len(w.Secret) > MaxWebhookSecret {
			return FieldErrorf(EINVALID, "webhook.secret", "a webhook secret is at most %d bytes", MaxWebhookSecret)
		}
		w.SecretSet = w.Secret != ""
	}
	return nil
}

// ViewService stores saved views. Implementations are safe for concurrent
// use.
type ViewService interface {
	// CreateView assigns v an ID, Created and Updated, and stores it.
	// Returns EINVALID if v fails Validate, EUNPROCESSABLE when the
	// service holds its maximum number of views already.
	CreateView(ctx context.Context, v *View) error

	// FindViewByID returns ENOTFOUND if no view has the id.
	FindViewByID(ctx context.Context, id string) (*View, error)

	// FindViews returns every view, oldest first (at most the service's
	// maximum, so the list is bounded).
	FindViews(ctx context.Context) ([]*View, error)

	// UpdateView loads the view, calls fn on it, checks the result
	// (Validate) and stores it with a new Updated in one transaction.
	// Returns ENOTFOUND if no view has the id, fn's error or EINVALID, in
	// which case nothing is stored.
	UpdateView(ctx context.Context, id string, fn func(*View) error) (*View, error)

	// DeleteView returns ENOTFOUND if no view has the id.
	DeleteView(ctx context.Context, id string) error
}

// Pending reports whether r is one the webhook has not delivered yet: a
// report created after the last one delivered (After; IDs sort by
// creation), or, before any delivery, created at or after Since. The
// follower (webhook.Follower) asks the view's filter (server.ViewFilter)
// for the matches and sends those Pending, then sets After to the newest
// ID sent.
func (w *Webhook) Pending(r *Report) bool {
	if w.After != "" {
		return r.ID > w.After
	}
	return !r.Created.Before(w.Since)
}
