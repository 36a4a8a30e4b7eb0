package serveurl

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	ended := make(chan struct{})
	urlc := Read(strings.NewReader("starting\ngeotag: serving http://127.0.0.1:1234 (data in d)\ngeotag: serving http://other\n"), func() { close(ended) })
	if u := <-urlc; u != "http://127.0.0.1:1234" {
		t.Errorf("url %q", u)
	}
	<-ended
	if u, ok := <-Read(strings.NewReader("no address\n"), nil); ok {
		t.Errorf("no address line gave %q", u)
	}
}

func TestReady(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n++; n < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	if err := Ready(srv.URL, time.Minute); err != nil || n != 3 {
		t.Errorf("ready after %d: %v", n, err)
	}
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	if err := Ready(srv.URL, 0); err == nil || !strings.Contains(err.Error(), "status 500") {
		t.Errorf("never ready: %v", err)
	}
}

func TestWait(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	out := "starting\n" + Prefix + srv.URL + " (data in d)\n"
	if u, err := Wait(ctx, strings.NewReader(out), nil, "/healthz", time.Minute, time.Minute); err != nil || u != srv.URL {
		t.Errorf("Wait = %q, %v", u, err)
	}
	if _, err := Wait(ctx, strings.NewReader("failed\n"), nil, "/healthz", time.Minute, time.Minute); !errors.Is(err, ErrExited) {
		t.Errorf("exited: %v", err)
	}
	if _, err := Wait(ctx, strings.NewReader(out), nil, "/other", time.Minute, 0); err == nil || !strings.Contains(err.Error(), "status 404") {
		t.Errorf("never ready: %v", err)
	}
	pr, pw := io.Pipe()
	defer pw.Close()
	if _, err := Wait(ctx, pr, nil, "/healthz", 10*time.Millisecond, time.Minute); err == nil || !strings.Contains(err.Error(), "did not print its address") {
		t.Errorf("silent: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Wait(cctx, pr, nil, "/healthz", time.Minute, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
