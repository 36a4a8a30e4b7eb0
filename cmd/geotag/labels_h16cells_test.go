package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag/internal/serveurl"
)

// lockedBuffer is a bytes.Buffer safe for the server's logger and the
// test at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serve builds the offline map's labels index in the background when it
// starts, before any labels request: the first offline view gets its
// labels at once.
func TestServeBuildsLabelsAtStart(t *testing.T) {
	var logs lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, strings.NewReader(""), pw, &logs)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	base, err := serveurl.Wait(context.Background(), pr, nil, "/healthz", 60*time.Second, 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(2 * time.Minute); !strings.Contains(logs.String(), "map labels ready"); {
		if time.Now().After(deadline) {
			t.Fatalf("no labels index built without a labels request; the log:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	res, err := http.Get(base + "/api/v1/places/labels?bbox=36.6,35.9,37.7,36.6&zoom=9&limit=10")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var fc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.NewDecoder(res.Body).Decode(&fc); err != nil || res.StatusCode != 200 || len(fc.Features) == 0 {
		t.Fatalf("labels once built: %d, %d features (%v)", res.StatusCode, len(fc.Features), err)
	}
}
