package server

import (
	"context"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// budget is a weighted semaphore: the reports that page queries may hold
// decoded in memory at once, all requests together. A query takes as many
// units as its page may hold before it asks the store and gives them back
// once the page is written, so concurrent large pages cannot grow the
// service's memory without bound. Waiters are served first come, first
// served, so a large page is not starved by a stream of small ones.
type budget struct {
	mu      sync.Mutex
	free    int
	size    int
	waiters []*budgetWaiter
}

type budgetWaiter struct {
	n     int
	ready chan struct{} // closed when the units are taken for the waiter
}

func newBudget(size int) *budget { return &budget{free: size, size: size} }

// acquire takes n units (at most the budget's size), waiting up to wait or
// until ctx ends, and reports whether it got them.
func (b *budget) acquire(ctx context.Context, n int, wait time.Duration) bool {
	n = min(n, b.size)
	b.mu.Lock()
	if len(b.waiters) == 0 && b.free >= n {
		b.free -= n
		b.mu.Unlock()
		return true
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()

	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-w.ready:
		return true
	case <-ctx.Done():
	case <-t.C:
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-w.ready: // granted meanwhile: give the units back
		b.free += n
		b.grant()
		return false
	default:
	}
	for i, x := range b.waiters {
		if x == w {
			b.waiters = append(b.waiters[:i], b.waiters[i+1:]...)
			break
		}
	}
	b.grant() // the first waiter may have been this one, blocking others
	return false
}

// release gives back n units taken by acquire with the same n.
func (b *budget) release(n int) {
	n = min(n, b.size)
	b.mu.Lock()
	b.free += n
	b.grant()
	b.mu.Unlock()
}

// grant hands free units to the waiters in order. b.mu is held.
func (b *budget) grant() {
	for len(b.waiters) > 0 && b.free >= b.waiters[0].n {
		w := b.waiters[0]
		b.waiters = b.waiters[1:]
		b.free -= w.n
		close(w.ready)
	}
}

// pageWait is how long a page query waits for the budget before the
// service answers 503.
const pageWait = 5 * time.Second

// admitPage takes the budget for a page of up to limit reports (0: the
// default page), or answers 503 with Retry-After when the service is busy
// with other pages for longer than pageWait. The caller calls release once
// the page is written.
func (s *Server) admitPage(c *gin.Context, limit int) (release func(), ok bool) {
	if s.pages == nil {
		return func() {}, true
	}
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	if !s.pages.acquire(c.Request.Context(), limit, s.pageWait) {
		c.Header("Retry-After", "2")
		s.writeError(c, geotag.Errorf(geotag.EUNAVAILABLE, "the service is busy with other large queries; retry in 2 s or ask for a smaller limit"))
		return nil, false
	}
	return func() { s.pages.release(limit) }, true
}

// walkWait is how long a cluster or histogram query waits for a turn
// before the service answers 503.
const walkWait = 30 * time.Second

// admitWalk takes one of the turns for queries that walk every index entry
// of a view (cluster counts, histograms), or answers 503 with Retry-After
// after walkWait. With at most as many walks as CPUs, a burst of them
// queues instead of sharing the CPUs with everything else, so tagging,
// search, writes and marker pages keep their share.
func (s *Server) admitWalk(c *gin.Context) (release func(), ok bool) {
	if s.walks == nil {
		return func() {}, true
	}
	if !s.walks.acquire(c.Request.Context(), 1, s.walkWait) {
		c.Header("Retry-After", "2")
		s.writeError(c, geotag.Errorf(geotag.EUNAVAILABLE, "the service is busy with other map queries; retry in 2 s"))
		return nil, false
	}
	return func() { s.walks.release(1) }, true
}
