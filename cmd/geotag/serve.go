package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
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
	"github.com/geotag/geotag/server"
	"github.com/geotag/geotag/store"
	"github.com/geotag/geotag/webhook"
)

// runServe opens the data directory, loads the bundled gazetteer and serves
// the API and the map until ctx ends.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "localhost:8080", "listen on `HOST:PORT`")
	data := fs.String("data", "geotag-data", "data `DIR`ectory, created if missing")
	storeURL := storeFlag(fs)
	maxBody := fs.Int64("max-body", 1<<20, "largest request body in `BYTES`")
	maxImport := fs.Int64("max-import-body", 32<<20, "largest body of POST /api/v1/import in `BYTES`")
	readsNeedToken := fs.Bool("token-required-for-reads", false, "require a bearer token for reads too (writes always need one)")
	cors := fs.String("cors-origin", "", "comma-separated `ORIGINS` allowed to call the API from browsers (\"*\" for any); none by default")
	rateIP := fs.Float64("rate-ip", 30, "requests per second allowed per client address without a token (burst twice that); negative disables")
	rateToken := fs.Float64("rate-token", 100, "requests per second allowed per token (burst twice that); negative disables")
	tiles := fs.String("tiles", "", "map tile `URL` template for the page, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (default: the page's own)")
	tileAttr := fs.String("tile-attribution", "", "attribution `HTML` of the tile server")
	proxies := fs.String("trusted-proxy", "", "comma-separated `CIDRS` of reverse proxies whose X-Forwarded-For names the client")
	adminTokenFile := fs.String("admin-token-file", "", "on first start, write the new admin token to `FILE` (mode 0600; a symlink there is refused); default when stdout is not a terminal: DIR/admin-token")
	publicURL := fs.String("public-url", "", "the service's `URL` as users reach it (https://geotag.example.org), for the login link and absolute API links; default: the request's Host when it is a plain host name")
	rateClients := fs.Int("rate-clients", 100000, "client addresses (IPv6: /64 networks) and, apart, tokens the rate limiter tracks at once; the idle ones, then others, make room")
	maxWalks := fs.Int("max-walks", 0, "cluster-count and histogram walks run at once (0: one fewer than the CPUs, at least one; negative: unbounded)")
	maxPage := fs.Int("max-page-reports", 0, "reports all list pages may hold in memory at once (0: 20,000; negative: unbounded)")
	var limits geotag.ReportLimits
	reportLimitFlags(fs, &limits)
	maxViews := fs.Int("max-views", geotag.DefaultMaxViews, "most saved views the service stores (/api/v1/views)")
	maxSplitElements := fs.Int("max-split-elements", htmlpage.DefaultMaxElements, "most elements of an HTML page POST /api/v1/split reads (413 past it)")
	maxSplit := fs.Int("max-split-updates", geotag.DefaultMaxLiveBlogEntries, "most updates one POST /api/v1/split answers (the first are kept, truncated)")
	maxTagResponse := fs.Int("max-tag-response", 8<<20, "largest POST /api/v1/tag answer in `BYTES` (mentions past it are left out, truncated)")
	scanIP := fs.Float64("scan-rate-ip", 64, "`MiB` per second of index entries and reports that searches, exports and bulk pages may read per client address without a token (bucket: 16 s of it); negative disables")
	scanToken := fs.Float64("scan-rate-token", 256, "`MiB` per second that searches, exports and bulk pages may read per token (bucket: 16 s of it); negative disables")
	maxBulk := fs.Int("max-bulk", 0, "bulk scans (exports, text searches, offset walks, filtered tag counts) run at once (0: one fewer than the CPUs, at least one; negative: unbounded)")
	maxBulkReports := fs.Int("max-bulk-reports", geotag.DefaultMaxBulkReports, "reports one bulk correction (or a rule's re-tag) may change; more answer 422: narrow the filter")
	maxBulkJobs := fs.Int("max-bulk-jobs", 2, "bulk corrections and their undos running at once; more answer 503")
	var out outgoingFlags
	out.define(fs)
	logLevel := fs.String("log-level", "info", "log `LEVEL`: debug, info (one line per request), warn or error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	chooseStore(fs, storeURL)
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	terminal := isTerminal(stdout)
	tokenFile := *adminTokenFile
	if tokenFile == "" && !terminal {
		tokenFile = filepath.Join(*data, "admin-token")
	}
	if *storeURL == "" || tokenFile == filepath.Join(*data, "admin-token") {
		if err := os.MkdirAll(*data, 0o755); err != nil {
			return fmt.Errorf("data directory: %w", err)
		}
	}
	// The gazetteer, the tagger's word lists and the store load side by
	// side: start-to-ready is the slowest of them, not their sum.
	type loaded struct {
		gaz *gazetteer.Gazetteer
		err error
	}
	gazc := make(chan loaded, 1)
	go func() {
		g, err := gazetteer.Open()
		gazc <- loaded{g, err}
	}()
	go geo.Preload()

	db, where, size, err := openServeStore(ctx, *data, *storeURL, limits, *maxViews)
	if err != nil {
		return err
	}
	defer db.Close()

	l := <-gazc
	if l.err != nil {
		return l.err
	}
	gaz := l.gaz
	var origins []string
	for _, o := range strings.Split(*cors, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	var trusted []string
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return fmt.Errorf("--trusted-proxy: %q is not an address or CIDR", p)
		}
		trusted = append(trusted, p)
	}
	if *publicURL != "" {
		if _, err := server.ParsePublicURL(*publicURL); err != nil {
			return fmt.Errorf("--public-url: %w", err)
		}
	}
	client, err := out.client()
	if err != nil {
		return err
	}
	dk, err := openDesk(ctx, gaz, db)
	if err != nil {
		return err
	}
	tagger := dk.tagger
	more := keptServices(db)
	var poller *feed.Poller
	if more.feeds != nil {
		poller = feed.New(feed.Config{Reports: db, Feeds: more.feeds, Tagger: tagger, Client: client, Limits: limits,
			MinInterval: out.feedMinInterval, MaxFeeds: out.maxFeeds, Concurrency: out.feedFetches, Logger: logger})
	}
	var notifier *webhook.Deliverer
	var follower *webhook.Follower // sends the saved views' new reports to their webhooks
	if more.deliveries != nil {
		notifier = webhook.New(webhook.Config{Client: client, Log: more.deliveries, Logger: logger})
		if created, ok := db.(webhook.Reports); ok && more.views != nil {
			follower = webhook.NewFollower(webhook.FollowConfig{Views: more.views, Reports: created, Notifier: notifier,
				Filter: server.ViewFilter, Interval: out.webhookEvery, Logger: logger})
		}
	}
	metrics := server.NewMetrics(size)
	srv := server.New(server.Config{
		Reports:         db,
		Incidents:       more.incidents,
		Tagger:          tagger,
		Feeds:           feedService(poller),
		Articles:        article.New(client, out.articleFetches),
		Deliveries:      more.deliveries,
		Rules:           dk.rules,
		DeskPlaces:      dk.deskPlaces,
		Audit:           more.audit,
		Bulks:           more.bulks,
		MaxBulkReports:  *maxBulkReports,
		MaxBulkJobs:     *maxBulkJobs,
		Events:          geo.NewEventSuggester(),
		Places:          dk.places,
		Tokens:          db,
		Frontend:        frontend.FS(),
		Logger:          logger,
		MaxBody:         *maxBody,
		MaxImportBody:   *maxImport,
		ReadsNeedToken:  *readsNeedToken,
		CORSOrigins:     origins,
		TrustedProxies:  trusted,
		RateIP:          *rateIP,
		RateToken:       *rateToken,
		MaxRateClients:  *rateClients,
		PublicURL:       *publicURL,
		Metrics:         metrics,
		TileURL:         *tiles,
		TileAttribution: *tileAttr,
		MaxWalks:        *maxWalks,
		MaxPageReports:  *maxPage,
		ReportLimits:    limits,
		MaxTagResponse:  *maxTagResponse,
		Pages:           htmlpage.Reader{MaxElements: *maxSplitElements},
		PageFetcher:     htmlpage.NewFetcher(client, htmlpage.Reader{MaxElements: *maxSplitElements}, out.articleFetches),
		Views:           more.views,
		MaxSplitUpdates: *maxSplit,
		ScanRateIP:      mibRate(*scanIP),
		ScanRateToken:   mibRate(*scanToken),
		MaxBulk:         *maxBulk,
	})

	ln, err := net.Listen("tcp", *addr)
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
	base := "http://" + ln.Addr().String()
	login := loginBase(*addr, ln.Addr())
	if *publicURL != "" {
		login = strings.TrimRight(*publicURL, "/")
	}
	if err := firstStart(ctx, db, login, tokenFile, terminal, stdout); err != nil {
		ln.Close()
		return err
	}
	pollCtx, stopPolling := context.WithCancel(ctx)
	var outgoing sync.WaitGroup // the feed poller, the webhook deliverer and its follower
	if poller != nil {
		outgoing.Go(func() { poller.Run(pollCtx) })
	}
	if notifier != nil {
		outgoing.Go(func() { notifier.Run(pollCtx) })
	}
	if follower != nil {
		outgoing.Go(func() { follower.Run(pollCtx) })
	}
	defer func() { stopPolling(); outgoing.Wait() }() // before the store closes
	fmt.Fprintf(stdout, "geotag: serving %s (%s)\n", base, where)

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

// openServeStore opens the PostgreSQL store at storeURL, or else the bbolt
// store in the data directory, and returns it with a description for the
// start-up line and the store's size in bytes for the metrics.
func openServeStore(ctx context.Context, data, storeURL string, limits geotag.ReportLimits, maxViews int) (serveStore, string, func() float64, error) {
	if storeURL != "" {
		db, err := openPostgres(ctx, storeURL, limits)
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
		return db, "store " + redactDSN(storeURL), size, nil
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

// mibRate converts a --scan-rate flag in MiB per second to bytes per
// second, keeping a negative value (no budget) negative.
func mibRate(mib float64) float64 {
	if mib < 0 {
		return -1
	}
	return mib * (1 << 20)
}

// kept is what a store keeps besides reports and tokens: the bbolt store
// keeps all of it; the PostgreSQL store none yet, so on it these routes and
// the feed poller and webhook deliverer are left out.
type kept struct {
	feeds      geotag.FeedService
	views      geotag.ViewService
	incidents  geotag.IncidentService
	deliveries geotag.WebhookLog
	audit      geotag.AuditLog
	bulks      geotag.BulkLog
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
