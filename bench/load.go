package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo/newstext"
	"github.com/geotag/geotag/internal/serveurl"
	"github.com/geotag/geotag/store"
)

// The load benchmark runs "geotag serve" on 127.0.0.1 with a store
// pre-filled with synthetic reports (or targets a running service with
// --url), and has many concurrent clients do what the map page and API
// scripts do:
//
//	map       GET /api/v1/reports?bbox=…&limit=2000&whole=true   the page's marker query for a view
//	          (no features when more than 2,000 match: the page shows cells then)
//	cells     GET /api/v1/cells?bbox=…&zoom=…         its cluster counts when a view has more
//	histogram GET /api/v1/histogram?bbox=…&bins=1000  the time bar's data for a view
//	          (with --legacy-page: GET /api/v1/reports?bbox=…&limit=5000, as
//	          the page did before the histogram endpoint, for baselines)
//	search    GET /api/v1/places?q=…&limit=8          place autocomplete, 2–6 typed letters
//	tag       POST /api/v1/tag                        a 3 KB news report, nothing stored
//	create    POST /api/v1/reports                    a 1.5 KB report, tagged and stored
//
// With --store postgres://… it pre-fills that PostgreSQL store instead and
// starts --servers processes on it (geotag serve --store), each client
// talking to one of them, as behind a load balancer.
//
// It prints throughput and latency percentiles per kind, error counts, the
// writes the service acknowledged but lost, and the service's resident
// memory. The run is bounded by --seconds and --requests, and it only ever
// connects to loopback addresses.
func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seconds := fs.Float64("seconds", 60, "run for `S` seconds")
	clients := fs.Int("clients", 200, "concurrent `N` clients, each with its own connections")
	reports := fs.Int("reports", 1000000, "pre-fill the store with `N` synthetic reports")
	maxReq := fs.Int("requests", 5000000, "stop after `N` requests in all")
	target := fs.String("url", "", "load a running service at `URL` (loopback only) instead of starting one; needs --token")
	token := fs.String("token", "", "bearer `TOKEN` for --url (a write token)")
	dir := fs.String("dir", "", "keep the pre-filled store in `DIR` and reuse it in later runs (default a temporary directory)")
	bin := fs.String("geotag", "", "geotag `BINARY` to run (default: go build ./cmd/geotag)")
	mixFlag := fs.String("mix", "map=30,cells=20,histogram=5,search=20,tag=15,create=10", "request `MIX` as kind=weight,…")
	tagBytes := fs.Int("tag-bytes", 3000, "size of the tagged reports in `BYTES`")
	think := fs.Duration("think", time.Second, "mean pause of a client between its requests (exponential), as people and scripts pause; 0 saturates the service")
	seed := fs.Uint64("seed", 1, "random `seed`")
	legacy := fs.Bool("legacy-page", false, "send the map's and time bar's requests as the page did before whole=true and GET /api/v1/histogram (2,000 and 5,000 reports), to measure an older build")
	asJSON := fs.Bool("json", false, "print one {\"name\",\"value\",\"unit\"} JSON object per figure")
	storeURL := fs.String("store", "", "pre-fill and serve the PostgreSQL store at `URL` (geotag serve --store) instead of a bbolt store in --dir")
	servers := fs.Int("servers", 1, "start `N` geotag serve processes on the one --store database; each client talks to one of them, in turn, as behind a load balancer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *servers < 1 || *servers > 8 || *servers > 1 && *storeURL == "" {
		return errors.New("--servers must be within 1…8, and more than one needs --store")
	}
	mix, err := parseMix(*mixFlag)
	if err != nil {
		return err
	}
	if *clients < 1 || *seconds <= 0 || *maxReq < 1 {
		return errors.New("--clients, --seconds and --requests must be positive")
	}
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "load: "+format+"\n", a...) }

	base, secret := *target, *token
	var srvs []*loadServer
	if base == "" {
		if *dir == "" {
			d, err := os.MkdirTemp("", "geotag-load-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(d)
			*dir = d
		}
		if srvs, secret, err = ownServers(ctx, *dir, *bin, *storeURL, *servers, *reports, *seed, stderr, logf); err != nil {
			return err
		}
		defer stopAll(srvs)
		base = srvs[0].base
	} else if secret == "" {
		return errors.New("--url needs --token")
	}
	if err := loopbackOnly(base); err != nil {
		return err
	}
	bases := []string{base}
	if len(srvs) > 0 {
		bases = bases[:0]
		for _, s := range srvs {
			bases = append(bases, s.base)
		}
	}

	l := &loadRun{base: base, bases: bases, token: secret, mix: mix, seed: *seed, maxReq: int64(*maxReq), think: *think,
		stats: map[string]*kindStats{}, tagBytes: *tagBytes, legacy: *legacy}
	for _, m := range mix {
		l.stats[m.kind] = &kindStats{}
	}
	if err := l.prepare(ctx); err != nil {
		return err
	}
	transport := &http.Transport{MaxIdleConns: *clients * 2, MaxIdleConnsPerHost: *clients * 2, IdleConnTimeout: time.Minute}
	l.client = &http.Client{Transport: transport, Timeout: 60 * time.Second}
	defer transport.CloseIdleConnections()

	var srv *loadServer // the first server: its memory, and the store's count
	if len(srvs) > 0 {
		srv = srvs[0]
	}
	mem := watchMemory(srv)

	logf("%d clients for %gs against %s…", *clients, *seconds, strings.Join(bases, ", "))
	runCtx, cancel := context.WithTimeout(ctx, time.Duration(*seconds*float64(time.Second)))
	start := time.Now()
	l.clients(runCtx, *clients, *seed)
	elapsed := time.Since(start)
	cancel()
	mem.stop()

	lost, err := l.lostWrites(ctx, srvs, logf)
	if err != nil {
		return err
	}
	return l.print(stdout, *asJSON, loadSummary{
		elapsed: elapsed, clients: *clients, reports: *reports, lost: lost, servers: len(bases),
		rss: mem.rss, anon: mem.anon, ownServer: srv != nil,
	})
}

