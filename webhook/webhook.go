// Package webhook delivers saved views' notices to their receivers: a
// POST of the new reports as a GeoJSON FeatureCollection, signed with
// HMAC-SHA256 of the body under the webhook's secret, retried with a
// doubling delay until the receiver answers 2xx, each attempt recorded in
// the delivery log. It sends through the service's safe outgoing client.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/geotag/geotag"
)

// Headers of a delivery.
const (
	SignatureHeader = "X-Geotag-Signature" // "sha256=" + hex HMAC-SHA256 of the body
	DeliveryHeader  = "X-Geotag-Delivery"  // the delivery's ID, the same on every retry
	EventHeader     = "X-Geotag-Event"     // "reports"
)

// Doer sends HTTP requests: the service's safe outgoing client
// (internal/fetch).
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Config is what a Deliverer needs; Client and Log are required.
type Config struct {
	Client Doer
	Log    geotag.WebhookLog
	// MaxAttempts bounds the attempts of one delivery; 0 means 6.
	MaxAttempts int
	// BaseDelay is the wait before the first retry, doubled for each
	// retry after it; 0 means 30 s.
	BaseDelay time.Duration
	// MaxDelay caps the wait between attempts; 0 means 1 hour.
	MaxDelay time.Duration
	// QueueSize bounds the deliveries waiting (queued or between
	// retries); 0 means 1,000.
	QueueSize int
	// MaxReports bounds the reports of one notice; 0 means 1,000.
	MaxReports int
	Logger     *slog.Logger
	Now        func() time.Time
}

// Deliverer implements geotag.Notifier. Run delivers; Notify queues.
type Deliverer struct {
	cfg   Config
	queue chan *job
	mu    sync.Mutex
	held  int // deliveries queued or waiting for a retry
	wg    sync.WaitGroup
	start time.Time // deliveries logged before it are a previous run's
}

// job is one delivery in flight: the body is encoded once, when the
// notice arrives, and sent as it is on every attempt.
type job struct {
	id     string
	url    string
	secret string
	body   []byte
}

var _ geotag.Notifier = (*Deliverer)(nil)

// New returns a Deliverer for cfg.
func New(cfg Config) *Deliverer {
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 6
	}
	if cfg.BaseDelay <= 0 {
		cfg.BaseDelay = 30 * time.Second
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = time.Hour
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 1000
	}
	if cfg.MaxReports <= 0 {
		cfg.MaxReports = 1000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Deliverer{cfg: cfg, queue: make(chan *job, cfg.QueueSize), start: cfg.Now()}
}

// Notify checks and logs the notice and queues its delivery.
func (d *Deliverer) Notify(ctx context.Context, n geotag.WebhookNotice) (*geotag.WebhookDelivery, error) {
	u, err := url.Parse(n.URL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil:
		return nil, geotag.FieldErrorf(geotag.EINVALID, "url", "a webhook needs an absolute http or https URL without credentials")
	case n.Secret == "":
		return nil, geotag.FieldErrorf(geotag.EINVALID, "secret", "a webhook needs a secret to sign its deliveries")
	case len(n.Reports) == 0:
		return nil, geotag.Errorf(geotag.EINVALID, "a notice needs reports")
	case len(n.Reports) > d.cfg.MaxReports:
		return nil, geotag.Errorf(geotag.EINVALID, "a notice may carry at most %d reports; split it", d.cfg.MaxReports)
	}
	if !d.hold() {
		return nil, geotag.Errorf(geotag.EUNAVAILABLE, "the webhook queue is full (%d deliveries waiting)", d.cfg.QueueSize)
	}
	logged := *u
	logged.RawQuery, logged.Fragment = "", ""
	del := &geotag.WebhookDelivery{ViewID: n.ViewID, URL: logged.String(), State: geotag.DeliveryPending}
	for _, r := range n.Reports {
		del.Reports = append(del.Reports, r.ID)
	}
	if err := d.cfg.Log.AddDelivery(ctx, del); err != nil {
		d.release()
		return nil, err
	}
	j := &job{id: del.ID, url: n.URL, secret: n.Secret, body: Body(n.ViewID, del.ID, d.cfg.Now().UTC(), n.Reports)}
	d.queue <- j // never blocks: hold counted a place
	return del, nil
}

func (d *Deliverer) hold() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.held >= d.cfg.QueueSize {
		return false
	}
	d.held++
	return true
}

