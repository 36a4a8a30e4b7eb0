package server

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/geotag/geotag"
)

// limiters holds one token bucket per client address and per token.
type limiters struct {
	mu      sync.Mutex
	ip      map[string]*entry
	tok     map[string]*entry
	ipRate  rate.Limit
	tokRate rate.Limit
	now     func() time.Time
	swept   time.Time
}

type entry struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimiters(ipRate, tokRate float64, now func() time.Time) *limiters {
	if ipRate == 0 {
		ipRate = 30
	}
	if tokRate == 0 {
		tokRate = 100
	}
	return &limiters{ip: map[string]*entry{}, tok: map[string]*entry{},
		ipRate: rate.Limit(ipRate), tokRate: rate.Limit(tokRate), now: now}
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
	e := m[key]
	if e == nil {
		burst := int(math.Ceil(2 * float64(lim)))
		e = &entry{l: rate.NewLimiter(lim, max(burst, 1))}
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

// rateLimitIP refuses a client address over its rate with 429. Requests
// that carry a token are limited per token instead, by authenticate, which
// charges failed authentications to the address.
//
// The map page's static files are not limited: they are cheap, and a page
// load fetches dozens.
func (s *Server) rateLimitIP(c *gin.Context) {
	if s.tokens != nil && c.GetHeader("Authorization") != "" || !isAPIPath(c.Request.URL.Path) {
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

// allowIP takes one request from the client address's bucket, answers 429
// when it is empty, and reports whether the request may go on.
func (s *Server) allowIP(c *gin.Context) bool {
	if d := s.limits.reserve(s.limits.ip, s.limits.ipRate, c.ClientIP()); d > 0 {
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
