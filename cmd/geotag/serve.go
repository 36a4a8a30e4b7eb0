package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/article"
	"github.com/geotag/geotag/feed"
	"github.com/geotag/geotag/frontend"
	"github.com/geotag/geotag/gazetteer"
	"github.com/geotag/geotag/geo"
	"github.com/geotag/geotag/htmlpage"
	"github.com/geotag/geotag/internal/fetch"
	"github.com/geotag/geotag/postgres"
	"github.com/geotag/geotag/server"
	"github.com/geotag/geotag/store"
	"github.com/geotag/geotag/webhook"
)

// serveFlags are serve's flags, parsed.
type serveFlags struct {
	fs                                                                                                                         *flag.FlagSet
	addr, data, storeURL, cors, tiles, tileAttr, proxies, adminTokenFile, publicURL, logLevel                                  *string
	maxBody, maxImport                                                                                                         *int64
	readsNeedToken                                                                                                             *bool
	rateIP, rateToken, scanIP, scanToken                                                                                       *float64
	rateClients, maxWalks, maxPage, maxViews, maxSplitElements, maxSplit, maxTagResponse, maxBulk, maxBulkReports, maxBulkJobs *int
	storeConns                                                                                                                 *int
	limits                                                                                                                     geotag.ReportLimits
	incLimits                                                                                                                  geotag.IncidentLimits
	out                                                                                                                        outgoingFlags
}

// define defines every flag of serve on a new flag set writing to stderr.
func (f *serveFlags) define(stderr io.Writer) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.fs = fs
	f.addr = fs.String("addr", "localhost:8080", "listen on `HOST:PORT`")
	f.data = fs.String("data", "geotag-data", "data `DIR`ectory, created if missing")
	f.storeURL = storeFlag(fs)
	f.storeConns = fs.Int("store-max-conns", 0, fmt.Sprintf("most connections to the PostgreSQL store this server opens (0: the URL's pool_max_conns, else %d)", postgres.DefaultMaxConns))
	f.maxBody = fs.Int64("max-body", 1<<20, "largest request body in `BYTES`")
	f.maxImport = fs.Int64("max-import-body", 32<<20, "largest body of POST /api/v1/import in `BYTES`")
	f.readsNeedToken = fs.Bool("token-required-for-reads", false, "require a bearer token for reads too (writes always need one)")
	f.cors = fs.String("cors-origin", "", "comma-separated `ORIGINS` allowed to call the API from browsers (\"*\" for any); none by default")
	f.rateIP = fs.Float64("rate-ip", 30, "requests per second allowed per client address without a token (burst twice that); negative disables")
	f.rateToken = fs.Float64("rate-token", 100, "requests per second allowed per token (burst twice that); negative disables")
	f.tiles = fs.String("tiles", "", "map tile `URL` template for the page, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (default: the page's own)")
	f.tileAttr = fs.String("tile-attribution", "", "attribution `HTML` of the tile server")
	f.proxies = fs.String("trusted-proxy", "", "comma-separated `CIDRS` of reverse proxies whose X-Forwarded-For names the client")
	f.adminTokenFile = fs.String("admin-token-file", "", "on first start, write the new admin token to `FILE` (mode 0600; a symlink there is refused); default when stdout is not a terminal: DIR/admin-token")
	f.publicURL = fs.String("public-url", "", "the service's `URL` as users reach it (https://geotag.example.org), for the login link and absolute API links; default: the request's Host when it is a plain host name")
	f.rateClients = fs.Int("rate-clients", 100000, "client addresses (IPv6: /64 networks) and, apart, tokens the rate limiter tracks at once; the idle ones, then others, make room")
	f.maxWalks = fs.Int("max-walks", 0, "cluster-count and histogram walks run at once (0: one fewer than the CPUs, at least one; negative: unbounded)")
	f.maxPage = fs.Int("max-page-reports", 0, "reports all list pages may hold in memory at once (0: 20,000; negative: unbounded)")
	reportLimitFlags(fs, &f.limits)
	incidentLimitFlags(fs, &f.incLimits)
	f.maxViews = fs.Int("max-views", geotag.DefaultMaxViews, "most saved views the service stores (/api/v1/views)")
	f.maxSplitElements = fs.Int("max-split-elements", htmlpage.DefaultMaxElements, "most elements of an HTML page POST /api/v1/split reads (413 past it)")
	f.maxSplit = fs.Int("max-split-updates", geotag.DefaultMaxLiveBlogEntries, "most updates one POST /api/v1/split answers (the first are kept, truncated)")
	f.maxTagResponse = fs.Int("max-tag-response", 8<<20, "largest POST /api/v1/tag answer in `BYTES` (mentions past it are left out, truncated)")
	f.scanIP = fs.Float64("scan-rate-ip", 64, "`MiB` per second of index entries and reports that searches, exports and bulk pages may read per client address without a token (bucket: 16 s of it); negative disables")
	f.scanToken = fs.Float64("scan-rate-token", 256, "`MiB` per second that searches, exports and bulk pages may read per token (bucket: 16 s of it); negative disables")
	f.maxBulk = fs.Int("max-bulk", 0, "bulk scans (exports, text searches, offset walks, filtered tag counts) run at once (0: one fewer than the CPUs, at least one; negative: unbounded)")
	f.maxBulkReports = fs.Int("max-bulk-reports", geotag.DefaultMaxBulkReports, "reports one bulk correction (or a rule's re-tag) may change; more answer 422: narrow the filter")
	f.maxBulkJobs = fs.Int("max-bulk-jobs", 2, "bulk corrections and their undos running at once; more answer 503")
	f.logLevel = fs.String("log-level", "info", "log `LEVEL`: debug, info (one line per request), warn or error")
	f.out.define(fs)
}

