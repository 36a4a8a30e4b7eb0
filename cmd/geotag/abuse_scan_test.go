package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Six anonymous clients loop for 15 s over the expensive scans (text
// searches, filtered tag counts, OGC offset walks, exports), each well
// under the per-address request rate: each is refused with 429, Retry-After and a
// problem document once it has read its scan budget, while another
// client's cluster counts are served throughout. The service trusts
// 127.0.0.1 as a proxy so that X-Forwarded-For names the clients, and runs
// with a small budget (0.25 MiB/s, a bucket of 4 MiB) so that the test is
// short.
func TestAbuseScanLoops(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	ch := startChild(t, filepath.Join(dir, "data"), "--admin-token-file", tokenFile,
		"--trusted-proxy", "127.0.0.1", "--scan-rate-ip", "0.25")
	tb, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	base := ch.base
	importMany(t, base, strings.TrimSpace(string(tb)), 2100)

	loops := []string{
		"/api/v1/reports?q=no+such+words&limit=10",
		"/api/v1/tags?prefix=&q=overnight",
		"/ogc/collections/reports/items?offset=2000&limit=10",
		"/api/v1/export/geojson",
		"/ogc/collections/reports/items?q=item&offset=1500&limit=10",
		"/api/v1/export/csv?q=shelling",
	}
	type result struct {
		ok, refused, retry int // retry: the longest Retry-After, seconds
		bad                string
	}
	results := make([]result, len(loops))
	client := &http.Client{Timeout: 60 * time.Second}
	get := func(path, addr string) (int, http.Header, []byte, error) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("X-Forwarded-For", addr)
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, b, err
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, path := range loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := "198.51.100." + strconv.Itoa(10+i)
			r := &results[i]
			for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); {
				code, h, b, err := get(path, addr)
				switch {
				case err != nil:
					r.bad = err.Error()
					return
				case code == 200:
					r.ok++
				case code == 429:
					var p struct{ Status int }
					s, err := strconv.Atoi(h.Get("Retry-After"))
					if err != nil || s < 1 ||
						h.Get("Content-Type") != "application/problem+json" || json.Unmarshal(b, &p) != nil || p.Status != 429 {
						r.bad = "a 429 without Retry-After or problem: " + h.Get("Retry-After") + " " + string(b)
						return
					}
					r.refused++
					r.retry = max(r.retry, s)
				default:
					r.bad = strconv.Itoa(code) + " " + string(b[:min(len(b), 300)])
					return
				}
				time.Sleep(100 * time.Millisecond) // 10 a second: a third of the request limit
			}
		}()
	}
	var lat []time.Duration
	var cellErr string
	cellsDone := make(chan struct{})
	go func() {
		defer close(cellsDone)
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
			}
			start := time.Now()
			code, _, b, err := get("/api/v1/cells?zoom=3", "203.0.113.5")
			if err != nil || code != 200 {
				cellErr = strconv.Itoa(code) + " " + string(b) + " " + errString(err)
				return
			}
			lat = append(lat, time.Since(start))
		}
	}()
	wg.Wait()
	close(stop)
	<-cellsDone
	for i, r := range results {
		if r.bad != "" {
			t.Errorf("%s: %s", loops[i], r.bad)
		} else if r.refused == 0 {
			t.Errorf("%s: %d scans in 15 s and never refused", loops[i], r.ok)
		}
		t.Logf("%s: %d served, %d refused (Retry-After up to %d s)", loops[i], r.ok, r.refused, r.retry)
	}
	if cellErr != "" {
		t.Errorf("another client's cluster counts during the loops: %s", cellErr)
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		t.Logf("another client's /api/v1/cells during the loops: %d served, median %v, max %v", len(lat), lat[len(lat)/2], lat[len(lat)-1])
	}
	responsive(t, base)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
