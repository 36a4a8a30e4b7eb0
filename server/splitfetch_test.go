package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// fakePages serves one live-blog page, https://news.example/live, and
// refuses every other address as the safe client refuses a private one.
type fakePages struct{}

func (fakePages) FetchLiveBlog(ctx context.Context, url string) (geotag.LiveBlogPage, error) {
	if url != "https://news.example/live" {
		return geotag.LiveBlogPage{}, geotag.Errorf(geotag.EUNPROCESSABLE, "refusing to fetch from 10.0.0.1: private address")
	}
	return geotag.TextLiveBlogPage("UPDATE 0130 GMT: Shelling in Aleppo.\n\nUPDATE 0200 GMT: Talks in Amman.\n", url+"#top", "Live"), nil
}

func TestSplitFetchedPage(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PageFetcher = fakePages{} })
	w := e.do(t, "POST", "/api/v1/split", `{"url":"https://news.example/live","date":"2024-05-06"}`, "token")
	var ans liveBlogAnswer
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &ans) != nil {
		t.Fatalf("split by url: %d %s", w.Code, w.Body)
	}
	if len(ans.Entries) != 2 || ans.Entries[0].Time != "2024-05-06T01:30:00Z" || ans.Entries[1].Source != "https://news.example/live#top" || ans.Title != "Live" {
		t.Errorf("entries %+v, title %q", ans.Entries, ans.Title)
	}
	for _, c := range []struct {
		body, auth string
		code       int
		says       string
	}{
		{`{"url":"https://news.example/live"}`, "", 401, "token"},
		{`{"url":"https://news.example/live"}`, "Authorization: Bearer " + readerToken, 403, "read-only"},
		{`{"url":"https://intranet.example/live"}`, "token", 422, "private address"},
		{`{"url":"ftp://news.example/live"}`, "token", 400, "url"},
		{`{"url":"https://news.example/live","text":"UPDATE 0130 GMT: text."}`, "Authorization: Bearer " + readerToken, 200, "entries"},
	} {
		if w := e.do(t, "POST", "/api/v1/split", c.body, c.auth); w.Code != c.code || !strings.Contains(w.Body.String(), c.says) {
			t.Errorf("POST %s (%s): %d %s, want %d saying %q", c.body, c.auth, w.Code, w.Body, c.code, c.says)
		}
	}
	// A service without a page fetcher refuses the form.
	bare := newEnv(t)
	if w := bare.do(t, "POST", "/api/v1/split", `{"url":"https://news.example/live"}`, "token"); w.Code != 415 {
		t.Errorf("without a fetcher: %d %s", w.Code, w.Body)
	}
}
