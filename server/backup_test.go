package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// snapReports is memReports with a snapshotter whose snapshot is data,
// repeated, written 32 KiB at a time as store.DB writes it. Set its other
// fields before the first request.
type snapReports struct {
	*memReports
	data    []byte
	repeat  atomic.Int64  // the snapshot is data this many times (1 if 0)
	failAt  int64         // >= 0: fail with errSnap once this many bytes are written; -1 before start
	gate    chan struct{} // when set, wait for it after start
	running atomic.Int32  // WriteBackup calls in progress
	ended   chan error    // when set, gets each call's error
}

var errSnap = errors.New("disk read failed")

func newSnapReports(size int) *snapReports {
	data := make([]byte, size)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	return &snapReports{memReports: newMemReports(), data: data, failAt: 1 << 62}
}

func (f *snapReports) WriteBackup(ctx context.Context, start func(size int64) (io.Writer, error)) (n int64, err error) {
	f.running.Add(1)
	defer f.running.Add(-1)
	if f.ended != nil {
		defer func() { f.ended <- err }()
	}
	if f.failAt < 0 {
		return 0, errSnap
	}
	rep := max(f.repeat.Load(), 1)
	w, err := start(int64(len(f.data)) * int64(rep))
	if err != nil {
		return 0, err
	}
	if f.gate != nil {
		<-f.gate
	}
	for range rep {
		for off := 0; off < len(f.data); off += 32 << 10 {
			if err := ctx.Err(); err != nil {
				return n, err
			}
			if n >= f.failAt {
				return n, errSnap
			}
			k, err := w.Write(f.data[off:min(off+32<<10, len(f.data))])
			n += int64(k)
			if err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// backupEnv is a server whose store is a snapshotter of size bytes.
// Set with, which may change snap's fields, runs before any request.
func backupEnv(t *testing.T, size int, with ...func(*snapReports)) (*env, *snapReports) {
	snap := newSnapReports(size)
	for _, f := range with {
		f(snap)
	}
	return newEnv(t, func(c *Config) { c.Reports = snap }), snap
}

// getBackupHTTP asks e's server for a backup with the admin token over a
// real connection (closed when the test ends) and returns the answer.
func getBackupHTTP(t *testing.T, e *env) *http.Response {
	t.Helper()
	ts := httptest.NewServer(e.srv.Handler())
	t.Cleanup(ts.Close)
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/backup", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

var attachmentName = regexp.MustCompile(`^attachment; filename="geotag-\d{8}T\d{6}Z\.db"$`)

// GET /api/v1/backup: the whole snapshot, exactly sized, never gzipped,
// for admin tokens only.
func TestBackupRoute(t *testing.T) {
	e, snap := backupEnv(t, 200<<10+123)
	for _, tt := range []struct {
		name, method string
		headers      []string
		code         int
		allow        string // the Allow header of a 405
	}{
		{"admin", "GET", []string{"token"}, 200, ""},
		{"admin, accepts gzip", "GET", []string{"token", "Accept-Encoding: gzip, deflate"}, 200, ""},
		{"write token", "GET", []string{"Authorization: Bearer writer-secret"}, 403, ""},
		{"read-only token", "GET", []string{"Authorization: Bearer " + readerToken}, 403, ""},
		{"no token", "GET", nil, 401, ""},
		{"unknown token", "GET", []string{"Authorization: Bearer gt_nope"}, 401, ""},
		{"HEAD", "HEAD", []string{"token"}, 405, "GET"},
		{"POST", "POST", []string{"token"}, 405, "GET"},
		{"DELETE", "DELETE", []string{"token"}, 405, "GET"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(t, tt.method, "/api/v1/backup", "", tt.headers...)
			h := w.Header()
			if w.Code != tt.code {
				t.Fatalf("%d %s, want %d", w.Code, w.Body, tt.code)
			}
			if tt.allow != "" && h.Get("Allow") != tt.allow {
				t.Errorf("Allow: %q, want %q", h.Get("Allow"), tt.allow)
			}
			if tt.code == 401 && h.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if tt.code != 200 {
				if bytes.Contains(w.Body.Bytes(), snap.data[:64]) {
					t.Error("a refused request got store bytes")
				}
				return
			}
			if !bytes.Equal(w.Body.Bytes(), snap.data) {
				t.Errorf("body: %d bytes, not the snapshot's %d", w.Body.Len(), len(snap.data))
			}
			for k, want := range map[string]string{
				"Content-Type":     "application/octet-stream",
				"Content-Length":   strconv.Itoa(len(snap.data)),
				"Cache-Control":    "no-store",
				"Content-Encoding": "",
			} {
				if got := h.Get(k); got != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
			}
			if cd := h.Get("Content-Disposition"); !attachmentName.MatchString(cd) {
				t.Errorf("Content-Disposition: %q", cd)
			}
		})
	}
}

// The route does not exist without token checks (anyone would pass) or for
// a store that cannot copy itself.
func TestBackupRouteAbsent(t *testing.T) {
	snap := newSnapReports(1000)
	for name, e := range map[string]*env{
		"no TokenService":   newEnv(t, func(c *Config) { c.Reports = snap; c.Tokens = nil }),
		"not a snapshotter": newEnv(t),
	} {
		if w := e.do(t, "GET", "/api/v1/backup", "", "token"); w.Code != 404 {
			t.Errorf("%s: %d %s, want 404", name, w.Code, w.Body)
		}
		for _, rt := range e.srv.Routes() {
			if rt.Path == "/api/v1/backup" {
				t.Errorf("%s: %s %s registered", name, rt.Method, rt.Path)
			}
		}
	}
}

// A failure before the first byte is a problem; one during the copy cuts
// the body short of Content-Length, which the client sees as an error;
// a second backup while one runs gets 503.
func TestBackupFailures(t *testing.T) {
	e, _ := backupEnv(t, 300<<10, func(s *snapReports) { s.failAt = -1 })
	if w := e.do(t, "GET", "/api/v1/backup", "", "token"); w.Code != 500 || w.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("failure before start: %d %q", w.Code, w.Header().Get("Content-Type"))
	}

	e, snap := backupEnv(t, 300<<10, func(s *snapReports) { s.failAt = 100 << 10 })
	resp := getBackupHTTP(t, e)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.ContentLength != int64(len(snap.data)) || !errors.Is(err, io.ErrUnexpectedEOF) || len(b) < 100<<10 || len(b) >= len(snap.data) {
		t.Errorf("failure mid-copy: %d, Content-Length %d, read %d bytes, %v; want a short body and io.ErrUnexpectedEOF",
			resp.StatusCode, resp.ContentLength, len(b), err)
	}

	e, snap = backupEnv(t, 300<<10, func(s *snapReports) { s.gate = make(chan struct{}) })
	first := make(chan *httptest.ResponseRecorder)
	go func() { first <- e.do(t, "GET", "/api/v1/backup", "", "token") }()
	for snap.running.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	w := e.do(t, "GET", "/api/v1/backup", "", "token")
	if w.Code != 503 || w.Header().Get("Retry-After") == "" {
		t.Errorf("second backup at once: %d %q", w.Code, w.Header().Get("Retry-After"))
	}
	close(snap.gate)
	if w := <-first; w.Code != 200 || w.Body.Len() != len(snap.data) {
		t.Errorf("first backup: %d, %d bytes", w.Code, w.Body.Len())
	}
	if w := e.do(t, "GET", "/api/v1/backup", "", "token"); w.Code != 200 {
		t.Errorf("backup after the other ended: %d", w.Code)
	}
}

// A client that closes the connection mid-download ends the snapshot at
// once, and the next backup runs.
func TestBackupClientGone(t *testing.T) {
	e, snap := backupEnv(t, 1<<20, func(s *snapReports) { s.ended = make(chan error, 2) })
	snap.repeat.Store(4096) // 4 GiB: never finishes on its own within the test
	resp := getBackupHTTP(t, e)
	if _, err := io.ReadFull(resp.Body, make([]byte, 256<<10)); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close() // closes the connection: the body is not drained
	select {
	case err := <-snap.ended:
		if err == nil {
			t.Error("the snapshot completed although the client left")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the snapshot still runs 10 s after the client left")
	}
	// The handler gives up its turn right after the snapshot ends.
	snap.repeat.Store(1)
	w := e.do(t, "GET", "/api/v1/backup", "", "token")
	for deadline := time.Now().Add(5 * time.Second); w.Code == 503 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		w = e.do(t, "GET", "/api/v1/backup", "", "token")
	}
	if w.Code != 200 || w.Body.Len() != len(snap.data) {
		t.Errorf("next backup: %d, %d bytes", w.Code, w.Body.Len())
	}
}
