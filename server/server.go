package server

import (
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// Config holds what the server needs. Reports, Tagger and Places are
// required; the rest have defaults.
type Config struct {
	Reports geotag.ReportService
	Tagger  geotag.Tagger
	Places  geotag.Gazetteer
	// Views stores saved views (/api/v1/views); nil leaves their routes
	// out.
	Views geotag.ViewService
	// Pages reads the HTML pages POST /api/v1/split takes (package
	// htmlpage); nil refuses HTML there (text still splits).
	Pages geotag.LiveBlogReader
	// PageFetcher, when set, fetches the page POST /api/v1/split names by
	// its url alone (a write token needed); nil refuses that form.
	PageFetcher geotag.LiveBlogFetcher
	// MaxSplitUpdates bounds the updates one POST /api/v1/split answers;
	// 0 means geotag.DefaultMaxLiveBlogEntries (500).
	MaxSplitUpdates int
	// Feeds, when set, serves /api/v1/feeds (the poller's FeedService).
	Feeds geotag.FeedService
	// Articles, when set, serves POST /api/v1/fetch.
	Articles geotag.ArticleFetcher
	// Deliveries, when set, serves the webhook delivery log at
	// /api/v1/webhooks/deliveries.
	Deliveries geotag.WebhookLog
	// Events suggests a text's event in POST /api/v1/tag's "event"; nil
	// leaves the member out.
	Events geotag.EventSuggester
	Tokens geotag.TokenService // nil disables authentication (tests only)
	// Incidents stores incidents (reports linked as one event); nil
	// leaves the incident routes out.
	Incidents geotag.IncidentService
	// IncidentLimits bound incidents' sources, titles, revisions, list
	// pages and same-event answers; zero fields mean the defaults.
	IncidentLimits geotag.IncidentLimits
	Frontend       fs.FS // the map page; nil serves no page
	Logger         *slog.Logger
	MaxBody        int64 // largest request body in bytes; 0 means 1 MiB
	// MaxImportBody is the largest body of POST /api/v1/import; 0 means
	// 32 MiB.
	MaxImportBody int64

	// ReadsNeedToken makes every read route require a token too.
	ReadsNeedToken bool
	// CORSOrigins lists the origins allowed to call the API from a
	// browser ("*" for any); none by default.
	CORSOrigins []string
	// RateIP and RateToken are the sustained requests per second allowed
	// per client address and per token, with bursts of twice as many.
	// 0 means the defaults (30 and 100); negative disables the limit.
	// Requests with a token are limited per token, others per address.
	RateIP, RateToken float64
	// TrustedProxies lists the addresses or CIDRs of reverse proxies whose
	// X-Forwarded-For and X-Real-IP headers name the client, for the
	// per-address rate limit and logs. None by default: the peer address
	// is the client.
	TrustedProxies []string
	// MaxRateClients bounds the per-address buckets of the rate limit
	// (IPv6 clients share one per /64) and, apart, the per-token ones;
	// when the table is full, idle buckets and then arbitrary ones make
	// room. 0 means 100,000 (about 14 MiB: BenchmarkLimiterFlood).
	MaxRateClients int
	// PublicURL is the service's address as its users reach it
	// ("https://geotag.example.org"), from which absolute links (OGC
	// links, the API document's server) are built. Empty: from the
	// request's Host header when it is a plain host[:port], else the
	// address the request came in on.
	PublicURL string
	// Metrics, when set, is served at /metrics (to any client, or to
	// token holders only with ReadsNeedToken). Use NewMetrics.
	Metrics *Metrics
	// TileURL and TileAttribution name the map's tile server, which
	// GET /api/v1/config passes to the page; empty leaves its default.
	TileURL, TileAttribution string
	// MaxPageReports bounds the reports that page queries (the report
	// list, OGC items) hold in memory at once, all requests together: a
	// query takes its limit from it before reading and waits for it, up to
	// 5 s, then answers 503 with Retry-After. 0 means 20,000 (two full
	// pages, about 60 MB of decoded reports); negative disables the bound.
	MaxPageReports int
	// MaxWalks bounds the cluster-count and histogram queries (which walk
	// every index entry of a view) running at once; others wait up to 30 s
	// for a turn, then get 503. 0 means one fewer than GOMAXPROCS (at least
	// one), so that walks never hold every CPU and tagging, search and
	// marker pages keep a core; negative: no bound.
	MaxWalks int
	// MaxTagResponse bounds the bytes of a POST /api/v1/tag answer: the
	// mentions that do not fit are left out and the answer says
	// "truncated": true. 0 means 8 MiB.
	MaxTagResponse int
	// ScanRateIP and ScanRateToken are the scan budgets of each client
	// address without a token and of each token, in bytes per second of
	// index entries and report records read (a record counts 4 KiB more),
	// with buckets holding 16 seconds' worth. Scans are text searches
	// (q=), report pages over 2,000, filtered tag counts, OGC item pages
	// and exports; a client whose bucket is spent gets 429 with
	// Retry-After until it refills. 0 means the defaults (64 MiB/s and
	// 256 MiB/s); negative: no budget for that class. OGC pages that follow
	// a next link are charged here instead of counting against RateIP and
	// RateToken.
	ScanRateIP, ScanRateToken float64
	// MaxBulk bounds the bulk scans running at once (exports, text
	// searches, OGC offset walks, filtered tag counts); others wait up to
	// 30 s for a turn, then get 503. 0 means one fewer than GOMAXPROCS (at
	// least one), so that bulk work never holds every CPU and the map's
	// queries keep a core; negative: no bound.
	MaxBulk int
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rules, DeskPlaces and Audit are the desk's rules, its own places
	// and the log of their changes; nil: their routes answer 404. Places
	// should then be the desk's gazetteer (geotag.DeskGazetteer) and
	// Tagger the rule tagger (geotag.RuleTagger), or neither shows up.
	Rules      geotag.RuleService
	DeskPlaces geotag.DeskPlaceService
	Audit      geotag.AuditLog
	// MaxBulkReports bounds the reports one bulk correction may change;
	// 0 means geotag.DefaultMaxBulkReports.
	MaxBulkReports int
	// Bulks keeps finished bulk corrections, so that their undo outlives
	// a restart; nil: only the latest, in memory.
	Bulks geotag.BulkLog
	// MaxBulkJobs bounds the bulk corrections and undos running at once
	// (more answer 503); 0 means 2.
	MaxBulkJobs int
	// ReportLimits bound each report (zero fields: the defaults): the
	// server refuses text and tags over them before tagging, and answers
	// them in /api/v1/config. Give the store the same ones: it enforces
	// them all on every write.
	ReportLimits geotag.ReportLimits
}

// Server is the HTTP API. Create it with New.
type Server struct {
	reports    geotag.ReportService
	tagger     geotag.Tagger
	events     geotag.EventSuggester
	blogs      geotag.LiveBlogReader
	blogPages  geotag.LiveBlogFetcher
	views      geotag.ViewService
	maxSplit   int
	places     geotag.Gazetteer
	tokens     geotag.TokenService
	incidents  geotag.IncidentService
	incLimits  geotag.IncidentLimits
	frontend   fs.FS
	logger     *slog.Logger
	maxBody    int64
	maxImport  int64
	readAuth   bool
	cors       map[string]bool
	limits     *limiters
	metrics    *Metrics
	now        func() time.Time
	engine     *gin.Engine
	tiles      [2]string
	csp        string                              // the Content-Security-Policy header
	gzip       func(http.Handler) http.HandlerFunc // compress: gzhttp
	pages      *budget                             // nil: unbounded
	walks      *budget                             // turns for cluster and histogram walks; nil: unbounded
	bulk       *budget                             // turns for bulk scans; nil: unbounded
	scans      *scanBudgets                        // per-client scan budgets; nil: none
	pageWait   time.Duration
	walkWait   time.Duration
	feeds      geotag.FeedService
	articles   geotag.ArticleFetcher
	deliveries geotag.WebhookLog

	reportLimits geotag.ReportLimits
	tagLimits    tagLimits
	bulkWait     time.Duration
	public       *url.URL // Config.PublicURL parsed; nil: none

	rules          geotag.RuleService
	deskPlaces     geotag.DeskPlaceService
	audit          geotag.AuditLog
	bulks          geotag.BulkLog
	jobs           bulkJobs
	maxBulkReports int
	authed         map[string]bool // the route patterns that authenticate
}

// New returns a server for cfg with every route registered.
// budgetOf is a budget of n turns: def when n is 0, none (nil, unbounded)
// when n is negative.
func budgetOf(n, def int) *budget {
	switch {
	case n == 0:
		return newBudget(def)
	case n > 0:
		return newBudget(n)
	}
	return nil
}

// newEngine is the gin engine: 405 for a known path's other methods, and
// the client's address from X-Forwarded-For only behind trusted proxies.
func newEngine(trusted []string, logger *slog.Logger) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	if len(trusted) > 0 {
		e.RemoteIPHeaders = []string{"X-Forwarded-For", "X-Real-IP"}
		if err := e.SetTrustedProxies(trusted); err != nil {
			logger.Error("ignoring --trusted-proxy", "err", err)
			e.SetTrustedProxies(nil)
		}
	} else {
		e.SetTrustedProxies(nil) // the peer address is the client
	}
	return e
}

