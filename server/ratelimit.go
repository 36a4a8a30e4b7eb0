package server

import (
	"math"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/geotag/geotag"
)

// limiters holds one token bucket per client address (IPv6 clients per
// /64 network) and per token, at most max of each.
type limiters struct {
	mu      sync.Mutex
	ip      map[string]*entry
	tok     map[string]*entry
	ipRate  rate.Limit
	tokRate rate.Limit
	max     int
	now     func() time.Time
	swept   time.Time
}

// defaultRateClients is how many client buckets (and, apart, token
// buckets) the limiter holds by default: about 150 bytes each.
const defaultRateClients = 100000

type entry struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimiters(ipRate, tokRate float64, maxClients int, now func() time.Time) *limiters {
	if maxClients <= 0 {
		maxClients = defaultRateClients
	}
	if ipRate == 0 {
		ipRate = 30
	}
	if tokRate == 0 {
		tokRate = 100
	}
	return &limiters{ip: map[string]*entry{}, tok: map[string]*entry{},
		ipRate: rate.Limit(ipRate), tokRate: rate.Limit(tokRate), max: maxClients, now: now}
}

// reserve takes one request from key's bucket in m and returns how long
// the client must wait, 0 if it may go on.
func (l *limiters) reserve(m map[string]*entry, lim rate.Limit, key string) time.Duration {
	if lim < 0 {
		return 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute { // forget idle clients
		for _, mm := range []map[string]*entry{l.ip, l.tok} {
			for k, e := range mm {
				if now.Sub(e.seen) > 10*time.Minute {
					delete(mm, k)
				}
			}
		}
		l.swept = now
	}
	burst := max(int(math.Ceil(2*float64(lim))), 1)
	e := m[key]
	if e == nil {
		if len(m) >= l.max {
			l.evict(m, now, time.Duration(float64(burst)/float64(lim)*float64(time.Second)))
		}
		e = &entry{l: rate.NewLimiter(lim, burst)}
		m[key] = e
	}
	e.seen = now
	if e.l.AllowN(now, 1) {
		return 0
	}
	r := e.l.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	return max(d, time.Second)
}

// evict makes room in the full table m: it drops the buckets idle for
// refill or longer, which are full again and so no different from new
// ones, and when that frees less than an eighth of the table, drops
// buckets in map order until it has, so that the next sweep is at least
// max/8 new clients away (constant time per request on average).
func (l *limiters) evict(m map[string]*entry, now time.Time, refill time.Duration) {
	for k, e := range m {
		if now.Sub(e.seen) >= refill {
			delete(m, k)
		}
	}
	for k := range m {
		if len(m) <= l.max-max(l.max/8, 1) {
			break
		}
		delete(m, k)
	}
}

// clientKey is the rate-limit key of a client address: the address for
// IPv4, its /64 network for IPv6 (one host usually holds a whole /64, so
// per-address buckets would give it 2^64 of them).
func clientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.WithZone("").Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

// rateLimitIP refuses a client address over its rate with 429. Requests
// to a route that authenticates and that carry a token are limited per
// token instead, by authenticate, which charges failed authentications to
// the address; on other routes an Authorization header changes nothing.
//
// The map page's static files are not limited: they are cheap, and a page
// load fetches dozens. Neither are /healthz and /readyz, so that a load
// balancer's checks never share a busy client's bucket.
func (s *Server) rateLimitIP(c *gin.Context) {
	p := c.Request.URL.Path
	if s.tokens != nil && c.GetHeader("Authorization") != "" && s.authed[c.FullPath()] ||
		!isAPIPath(p) || p == "/healthz" || p == "/readyz" {
		c.Next()
		return
	}
	if s.ogcPaged(c) { // charged to the scan budget instead
		c.Next()
		return
	}
	if !s.allowIP(c) {
		return
	}
	c.Next()
}

// openRoute reports whether the route pattern p is one of the few that do
// not authenticate; every other route runs authenticate or authorize, so
// there an Authorization header moves the request from the address's
// bucket to the token's (rateLimitIP).
func openRoute(p string) bool {
	switch p {
	case "/healthz", "/readyz", "/api/v1", "/api/v1/openapi.json", "/api/v1/config":
		return true
	}
	return false
}

// allowIP takes one request from the client address's bucket, answers 429
// when it is empty, and reports whether the request may go on.
func (s *Server) allowIP(c *gin.Context) bool {
	if d := s.limits.reserve(s.limits.ip, s.limits.ipRate, clientKey(c.ClientIP())); d > 0 {
		s.tooMany(c, d)
		return false
	}
	return true
}

// allowToken refuses a token over its rate with 429 and reports whether
// the request may go on.
func (s *Server) allowToken(c *gin.Context, t *geotag.Token) bool {
	if s.ogcPaged(c) { // charged to the scan budget instead
		return true
	}
	if d := s.limits.reserve(s.limits.tok, s.limits.tokRate, t.ID); d > 0 {
		s.tooMany(c, d)
		return false
	}
	return true
}

func (s *Server) tooMany(c *gin.Context, d time.Duration) {
	secs := int(math.Ceil(d.Seconds()))
	c.Header("Retry-After", strconv.Itoa(secs))
	s.writeError(c, geotag.Errorf(geotag.ERATELIMIT, "too many requests; retry in %d s", secs))
}