func (d *Deliverer) release() {
	d.mu.Lock()
	d.held--
	d.mu.Unlock()
}

// Body is a delivery's body: a GeoJSON FeatureCollection of the reports
// with every attribute (as exports write them), and foreign members naming
// the view, the delivery and when it was made.
func Body(viewID, deliveryID string, at time.Time, rs []*geotag.Report) []byte {
	b := []byte(`{"type":"FeatureCollection","view":`)
	b = fmt.Appendf(b, "%q,\"delivery\":%q,\"created\":%q,\"features\":[", viewID, deliveryID, at.Format(time.RFC3339Nano))
	for i, r := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = geotag.AppendReportFeatureWith(b, r, geotag.FullFeature)
	}
	return append(b, "]}\n"...)
}

// Sign is the signature header's value for body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is body's signature under secret,
// comparing in constant time: what a receiver does.
func Verify(secret string, body []byte, header string) bool {
	return hmac.Equal([]byte(header), []byte(Sign(secret, body)))
}

// Run delivers queued notices until ctx ends. Deliveries still waiting
// then are logged as failed ("the service stopped"): their bodies live in
// memory only.
func (d *Deliverer) Run(ctx context.Context) {
	d.abandonOld(ctx)
	defer d.wg.Wait()
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-d.queue:
			d.wg.Add(1)
			go func() {
				defer d.wg.Done()
				defer d.release()
				d.deliver(ctx, j)
			}()
		}
	}
}

// abandonOld logs the deliveries a previous run left pending as failed.
func (d *Deliverer) abandonOld(ctx context.Context) {
	old, err := d.cfg.Log.ListDeliveries(ctx, "", geotag.DeliveryPending, 1000)
	if err != nil {
		return
	}
	for _, o := range old {
		if !o.Created.Before(d.start) {
			continue
		}
		d.cfg.Log.UpdateDelivery(ctx, o.ID, func(x *geotag.WebhookDelivery) error {
			x.State, x.LastError, x.NextAttempt = geotag.DeliveryFailed, "the service restarted before the delivery succeeded", nil
			return nil
		})
	}
}

// deliver makes the attempts of one delivery, waiting between them.
func (d *Deliverer) deliver(ctx context.Context, j *job) {
	for attempt := 1; ; attempt++ {
		status, err := d.attempt(ctx, j)
		now := d.cfg.Now().UTC()
		done := err == nil
		last := attempt >= d.cfg.MaxAttempts || ctx.Err() != nil
		wait := min(d.cfg.BaseDelay<<(attempt-1), d.cfg.MaxDelay)
		d.cfg.Log.UpdateDelivery(context.WithoutCancel(ctx), j.id, func(x *geotag.WebhookDelivery) error {
			x.Attempts, x.LastStatus, x.LastAttempt, x.NextAttempt = attempt, status, &now, nil
			x.LastError = ""
			switch {
			case done:
				x.State = geotag.DeliveryDelivered
			case last:
				x.State, x.LastError = geotag.DeliveryFailed, geotag.ErrorMessage(err)
				if ctx.Err() != nil {
					x.LastError = "the service stopped before the delivery succeeded"
				}
			default:
				next := now.Add(wait)
				x.LastError, x.NextAttempt = geotag.ErrorMessage(err), &next
			}
			return nil
		})
		if done || last {
			if !done {
				d.cfg.Logger.Warn("webhook delivery failed", "delivery", j.id, "attempts", attempt, "err", err)
			}
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

// attempt POSTs the body once; nil error for a 2xx answer.
func (d *Deliverer) attempt(ctx context.Context, j *job) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.url, bytes.NewReader(j.body))
	if err != nil {
		return 0, geotag.Errorf(geotag.EINVALID, "not a URL")
	}
	req.Header.Set("Content-Type", "application/geo+json")
	req.Header.Set(SignatureHeader, Sign(j.secret, j.body))
	req.Header.Set(DeliveryHeader, j.id)
	req.Header.Set(EventHeader, "reports")
	resp, err := d.cfg.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, geotag.Errorf(geotag.EUNPROCESSABLE, "the receiver answered HTTP %d %s", resp.StatusCode, strings.TrimSpace(http.StatusText(resp.StatusCode)))
	}
	return resp.StatusCode, nil
}