// clients runs n clients until ctx ends or the requests are spent.
func (l *loadRun) clients(ctx context.Context, n int, seed uint64) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.client1(ctx, l.bases[i%len(l.bases)], rand.New(rand.NewPCG(seed, uint64(i)+100)))
		}()
	}
	wg.Wait()
}

// lostWrites counts the acknowledged writes that the service does not
// answer, or, with a service of its own, that its store does not hold
// after a clean stop.
func (l *loadRun) lostWrites(ctx context.Context, srvs []*loadServer, logf func(string, ...any)) (int, error) {
	logf("checking %d acknowledged writes…", len(l.created))
	lost, err := l.checkWrites(ctx)
	if err != nil || len(srvs) == 0 {
		return lost, err
	}
	// The store itself, after a clean stop of every server: every report there.
	stopAll(srvs)
	n, err := srvs[0].count()
	if err != nil {
		return lost, err
	}
	if want := srvs[0].count0 + len(l.created); n < want {
		logf("the store holds %d reports after the run, want at least %d", n, want)
		lost = max(lost, want-n)
	}
	return lost, nil
}

// ownServer pre-fills the store in dir, builds geotag when bin is empty,
// and starts it: the service to load, and a write token of it.
func ownServer(ctx context.Context, dir, bin string, reports int, seed uint64, stderr io.Writer, logf func(string, ...any)) (*loadServer, string, error) {
	secret, err := prefill(ctx, dir, reports, seed, logf)
	if err != nil {
		return nil, "", err
	}
	if bin, err = buildGeotag(ctx, dir, bin, stderr, logf); err != nil {
		return nil, "", err
	}
	data := filepath.Join(dir, "data")
	srv, err := startLoadServer(ctx, bin, data, nil, bboltCount(data), logf)
	return srv, secret, err
}

// memoryWatch samples the service's resident and anonymous memory every
// 250 ms: at the start, the peak and the end of a run (zero without a
// service of its own).
type memoryWatch struct {
	srv       *loadServer
	rss, anon [3]int64 // start, peak, end
	done      chan struct{}
	wg        sync.WaitGroup
}

func watchMemory(srv *loadServer) *memoryWatch {
	m := &memoryWatch{srv: srv, done: make(chan struct{})}
	if srv == nil {
		return m
	}
	m.rss[0], m.anon[0] = srv.rss()
	m.rss[1], m.anon[1] = m.rss[0], m.anon[0]
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-m.done:
				return
			case <-tick.C:
				rss, anon := srv.rss()
				m.rss[1], m.anon[1] = max(m.rss[1], rss), max(m.anon[1], anon)
			}
		}
	}()
	return m
}

