package server

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the Prometheus metrics of one server: requests and their
// latency per route, tagging time, reports stored and the store's size,
// plus the Go runtime and process collectors. Each Metrics has its own
// registry, so tests can run many servers.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	tagging  prometheus.Histogram
	stored   prometheus.Counter
}

// NewMetrics returns metrics for a server. storeBytes, when not nil,
// reports the size of the report store in bytes.
func NewMetrics(storeBytes func() float64) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "geotag_http_requests_total",
			Help: "HTTP requests by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "geotag_http_request_duration_seconds",
			Help:    "HTTP request latency by method and route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
		tagging: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "geotag_tagging_duration_seconds",
			Help:    "Time to find and resolve the places of one text.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		stored: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "geotag_reports_created_total",
			Help: "Reports stored through the API since start.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.tagging, m.stored,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if storeBytes != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "geotag_store_size_bytes",
			Help: "Size of the report store on disk.",
		}, storeBytes))
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

func (m *Metrics) observeTagging(d time.Duration) {
	if m != nil {
		m.tagging.Observe(d.Seconds())
	}
}

func (m *Metrics) reportStored() {
	if m != nil {
		m.stored.Inc()
	}
}

// methodLabel is the metrics and log label of a request method: one of
// the methods of RFC 9110 and PATCH, or "other", so that clients sending
// made-up methods cannot add series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

// observe counts and times every request by its route pattern (never the
// raw path, which would make one series per report id) and its method
// label: at most (routes + 2) × 10 series, whatever clients send.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
		if c.Writer.Status() < 400 {
			route = "frontend"
		}
	}
	method := methodLabel(c.Request.Method)
	if m := s.metrics; m != nil {
		m.requests.WithLabelValues(method, route, strconv.Itoa(c.Writer.Status())).Inc()
		m.latency.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
	}
	// One access log line per request: the route pattern and the path,
	// never headers or query values, so that tokens and searched text
	// stay out of logs.
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelWarn
	}
	s.logger.Log(c.Request.Context(), level, "request", "method", method, "route", route,
		"path", c.Request.URL.Path, "status", c.Writer.Status(), "bytes", c.Writer.Size(),
		"duration", time.Since(start).Round(time.Microsecond), "client", c.ClientIP(), "by", whoOrNone(c))
}
