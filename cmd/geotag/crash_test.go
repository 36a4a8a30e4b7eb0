package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/internal/serveurl"
	"github.com/geotag/geotag/store"
)

// The service crash test runs "geotag serve" as a child process (this test
// binary re-executed: TestMain calls Run when childServeEnv is set), lets
// concurrent HTTP writers create, import, edit, correct and delete reports, kills
// the child with SIGKILL at a random moment, and then, with the service
// down, opens the store file itself and checks it:
//
//   - store.Verify passes: bbolt's page-level consistency check, and every
//     index agrees with a full scan of the records;
//   - every write that was answered 2xx is there, intact;
//   - a write whose answer was lost in the kill is either wholly applied or
//     not at all (never a half-applied edit);
//   - no report exists that no writer sent.
//
// GEOTAG_CRASH_CYCLES sets the number of kill/restart cycles (default 5;
// the full run uses 50 or more).

// childServeEnv, when set, makes the test binary run "geotag serve" with the
// arguments in it (separated by U+001F) instead of the tests.
const childServeEnv = "GEOTAG_TEST_CHILD_SERVE"

func TestMain(m *testing.M) {
	if args := os.Getenv(childServeEnv); args != "" {
		ctx, stop := signalContext()
		err := Run(ctx, strings.Split(args, "\x1f"), strings.NewReader(""), os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "geotag:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// signalContext is main's context: it ends on SIGINT or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// child is a "geotag serve" child process.
type child struct {
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
	done   chan struct{}
}

// syncBuffer is a bytes.Buffer safe for concurrent writes and reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startChild starts "geotag serve" on 127.0.0.1:0 in a child process with
// the data directory and extra flags, and waits until /healthz answers.
func startChild(t testing.TB, dataDir string, flags ...string) *child {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dataDir}, flags...)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childServeEnv+"="+strings.Join(args, "\x1f"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	ch := &child{cmd: cmd, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = ch.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.kill() })
	base, err := serveurl.Wait(context.Background(), out, func() { cmd.Wait(); close(ch.done) }, "/healthz", 90*time.Second, 60*time.Second)
	if errors.Is(err, serveurl.ErrExited) {
		<-ch.done // its standard error is whole
	}
	if err != nil {
		t.Fatalf("%v: %s", err, ch.stderr)
	}
	ch.base = base
	return ch
}

// kill sends SIGKILL and waits for the process to be gone.
func (c *child) kill() {
	if c.cmd.Process != nil {
		c.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-c.done
}

// crashState is what a writer expects of one report's fields.
type crashState struct {
	exists   bool
	title    string
	text     string
	tags     []string
	status   string
	point    bool // a manual point was set: lat, lon are known
	lat, lon float64
}

func (s crashState) String() string {
	if !s.exists {
		return "absent"
	}
	loc := "auto"
	if s.point {
		loc = fmt.Sprintf("%.4f,%.4f", s.lat, s.lon)
	}
	return fmt.Sprintf("{%q %q %s %s}", s.title, s.tags, s.status, loc)
}

// matches reports whether a stored report (nil: absent) has state s.
func (s crashState) matches(r *geotag.Report) bool {
	if r == nil || !s.exists {
		return (r == nil) == !s.exists
	}
	if r.Title != s.title || r.Text != s.text || !slices.Equal(r.Tags, s.tags) || r.Status != s.status {
		return false
	}
	if s.point {
		l := r.Location
		return l != nil && l.Mention == -1 && l.Lat == s.lat && l.Lon == s.lon && l.Provenance.Method == geotag.MethodManual
	}
	return true
}

// crashReport is one report a writer owns. Only its writer touches it.
type crashReport struct {
	ext     string
	id      string      // "" until a create was answered
	text    string      // the text it was created with
	cur     crashState  // as of the last acknowledged write
	pending *crashState // the outcome of a write whose answer was lost
}

// crashWriter writes over HTTP until the service goes away.
type crashWriter struct {
	n       int
	rnd     *rand.Rand
	base    string
	token   string
	client  *http.Client
	reports []*crashReport
	seq     int
	acked   int
	refused []string // non-2xx answers, which this workload never deserves
}

// send does one request; ok is false when the answer was lost (the
// service died), and then the write may or may not have happened.
func (w *crashWriter) send(method, path string, body any) (code int, resp []byte, ok bool) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, w.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+w.token)
	res, err := w.client.Do(req)
	if err != nil {
		return 0, nil, false
	}
	defer res.Body.Close()
	resp, err = io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, false
	}
	return res.StatusCode, resp, true
}