// stop ends the sampling and takes the end figures.
func (m *memoryWatch) stop() {
	close(m.done)
	m.wg.Wait()
	if m.srv != nil {
		m.rss[2], m.anon[2] = m.srv.rss()
	}
}

// mixEntry is one kind of request and its share.
type mixEntry struct {
	kind   string
	weight int
}

var loadKinds = []string{"map", "cells", "histogram", "search", "tag", "create"}

func parseMix(s string) ([]mixEntry, error) {
	var mix []mixEntry
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		w, err := strconv.Atoi(v)
		if !ok || err != nil || w < 0 || !slices.Contains(loadKinds, k) {
			return nil, fmt.Errorf("--mix: %q is not kind=weight with a kind of %v", part, loadKinds)
		}
		if w > 0 {
			mix = append(mix, mixEntry{k, w})
		}
	}
	if len(mix) == 0 {
		return nil, errors.New("--mix has no kind with a weight")
	}
	return mix, nil
}

// loopbackOnly refuses any target but a loopback address: the load command
// is not a tool to point at other people's servers.
func loopbackOnly(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--url %s: only loopback addresses may be loaded", base)
}

// prefill makes sure dir/data/geotag.db holds at least n reports, importing
// synthetic ones, and returns the secret of a new write token.
func prefill(ctx context.Context, dir string, n int, seed uint64, logf func(string, ...any)) (string, error) {
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return "", err
	}
	db, err := store.Open(filepath.Join(dir, "data", "geotag.db"), &store.Options{Timeout: 5 * time.Second})
	if err != nil {
		return "", err
	}
	defer db.Close()
	have, err := db.Count()
	if err != nil {
		return "", err
	}
	if have < n {
		logf("importing %d synthetic reports (the store has %d)…", n-have, have)
		s := newSynth(seed)
		for range have { // continue the same sequence
			s.report()
		}
		start := time.Now()
		batch := make([]*geotag.Report, 0, 10000)
		for done := have; done < n; {
			batch = batch[:0]
			for len(batch) < cap(batch) && done+len(batch) < n {
				batch = append(batch, s.report())
			}
			if _, err := db.Import(ctx, batch); err != nil {
				return "", err
			}
			done += len(batch)
			if done%100000 < len(batch) || done == n {
				logf("  %d reports (%.0f/s)", done, float64(done-have)/time.Since(start).Seconds())
			}
		}
	}
	secret, _, err := db.CreateToken(ctx, "load benchmark", false)
	return secret, err
}

// loadServer is a "geotag serve" child process.
type loadServer struct {
	cmd    *exec.Cmd
	base   string
	count  func() (int, error) // the reports in its store
	count0 int
	done   chan struct{}
	once   sync.Once
}

// startLoadServer starts "geotag serve" on the data directory, with the
// extra arguments; count counts the reports of its store (the service
// stopped).
func startLoadServer(ctx context.Context, bin, data string, extra []string, count func() (int, error), logf func(string, ...any)) (*loadServer, error) {
	count0, err := count()
	if err != nil {
		return nil, err
	}
	// Rate limits off: 200 clients on one address are the point here.
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--rate-ip", "-1", "--rate-token", "-1"}, extra...)...)
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &loadServer{cmd: cmd, count: count, count0: count0, done: make(chan struct{})}
	if s.base, err = serveurl.Wait(ctx, out, func() { cmd.Wait(); close(s.done) }, "/readyz", 2*time.Minute, time.Minute); err != nil {
		if !errors.Is(err, serveurl.ErrExited) {
			s.stop()
		}
		return nil, err
	}
	rss, _ := s.rss()
	logf("geotag serve (pid %d) at %s with %d reports, RSS %d MiB", cmd.Process.Pid, s.base, count0, rss>>20)
	return s, nil
}

// rss returns the child's resident set size in bytes, and the part of it
// that is anonymous memory (the Go heap and stacks) rather than pages of
// the store file that bbolt maps; 0 if unknown.
func (s *loadServer) rss() (total, anon int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, rest, _ := strings.Cut(line, ":")
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		switch name {
		case "VmRSS":
			total = kb << 10
		case "RssAnon":
			anon = kb << 10
		}
	}
	return total, anon
}

