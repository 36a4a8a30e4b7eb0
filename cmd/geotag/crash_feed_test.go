package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/geotag/geotag"
)

// crashFeed is an RSS feed for the crash test that grows by ten items at
// each fetch (the newest 40 listed), so that a kill often lands in the
// middle of a poll: between an item's report and its recorded state, or
// among a poll's items. Every item it ever listed may be stored; none may
// be stored twice (the titles are unique, so two reports with one title
// would be one item stored twice).
type crashFeed struct {
	mu  sync.Mutex
	n   int // items listed so far
	url string
}

func newCrashFeed(t *testing.T) *crashFeed {
	f := &crashFeed{}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	f.url = ts.URL
	return f
}

func (f *crashFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.n += 10
	n := f.n
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>crash feed</title>`)
	for i := n - 1; i >= max(0, n-40); i-- {
		fmt.Fprintf(w, `<item><title>crash feed item %d</title><link>%s/item/%d</link><description>Shelling in Aleppo and Homs, item %d.</description></item>`, i, f.url, i, i)
	}
	fmt.Fprint(w, `</channel></rss>`)
}

// listed reports whether ext is the external id of an item the feed has
// listed.
func (f *crashFeed) listed(ext string) bool {
	rest, ok := strings.CutPrefix(ext, f.url+"/item/")
	if !ok {
		return false
	}
	var i int
	if _, err := fmt.Sscan(rest, &i); err != nil {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return i >= 0 && i < f.n
}

// add registers the feed with the running service, polled every second.
func (f *crashFeed) add(t *testing.T, base, token string) {
	code, b, _ := apiDo(t, "POST", base+"/api/v1/feeds", token, `{"url":"`+f.url+`","interval":"1s","tags":["crashfeed"]}`)
	if code != http.StatusCreated {
		t.Fatalf("adding the crash feed: %d %s", code, b)
	}
}

// check reports the feed's reports stored twice or never listed, and
// returns how many there are.
func (f *crashFeed) check(t *testing.T, cycle int, byExt map[string]*geotag.Report) int {
	titles := map[string]string{}
	n := 0
	for ext, r := range byExt {
		if !strings.HasPrefix(ext, f.url+"/") {
			continue
		}
		n++
		if !f.listed(ext) {
			t.Errorf("cycle %d: feed report %s (%q) was never listed", cycle, r.ID, ext)
		}
		if o, dup := titles[r.Title]; dup {
			t.Errorf("cycle %d: feed item %q stored twice: %s and %s", cycle, r.Title, o, r.ID)
		}
		titles[r.Title] = r.ID
	}
	return n
}