// step does one random write and reports whether the service answered.
func (w *crashWriter) step() bool {
	var live []*crashReport
	for _, r := range w.reports {
		if r.cur.exists && r.pending == nil {
			live = append(live, r)
		}
	}
	k := w.rnd.IntN(100)
	if len(live) == 0 || k < 40 {
		w.seq++
		r := &crashReport{
			ext:  fmt.Sprintf("crash-w%d-%d", w.n, w.seq),
			text: fmt.Sprintf("Shelling hit Aleppo and Idlib on Monday; convoys left Amman. Writer %d report %d.", w.n, w.seq),
		}
		next := crashState{exists: true, title: "created " + r.ext, text: r.text, tags: []string{"crash", fmt.Sprint("w", w.n)}, status: geotag.StatusUnreviewed}
		w.reports = append(w.reports, r)
		code, body, ok := w.send("POST", "/api/v1/reports", map[string]any{
			"external_id": r.ext, "title": next.title, "text": r.text, "tags": next.tags,
		})
		if !ok {
			r.pending = &next
			return false
		}
		if code != http.StatusCreated {
			w.refused = append(w.refused, fmt.Sprintf("create %s: %d %s", r.ext, code, body))
			return true
		}
		var got geotag.Report
		if err := json.Unmarshal(body, &got); err != nil || got.ID == "" {
			w.refused = append(w.refused, fmt.Sprintf("create %s: bad answer %s", r.ext, body))
			return true
		}
		r.id, r.cur = got.ID, next
		w.acked++
		return true
	}
	if k < 48 { // a bulk import of a few new reports, each stored on its own
		var batch []*crashReport
		var nexts []crashState
		var body []map[string]any
		for range 1 + w.rnd.IntN(4) {
			w.seq++
			r := &crashReport{
				ext:  fmt.Sprintf("crash-w%d-%d", w.n, w.seq),
				text: fmt.Sprintf("Refugees reached Amman from Daraa. Writer %d import %d.", w.n, w.seq),
			}
			next := crashState{exists: true, title: "imported " + r.ext, text: r.text, tags: []string{"import"}, status: geotag.StatusUnreviewed}
			batch, nexts = append(batch, r), append(nexts, next)
			body = append(body, map[string]any{"external_id": r.ext, "title": next.title, "text": r.text, "tags": next.tags})
		}
		w.reports = append(w.reports, batch...)
		code, resp, ok := w.send("POST", "/api/v1/import", body)
		if !ok {
			for i, r := range batch {
				r.pending = &nexts[i]
			}
			return false
		}
		var res struct {
			Items []struct {
				Index  int    `json:"index"`
				Status int    `json:"status"`
				ID     string `json:"id"`
			} `json:"items"`
		}
		if code != http.StatusOK || json.Unmarshal(resp, &res) != nil || len(res.Items) != len(batch) {
			w.refused = append(w.refused, fmt.Sprintf("import: %d %s", code, resp))
			return true
		}
		for _, it := range res.Items {
			if it.Status != http.StatusCreated || it.Index < 0 || it.Index >= len(batch) {
				w.refused = append(w.refused, fmt.Sprintf("import item %+v", it))
				continue
			}
			batch[it.Index].id, batch[it.Index].cur = it.ID, nexts[it.Index]
			w.acked++
		}
		return true
	}
	r := live[w.rnd.IntN(len(live))]
	next := r.cur
	var method, path string
	var body any
	want := http.StatusOK
	switch {
	case k < 62: // an edit of two fields at once: title and tags
		v := w.rnd.IntN(1_000_000)
		next.title = fmt.Sprintf("edited %s v%d", r.ext, v)
		next.tags = []string{"crash", fmt.Sprint("v", v)}
		method, path, body = "PATCH", "/api/v1/reports/"+r.id, map[string]any{"title": next.title, "tags": next.tags}
	case k < 68: // a text edit: tagged again, a manual point carried over
		next.text = fmt.Sprintf("Convoys left Amman for Aleppo; shelling near Homs. %s edit %d.", r.ext, w.rnd.IntN(1_000_000))
		method, path, body = "PATCH", "/api/v1/reports/"+r.id, map[string]any{"text": next.text}
	case k < 80: // a correction: the report's main point
		next.point = true
		next.lat = float64(w.rnd.IntN(170_000)-85_000) / 1000
		next.lon = float64(w.rnd.IntN(350_000)-175_000) / 1000
		method, path, body = "POST", "/api/v1/reports/"+r.id+"/corrections", map[string]any{"action": "point", "lat": next.lat, "lon": next.lon}
	case k < 90: // a correction: review or unreview
		action := "review"
		next.status = geotag.StatusReviewed
		if r.cur.status == geotag.StatusReviewed {
			action, next.status = "unreview", geotag.StatusUnreviewed
		}
		method, path, body = "POST", "/api/v1/reports/"+r.id+"/corrections", map[string]any{"action": action}
	default:
		next = crashState{}
		method, path, want = "DELETE", "/api/v1/reports/"+r.id, http.StatusNoContent
	}
	code, resp, ok := w.send(method, path, body)
	if !ok {
		r.pending = &next
		return false
	}
	if code != want {
		w.refused = append(w.refused, fmt.Sprintf("%s %s: %d %s", method, path, code, resp))
		return true
	}
	r.cur = next
	w.acked++
	return true
}

