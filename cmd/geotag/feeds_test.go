package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// growingFeed is an RSS feed written for the tests whose items can be
// added while it is served.
type growingFeed struct {
	mu    sync.Mutex
	items []string // titles; item i's link is /item/i
	url   string
}

func (f *growingFeed) add(title string) {
	f.mu.Lock()
	f.items = append(f.items, title)
	f.mu.Unlock()
}

func (f *growingFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>`)
	for i := len(f.items) - 1; i >= 0; i-- {
		fmt.Fprintf(w, `<item><title>%s</title><link>%s/item/%d</link><pubDate>Mon, 04 Mar 2024 10:%02d:00 GMT</pubDate><description>&lt;p&gt;%s, officials said.&lt;/p&gt;</description></item>`,
			f.items[i], f.url, i, i%60, f.items[i])
	}
	fmt.Fprint(w, `</channel></rss>`)
}

func newGrowingFeed(t *testing.T, titles ...string) *growingFeed {
	f := &growingFeed{items: titles}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	f.url = ts.URL
	return f
}

// feedFlags let the service fetch from the test's loopback servers and
// poll every second.
var feedFlags = []string{"--allow-fetch-hosts", "127.0.0.1", "--feed-min-interval", "1s", "--rate-ip", "-1", "--rate-token", "-1"}

// waitFor polls cond every 50 ms until it holds or 20 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 20 s for %s", what)
		}
	}
}

// feedReports returns the reports tagged tag.
func feedReports(t *testing.T, base, token, tag string) []map[string]any {
	code, b, _ := apiDo(t, "GET", base+"/api/v1/reports?limit=100&tag="+tag, token, "")
	if code != 200 {
		t.Fatalf("reports: %d %s", code, b)
	}
	var fc struct{ Features []map[string]any }
	json.Unmarshal(b, &fc)
	return fc.Features
}

func getFeed(t *testing.T, base, token, id string) geotag.Feed {
	code, b, _ := apiDo(t, "GET", base+"/api/v1/feeds/"+id, token, "")
	var f geotag.Feed
	if code != 200 || json.Unmarshal(b, &f) != nil {
		t.Fatalf("feed %s: %d %s", id, code, b)
	}
	return f
}

func TestFeedsEndToEnd(t *testing.T) {
	wire := newGrowingFeed(t, "Shelling in Aleppo", "Protest in Homs")
	// A feed that redirects to the cloud metadata address, one that is
	// too large for --max-fetch-bytes and one slower than --fetch-timeout.
	redirect := httptest.NewServer(http.RedirectHandler("http://169.254.169.254/latest/meta-data/", http.StatusFound))
	defer redirect.Close()
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>big</title><description>`))
		w.Write(bytes.Repeat([]byte("x"), 1<<20))
	}))
	defer huge.Close()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)

	base, token := startService(t, append(feedFlags, "--max-fetch-bytes", "65536", "--fetch-timeout", "2s")...)
	code, b, hdr := apiDo(t, "POST", base+"/api/v1/feeds", token, `{"url":"`+wire.url+`/rss","interval":"1s","country":"SY","tags":["wire"]}`)
	if code != 201 || !strings.HasPrefix(hdr.Get("Location"), "/api/v1/feeds/") {
		t.Fatalf("POST feed: %d %s", code, b)
	}
	var f geotag.Feed
	json.Unmarshal(b, &f)
	if f.ID == "" || f.Interval != geotag.Interval(time.Second) || f.Country != "SY" {
		t.Fatalf("feed %+v", f)
	}
	if code, b, _ := apiDo(t, "POST", base+"/api/v1/feeds", token, `{"url":"`+wire.url+`/rss"}`); code != 409 {
		t.Fatalf("the same URL again: %d %s", code, b)
	}
	if code, _, _ := apiDo(t, "POST", base+"/api/v1/feeds", token, `{"url":"`+wire.url+`/x","interval":"10ms"}`); code != 400 {
		t.Fatalf("an interval under the minimum: %d", code)
	}
	if code, _, _ := apiDo(t, "POST", base+"/api/v1/feeds", "", `{"url":"`+wire.url+`/y"}`); code != 401 {
		t.Fatalf("without a token: %d", code)
	}
	bad := map[string]string{}
	for name, u := range map[string]string{"redirect": redirect.URL, "huge": huge.URL, "slow": slow.URL} {
		code, b, _ := apiDo(t, "POST", base+"/api/v1/feeds", token, `{"url":"`+u+`","interval":"1m"}`)
		var g geotag.Feed
		if code != 201 || json.Unmarshal(b, &g) != nil {
			t.Fatalf("POST %s feed: %d %s", name, code, b)
		}
		bad[name] = g.ID
	}

	// Fetched at once: the items are reports, tagged, with the feed's tags.
	waitFor(t, "the feed's first items", func() bool { return len(feedReports(t, base, token, "wire")) == 2 })
	// A new item is on the map within one poll interval (1 s; the wait
	// allows for a slow machine).
	wire.add("Strike near Aleppo airport")
	added := time.Now()
	waitFor(t, "the new item", func() bool { return len(feedReports(t, base, token, "wire")) == 3 })
	t.Logf("a new item was on the map %v after it appeared in the feed (interval 1 s)", time.Since(added).Round(time.Millisecond))
	for _, r := range feedReports(t, base, token, "wire") {
		p := r["properties"].(map[string]any)
		if !strings.HasPrefix(p["source"].(string), wire.url+"/item/") || r["geometry"] == nil {
			t.Errorf("feed report %v", p)
		}
	}
	// The status is written when the poll ends, after its reports.
	waitFor(t, "the feed's status", func() bool { return getFeed(t, base, token, f.ID).Status.ItemsStored == 3 })
	got := getFeed(t, base, token, f.ID)
	if got.Status.ItemsStored != 3 || got.Status.LastError != "" || got.Title != "Test wire" || got.Status.LastNewItem == nil {
		t.Fatalf("wire feed status %+v", got)
	}

	// The failing feeds say why, and did not stop the others.
	waitFor(t, "the failing feeds' errors", func() bool {
		for _, id := range bad {
			if getFeed(t, base, token, id).Status.LastError == "" {
				return false
			}
		}
		return true
	})
	for name, want := range map[string]string{"redirect": "169.254.169.254", "huge": "larger than 65536", "slow": "in time"} {
		if st := getFeed(t, base, token, bad[name]).Status; !strings.Contains(st.LastError, want) || st.Failures < 1 || st.ItemsStored != 0 {
			t.Errorf("%s feed: %+v, want an error naming %q", name, st, want)
		}
	}

	// An article URL on a loopback address outside --allow-fetch-hosts
	// (127.0.0.1 only), or on the metadata address, is refused.
	port := wire.url[strings.LastIndex(wire.url, ":"):]
	for _, u := range []string{"http://127.0.0.2" + port + "/", "http://[::1]" + port + "/", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd"} {
		code, b, _ := apiDo(t, "POST", base+"/api/v1/fetch", token, `{"url":"`+u+`"}`)
		refused := code == 422 && strings.Contains(string(b), "refusing to fetch") // at connect time, not a connection error
		if strings.HasPrefix(u, "file:") {
			refused = code == 400
		}
		if !refused {
			t.Errorf("fetch %s: %d %s", u, code, b)
		}
	}

	// A page over --max-fetch-bytes is refused, not cut and extracted.
	bigPage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><article>"))
		w.Write(bytes.Repeat([]byte("<p>Shelling in Aleppo.</p>"), 40000))
	}))
	defer bigPage.Close()
	if code, b, _ := apiDo(t, "POST", base+"/api/v1/fetch", token, `{"url":"`+bigPage.URL+`"}`); code != 422 || !strings.Contains(string(b), "larger than 65536") {
		t.Errorf("fetch of a 1 MiB page: %d %s", code, b)
	}

	// List, pause, remove.
	code, b, _ = apiDo(t, "GET", base+"/api/v1/feeds", token, "")
	var list struct{ Feeds []geotag.Feed }
	if json.Unmarshal(b, &list); code != 200 || len(list.Feeds) != 4 {
		t.Fatalf("list: %d %s", code, b)
	}
	if code, b, _ := apiDo(t, "PATCH", base+"/api/v1/feeds/"+f.ID, token, `{"paused":true,"interval":"2m"}`); code != 200 || !strings.Contains(string(b), `"paused":true`) || !strings.Contains(string(b), `"interval":"2m"`) {
		t.Fatalf("PATCH: %d %s", code, b)
	}
	if code, _, _ := apiDo(t, "DELETE", base+"/api/v1/feeds/"+bad["slow"], token, ""); code != 204 {
		t.Fatalf("DELETE: %d", code)
	}
	if code, _, _ := apiDo(t, "GET", base+"/api/v1/feeds/"+bad["slow"], token, ""); code != 404 {
		t.Fatalf("deleted feed: %d", code)
	}
}

