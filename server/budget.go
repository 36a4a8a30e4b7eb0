package server

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// Scan budgets. A scan (a text search, a filtered tag count, an OGC page,
// an export) costs what the store reads for it, in bytes of index entries
// and report records (a record counts 4 KiB more: the store's recordCost),
// not one request: a search of every report's text costs thousands of
// times what a page of ten does. Each client (a token, or an address
// without one) has a bucket of bytes that refills at its rate up to a
// burst. A scan is admitted while the bucket holds something; what it
// reads is charged as the store reads it, so a scan may leave its client
// in debt, and the client's next scans are refused with 429 and
// Retry-After until the debt is paid back. A scan is never cut off half
// way: an export that has started completes.

// requestCost is charged to a client's scan budget for each scan request
// on top of what the store reads: what answering a small request costs
// (parsing, routing, encoding) in the same units, so that pages of one
// report cannot be asked for without bound.
const requestCost = 32 << 10

// scanBurstSeconds is how many seconds of its rate a client's bucket holds.
const scanBurstSeconds = 16

// Default scan rates in bytes per second (Config.ScanRateIP, ScanRateToken).
const (
	defaultScanRateIP    = 64 << 20
	defaultScanRateToken = 256 << 20
)

// bulkWait is how long a bulk scan waits for a turn before the service
// answers 503.
const bulkWait = 30 * time.Second

// scanRate is a class of clients' budget: bytes per second and the most a
// bucket holds.
type scanRate struct{ rate, burst float64 }

// scanBudgets holds every client's scan bucket.
type scanBudgets struct {
	mu      sync.Mutex
	buckets map[string]*scanBucket
	ip, tok scanRate // rate 0: that class is not budgeted
	now     func() time.Time
	swept   time.Time
}

type scanBucket struct {
	bal float64   // bytes left; negative: a debt
	at  time.Time // when bal was brought up to date
	r   scanRate
}

// newScanBudgets returns the budgets for rates in bytes per second (0: the
// default, negative: no budget for that class), or nil when neither class
// has one.
func newScanBudgets(ipRate, tokRate float64, now func() time.Time) *scanBudgets {
	class := func(r, def float64) scanRate {
		switch {
		case r == 0:
			r = def
		case r < 0:
			return scanRate{}
		}
		return scanRate{rate: r, burst: r * scanBurstSeconds}
	}
	b := &scanBudgets{buckets: map[string]*scanBucket{}, now: now,
		ip: class(ipRate, defaultScanRateIP), tok: class(tokRate, defaultScanRateToken)}
	if b.ip.rate == 0 && b.tok.rate == 0 {
		return nil
	}
	return b
}

// bucket returns key's bucket brought up to now, a full one for a new
// client. b.mu is held.
func (b *scanBudgets) bucket(key string, r scanRate, now time.Time) *scanBucket {
	if now.Sub(b.swept) > time.Minute { // forget clients whose buckets are full again
		for k, x := range b.buckets {
			if x.bal+x.r.rate*now.Sub(x.at).Seconds() >= x.r.burst {
				delete(b.buckets, k)
			}
		}
		b.swept = now
	}
	x := b.buckets[key]
	if x == nil {
		x = &scanBucket{bal: r.burst, at: now, r: r}
		b.buckets[key] = x
		return x
	}
	if d := now.Sub(x.at).Seconds(); d > 0 {
		x.bal = min(x.r.burst, x.bal+x.r.rate*d)
		x.at = now
	}
	return x
}

// admit reports how long key must wait before its next scan: 0 while its
// bucket holds something.
func (b *scanBudgets) admit(key string, r scanRate) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	x := b.bucket(key, r, b.now())
	if x.bal > 0 {
		return 0
	}
	return max(time.Second, time.Duration(-x.bal/r.rate*float64(time.Second)))
}

// charge takes n bytes from key's bucket.
func (b *scanBudgets) charge(key string, r scanRate, n int64) {
	b.mu.Lock()
	b.bucket(key, r, b.now()).bal -= float64(n)
	b.mu.Unlock()
}

// clientMeter charges what the store reads for a request to its client's
// bucket: the geotag.Meter on a scan's context.
type clientMeter struct {
	b   *scanBudgets
	key string
	r   scanRate
}

func (m *clientMeter) Charge(n int64) { m.b.charge(m.key, m.r, n) }