// runServe opens the data directory, loads the bundled gazetteer and serves
// the API and the map until ctx ends.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f serveFlags
	f.define(stderr)
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	chooseStore(f.fs, f.storeURL)
	if err := f.incLimits.Validate(); err != nil {
		return fmt.Errorf("--%w", err)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*f.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	terminal := isTerminal(stdout)
	tokenFile, err := f.prepareData(terminal)
	if err != nil {
		return err
	}
	svc, err := openServices(ctx, &f, logger)
	if err != nil {
		return err
	}
	defer svc.db.Close()
	cfg, err := f.serverConfig(svc, logger)
	if err != nil {
		return err
	}
	return f.listen(ctx, server.New(cfg), svc, tokenFile, terminal, stdout)
}

// prepareData settles the admin token file (default DIR/admin-token when
// stdout is no terminal) and makes the data directory when it is needed.
func (f *serveFlags) prepareData(terminal bool) (string, error) {
	tokenFile := *f.adminTokenFile
	if tokenFile == "" && !terminal {
		tokenFile = filepath.Join(*f.data, "admin-token")
	}
	if *f.storeURL == "" || tokenFile == filepath.Join(*f.data, "admin-token") {
		if err := os.MkdirAll(*f.data, 0o755); err != nil {
			return "", fmt.Errorf("data directory: %w", err)
		}
	}
	return tokenFile, nil
}

// services are what serve wires into the server: the store, the desk's
// layer over the gazetteer and tagger, what else the store keeps, and the
// outgoing side (the feed poller, the webhook deliverer, the safe client).
type services struct {
	db       serveStore
	where    string         // the store, for the start-up line
	size     func() float64 // the store's size, for the metrics
	desk     *desk
	more     kept
	client   *fetch.Client
	poller   *feed.Poller       // nil when the store keeps no feeds
	notifier *webhook.Deliverer // nil when the store keeps no delivery log
	follower *webhook.Follower  // the saved views' new reports to their webhooks; nil without views or log
}