func crashCycles(t *testing.T) int {
	n := 5
	if s := os.Getenv("GEOTAG_CRASH_CYCLES"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("GEOTAG_CRASH_CYCLES=%q: want a positive number", s)
		}
		n = v
	}
	if testing.Short() && n > 2 {
		n = 2
	}
	return n
}

func TestServiceCrash(t *testing.T) {
	cycles := crashCycles(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	tokenFile := filepath.Join(dir, "admin-token")
	flags := []string{"--rate-ip", "-1", "--rate-token", "-1", "--admin-token-file", tokenFile,
		"--allow-fetch-hosts", "127.0.0.1", "--feed-min-interval", "1s"}
	feed := newCrashFeed(t) // polled by the service while the writers write
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, %d cycles", seed, cycles)
	rnd := rand.New(rand.NewPCG(seed, 1))

	var token string
	const nWriters = 6
	writers := make([]*crashWriter, nWriters)
	for i := range writers {
		writers[i] = &crashWriter{n: i, rnd: rand.New(rand.NewPCG(seed, uint64(i+2))),
			client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2}}}
	}
	total, lost, fed := 0, 0, 0
	for cycle := 0; cycle < cycles; cycle++ {
		ch := startChild(t, data, flags...)
		if token == "" {
			b, err := os.ReadFile(tokenFile)
			if err != nil {
				t.Fatalf("admin token: %v", err)
			}
			token = strings.TrimSpace(string(b))
			feed.add(t, ch.base, token)
		}
		var wg sync.WaitGroup
		for _, w := range writers {
			w.base, w.token = ch.base, token
			wg.Add(1)
			go func() {
				defer wg.Done()
				for w.step() {
				}
			}()
		}
		// Kill at a random moment: early (during the first writes) to
		// well into the run.
		time.Sleep(time.Duration(20+rnd.IntN(700)) * time.Millisecond)
		ch.kill()
		wg.Wait()
		for _, w := range writers {
			for _, s := range w.refused {
				t.Errorf("cycle %d: writer %d was refused: %s", cycle, w.n, s)
			}
			w.refused = nil
			if st := ch.stderr.String(); strings.Contains(st, "panic") {
				t.Fatalf("cycle %d: the service panicked:\n%s", cycle, st)
			}
		}
		n, l, nf := checkCrashStore(t, cycle, filepath.Join(data, "geotag.db"), writers, feed)
		total, lost, fed = n, lost+l, nf
		if t.Failed() {
			t.FailNow()
		}
	}
	acked := 0
	for _, w := range writers {
		acked += w.acked
	}
	t.Logf("%d cycles: %d acknowledged writes, %d reports stored at the end (%d from the feed, each once), %d writes in flight at a kill", cycles, acked, total, fed, lost)
	if acked == 0 {
		t.Error("no write was acknowledged: the test exercised nothing")
	}
}

