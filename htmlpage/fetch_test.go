package htmlpage_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/htmlpage"
)

// A page fetched by URL is read as HTML or as text by its content type,
// from where a redirect led; a failing, non-page or oversized answer is
// the page's fault (EUNPROCESSABLE).
func TestFetchLiveBlog(t *testing.T) {
	updates := read(t, "updates.html")
	mux := http.NewServeMux()
	mux.HandleFunc("/live", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(updates)
	})
	mux.Handle("/moved", http.RedirectHandler("/live", http.StatusFound))
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("Talks\n\n14:32 GMT: <b>plain</b> text\n\n14:40 GMT: a line\n"))
	})
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(strings.Repeat("<p>x</p>", 50)))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := htmlpage.NewFetcher(&http.Client{Timeout: 5 * time.Second}, htmlpage.Reader{MaxElements: 20}, 1)
	ctx := context.Background()

	p, err := f.FetchLiveBlog(ctx, srv.URL+"/moved")
	if err != nil {
		t.Fatal(err)
	}
	lb := geotag.SplitLiveBlog(p, geotag.SplitOptions{Date: time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)})
	if p.URL != srv.URL+"/live" || lb.Title != "Border crossings: updates" || len(lb.Entries) != 3 || lb.Entries[0].Source != srv.URL+"/live#u3" {
		t.Errorf("page %s: title %q, %d entries %+v", p.URL, lb.Title, len(lb.Entries), lb.Entries)
	}
	p, err = f.FetchLiveBlog(ctx, srv.URL+"/text")
	if err != nil {
		t.Fatal(err)
	}
	lb = geotag.SplitLiveBlog(p, geotag.SplitOptions{Date: time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)})
	if len(lb.Entries) != 2 || !strings.Contains(lb.Entries[0].Text+lb.Entries[1].Text, "<b>plain</b> text") {
		t.Errorf("text page: %+v", lb.Entries)
	}
	for path, says := range map[string]string{"/missing": "HTTP 404", "/image": "image/png", "/big": "more than 20 elements"} {
		_, err := f.FetchLiveBlog(ctx, srv.URL+path)
		if geotag.ErrorCode(err) != geotag.EUNPROCESSABLE || !strings.Contains(geotag.ErrorMessage(err), says) {
			t.Errorf("%s: %v, want EUNPROCESSABLE saying %q", path, err, says)
		}
	}
	if _, err := f.FetchLiveBlog(ctx, "http://\x7f"); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("not a URL: %v", err)
	}
}
