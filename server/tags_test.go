package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// tagsRecorder is a ReportService whose Tags records its arguments and
// answers a fixed list.
type tagsRecorder struct {
	*memReports
	f      geotag.ReportFilter
	prefix string
	limit  int
	answer geotag.TagList
}

func (r *tagsRecorder) Tags(ctx context.Context, f geotag.ReportFilter, prefix string, limit int) (geotag.TagList, error) {
	r.f, r.prefix, r.limit = f, prefix, limit
	return r.answer, nil
}

func seedTags(t *testing.T, e *env) {
	t.Helper()
	e.create(t, `{"title":"a","text":"Shelling in Aleppo","time":"2024-03-01","tags":["Shelling","aid"],"location":{"lat":36.2,"lon":37.16}}`)
	e.create(t, `{"title":"b","text":"Shelling again","time":"2024-03-02","tags":["shelling"],"location":{"lat":36.2,"lon":37.16}}`)
	e.create(t, `{"title":"c","text":"Aid convoy","time":"2024-03-03","tags":["aid","Convoy"],"location":{"lat":31.95,"lon":35.93}}`)
	e.create(t, `{"title":"d","text":"Nothing","time":"2024-03-04","tags":["shelter"]}`)
}

func TestListTags(t *testing.T) {
	e := newEnv(t)
	seedTags(t, e)
	for _, tt := range []struct {
		path string
		want string // tag:count, in order
	}{
		{"/api/v1/tags", "aid:2 shelling:2 convoy:1 shelter:1"},
		{"/api/v1/tags?q=SHEL", "shelling:2 shelter:1"},
		{"/api/v1/tags?q=shell&limit=1", "shelling:2"},
		{"/api/v1/tags?limit=2", "aid:2 shelling:2"},
		{"/api/v1/tags?q=zzz", ""},
		{"/api/v1/tags?bbox=35,31,36,32", "aid:1 convoy:1"},
		{"/api/v1/tags?from=2024-03-02&to=2024-03-03", "aid:1 convoy:1 shelling:1"},
		{"/api/v1/tags?prefix=SHEL", "shelling:2 shelter:1"},
		{"/api/v1/tags?prefix=&q=again", "shelling:1"},      // q is the text search, as on every route
		{"/api/v1/tags?prefix=a&q=aleppo", "aid:1"},         // both
		{"/api/v1/tags?prefix=&q=convoy", "aid:1 convoy:1"}, // not a prefix
		// The spelling before, read while there is no prefix=: q the
		// prefix, text the text search.
		{"/api/v1/tags?text=again", "shelling:1"},
		{"/api/v1/tags?q=convoy", "convoy:1"},
		{"/api/v1/tags?q=a&text=aleppo", "aid:1"},
		{"/api/v1/tags?tag=aid", "aid:2 convoy:1 shelling:1"},
		{"/api/v1/tags?status=reviewed", ""},
	} {
		w := e.do(t, "GET", tt.path, "")
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tt.path, w.Code, w.Body)
		}
		got := decode[geotag.TagList](t, w)
		if got.Tags == nil || !strings.Contains(w.Body.String(), `"truncated":false`) {
			t.Errorf("%s: body %s", tt.path, w.Body)
		}
		var parts []string
		for _, tc := range got.Tags {
			parts = append(parts, tc.Tag+":"+itoa(tc.Count))
		}
		if s := strings.Join(parts, " "); s != tt.want {
			t.Errorf("%s: %q, want %q", tt.path, s, tt.want)
		}
	}
	for _, tt := range []struct{ path, field string }{
		{"/api/v1/tags?limit=0", "limit"},
		{"/api/v1/tags?limit=101", "limit"},
		{"/api/v1/tags?limit=x", "limit"},
		{"/api/v1/tags?bbox=1,2,3", "bbox"},
		{"/api/v1/tags?status=done", "status"},
		{"/api/v1/tags?from=yesterday", "from"},
		{"/api/v1/tags?prefix=a&text=aleppo", "text"}, // the old search beside the new prefix
	} {
		w := e.do(t, "GET", tt.path, "")
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"field":"`+tt.field+`"`) {
			t.Errorf("%s: %d %s, want 400 naming %s", tt.path, w.Code, w.Body, tt.field)
		}
	}
}

// The handler passes the prefix, limit and filter through (the text
// search from text=, no page size or cursor) and writes the store's caps.
func TestListTags_PassesThrough(t *testing.T) {
	rec := &tagsRecorder{memReports: newMemReports(), answer: geotag.TagList{
		Tags: []geotag.TagCount{{Tag: "shelling", Count: 10000, AtLeast: true}, {Tag: "shelter", Count: 3}}, Truncated: true}}
	e := newEnv(t, func(c *Config) { c.Reports = rec })
	check := func(rec *tagsRecorder) {
		t.Helper()
		checkPassedThrough(t, rec)
	}
	w := e.do(t, "GET", "/api/v1/tags?q=%20Shel&text=%20aleppo&bbox=30,29,40,40&status=unreviewed&from=2024-01-01&cursor=abc", "")
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if want := `{"tags":[{"tag":"shelling","count":10000,"count_at_least":true},{"tag":"shelter","count":3}],"truncated":true}`; w.Body.String() != want {
		t.Errorf("body %s\nwant %s", w.Body, want)
	}
	check(rec)
	// The same request in the current spelling.
	rec.f, rec.prefix, rec.limit = geotag.ReportFilter{}, "", 0
	w = e.do(t, "GET", "/api/v1/tags?prefix=%20Shel&q=%20aleppo&bbox=30,29,40,40&status=unreviewed&from=2024-01-01&cursor=abc", "")
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	check(rec)
}

func checkPassedThrough(t *testing.T, rec *tagsRecorder) {
	t.Helper()
	f := rec.f
	if rec.prefix != " Shel" || rec.limit != defaultTagLimit || f.Q != "aleppo" || f.BBox == nil || f.BBox.W != 30 ||
		f.Status != geotag.StatusUnreviewed || f.From == nil || !f.From.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) ||
		f.Limit != 0 || f.Cursor != "" || f.Tag != "" {
		t.Errorf("store got prefix %q limit %d filter %+v", rec.prefix, rec.limit, f)
	}
}

// Tags is a read: behind a token when reads need one, and a walk that
// waits for a turn.
func TestListTags_AuthAndBusy(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.ReadsNeedToken = true })
	if w := e.do(t, "GET", "/api/v1/tags", ""); w.Code != http.StatusUnauthorized {
		t.Errorf("no token: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "GET", "/api/v1/tags", "", "token"); w.Code != http.StatusOK {
		t.Errorf("token: %d %s", w.Code, w.Body)
	}
	e = newEnv(t, func(c *Config) { c.MaxWalks = 1 })
	e.srv.walkWait = 20 * time.Millisecond
	if !e.srv.walks.acquire(context.Background(), 1, 0) {
		t.Fatal("no turn")
	}
	if w := e.do(t, "GET", "/api/v1/tags", ""); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("busy: %d %s", w.Code, w.Body)
	}
	// A filter on the event fields alone is a scan, charged to the scan
	// budget, not a walk: it does not wait for the walk turn.
	if w := e.do(t, "GET", "/api/v1/tags?actor=Unit%205", ""); w.Code != http.StatusOK {
		t.Errorf("event filter while walks are busy: %d %s", w.Code, w.Body)
	}
	e.srv.walks.release(1)
	if w := e.do(t, "GET", "/api/v1/tags", ""); w.Code != http.StatusOK || e.srv.walks.free != 1 {
		t.Errorf("after release: %d %s, free %d", w.Code, w.Body, e.srv.walks.free)
	}
}