// openServices opens the store and the gazetteer side by side (start-to-
// ready is the slower of the two, not their sum) and wires the rest.
func openServices(ctx context.Context, f *serveFlags, logger *slog.Logger) (*services, error) {
	gazc := make(chan loadedGazetteer, 1)
	go func() {
		g, err := gazetteer.Open()
		gazc <- loadedGazetteer{g, err}
		if err == nil {
			// The offline map's labels index, in the background: neither
			// start-up nor tagging waits for it; a labels request before
			// it is ready gets 503 with Retry-After.
			start := time.Now()
			g.BuildLabels()
			logger.Info("map labels ready", "took", time.Since(start).Round(time.Millisecond))
		}
	}()
	go geo.Preload()
	db, where, size, err := openServeStore(ctx, f)
	if err != nil {
		return nil, err
	}
	svc := &services{db: db, where: where, size: size, more: keptServices(db)}
	if err := svc.wire(ctx, f, <-gazc, logger); err != nil {
		db.Close()
		return nil, err
	}
	return svc, nil
}

// loadedGazetteer is the bundled gazetteer, or why it did not open.
type loadedGazetteer struct {
	gaz *gazetteer.Gazetteer
	err error
}

// wire lays the desk over the loaded gazetteer and makes the outgoing side:
// the safe client, the feed poller and the webhook deliverer where the
// store keeps feeds and a delivery log.
func (svc *services) wire(ctx context.Context, f *serveFlags, l loadedGazetteer, logger *slog.Logger) error {
	if l.err != nil {
		return l.err
	}
	client, err := f.out.client()
	if err != nil {
		return err
	}
	svc.client = client
	if svc.desk, err = openDesk(ctx, l.gaz, svc.db, logger); err != nil {
		return err
	}
	if svc.more.feeds != nil {
		svc.poller = feed.New(feed.Config{Reports: svc.db, Feeds: svc.more.feeds, Tagger: svc.desk.tagger, Client: client,
			Limits: f.limits, Incidents: svc.more.incidents, IncidentLimits: f.incLimits, MinInterval: f.out.feedMinInterval, MaxFeeds: f.out.maxFeeds,
			Concurrency: f.out.feedFetches, Claims: svc.more.claims, Logger: logger})
	}
	if svc.more.deliveries != nil {
		svc.notifier = webhook.New(webhook.Config{Client: client, Log: svc.more.deliveries, Logger: logger})
		if created, ok := svc.db.(webhook.Reports); ok && svc.more.views != nil {
			svc.follower = webhook.NewFollower(webhook.FollowConfig{Views: svc.more.views, Reports: created, Notifier: svc.notifier,
				Filter: server.ViewFilter, Interval: f.out.webhookEvery, Claims: svc.more.claims, Logger: logger})
		}
	}
	return nil
}

// serverConfig is the server's configuration from the flags and services.
// Returns an error for a malformed --trusted-proxy or --public-url.
func (f *serveFlags) serverConfig(svc *services, logger *slog.Logger) (server.Config, error) {
	var origins []string
	for _, o := range strings.Split(*f.cors, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	var trusted []string
	for _, p := range strings.Split(*f.proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return server.Config{}, fmt.Errorf("--trusted-proxy: %q is not an address or CIDR", p)
		}
		trusted = append(trusted, p)
	}
	if *f.publicURL != "" {
		if _, err := server.ParsePublicURL(*f.publicURL); err != nil {
			return server.Config{}, fmt.Errorf("--public-url: %w", err)
		}
	}
	more, dk := svc.more, svc.desk
	return server.Config{
		Reports: svc.db, Tokens: svc.db, Incidents: more.incidents, Views: more.views, Deliveries: more.deliveries,
		Audit: more.audit, Bulks: more.bulks,
		Tagger: dk.tagger, Places: dk.places, Rules: dk.rules, DeskPlaces: dk.deskPlaces,
		Feeds: feedService(svc.poller), Articles: article.New(svc.client, f.out.articleFetches),
		Events: geo.NewEventSuggester(), Pages: htmlpage.Reader{MaxElements: *f.maxSplitElements},
		PageFetcher: htmlpage.NewFetcher(svc.client, htmlpage.Reader{MaxElements: *f.maxSplitElements}, f.out.articleFetches),
		Frontend:    frontend.FS(), Logger: logger, Metrics: server.NewMetrics(svc.size),
		MaxBody: *f.maxBody, MaxImportBody: *f.maxImport, ReadsNeedToken: *f.readsNeedToken,
		CORSOrigins: origins, TrustedProxies: trusted, PublicURL: *f.publicURL,
		RateIP: *f.rateIP, RateToken: *f.rateToken, MaxRateClients: *f.rateClients,
		TileURL: *f.tiles, TileAttribution: *f.tileAttr,
		MaxWalks: *f.maxWalks, MaxPageReports: *f.maxPage, ReportLimits: f.limits, MaxTagResponse: *f.maxTagResponse,
		IncidentLimits:  f.incLimits,
		MaxSplitUpdates: *f.maxSplit, MaxBulkReports: *f.maxBulkReports, MaxBulkJobs: *f.maxBulkJobs,
		ScanRateIP: mibRate(*f.scanIP), ScanRateToken: mibRate(*f.scanToken), MaxBulk: *f.maxBulk,
	}, nil
}

