package serveurl

import (
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