// A feed added from the command line is polled when the service starts;
// after a restart the same items are not stored again.
func TestFeedsCLIAndRestart(t *testing.T) {
	wire := newGrowingFeed(t, "Shelling in Aleppo", "Protest in Homs")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	var out, errb bytes.Buffer
	ctx := context.Background()
	if err := Run(ctx, []string{"feeds", "add", "--data", data, "--interval", "1s", "--min-interval", "1s", "--tags", "cli", wire.url}, nil, &out, &errb); err != nil {
		t.Fatalf("feeds add: %v %s", err, errb.String())
	}
	id := strings.TrimSpace(out.String())
	if err := Run(ctx, []string{"feeds", "add", "--data", data, "ftp://x"}, nil, &out, &errb); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Fatalf("feeds add ftp: %v", err)
	}
	out.Reset()
	if err := Run(ctx, []string{"feeds", "list", "--data", data}, nil, &out, &errb); err != nil || !strings.Contains(out.String(), id) || !strings.Contains(out.String(), wire.url) {
		t.Fatalf("feeds list: %v %s", err, out.String())
	}

	tokenFile := filepath.Join(dir, "token")
	flags := append(feedFlags, "--admin-token-file", tokenFile)
	base, stop := runService(t, data, flags...)
	token := readToken(t, tokenFile)
	waitFor(t, "the CLI feed's items", func() bool { return len(feedReports(t, base, token, "cli")) == 2 })
	stop()

	wire.add("Convoy reaches Homs")
	base, stop = runService(t, data, flags...)
	// Polled on start (the feed is due again): one new report,
	// the two stored before not stored again.
	waitFor(t, "the new item after the restart", func() bool { return len(feedReports(t, base, token, "cli")) == 3 })
	time.Sleep(300 * time.Millisecond)
	if n := len(feedReports(t, base, token, "cli")); n != 3 {
		t.Fatalf("%d reports after the restart, want 3", n)
	}
	waitFor(t, "the status after the restart", func() bool { return getFeed(t, base, token, id).Status.ItemsStored == 3 })
	if n := len(feedReports(t, base, token, "cli")); n != 3 {
		t.Fatalf("%d reports after the status was written, want 3", n)
	}
	stop()
	if err := Run(ctx, []string{"feeds", "remove", "--data", data, id}, nil, &out, &errb); err != nil {
		t.Fatalf("feeds remove: %v", err)
	}
	if err := Run(ctx, []string{"feeds", "remove", "--data", data, id}, nil, &out, &errb); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Fatalf("feeds remove twice: %v", err)
	}
}

// readToken reads the admin token first start wrote.
func readToken(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("admin token: %v", err)
	}
	return strings.TrimSpace(string(b))
}
