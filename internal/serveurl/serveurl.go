// Package serveurl reads the address "geotag serve" prints once it listens
// and waits until the service answers (Wait): the one helper of the load
// benchmark (bench/) and of the tests that start the service
// (cmd/geotag).
package serveurl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Prefix starts the line "geotag serve" prints once it listens
// (cmd/geotag/serve.go): "geotag: serving URL (data in DIR)".
const Prefix = "geotag: serving "

// Read reads the service's standard output r to its end in a goroutine
// and sends the URL of the first line starting with Prefix on the channel
// it returns. When r ends without one, the channel is closed instead.
// atEnd, when not nil, is called once r has ended (to wait for the
// process, say).
func Read(r io.Reader, atEnd func()) <-chan string {
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		sent := false
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), Prefix); ok && !sent {
				u, _, _ := strings.Cut(rest, " ")
				urlc <- u
				sent = true
			}
		}
		io.Copy(io.Discard, r)
		if !sent {
			close(urlc)
		}
		if atEnd != nil {
			atEnd()
		}
	}()
	return urlc
}

// ErrExited is Wait's error when the service's output ends before it
// names its URL: the service exited.
var ErrExited = errors.New("geotag serve exited before listening")

// Wait reads the service's standard output r (Read, atEnd as there) until
// it names the URL the service listens on, then waits until that URL plus
// path answers 200 OK (Ready). It returns the URL, or ErrExited, or an
// error when the URL is not named within start, the service is not ready
// within ready, or ctx ends.
func Wait(ctx context.Context, r io.Reader, atEnd func(), path string, start, ready time.Duration) (string, error) {
	var u string
	select {
	case v, ok := <-Read(r, atEnd):
		if !ok {
			return "", ErrExited
		}
		u = v
	case <-time.After(start):
		return "", fmt.Errorf("geotag serve did not print its address within %v", start)
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return u, Ready(u+path, ready)
}

// Ready asks url every 20 ms until it answers 200 OK, and returns nil
// then, or an error naming the last failure once timeout has passed.
func Ready(url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready within %v: %w", url, timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
