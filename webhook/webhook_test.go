package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// memLog is an in-memory delivery log.
type memLog struct {
	mu sync.Mutex
	n  int
	ds []*geotag.WebhookDelivery
}

func (l *memLog) AddDelivery(ctx context.Context, d *geotag.WebhookDelivery) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	d.ID, d.Created = fmt.Sprintf("d%03d", l.n), time.Now().UTC()
	c := *d
	l.ds = append(l.ds, &c)
	return nil
}

func (l *memLog) UpdateDelivery(ctx context.Context, id string, fn func(*geotag.WebhookDelivery) error) (*geotag.WebhookDelivery, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, d := range l.ds {
		if d.ID == id {
			c := *d
			if err := fn(&c); err != nil {
				return nil, err
			}
			l.ds[i] = &c
			return &c, nil
		}
	}
	return nil, geotag.Errorf(geotag.ENOTFOUND, "no delivery")
}

func (l *memLog) ListDeliveries(ctx context.Context, viewID, state string, limit int) ([]*geotag.WebhookDelivery, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []*geotag.WebhookDelivery
	for i := len(l.ds) - 1; i >= 0 && len(out) < limit; i-- {
		if d := l.ds[i]; (viewID == "" || d.ViewID == viewID) && (state == "" || d.State == state) {
			c := *d
			out = append(out, &c)
		}
	}
	return out, nil
}

func (l *memLog) get(id string) geotag.WebhookDelivery {
	ds, _ := l.ListDeliveries(context.Background(), "", "", 1000)
	for _, d := range ds {
		if d.ID == id {
			return *d
		}
	}
	return geotag.WebhookDelivery{}
}

var reports = []*geotag.Report{
	{ID: "r1", Title: "Shelling in Aleppo", Text: "Shelling in Aleppo.", Time: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC),
		Location: &geotag.Location{Lat: 36.2, Lon: 37.16, Precision: 1, Name: "Aleppo", Mention: -1}},
	{ID: "r2", Title: "Protest", Text: "No place.", Time: time.Date(2024, 3, 2, 10, 0, 0, 0, time.UTC)},
}

// A receiver that fails twice then succeeds gets the same signed body
// three times; the log says delivered after 3 attempts.
func TestDeliveryRetriedUntilReceived(t *testing.T) {
	type got struct {
		body    []byte
		sig, id string
		ctype   string
	}
	var mu sync.Mutex
	var hits []got
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		hits = append(hits, got{b, r.Header.Get(SignatureHeader), r.Header.Get(DeliveryHeader), r.Header.Get("Content-Type")})
		n := len(hits)
		mu.Unlock()
		if n <= 2 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	}))
	defer recv.Close()
	log := &memLog{}
	d := New(Config{Client: &http.Client{Timeout: 5 * time.Second}, Log: log, BaseDelay: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	del, err := d.Notify(context.Background(), geotag.WebhookNotice{ViewID: "v1", URL: recv.URL + "/hook?key=abc", Secret: "s3cret", Reports: reports})
	if err != nil {
		t.Fatal(err)
	}
	if del.State != geotag.DeliveryPending || del.URL != recv.URL+"/hook" || len(del.Reports) != 2 {
		t.Fatalf("logged %+v (the query must not be logged)", del)
	}
	for deadline := time.Now().Add(10 * time.Second); log.get(del.ID).State == geotag.DeliveryPending; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still pending: %+v", log.get(del.ID))
		}
	}
	final := log.get(del.ID)
	if final.State != geotag.DeliveryDelivered || final.Attempts != 3 || final.LastStatus != 200 || final.LastError != "" || final.NextAttempt != nil {
		t.Fatalf("log %+v", final)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hits) != 3 {
		t.Fatalf("%d attempts", len(hits))
	}
	for _, h := range hits {
		if string(h.body) != string(hits[0].body) || h.id != del.ID || h.ctype != "application/geo+json" || !Verify("s3cret", h.body, h.sig) || Verify("other", h.body, h.sig) {
			t.Fatalf("attempt %+v", h)
		}
	}
	var fc struct {
		Type, View, Delivery string
		Features             []struct {
			ID       string
			Geometry *struct{ Coordinates []float64 }
		}
	}
	if err := json.Unmarshal(hits[0].body, &fc); err != nil || fc.Type != "FeatureCollection" || fc.View != "v1" || fc.Delivery != del.ID ||
		len(fc.Features) != 2 || fc.Features[0].ID != "r1" || fc.Features[0].Geometry.Coordinates[0] != 37.16 || fc.Features[1].Geometry != nil {
		t.Fatalf("body %s: %v", hits[0].body, err)
	}
}

func TestDeliveryGivesUp(t *testing.T) {
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusInternalServerError) }))
	defer recv.Close()
	log := &memLog{}
	d := New(Config{Client: &http.Client{Timeout: 5 * time.Second}, Log: log, BaseDelay: time.Millisecond, MaxAttempts: 3, QueueSize: 1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	del, err := d.Notify(ctx, geotag.WebhookNotice{ViewID: "v", URL: recv.URL, Secret: "s", Reports: reports})
	if err != nil {
		t.Fatal(err)
	}
	// The queue holds one: a second notice is refused until it is done.
	if _, err := d.Notify(ctx, geotag.WebhookNotice{ViewID: "v", URL: recv.URL, Secret: "s", Reports: reports}); geotag.ErrorCode(err) != geotag.EUNAVAILABLE {
		t.Fatalf("over the queue: %v", err)
	}
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	for deadline := time.Now().Add(10 * time.Second); log.get(del.ID).State == geotag.DeliveryPending; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("still pending")
		}
	}
	if f := log.get(del.ID); f.State != geotag.DeliveryFailed || f.Attempts != 3 || f.LastStatus != 500 || f.LastError == "" {
		t.Fatalf("log %+v", f)
	}
	cancel()
	<-done
	for _, n := range []geotag.WebhookNotice{
		{URL: "ftp://x", Secret: "s", Reports: reports},
		{URL: recv.URL, Reports: reports},
		{URL: recv.URL, Secret: "s"},
	} {
		if _, err := d.Notify(context.Background(), n); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("%+v: %v", n, err)
		}
	}
}

// Deliveries a previous run left pending are logged as failed at start.
func TestPendingFromBeforeARestart(t *testing.T) {
	log := &memLog{}
	old := &geotag.WebhookDelivery{ViewID: "v", State: geotag.DeliveryPending}
	log.AddDelivery(context.Background(), old)
	time.Sleep(time.Millisecond)
	d := New(Config{Client: http.DefaultClient, Log: log})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	for deadline := time.Now().Add(5 * time.Second); log.get(old.ID).State == geotag.DeliveryPending; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("still pending")
		}
	}
	cancel()
	<-done
}