// scanClient names the client whose budget a request spends, its token's
// or its address's, and that class's rate; ok is false when the class has
// no budget.
func (s *Server) scanClient(c *gin.Context) (key string, r scanRate, ok bool) {
	if s.scans == nil {
		return "", scanRate{}, false
	}
	if v, has := c.Get(tokenKey); has {
		return "token " + v.(*geotag.Token).ID, s.scans.tok, s.scans.tok.rate > 0
	}
	return "address " + c.ClientIP(), s.scans.ip, s.scans.ip.rate > 0
}

// admitScan admits a scan: it answers 429 with Retry-After while the
// client's scan budget is spent, else charges requestCost and puts a
// geotag.Meter on the request's context that charges the client for what
// the store reads. A bulk scan (an export, a text search, an offset walk,
// a filtered tag count) also takes one of the bulk turns, waiting up to
// bulkWait for it, then answering 503 with Retry-After: with fewer turns
// than CPUs, bulk work never holds every core, and cluster counts,
// histograms and marker pages, which never wait for a bulk turn, keep
// theirs. The client's budget is checked again once a turn is had, as its
// other scans may have spent it meanwhile. The caller calls release when
// the answer is written.
func (s *Server) admitScan(c *gin.Context, bulk bool) (release func(), ok bool) {
	key, r, metered := s.scanClient(c)
	admit := func() bool {
		if !metered {
			return true
		}
		if d := s.scans.admit(key, r); d > 0 {
			s.scanRefused(c, d)
			return false
		}
		return true
	}
	if !admit() {
		return nil, false
	}
	release = func() {}
	if bulk && s.bulk != nil {
		if !s.bulk.acquire(c.Request.Context(), 1, s.bulkWait) {
			c.Header("Retry-After", "2")
			s.writeError(c, geotag.Errorf(geotag.EUNAVAILABLE, "the service is busy with other exports and searches; retry in 2 s"))
			return nil, false
		}
		if !admit() {
			s.bulk.release(1)
			return nil, false
		}
		release = func() { s.bulk.release(1) }
	}
	if metered {
		s.scans.charge(key, r, requestCost)
		c.Request = c.Request.WithContext(geotag.WithMeter(c.Request.Context(), &clientMeter{b: s.scans, key: key, r: r}))
	}
	return release, true
}

// scanRefused answers 429: the client's scan budget is spent for d.
func (s *Server) scanRefused(c *gin.Context, d time.Duration) {
	secs := int(math.Ceil(d.Seconds()))
	c.Header("Retry-After", strconv.Itoa(secs))
	s.writeError(c, geotag.Errorf(geotag.ERATELIMIT,
		"this client has used its budget for searches, exports and bulk pages (what they read, not how many); retry in %d s, or narrow the query (bbox, datetime, tag)", secs))
}

// scanning is middleware for routes whose handlers do not admit scans
// themselves: it admits the request as a scan when kind says it is one
// (bulk: see admitScan).
func (s *Server) scanning(kind func(q url.Values) (scan, bulk bool)) gin.HandlerFunc {
	return func(c *gin.Context) {
		scan, bulk := kind(c.Request.URL.Query())
		if !scan {
			c.Next()
			return
		}
		release, ok := s.admitScan(c, bulk)
		if !ok {
			return
		}
		defer release()
		c.Next()
	}
}

// interactiveLimit is the largest report page the map asks for (its
// markers); larger pages are scans.
const interactiveLimit = 2000

// reportScan classifies GET /api/v1/reports: a text search is a bulk scan,
// a page larger than the map's a scan; marker pages are neither.
func reportScan(q url.Values) (scan, bulk bool) {
	if strings.TrimSpace(q.Get("q")) != "" {
		return true, true
	}
	n, err := strconv.Atoi(q.Get("limit"))
	return err == nil && n > interactiveLimit, false
}

// ogcPaged reports whether a request is an OGC items page that follows a
// next link (it carries a cursor) and is charged to a scan budget that is
// not spent: such pages are not counted by the per-request rate limits, so
// that GIS clients paging at their own small page size (GDAL asks for 10)
// copy a large collection; what they read is charged instead. Once the
// budget is spent they count again, so that the refusals too are bounded.
func (s *Server) ogcPaged(c *gin.Context) bool {
	if s.scans == nil || c.Request.Method != http.MethodGet || c.Request.URL.Path != "/ogc/collections/reports/items" ||
		!c.Request.URL.Query().Has("cursor") {
		return false
	}
	key, r, ok := s.scanClient(c)
	return ok && s.scans.admit(key, r) == 0
}