func New(cfg Config) *Server {
	s := &Server{
		reports:    cfg.Reports,
		tagger:     cfg.Tagger,
		events:     cfg.Events,
		blogs:      cfg.Pages,
		blogPages:  cfg.PageFetcher,
		views:      cfg.Views,
		maxSplit:   cfg.MaxSplitUpdates,
		places:     cfg.Places,
		tokens:     cfg.Tokens,
		incidents:  cfg.Incidents,
		incLimits:  cfg.IncidentLimits.OrDefault(),
		frontend:   cfg.Frontend,
		logger:     cfg.Logger,
		maxBody:    cfg.MaxBody,
		maxImport:  cfg.MaxImportBody,
		readAuth:   cfg.ReadsNeedToken,
		cors:       map[string]bool{},
		metrics:    cfg.Metrics,
		now:        cfg.Now,
		tiles:      [2]string{cfg.TileURL, cfg.TileAttribution},
		csp:        contentSecurityPolicy(cfg.TileURL),
		gzip:       newGzip(),
		pageWait:   pageWait,
		walkWait:   walkWait,
		feeds:      cfg.Feeds,
		articles:   cfg.Articles,
		deliveries: cfg.Deliveries,

		reportLimits: cfg.ReportLimits.OrDefault(),
		bulkWait:     bulkWait,

		rules:          cfg.Rules,
		deskPlaces:     cfg.DeskPlaces,
		audit:          cfg.Audit,
		bulks:          cfg.Bulks,
		maxBulkReports: cfg.MaxBulkReports,
	}
	s.jobs.max = cfg.MaxBulkJobs
	if s.jobs.max <= 0 {
		s.jobs.max = defaultBulkJobs
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.maxBody <= 0 {
		s.maxBody = 1 << 20
	}
	if s.maxImport <= 0 {
		s.maxImport = 32 << 20
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.tagLimits = newTagLimits(cfg.ReportLimits.MaxMentions, cfg.ReportLimits.MaxAlternatives, cfg.MaxTagResponse)
	s.pages = budgetOf(cfg.MaxPageReports, 20000)
	s.walks = budgetOf(cfg.MaxWalks, max(1, runtime.GOMAXPROCS(0)-1))
	s.bulk = budgetOf(cfg.MaxBulk, max(1, runtime.GOMAXPROCS(0)-1))
	s.scans = newScanBudgets(cfg.ScanRateIP, cfg.ScanRateToken, func() time.Time { return s.now() })
	for _, o := range cfg.CORSOrigins {
		s.cors[o] = true
	}
	if s.tokens == nil {
		s.logger.Warn("no TokenService: authentication is off and anyone may write")
	}
	if cfg.PublicURL != "" {
		u, err := ParsePublicURL(cfg.PublicURL)
		if err != nil {
			s.logger.Error("ignoring the public URL", "err", err)
		}
		s.public = u
	}
	s.limits = newLimiters(cfg.RateIP, cfg.RateToken, cfg.MaxRateClients, s.now)
	s.engine = newEngine(cfg.TrustedProxies, s.logger)
	s.routes()
	s.authed = map[string]bool{}
	for _, r := range s.engine.Routes() {
		s.authed[r.Path] = !openRoute(r.Path)
	}
	return s
}

// Handler returns the HTTP handler serving every route. The security
// headers are set before the router runs, so that its own answers (the
// redirects of a path with or without a trailing slash) carry them too.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.setSecurityHeaders(w.Header())
		s.engine.ServeHTTP(w, r)
	})
}