// listen serves srv on --addr until ctx ends: the first start's admin
// token, then the feed poller and webhook deliverer beside the HTTP server,
// both stopped before the store closes.
func (f *serveFlags) listen(ctx context.Context, srv *server.Server, svc *services, tokenFile string, terminal bool, stdout io.Writer) error {
	ln, err := net.Listen("tcp", *f.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // exports stream for a while
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	login := loginBase(*f.addr, ln.Addr())
	if *f.publicURL != "" {
		login = strings.TrimRight(*f.publicURL, "/")
	}
	if err := firstStart(ctx, svc.db, login, tokenFile, terminal, stdout); err != nil {
		ln.Close()
		return err
	}
	pollCtx, stopPolling := context.WithCancel(ctx)
	var outgoing sync.WaitGroup // the feed poller, the webhook deliverer and its follower
	if svc.poller != nil {
		outgoing.Go(func() { svc.poller.Run(pollCtx) })
	}
	if svc.notifier != nil {
		outgoing.Go(func() { svc.notifier.Run(pollCtx) })
	}
	if svc.follower != nil {
		outgoing.Go(func() { svc.follower.Run(pollCtx) })
	}
	outgoing.Go(func() { svc.desk.follow(pollCtx, deskSyncEvery) })
	defer func() { stopPolling(); outgoing.Wait() }()
	fmt.Fprintf(stdout, "geotag: serving %s (%s)\n", "http://"+ln.Addr().String(), svc.where)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serveStore is what serve needs of a store.
type serveStore interface {
	geotag.ReportService
	geotag.TokenService
	Close() error
}

// openServeStore opens the PostgreSQL store at --store (its pool of
// --store-max-conns connections), or else the bbolt store in the data
// directory, and returns it with a description for the start-up line and
// the store's size in bytes for the metrics. It refuses a negative
// --store-max-conns, or one past what a pool can count.
func openServeStore(ctx context.Context, f *serveFlags) (serveStore, string, func() float64, error) {
	data, storeURL, limits, maxViews := *f.data, *f.storeURL, f.limits, *f.maxViews
	if storeURL != "" {
		if *f.storeConns < 0 || *f.storeConns > math.MaxInt32 {
			return nil, "", nil, fmt.Errorf("--store-max-conns must be 0 (the default) or a number of connections, not %d", *f.storeConns)
		}
		db, err := openPostgresWith(ctx, storeURL, postgres.Options{Limits: limits, MaxViews: maxViews, MaxConns: int32(*f.storeConns)})
		if err != nil {
			return nil, "", nil, err
		}
		size := func() float64 {
			c, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := db.Size(c)
			if err != nil {
				return 0
			}
			return float64(n)
		}
		return db, fmt.Sprintf("store %s (at most %d connections)", redactDSN(storeURL), db.MaxConns()), size, nil
	}
	dbPath := filepath.Join(data, "geotag.db")
	db, err := store.Open(dbPath, &store.Options{Limits: limits, MaxViews: maxViews})
	if err != nil {
		return nil, "", nil, err
	}
	size := func() float64 {
		fi, err := os.Stat(dbPath)
		if err != nil {
			return 0
		}
		return float64(fi.Size())
	}
	return db, "data in " + data, size, nil
}

// firstStart creates an admin token when the store has none, so that a new
// service is never open to writes and its owner is never locked out. It
// writes the secret to tokenFile when one is named (writeSecretFile), and
// prints a one-time login link for the map only to a terminal: a service's
// stdout is often a journal that others read, so there it says where the
// file is instead.
func firstStart(ctx context.Context, tokens geotag.TokenService, base, tokenFile string, terminal bool, stdout io.Writer) error {
	ts, err := tokens.ListTokens(ctx)
	if err != nil || len(ts) > 0 {
		return err
	}
	if !terminal && tokenFile == "" {
		return errors.New("first start: the admin token needs a terminal or --admin-token-file")
	}
	if tokenFile != "" {
		if err := checkSecretPath(tokenFile); err != nil {
			return err
		}
	}
	secret, _, err := tokens.IssueToken(ctx, geotag.Token{Name: "admin", Admin: true})
	if err != nil {
		return err
	}
	if tokenFile != "" {
		if err := writeSecretFile(tokenFile, secret+"\n"); err != nil {
			return err
		}
	}
	if !terminal {
		fmt.Fprintf(stdout, "geotag: first start: created an admin token and wrote it to %s (mode 0600); it is not printed here, as stdout is not a terminal.\n"+
			"geotag: log in to the map once at %s/#token=<the token>, or paste it in the map's Sign in panel; then delete the file.\n", tokenFile, base)
		return nil
	}
	fmt.Fprintf(stdout, "geotag: first start: created an admin token. Log in to the map once with this link (it is shown only now):\n\n\t%s/#token=%s\n\n"+
		"geotag: API clients send it as \"Authorization: Bearer %s\"; manage tokens with \"geotag token\" or /api/v1/tokens.\n", base, secret, secret)
	return nil
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// checkSecretPath refuses a secret file path that names anything but a
// regular file or nothing: a symlink (which could point the secret at
// another file, or at a file others read) or a device.
func checkSecretPath(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("admin token file: %w", err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("admin token file %s is a %v, not a regular file: refusing to write a secret there", path, fi.Mode().Type())
	}
	return nil
}

// writeSecretFile writes data to path readable by its owner only (0600),
// whatever the mode of a file already there: it writes a new file in the
// same directory (created 0600) and renames it over path, which replaces
// the name itself, never a file a symlink put there in the meantime
// points to. It refuses a path that is not a regular file (checkSecretPath).
func writeSecretFile(path, data string) error {
	if err := checkSecretPath(path); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("admin token file: %w", err)
	}
	tmp := f.Name()
	_, err = f.WriteString(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("admin token file: %w", err)
	}
	return nil
}

// loginBase returns the URL people open for a listener: the host name
// given to --addr (localhost by default), localhost for the unspecified
// addresses, else the address listened on.
func loginBase(flagAddr string, a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String()
	}
	if h, _, err := net.SplitHostPort(flagAddr); err == nil && h != "" && net.ParseIP(h) == nil {
		host = h
	} else if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// reportLimitFlags defines the flags of the report limits (what one stored
// report may hold; see geotag.ReportLimits) on fs, writing into l; each
// defaults to its geotag.Default* value, and a negative value means none.
func reportLimitFlags(fs *flag.FlagSet, l *geotag.ReportLimits) {
	fs.IntVar(&l.MaxTextBytes, "max-text-bytes", geotag.DefaultMaxTextBytes, "largest text of a report in `BYTES`")
	fs.IntVar(&l.MaxTags, "max-tags", geotag.DefaultMaxTags, "most tags one report may have")
	fs.IntVar(&l.MaxTagBytes, "max-tag-bytes", geotag.DefaultMaxTagBytes, "longest tag in `BYTES`")
	fs.IntVar(&l.MaxMentions, "max-mentions", geotag.DefaultMaxMentions, "most place mentions one report may have (a POST /api/v1/tag answer keeps the first ones, truncated)")
	fs.IntVar(&l.MaxAlternatives, "max-alternatives", geotag.DefaultMaxAlternatives, "most alternative places of one mention (a tagged one has at most 5)")
	fs.IntVar(&l.MaxRevisions, "max-revisions", geotag.DefaultMaxRevisions, "revisions kept in a report's history (older ones are dropped)")
	fs.IntVar(&l.MaxHistoryBytes, "max-history-bytes", geotag.DefaultMaxHistoryBytes, "about the `BYTES` of a report's history kept (the oldest edits lose their undo data first)")
	fs.IntVar(&l.MaxReportBytes, "max-report-bytes", geotag.DefaultMaxReportBytes, "largest stored report in `BYTES`, everything together")
}

// incidentLimitFlags defines the flags of the incident limits (see
// geotag.IncidentLimits) on fs, writing into l; each defaults to its
// geotag.Default* value. The sources, title and revision limits may only
// be lowered (every store accepts up to the defaults).
func incidentLimitFlags(fs *flag.FlagSet, l *geotag.IncidentLimits) {
	fs.IntVar(&l.MaxSources, "max-incident-sources", geotag.DefaultMaxIncidentSources, "most source reports of one incident (1…200; more answer 400)")
	fs.IntVar(&l.MaxTitle, "max-incident-title", geotag.DefaultMaxIncidentTitle, "longest incident title in `BYTES` (1…500; longer answer 400)")
	fs.IntVar(&l.MaxRevisions, "max-incident-revisions", geotag.DefaultMaxIncidentRevisions, "revisions kept in an incident's history (2…500; the first and the newest are kept)")
	fs.IntVar(&l.MaxPage, "max-incident-page", geotag.DefaultMaxIncidentPage, "most incidents one GET /api/v1/incidents page holds (a larger limit= is lowered to it; 1…10000)")
	fs.IntVar(&l.MaxSameEvent, "max-same-event", geotag.DefaultMaxSameEvent, "most same-event candidates answered for one report (the best-scored; 1…1000)")
	fs.IntVar(&l.SameEventReads, "same-event-reads", geotag.DefaultSameEventReads, "reports each of a same-event lookup's three queries reads (1…1000)")
}

// mibRate converts a --scan-rate flag in MiB per second to bytes per
// second, keeping a negative value (no budget) negative.
func mibRate(mib float64) float64 {
	if mib < 0 {
		return -1
	}
	return mib * (1 << 20)
}

// kept is what a store keeps besides reports and tokens: the bbolt store
// keeps all of it, and so does the PostgreSQL store (desk rules and
// places: see openDesk). claims is set only for a store several servers
// share (PostgreSQL): one of them at a time polls a feed or follows a
// view's webhook.
type kept struct {
	feeds      geotag.FeedService
	views      geotag.ViewService
	incidents  geotag.IncidentService
	deliveries geotag.WebhookLog
	audit      geotag.AuditLog
	bulks      geotag.BulkLog
	claims     geotag.Claimer
}

// keptServices finds in db what it keeps of kept.
func keptServices(db serveStore) kept {
	var k kept
	k.feeds, _ = db.(geotag.FeedService)
	k.views, _ = db.(geotag.ViewService)
	k.incidents, _ = db.(geotag.IncidentService)
	k.deliveries, _ = db.(geotag.WebhookLog)
	k.audit, _ = db.(geotag.AuditLog)
	k.bulks, _ = db.(geotag.BulkLog)
	k.claims, _ = db.(geotag.Claimer)
	return k
}

// feedService is p as the server's FeedService, nil when there is none (a
// nil *feed.Poller would be a non-nil interface).
func feedService(p *feed.Poller) geotag.FeedService {
	if p == nil {
		return nil
	}
	return p
}