// stop ends the child: SIGTERM, then SIGKILL after 30 seconds.
func (s *loadServer) stop() {
	s.once.Do(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
	})
}

// bboltCount counts the reports of the bbolt store in data.
func bboltCount(data string) func() (int, error) {
	return func() (int, error) {
		db, err := store.Open(filepath.Join(data, "geotag.db"), &store.Options{Timeout: 10 * time.Second})
		if err != nil {
			return 0, err
		}
		defer db.Close()
		return db.Count()
	}
}

// stopAll stops the servers, all at once.
func stopAll(srvs []*loadServer) {
	var wg sync.WaitGroup
	for _, s := range srvs {
		wg.Go(s.stop)
	}
	wg.Wait()
}

// kindStats collects one kind's latencies and failures.
type kindStats struct {
	mu        sync.Mutex
	lat       []time.Duration
	c4xx      int
	c5xx      int
	netErrors int
	bytes     int64
	firstErr  string
}

// loadRun is one run's shared state.
type loadRun struct {
	base, token string
	bases       []string // the servers; client i talks to bases[i%len(bases)]
	mix         []mixEntry
	seed        uint64
	maxReq      int64
	think       time.Duration
	tagBytes    int
	client      *http.Client
	stats       map[string]*kindStats
	n           atomic.Int64
	names       []string // place names people search for
	tagTexts    [][]byte // request bodies for /api/v1/tag
	createTexts []string // texts for new reports
	seq         atomic.Int64
	mu          sync.Mutex
	created     [][2]string // id, external id of each acknowledged create
	legacy      bool        // the time bar's requests of the page before the histogram endpoint
}

// prepare builds the request bodies up front, so that clients spend their
// time waiting for the service.
func (l *loadRun) prepare(ctx context.Context) error {
	l.names = slices.Clone(newstext.Places)
	for _, h := range hotspots {
		l.names = append(l.names, h.name)
	}
	for i := range 64 {
		b, _ := json.Marshal(map[string]string{"text": newstext.Doc(l.seed*1000+uint64(i), l.tagBytes)})
		l.tagTexts = append(l.tagTexts, b)
		l.createTexts = append(l.createTexts, newstext.Doc(l.seed*1000+500+uint64(i), 1500))
	}
	return ctx.Err()
}

