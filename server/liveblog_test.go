package server

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func (e *env) split(t *testing.T, body string, status int) liveBlogAnswer {
	t.Helper()
	w := e.do(t, "POST", "/api/v1/split", body)
	if w.Code != status {
		t.Fatalf("split: %d %s, want %d", w.Code, w.Body, status)
	}
	var ans liveBlogAnswer
	if status == 200 {
		if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil {
			t.Fatal(err)
		}
	}
	return ans
}

// A pasted page newest first, past midnight: each update with its time
// (a date for the one without a clock), the URL as source, the given
// title; tagging on asks for each update's main location; nothing stored.
func TestSplitText(t *testing.T) {
	e := newEnv(t)
	page := "Talks: live\n\nUPDATE 0130 GMT: Shelling in Aleppo after midnight.\n\nUPDATE 2250 BST: Delegates left Amman.\n\nORIGINAL ENTRY: Talks opened.\n"
	body, _ := json.Marshal(map[string]any{"text": page, "url": "https://news.example/live", "title": "Talks", "date": "2016-07-16", "tag": true})
	ans := e.split(t, string(body), 200)
	if ans.Date != "2016-07-16" || ans.DateFrom != "request" || ans.Zone != "GMT" || ans.ZoneFrom != "page" || !ans.NewestFirst {
		t.Errorf("answer %+v", ans.LiveBlog)
	}
	want := []struct{ time, prec, loc string }{
		{"2016-07-17T01:30:00Z", "minute", "Aleppo"},
		{"2016-07-16T21:50:00Z", "minute", "Amman"},
		{"2016-07-16", "day", ""},
	}
	if len(ans.Entries) != len(want) {
		t.Fatalf("%d entries: %+v", len(ans.Entries), ans.Entries)
	}
	for i, w := range want {
		en := ans.Entries[i]
		loc := ""
		if en.Location != nil {
			loc = en.Location.Name
		}
		if en.Time != w.time || en.Precision != w.prec || loc != w.loc || en.Title != "Talks" || en.Source != "https://news.example/live" || en.Mentions == nil {
			t.Errorf("entry %d: %+v, want %+v", i, en, w)
		}
	}
	if n := len(e.reports.reports); n != 0 {
		t.Errorf("%d reports stored", n)
	}
}

// fakeBlogs reads "HTML" as one block a line, each "id|text".
type fakeBlogs struct{}

func (fakeBlogs) ReadLiveBlog(page []byte, pageURL, _ string) (geotag.LiveBlogPage, error) {
	p := geotag.LiveBlogPage{URL: pageURL, Title: "From the page", Paragraphs: true, Date: time.Date(2024, 3, 1, 22, 0, 0, 0, time.UTC)}
	for line := range strings.Lines(string(page)) {
		id, text, _ := strings.Cut(strings.TrimSpace(line), "|")
		p.Blocks = append(p.Blocks, geotag.LiveBlogBlock{Anchor: id, Text: text})
	}
	return p, nil
}

// HTML goes through the configured reader: anchors become the sources'
// fragments, the page's date and the requested zone date the clocks.
func TestSplitHTML(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Pages = fakeBlogs{} })
	ans := e.split(t, `{"html":"b2|09:15 One.\nb1|08:00 Two.","url":"https://p.example/live#top","zone":"Asia/Tokyo"}`, 200)
	if ans.Date != "2024-03-02" || ans.DateFrom != "page" || ans.Zone != "Asia/Tokyo" || len(ans.Entries) != 2 {
		t.Fatalf("%+v", ans)
	}
	if en := ans.Entries[0]; en.Source != "https://p.example/live#b2" || en.Time != "2024-03-02T00:15:00Z" || en.Title != "From the page" || en.Mentions != nil {
		t.Errorf("%+v", en)
	}
}

func TestSplitRefuses(t *testing.T) {
	e := newEnv(t)
	for _, body := range []string{
		`{}`, `{"text":"a","html":"b"}`, `{"text":"14:32 x","url":"ftp://x"}`, `{"text":"14:32 x","zone":"Nowhere/City"}`,
		`{"text":"14:32 x","date":"yesterday"}`, `{"text":"14:32 x","tag":true,"bbox":"1,2"}`,
	} {
		e.split(t, body, 400)
	}
	e.split(t, `{"html":"<p>14:32 x</p>"}`, 415) // no HTML reader configured
	big := `{"text":"` + strings.Repeat("UPDATE: x\\n", 200) + `"}`
	e = newEnv(t, func(c *Config) { c.MaxSplitUpdates = 20 })
	if ans := e.split(t, big, 200); len(ans.Entries) != 20 || !ans.Truncated {
		t.Errorf("%d entries, truncated %v", len(ans.Entries), ans.Truncated)
	}
	e = newEnv(t, func(c *Config) { c.MaxBody = 1000 })
	e.split(t, big, 413)
}
