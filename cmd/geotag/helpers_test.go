package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag/internal/serveurl"
)

// startService runs "geotag serve" in-process on 127.0.0.1:0 with a fresh
// data directory, waits until /healthz answers 200 and returns the base URL
// ("http://127.0.0.1:PORT") and the admin bearer token created on first
// start, which may write. The service stops when the test ends. Extra serve
// flags may be passed.
func startService(t testing.TB, flags ...string) (baseURL, token string) {
	t.Helper()
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	baseURL, _ = runService(t, filepath.Join(dir, "data"), append([]string{"--admin-token-file", tokenFile}, flags...)...)
	b, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatalf("admin token: %v", err)
	}
	return baseURL, strings.TrimSpace(string(b))
}

// runService runs "geotag serve" on 127.0.0.1:0 with the data directory
// until stop is called or the test ends, and returns its base URL once
// /healthz answers 200.
func runService(t testing.TB, dataDir string, flags ...string) (baseURL string, stop func()) {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dataDir}, flags...)

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := Run(ctx, args, strings.NewReader(""), pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Errorf("serve did not stop")
			}
		})
	}
	t.Cleanup(stop)

	// The pipe ends when Run returns: serveurl.ErrExited, Run's error in done.
	baseURL, err := serveurl.Wait(context.Background(), pr, nil, "/healthz", 60*time.Second, 60*time.Second)
	if errors.Is(err, serveurl.ErrExited) {
		t.Fatalf("serve exited before listening: %v", <-done)
	}
	if err != nil {
		t.Fatal(err)
	}
	return baseURL, stop
}
