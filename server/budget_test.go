package server

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestBudget(t *testing.T) {
	b := newBudget(10)
	ctx := context.Background()
	if !b.acquire(ctx, 6, 0) || !b.acquire(ctx, 4, 0) {
		t.Fatal("the budget's units were not granted")
	}
	if b.acquire(ctx, 1, 10*time.Millisecond) {
		t.Fatal("a unit beyond the budget was granted")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if b.acquire(cctx, 1, time.Hour) {
		t.Fatal("granted after the context ended")
	}
	// Waiters are served in order: a large one first, then a small one
	// that arrived later, even though the small one would fit earlier.
	got := make(chan int, 2)
	waiters := func(want int) { // until want acquires wait
		for {
			b.mu.Lock()
			n := len(b.waiters)
			b.mu.Unlock()
			if n == want {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
	go func() {
		if b.acquire(ctx, 8, time.Minute) {
			got <- 8
		}
	}()
	waiters(1)
	go func() {
		if b.acquire(ctx, 2, time.Minute) {
			got <- 2
		}
	}()
	waiters(2)
	b.release(4) // 4 free: the first waiter wants 8, so nobody goes
	select {
	case n := <-got:
		t.Fatalf("waiter %d went before the one ahead of it", n)
	case <-time.After(20 * time.Millisecond):
	}
	b.release(4) // 8 free: the first waiter goes, the second still waits
	if n := <-got; n != 8 {
		t.Fatalf("granted %d, want 8", n)
	}
	select {
	case n := <-got:
		t.Fatalf("waiter %d went without free units", n)
	case <-time.After(20 * time.Millisecond):
	}
	b.release(2)
	if n := <-got; n != 2 {
		t.Fatalf("granted %d, want 2", n)
	}
	b.release(8)
	b.release(2)
	if b.free != 10 || len(b.waiters) != 0 {
		t.Fatalf("free %d, %d waiters after all came back", b.free, len(b.waiters))
	}
	// More than the whole budget is clamped to it rather than refused.
	if !b.acquire(ctx, 50, 0) {
		t.Fatal("a page larger than the budget never gets in")
	}
	b.release(50)
	if b.free != 10 {
		t.Fatalf("free %d after a clamped page", b.free)
	}
}

// When page queries hold the whole budget, another is answered 503 with
// Retry-After, a problem document, and the budget is whole again after.
func TestListReports_Busy(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxPageReports = 1000 })
	seedReports(t, e)
	e.srv.pageWait = 20 * time.Millisecond
	if !e.srv.pages.acquire(context.Background(), 950, 0) {
		t.Fatal("no budget")
	}
	for _, path := range []string{"/api/v1/reports?limit=100", "/ogc/collections/reports/items?limit=100"} {
		w := e.do(t, "GET", path, "")
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" ||
			w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s when busy: %d %q %q %s", path, w.Code, w.Header().Get("Retry-After"), w.Header().Get("Content-Type"), w.Body)
		}
	}
	if w := e.do(t, "GET", "/api/v1/reports?limit=50", ""); w.Code != 200 {
		t.Errorf("a page within the free budget: %d %s", w.Code, w.Body)
	}
	e.srv.pages.release(950)
	if w := e.do(t, "GET", "/api/v1/reports?limit=10000", ""); w.Code != 200 {
		t.Errorf("after release: %d %s", w.Code, w.Body)
	}
	if e.srv.pages.free != 1000 {
		t.Errorf("free %d after the queries, want 1000", e.srv.pages.free)
	}
}

// Cluster and histogram walks take turns: with the only turn held, they
// are answered 503 with Retry-After; the turn is whole again after.
func TestWalks_Busy(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxWalks = 1 })
	seedReports(t, e)
	e.srv.walkWait = 20 * time.Millisecond
	if !e.srv.walks.acquire(context.Background(), 1, 0) {
		t.Fatal("no turn")
	}
	paths := []string{"/api/v1/cells?zoom=3", "/api/v1/histogram"}
	for _, path := range paths {
		w := e.do(t, "GET", path, "")
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" ||
			w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s when busy: %d %q %q %s", path, w.Code, w.Header().Get("Retry-After"), w.Header().Get("Content-Type"), w.Body)
		}
	}
	e.srv.walks.release(1)
	for _, path := range paths {
		if w := e.do(t, "GET", path, ""); w.Code != 200 {
			t.Errorf("%s after release: %d %s", path, w.Code, w.Body)
		}
	}
	if e.srv.walks.free != 1 {
		t.Errorf("free %d after the queries, want 1", e.srv.walks.free)
	}
}
