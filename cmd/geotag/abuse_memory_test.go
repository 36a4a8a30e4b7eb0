package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// anonRSS returns the anonymous resident memory of process pid (the Go
// heap and stacks, without the pages of the mapped store file).
func anonRSS(t testing.TB, pid int) int64 { return procStatusBytes(t, pid, "RssAnon") }

// watchPeakRSS samples pid's anonymous RSS every 20 ms until the returned
// function is called, which stops the sampling and returns the peak seen.
func watchPeakRSS(t testing.TB, pid int) func() int64 {
	var peak int64
	stop := make(chan struct{})
	var pw sync.WaitGroup
	pw.Add(1)
	go func() {
		defer pw.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				peak = max(peak, anonRSS(t, pid))
			}
		}
	}()
	return func() int64 {
		close(stop)
		pw.Wait()
		return peak
	}
}

// TestAbuseConcurrentPages: one client without a token, within the
// default per-address rate limit (30/s, bursts of 60), sends 60 requests
// for full pages of 10,000 reports at once and reads them slowly. Each page
// is decoded into memory before it is written (measured before the fix:
// 1.3 GiB of growth for these 60 queries on 12,000 reports of 2 KB), so the
// service admits page queries against a budget of reports held at once
// (server.Config.MaxPageReports, 20,000 by default): the others wait, and
// past 5 s are answered 503 with Retry-After. Memory growth stays bounded
// and every answer is either a page, that 503 or the rate limit's 429.
func TestAbuseConcurrentPages(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 12,000 reports and reads 60 large pages")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(data, "geotag.db"), &store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	const n = 12000
	var batch []*geotag.Report
	text := strings.Repeat("Shelling was reported near the market and the bridge; residents said. ", 30) // ~2 KB
	for i := range n {
		lat, lon := 36+float64(i%100)/100, 37+float64(i/100%100)/100
		batch = append(batch, &geotag.Report{
			Title: fmt.Sprint("report ", i), Text: text, Time: time.Date(2025, 1, 1, 0, 0, i, 0, time.UTC),
			Location: &geotag.Location{Lat: lat, Lon: lon, Precision: 1, Mention: -1, Provenance: geotag.Provenance{Method: geotag.MethodManual}},
		})
	}
	if _, err := db.Import(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ch := startChild(t, data) // default rate limits: reads need no token
	pid := ch.cmd.Process.Pid
	before := anonRSS(t, pid)
	peakRSS := watchPeakRSS(t, pid)
	var wg sync.WaitGroup
	codes := make([]int, 60) // the burst one address may send
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A slow reader, as a client on a poor link would be.
			resp, err := http.Get(ch.base + "/api/v1/reports?limit=10000")
			if err != nil {
				return
			}
			defer resp.Body.Close()
			codes[i] = resp.StatusCode
			if (resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusTooManyRequests) && resp.Header.Get("Retry-After") == "" {
				codes[i] = -1 // a 503 or 429 must say when to retry
			}
			buf := make([]byte, 32<<10)
			for {
				if _, err := resp.Body.Read(buf); err != nil {
					break
				}
				time.Sleep(time.Millisecond)
			}
			io.Copy(io.Discard, resp.Body)
		}()
	}
	wg.Wait()
	peak := peakRSS()
	t.Logf("answers %v; anonymous RSS %d MiB before, %d MiB peak", codes, before>>20, peak>>20)
	if peak-before > 256<<20 {
		t.Errorf("60 unauthenticated page requests grew the service's memory by %d MiB", (peak-before)>>20)
	}
	pages := 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			pages++
		case http.StatusServiceUnavailable, http.StatusTooManyRequests: // busy; the address's rate (its burst is 60, less the start's health checks)
		default:
			t.Errorf("answer %d: want 200, or 503 or 429 with Retry-After (-1: without)", c)
		}
	}
	if pages == 0 {
		t.Error("no page was served")
	}
}
