package server

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestGzip(t *testing.T) {
	e := newEnv(t)
	e.create(t, `{"title":"a","text":"Aleppo"}`)
	srv := httptest.NewServer(e.srv.Handler())
	defer srv.Close()
	get := func(path, enc string) *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", enc) // set by hand: the client then does not decompress
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for _, path := range []string{"/api/v1/reports", "/api/v1/export/csv", "/ogc/collections/reports/items", "/api/v1/nothing"} {
		resp := get(path, "br, gzip;q=0.5")
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: Content-Encoding %q", path, resp.Header.Get("Content-Encoding"))
			continue
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b, err := io.ReadAll(zr)
		resp.Body.Close()
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v %q", path, err, b)
		}
		if path == "/api/v1/reports" {
			var fc collection
			if err := json.Unmarshal(b, &fc); err != nil || len(fc.Features) != 1 {
				t.Errorf("decompressed list: %v %s", err, b)
			}
		}
	}
	for _, tt := range []struct{ path, enc string }{
		{"/api/v1/reports", ""}, {"/api/v1/reports", "gzip;q=0"}, {"/", "gzip"}, {"/api/v1/reports/r1", "identity"},
		// A q-value of zero, however written, refuses gzip.
		{"/api/v1/reports", "gzip;q=0.0"}, {"/api/v1/reports", "br, gzip; q=0.000"}, {"/api/v1/reports", "GZIP;Q=0.0"},
	} {
		resp := get(tt.path, tt.enc)
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s with %q: compressed", tt.path, tt.enc)
		}
	}
	// Conditional answers have no body to compress.
	resp := get("/api/v1/reports/r1", "gzip")
	tag := resp.Header.Get("ETag")
	resp.Body.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/reports/r1", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("If-None-Match", tag)
	resp, _ = http.DefaultTransport.RoundTrip(req)
	resp.Body.Close()
	if resp.StatusCode != 304 || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("304: %d %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
}