// checkCrashStore opens the store the killed service left, verifies it,
// and checks every writer's reports against it. It resolves each write in
// flight at the kill to the outcome found, checks that no item of the
// feed was stored twice, and returns the number of reports stored, of
// writes that were in flight and of reports made from the feed.
func checkCrashStore(t *testing.T, cycle int, path string, writers []*crashWriter, feed *crashFeed) (stored, inFlight, fed int) {
	t.Helper()
	db, err := store.Open(path, &store.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("cycle %d: reopening the store: %v", cycle, err)
	}
	defer db.Close()
	if err := db.Verify(); err != nil {
		t.Fatalf("cycle %d: Verify: %v", cycle, err)
	}
	byExt := map[string]*geotag.Report{}
	err = db.EachReport(context.Background(), geotag.ReportFilter{}, func(r *geotag.Report) error {
		if o := byExt[r.ExternalID]; o != nil {
			t.Errorf("cycle %d: two reports %s and %s have external id %q", cycle, o.ID, r.ID, r.ExternalID)
		}
		byExt[r.ExternalID] = r
		return nil
	})
	if err != nil {
		t.Fatalf("cycle %d: scan: %v", cycle, err)
	}
	if n, err := db.Count(); err != nil || n != len(byExt) {
		t.Errorf("cycle %d: Count = %d, %v; a full scan finds %d", cycle, n, err, len(byExt))
	}
	known := map[string]bool{}
	for _, w := range writers {
		for _, r := range w.reports {
			known[r.ext] = true
			got := byExt[r.ext]
			if got != nil && r.id != "" && got.ID != r.id {
				t.Errorf("cycle %d: %s has id %s, the service answered %s", cycle, r.ext, got.ID, r.id)
			}
			switch {
			case r.cur.matches(got):
			case r.pending != nil && r.pending.matches(got):
				r.cur = *r.pending
			default:
				p := "none"
				if r.pending != nil {
					p = r.pending.String()
				}
				t.Errorf("cycle %d: report %s is %s; acknowledged state %s, write in flight %s", cycle, r.ext, describe(got), r.cur, p)
			}
			if r.pending != nil {
				inFlight++
				r.pending = nil
			}
			if got != nil {
				r.id = got.ID
			}
		}
	}
	fed = feed.check(t, cycle, byExt)
	for ext, r := range byExt {
		if !known[ext] && !feed.listed(ext) {
			t.Errorf("cycle %d: stored report %s (external id %q) was never sent", cycle, r.ID, ext)
		}
	}
	return len(byExt), inFlight, fed
}

func describe(r *geotag.Report) string {
	if r == nil {
		return "absent"
	}
	loc := "none"
	if l := r.Location; l != nil {
		loc = fmt.Sprintf("%s %.4f,%.4f mention %d", l.Provenance.Method, l.Lat, l.Lon, l.Mention)
	}
	return fmt.Sprintf("{%q %q %s %s}", r.Title, r.Tags, r.Status, loc)
}