// viewport returns a map view's bbox and zoom around a hotspot.
func viewport(rnd *rand.Rand) (bbox string, zoom int) {
	h := hotspots[rnd.IntN(len(hotspots))]
	zoom = 5 + rnd.IntN(8) // country to town
	// A 1200×800 pixel view at that zoom, padded by a quarter as the page does.
	w := 360 / math.Exp2(float64(zoom)) * 1200 / 256 * 1.5
	hgt := w * 2 / 3
	lat := h.lat + rnd.NormFloat64()*h.sigma
	lon := h.lon + rnd.NormFloat64()*h.sigma
	clamp := func(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
	W, E := clamp(lon-w/2, -180, 180), clamp(lon+w/2, -180, 180)
	S, N := clamp(lat-hgt/2, -90, 90), clamp(lat+hgt/2, -90, 90)
	return fmt.Sprintf("%.5f,%.5f,%.5f,%.5f", W, S, E, N), zoom
}

// client1 is one client: it sends requests of the mix until ctx ends or
// the run has sent its maximum.
func (l *loadRun) client1(ctx context.Context, base string, rnd *rand.Rand) {
	total := 0
	for _, m := range l.mix {
		total += m.weight
	}
	pause := func() {
		if l.think > 0 {
			d := time.Duration(rnd.ExpFloat64() * float64(l.think))
			select {
			case <-ctx.Done():
			case <-time.After(d):
			}
		}
	}
	pause() // clients start spread out, as they would
	for ctx.Err() == nil && l.n.Add(1) <= l.maxReq {
		x := rnd.IntN(total)
		kind := l.mix[len(l.mix)-1].kind
		for _, m := range l.mix {
			if x < m.weight {
				kind = m.kind
				break
			}
			x -= m.weight
		}
		var method, path string
		var body []byte
		switch kind {
		case "map", "cells", "histogram":
			bbox, zoom := viewport(rnd)
			method = "GET"
			switch kind {
			case "map":
				path = "/api/v1/reports?bbox=" + bbox + "&limit=2000&whole=true"
				if l.legacy {
					path = "/api/v1/reports?bbox=" + bbox + "&limit=2000"
				}
			case "cells":
				path = "/api/v1/cells?bbox=" + bbox + "&zoom=" + strconv.Itoa(zoom)
			case "histogram":
				path = "/api/v1/histogram?bbox=" + bbox + "&bins=1000"
				if l.legacy {
					path = "/api/v1/reports?bbox=" + bbox + "&limit=5000"
				}
			}
		case "search":
			name := l.names[rnd.IntN(len(l.names))]
			r := []rune(name)
			typed := string(r[:min(len(r), 2+rnd.IntN(5))])
			method, path = "GET", "/api/v1/places?q="+url.QueryEscape(typed)+"&limit=8"
		case "tag":
			method, path, body = "POST", "/api/v1/tag", l.tagTexts[rnd.IntN(len(l.tagTexts))]
		case "create":
			ext := fmt.Sprintf("load:%d:%d:%d", l.seed, time.Now().UnixNano(), l.seq.Add(1))
			body, _ = json.Marshal(map[string]any{
				"external_id": ext, "title": "load " + ext, "text": l.createTexts[rnd.IntN(len(l.createTexts))],
				"source": "https://news.example.org/" + ext, "tags": []string{"load"},
			})
			method, path = "POST", "/api/v1/reports"
		}
		l.do(ctx, kind, method, base+path, body)
		pause()
	}
}

// do sends one request to the URL u and records its latency and outcome.
func (l *loadRun) do(ctx context.Context, kind, method, u string, body []byte) {
	st := l.stats[kind]
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, _ := http.NewRequestWithContext(context.WithoutCancel(ctx), method, u, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+l.token)
	start := time.Now()
	resp, err := l.client.Do(req)
	var n int64
	var b []byte
	if err == nil {
		if kind == "create" {
			b, err = io.ReadAll(resp.Body)
			n = int64(len(b))
		} else {
			n, err = io.Copy(io.Discard, resp.Body)
		}
		resp.Body.Close()
	}
	d := time.Since(start)
	st.mu.Lock()
	defer st.mu.Unlock()
	switch {
	case err != nil:
		st.netErrors++
		if st.firstErr == "" {
			st.firstErr = err.Error()
		}
		return
	case resp.StatusCode >= 500:
		st.c5xx++
		if st.firstErr == "" {
			st.firstErr = fmt.Sprintf("%s %s: %d", method, u, resp.StatusCode)
		}
	case resp.StatusCode >= 400:
		st.c4xx++
		if st.firstErr == "" {
			st.firstErr = fmt.Sprintf("%s %s: %d", method, u, resp.StatusCode)
		}
	}
	st.lat = append(st.lat, d)
	st.bytes += n
	if kind == "create" && resp.StatusCode == http.StatusCreated {
		var r struct {
			ID         string `json:"id"`
			ExternalID string `json:"external_id"`
		}
		if json.Unmarshal(b, &r) == nil && r.ID != "" {
			l.mu.Lock()
			l.created = append(l.created, [2]string{r.ID, r.ExternalID})
			l.mu.Unlock()
		}
	}
}

// checkWrites reads back every acknowledged report and returns how many
// are missing or not the report that was sent.
func (l *loadRun) checkWrites(ctx context.Context) (int, error) {
	var lost atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(l.created) || ctx.Err() != nil {
					return
				}
				id, ext := l.created[i][0], l.created[i][1]
				req, _ := http.NewRequestWithContext(ctx, "GET", l.base+"/api/v1/reports/"+id+"?format=json", nil)
				req.Header.Set("Authorization", "Bearer "+l.token)
				resp, err := l.client.Do(req)
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				var r struct {
					ExternalID string `json:"external_id"`
				}
				err = json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || err != nil || r.ExternalID != ext {
					lost.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, fmt.Errorf("reading back the writes: %w", err)
	}
	return int(lost.Load()), ctx.Err()
}

// loadSummary holds the run-wide figures.
type loadSummary struct {
	elapsed                time.Duration
	clients, reports, lost int
	servers                int
	rss, anon              [3]int64 // at the start, peak, at the end
	ownServer              bool
}

func (l *loadRun) print(w io.Writer, asJSON bool, s loadSummary) error {
	type row struct {
		kind                string
		n                   int
		rps, p50, p99, pmax float64
		c4xx, c5xx, neterr  int
		kb                  float64
		firstErr            string
	}
	var rows []row
	all := row{kind: "all"}
	for _, m := range l.mix {
		st := l.stats[m.kind]
		slices.Sort(st.lat)
		r := row{kind: m.kind, n: len(st.lat), c4xx: st.c4xx, c5xx: st.c5xx, neterr: st.netErrors, firstErr: st.firstErr}
		r.rps = float64(r.n) / s.elapsed.Seconds()
		if r.n > 0 {
			r.p50, r.p99 = percentile(st.lat, 50), percentile(st.lat, 99)
			r.pmax = float64(st.lat[r.n-1]) / float64(time.Millisecond)
			r.kb = float64(st.bytes) / float64(r.n) / 1024
		}
		all.n += r.n
		all.c4xx += r.c4xx
		all.c5xx += r.c5xx
		all.neterr += r.neterr
		rows = append(rows, r)
	}
	all.rps = float64(all.n) / s.elapsed.Seconds()
	if asJSON {
		enc := json.NewEncoder(w)
		put := func(name string, v float64, unit string) error {
			return enc.Encode(map[string]any{"name": name, "value": v, "unit": unit})
		}
		for _, r := range append(rows, all) {
			put("load "+r.kind+" throughput", r.rps, "req/s")
			if r.kind != "all" {
				put("load "+r.kind+" p50", r.p50, "ms")
				put("load "+r.kind+" p99", r.p99, "ms")
			}
			put("load "+r.kind+" 5xx", float64(r.c5xx), "count")
			put("load "+r.kind+" network errors", float64(r.neterr), "count")
		}
		put("load lost writes", float64(s.lost), "count")
		if s.ownServer {
			put("load server RSS peak", float64(s.rss[1])/(1<<20), "MiB")
			put("load server anonymous RSS peak", float64(s.anon[1])/(1<<20), "MiB")
		}
		return nil
	}
	fmt.Fprintf(w, "load: %d clients (mean pause %v) for %.1fs against %d server(s), %d pre-filled reports, %s/%s, %d CPUs\n\n", s.clients, l.think, s.elapsed.Seconds(), s.servers, s.reports, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	fmt.Fprintf(w, "%-10s %9s %9s %9s %9s %9s %8s %6s %6s %7s\n", "kind", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "KB/resp", "4xx", "5xx", "neterr")
	for _, r := range rows {
		fmt.Fprintf(w, "%-10s %9d %9.1f %9.2f %9.2f %9.1f %8.1f %6d %6d %7d\n", r.kind, r.n, r.rps, r.p50, r.p99, r.pmax, r.kb, r.c4xx, r.c5xx, r.neterr)
	}
	fmt.Fprintf(w, "%-10s %9d %9.1f %9s %9s %9s %8s %6d %6d %7d\n", "all", all.n, all.rps, "", "", "", "", all.c4xx, all.c5xx, all.neterr)
	fmt.Fprintf(w, "\nacknowledged writes: %d, lost: %d\n", len(l.created), s.lost)
	if s.ownServer {
		fmt.Fprintf(w, "server RSS: %d MiB at start, %d MiB peak, %d MiB at the end (anonymous, without the mapped store file: %d, %d, %d MiB)\n",
			s.rss[0]>>20, s.rss[1]>>20, s.rss[2]>>20, s.anon[0]>>20, s.anon[1]>>20, s.anon[2]>>20)
	}
	for _, r := range rows {
		if r.firstErr != "" {
			fmt.Fprintf(w, "first %s error: %s\n", r.kind, r.firstErr)
		}
	}
	fmt.Fprintln(w, "\ngoals (issue 8): zero 5xx, zero lost writes, map query p99 ≤ 50 ms, tag p99 ≤ 20 ms (3 KB) at 200 clients")
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	fmt.Fprintf(w, "  5xx: %d (%s); lost writes: %d (%s)\n", all.c5xx, verdict(all.c5xx == 0), s.lost, verdict(s.lost == 0))
	for _, r := range rows {
		switch r.kind {
		case "map", "cells", "histogram":
			fmt.Fprintf(w, "  %s p99 %.1f ms (%s)\n", r.kind, r.p99, verdict(r.p99 <= 50))
		case "tag":
			fmt.Fprintf(w, "  tag p99 %.1f ms (%s)\n", r.p99, verdict(r.p99 <= 20))
		}
	}
	return nil
}
