package server

import (
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