// Routes lists every registered route as "METHOD PATH", for tests and docs.
func (s *Server) Routes() gin.RoutesInfo { return s.engine.Routes() }

// routes registers the whole HTTP surface.
func (s *Server) routes() {
	e := s.engine
	e.Use(s.recovery, s.observe, s.publicBase, s.corsHeaders, s.rateLimitIP, s.limitBody, s.validQuery, s.compress)
	e.NoRoute(s.serveFrontend)
	e.NoMethod(func(c *gin.Context) {
		allow := s.allowed(c.Request.URL.Path)
		c.Header("Allow", strings.Join(allow, ", "))
		s.writeError(c, geotag.Errorf(errMethod, "method %s is not allowed here; use %s", c.Request.Method, strings.Join(allow, " or ")))
	})

	read := s.authenticate(s.readAuth, false)
	write := s.authenticate(true, true)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	if s.metrics != nil {
		e.GET("/metrics", read, gin.WrapH(s.metrics.Handler()))
	}

	api := e.Group("/api/v1")
	api.GET("", s.apiDoc)
	api.GET("/openapi.json", s.apiDoc)
	api.GET("/config", s.config)

	api.POST("/tag", read, s.tag)             // computes, stores nothing: a read
	api.POST("/preview", read, s.preview)     // likewise
	api.POST("/split", read, s.splitLiveBlog) // likewise; a write token to fetch the page by URL
	api.GET("/reports", read, s.scanning(reportScan), s.listReports)
	api.POST("/reports", write, s.createReport)
	api.POST("/import", write, s.importReports)
	api.GET("/reports/:id", read, s.getReport)
	api.PUT("/reports/:id", write, s.updateReport)
	api.PATCH("/reports/:id", write, s.patchReport)
	api.DELETE("/reports/:id", write, s.deleteReport)
	api.POST("/reports/:id/corrections", write, s.correctReport)
	api.POST("/reports/:id/split", write, s.splitReport)
	api.GET("/reports/:id/history", read, s.reportHistory)
	api.POST("/corrections/bulk", write, s.bulkCorrect)
	api.GET("/corrections/bulk/:id", read, s.getBulk)
	api.POST("/corrections/bulk/:id/undo", write, s.undoBulk)
	s.routeDesk(api, read, write)
	api.GET("/export/:format", read, s.export)
	api.GET("/cells", read, s.cells)
	api.GET("/histogram", read, s.histogram)
	api.GET("/tags", read, s.listTags)
	api.GET("/places", read, s.searchPlaces)
	api.GET("/places/labels", read, s.placeLabels)
	api.GET("/places/:id", read, s.getPlace)
	s.routeIncidents(api, read, write) // when the store keeps incidents
	api.GET("/me", s.authenticate(false, false), s.me)
	s.routeViews(api, read, write)
	if s.feeds != nil {
		api.GET("/feeds", read, s.listFeeds)
		api.POST("/feeds", write, s.createFeed)
		api.GET("/feeds/:id", read, s.getFeed)
		api.PATCH("/feeds/:id", write, s.patchFeed)
		api.DELETE("/feeds/:id", write, s.deleteFeed)
	}
	if s.articles != nil {
		api.POST("/fetch", write, s.fetchArticle) // stores nothing, but makes the service fetch a URL
	}
	if s.deliveries != nil {
		api.GET("/webhooks/deliveries", read, s.listDeliveries)
	}
	if s.tokens != nil {
		admin := s.authorize(true, rightAdmin)
		api.GET("/tokens", admin, s.listTokens)
		api.POST("/tokens", admin, s.createToken)
		api.DELETE("/tokens/:id", admin, s.revokeToken)
		s.routeBackup(api, "/backup", admin) // GET, when the store can copy itself
	}

	ogc := e.Group("/ogc", read)
	ogc.GET("", s.ogcLanding)
	ogc.GET("/", s.ogcLanding)
	ogc.GET("/conformance", s.ogcConformance)
	ogc.GET("/api", s.ogcAPI)
	ogc.GET("/collections", s.ogcCollections)
	ogc.GET("/collections/reports", s.ogcCollection)
	ogc.GET("/collections/reports/items", s.ogcItems)
	ogc.GET("/collections/reports/items/:id", s.ogcItem)
}

// errMethod is the code of "405 Method Not Allowed", which the geotag
// domain has no use for; statusOf maps it.
const errMethod = "method_not_allowed"

// errPrecondition is the code of "412 Precondition Failed": an If-Match
// that names an older version of a report.
const errPrecondition = "precondition_failed"

// allowed returns the methods registered for a path, for the Allow header
// of a 405.
func (s *Server) allowed(path string) []string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var out []string
	for _, r := range s.engine.Routes() {
		ps := strings.Split(strings.Trim(r.Path, "/"), "/")
		if len(ps) != len(segs) || slices.Contains(out, r.Method) {
			continue
		}
		match := true
		for i := range ps {
			if ps[i] != segs[i] && !strings.HasPrefix(ps[i], ":") {
				match = false
				break
			}
		}
		if match {
			out = append(out, r.Method)
		}
	}
	slices.Sort(out)
	return out
}
