package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

const rssDoc = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Wire &amp; Co</title><link>https://wire.example/</link>
<item><title>Shelling near Aleppo</title><link>https://wire.example/a1</link><guid isPermaLink="true">https://wire.example/a1</guid>
<pubDate>Fri, 01 Mar 2024 10:00:00 GMT</pubDate>
<description><![CDATA[<p>Artillery hit the <b>eastern</b> districts of Aleppo.</p><script>alert(1)</script><p>Two dead.</p>]]></description></item>
<item><title>Protest in Homs</title><link>/a2</link><guid isPermaLink="false">42</guid>
<pubDate>Sat, 02 Mar 2024 08:30:00 +0200</pubDate><description>Crowds gathered in Homs &amp; nearby.</description></item>
</channel></rss>`

const atomDoc = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Agency</title><id>urn:uuid:feed</id><updated>2024-03-03T00:00:00Z</updated>
<entry><title type="html">Clashes &lt;i&gt;reported&lt;/i&gt; in Aleppo</title><id>urn:uuid:e1</id><link href="https://agency.example/e1"/>
<published>2024-03-03T12:00:00Z</published><updated>2024-03-03T12:00:00Z</updated>
<content type="html">&lt;p&gt;Fighting in Aleppo overnight.&lt;/p&gt;</content></entry></feed>`

const jsonDoc = `{"version":"https://jsonfeed.org/version/1.1","title":"NGO sitreps","items":[
{"id":"sitrep-7","url":"https://ngo.example/sitrep-7","title":"Situation report 7","content_html":"<ul><li>Aid convoy reached Homs</li><li>Roads closed</li></ul>","date_published":"2024-03-04"}]}`

// feedServer serves body with an ETag, answering 304 to a request that
// names it; hits counts the requests.
type feedServer struct {
	mu    sync.Mutex
	body  string
	ctype string
	hits  atomic.Int64
	cond  atomic.Int64 // conditional requests answered 304
}

func (s *feedServer) set(body string) {
	s.mu.Lock()
	s.body = body
	s.mu.Unlock()
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	s.mu.Lock()
	body := s.body
	s.mu.Unlock()
	tag := fmt.Sprintf(`"%x"`, len(body)*31+int(body[len(body)-3]))
	if r.Header.Get("If-None-Match") == tag {
		s.cond.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", tag)
	w.Header().Set("Content-Type", s.ctype)
	fmt.Fprint(w, body)
}

type env struct {
	p       *Poller
	reports *fakeReports
	feeds   *fakeFeeds
	tagger  *fakeTagger
	now     time.Time
}

func newEnv(t *testing.T, client Doer) *env {
	e := &env{reports: newFakeReports(), feeds: newFakeFeeds(), tagger: &fakeTagger{}, now: time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)}
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	e.p = New(Config{Reports: e.reports, Feeds: e.feeds, Tagger: e.tagger, Client: client, MinInterval: time.Second,
		Now: func() time.Time { return e.now }})
	return e
}

// add creates a feed through the poller's FeedService.
func (e *env) add(t *testing.T, f geotag.Feed) *geotag.Feed {
	t.Helper()
	if err := e.p.CreateFeed(context.Background(), &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

// pollOnce polls the feed with the id now and returns its stored state.
func (e *env) pollOnce(t *testing.T, id string) *geotag.Feed {
	t.Helper()
	f, err := e.feeds.FindFeedByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	e.p.poll(context.Background(), f)
	f, _ = e.feeds.FindFeedByID(context.Background(), id)
	return f
}

func TestPollFormats(t *testing.T) {
	rss := httptest.NewServer(&feedServer{body: rssDoc, ctype: "application/rss+xml"})
	defer rss.Close()
	atom := httptest.NewServer(&feedServer{body: atomDoc, ctype: "application/atom+xml"})
	defer atom.Close()
	jf := httptest.NewServer(&feedServer{body: jsonDoc, ctype: "application/feed+json"})
	defer jf.Close()
	e := newEnv(t, nil)
	fr := e.add(t, geotag.Feed{URL: rss.URL + "/rss", Country: "SY", BBox: "35,32,43,38", Tags: []string{"wire"}})
	fa := e.add(t, geotag.Feed{URL: atom.URL})
	fj := e.add(t, geotag.Feed{URL: jf.URL})
	for _, f := range []*geotag.Feed{fr, fa, fj} {
		got := e.pollOnce(t, f.ID)
		if got.Status.LastError != "" || got.Status.LastFetch == nil || got.Status.Failures != 0 {
			t.Fatalf("%s: %+v", f.URL, got.Status)
		}
	}
	if n := len(e.reports.all()); n != 4 {
		t.Fatalf("%d reports, want 4", n)
	}
	a1 := e.reports.byExternal("https://wire.example/a1")
	if a1 == nil || a1.Title != "Shelling near Aleppo" || a1.Text != "Artillery hit the eastern districts of Aleppo.\n\nTwo dead." ||
		a1.Source != "https://wire.example/a1" || !a1.Time.Equal(time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)) || a1.TimePrecision != "" ||
		len(a1.Tags) != 1 || a1.Tags[0] != "wire" || a1.Location == nil || a1.Location.Name != "Aleppo" || a1.History[0].By != "feed "+fr.ID {
		t.Fatalf("RSS item 1: %+v", a1)
	}
	// A guid that is not a URL: the (absolute) link is the external id.
	a2 := e.reports.byExternal(rss.URL + "/a2")
	if a2 == nil || a2.Text != "Crowds gathered in Homs & nearby." || !a2.Time.Equal(time.Date(2024, 3, 2, 6, 30, 0, 0, time.UTC)) {
		t.Fatalf("RSS item 2: %+v", a2)
	}
	e1 := e.reports.byExternal("urn:uuid:e1")
	if e1 == nil || e1.Title != "Clashes reported in Aleppo" || e1.Text != "Fighting in Aleppo overnight." || e1.Source != "https://agency.example/e1" {
		t.Fatalf("Atom entry: %+v", e1)
	}
	s7 := e.reports.byExternal("https://ngo.example/sitrep-7")
	if s7 == nil || s7.Text != "Aid convoy reached Homs\nRoads closed" || s7.TimePrecision != "day" || !s7.Time.Equal(time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("JSON Feed item: %+v", s7)
	}
	// The RSS feed's bias, the feed and the item's source (for desk
	// rules scoped to them) reached the tagger.
	sawBias := false
	for _, o := range e.tagger.opts {
		if len(o.Countries) == 1 && o.Countries[0] == "SY" && o.BBox != nil && o.BBox.W == 35 && o.Feed == fr.ID && o.Source == "https://wire.example/a1" {
			sawBias = true
		}
	}
	if !sawBias {
		t.Fatalf("tagging options %+v lack the feed's bias", e.tagger.opts)
	}
	if got, _ := e.feeds.FindFeedByID(context.Background(), fr.ID); got.Title != "Wire & Co" || got.Status.ItemsStored != 2 || got.Status.LastNewItem == nil {
		t.Fatalf("feed status %+v", got)
	}
}

func TestConditionalGetAndRepoll(t *testing.T) {
	s := &feedServer{body: rssDoc, ctype: "application/rss+xml"}
	ts := httptest.NewServer(s)
	defer ts.Close()
	e := newEnv(t, nil)
	f := e.add(t, geotag.Feed{URL: ts.URL})
	e.pollOnce(t, f.ID)
	e.now = e.now.Add(10 * time.Minute)
	got := e.pollOnce(t, f.ID)
	if s.cond.Load() != 1 || got.Status.ETag == "" || got.Status.LastError != "" || !got.Status.NextFetch.Equal(e.now.Add(5*time.Minute)) {
		t.Fatalf("second poll: %d conditional, status %+v", s.cond.Load(), got.Status)
	}
	// Without the validators (a server that ignores them), a re-poll
	// stores nothing twice.
	if _, err := e.feeds.UpdateFeed(context.Background(), f.ID, func(g *geotag.Feed) error { g.Status.ETag = ""; return nil }); err != nil {
		t.Fatal(err)
	}
	got = e.pollOnce(t, f.ID)
	if n := len(e.reports.all()); n != 2 || got.Status.ItemsStored != 2 {
		t.Fatalf("%d reports after a full re-poll, status %+v", n, got.Status)
	}
}

func TestFeedChanges(t *testing.T) {
	s := &feedServer{body: rssDoc, ctype: "application/rss+xml"}
	ts := httptest.NewServer(s)
	defer ts.Close()
	e := newEnv(t, nil)
	f := e.add(t, geotag.Feed{URL: ts.URL})
	e.pollOnce(t, f.ID)
	a2 := e.reports.byExternal(ts.URL + "/a2")
	// An analyst corrects item 2's report: the feed no longer rewrites it.
	if _, err := e.reports.UpdateReport(context.Background(), a2.ID, func(r *geotag.Report) error { r.Status = geotag.StatusReviewed; return nil }); err != nil {
		t.Fatal(err)
	}
	// The feed edits both items and adds a third.
	edited := strings.Replace(rssDoc, "districts of Aleppo.", "districts of Aleppo and Homs.", 1)
	edited = strings.Replace(edited, "Crowds gathered", "Large crowds gathered", 1)
	edited = strings.Replace(edited, "</channel>", `<item><title>Strike in Homs</title><guid>https://wire.example/a3</guid><description>Homs hit.</description></item></channel>`, 1)
	s.set(edited)
	e.now = e.now.Add(6 * time.Minute)
	got := e.pollOnce(t, f.ID)
	if got.Status.ItemsStored != 3 || got.Status.ItemsUpdated != 1 || got.Status.LastError != "" {
		t.Fatalf("status %+v", got.Status)
	}
	a1 := e.reports.byExternal("https://wire.example/a1")
	last := a1.History[len(a1.History)-1]
	if !strings.Contains(a1.Text, "Aleppo and Homs") || len(a1.Mentions) != 2 || last.Action != geotag.ActionEdit || last.BeforeText == nil ||
		!strings.Contains(*last.BeforeText, "districts of Aleppo.") || last.By != "feed "+f.ID {
		t.Fatalf("revised report: %+v", a1)
	}
	if a2 = e.reports.byExternal(ts.URL + "/a2"); strings.Contains(a2.Text, "Large") {
		t.Fatalf("the analyst's report was rewritten: %q", a2.Text)
	}
	// The headline-only item is tagged by its title and has the fetch time.
	a3 := e.reports.byExternal("https://wire.example/a3")
	if a3 == nil || a3.Text != "Homs hit." || !a3.Time.Equal(e.now) || a3.Location == nil {
		t.Fatalf("new item: %+v", a3)
	}
	// Polling the same document again changes nothing.
	e.now = e.now.Add(6 * time.Minute)
	before := len(a1.History)
	e.pollOnce(t, f.ID)
	if a1 = e.reports.byExternal("https://wire.example/a1"); len(a1.History) != before || len(e.reports.all()) != 3 {
		t.Fatalf("re-poll changed things: %d revisions, %d reports", len(a1.History), len(e.reports.all()))
	}
}

func TestRestartBetweenReportAndItemState(t *testing.T) {
	ts := httptest.NewServer(&feedServer{body: rssDoc, ctype: "application/rss+xml"})
	defer ts.Close()
	e := newEnv(t, nil)
	f := e.add(t, geotag.Feed{URL: ts.URL})
	// A previous run stored item 1's report and was killed before it
	// recorded the item's state.
	r := &geotag.Report{Title: "Shelling near Aleppo", Text: "x", ExternalID: "https://wire.example/a1"}
	if err := e.reports.CreateReport(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	got := e.pollOnce(t, f.ID)
	if n := len(e.reports.all()); n != 2 || got.Status.ItemsStored != 1 {
		t.Fatalf("%d reports, status %+v; want the stored one kept and one new", n, got.Status)
	}
	st, _ := e.feeds.FeedItems(context.Background(), f.ID, []string{"g:https://wire.example/a1"})
	if st["g:https://wire.example/a1"].ReportID != r.ID {
		t.Fatalf("item state %+v does not name the stored report %s", st, r.ID)
	}
}

func TestFailingFeedsDoNotStopOthers(t *testing.T) {
	good := httptest.NewServer(&feedServer{body: atomDoc, ctype: "application/atom+xml"})
	defer good.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusBadGateway) }))
	defer broken.Close()
	notFeed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html><body>hello</body></html>") }))
	defer notFeed.Close()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	e := newEnv(t, &http.Client{Timeout: 300 * time.Millisecond})
	ids := map[string]string{}
	for name, u := range map[string]string{"good": good.URL, "broken": broken.URL, "notfeed": notFeed.URL, "slow": slow.URL} {
		ids[name] = e.add(t, geotag.Feed{URL: u}).ID
	}
	e.p.pollDue(context.Background())
	e.p.wg.Wait()
	for name, id := range ids {
		f, _ := e.feeds.FindFeedByID(context.Background(), id)
		if name == "good" {
			if f.Status.LastError != "" || f.Status.ItemsStored != 1 {
				t.Errorf("good feed: %+v", f.Status)
			}
			continue
		}
		if f.Status.LastError == "" || f.Status.Failures != 1 || !f.Status.NextFetch.Equal(e.now.Add(10*time.Minute)) {
			t.Errorf("%s feed: %+v", name, f.Status)
		}
	}
	if f, _ := e.feeds.FindFeedByID(context.Background(), ids["broken"]); !strings.Contains(f.Status.LastError, "502") {
		t.Errorf("broken feed's error %q", f.Status.LastError)
	}
	// The backoff doubles per failure, capped.
	if b := backoff(5*time.Minute, 3, time.Hour); b != 40*time.Minute {
		t.Errorf("backoff 3 = %v", b)
	}
	if b := backoff(5*time.Minute, 30, time.Hour); b != time.Hour {
		t.Errorf("backoff 30 = %v", b)
	}
}

func TestRunPollsNewFeedAtOnce(t *testing.T) {
	ts := httptest.NewServer(&feedServer{body: jsonDoc, ctype: "application/feed+json"})
	defer ts.Close()
	e := newEnv(t, nil)
	e.p.cfg.Now = time.Now
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.p.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	e.add(t, geotag.Feed{URL: ts.URL, Interval: geotag.Interval(time.Second)})
	for deadline := time.Now().Add(10 * time.Second); len(e.reports.all()) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no report 10 s after the feed was added")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestFeedValidation(t *testing.T) {
	e := newEnv(t, nil)
	for _, f := range []geotag.Feed{
		{URL: "ftp://x.example/feed"},
		{URL: "https://user:pw@x.example/feed"},
		{URL: "https://x.example/feed", Interval: geotag.Interval(time.Millisecond)},
		{URL: "https://x.example/feed", Interval: geotag.Interval(48 * time.Hour)},
		{URL: "https://x.example/feed", Country: "Syria"},
		{URL: "https://x.example/feed", BBox: "1,2,3"},
		{URL: "https://x.example/" + strings.Repeat("a", 3000)},
	} {
		if err := e.p.CreateFeed(context.Background(), &f); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("%+v: %v", f, err)
		}
	}
	e.p.cfg.MaxFeeds = 1
	e.add(t, geotag.Feed{URL: "https://x.example/1"})
	if err := e.p.CreateFeed(context.Background(), &geotag.Feed{URL: "https://x.example/2"}); geotag.ErrorCode(err) != geotag.EUNPROCESSABLE {
		t.Errorf("over MaxFeeds: %v", err)
	}
}

func TestFeedTitleBounded(t *testing.T) {
	title, _, err := Parse([]byte(`<rss version="2.0"><channel><title>`+strings.Repeat("é", 1000)+`</title></channel></rss>`), nil)
	if err != nil || len(title) != 500 || !utf8.ValidString(title) {
		t.Fatalf("%d bytes, %v", len(title), err)
	}
}

func TestHTMLText(t *testing.T) {
	for in, want := range map[string]string{
		"plain\ntext &amp; more":                            "plain\ntext & more",
		"<p>One</p><p>Two <b>bold</b>,<br>three</p>":        "One\n\nTwo bold,\nthree",
		"a<script>var x='<p>'</script>b":                    "ab",
		"<style>p{}</style><div>  lots   of   space </div>": "lots of space",
		"<ul><li>x</li><li>y</li></ul>":                     "x\ny",
		"<p>unclosed <i>tags":                               "unclosed tags",
		"":                                                  "",
	} {
		if got := HTMLText(in); got != want {
			t.Errorf("HTMLText(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzHTMLText(f *testing.F) {
	f.Add("<p>One</p><p>Two <b>bold</b>,<br>three</p>")
	f.Add("a<script>x</script>b &amp; <svg><p>c</p></svg>")
	f.Fuzz(func(t *testing.T, s string) {
		out := HTMLText(s)
		if strings.Contains(out, "\n\n\n") || strings.HasPrefix(out, " ") && strings.Contains(s, "<") {
			t.Fatalf("%q → %q", s, out)
		}
	})
}

// closers matches a run of end tags.
var closers = regexp.MustCompile(`^(</[^<>]+>)*$`)

// FuzzCutItems: a document cut to at most 3 items is returned as it was,
// or as a prefix of it followed by end tags (JSON: with 3 items).
// (gofeed itself is left out: its date parsing makes an instrumented run
// take seconds.)
func FuzzCutItems(f *testing.F) {
	f.Add([]byte(rssDoc))
	f.Add([]byte(atomDoc))
	f.Add([]byte(jsonDoc))
	f.Add(manyItems("rdf", 5))
	f.Add(manyItems("json", 5))
	f.Fuzz(func(t *testing.T, b []byte) {
		out := cutItems(b, 3)
		if bytes.Equal(out, b) {
			return
		}
		if len(bytes.TrimLeft(b, "\ufeff \t\r\n")) > 0 && bytes.TrimLeft(b, "\ufeff \t\r\n")[0] == '{' {
			var top struct{ Items []json.RawMessage }
			if err := json.Unmarshal(out, &top); err != nil || len(top.Items) != 3 {
				t.Fatalf("%q → %q: %v", b, out, err)
			}
			return
		}
		// A prefix of the document, then end tags only.
		i := 0
		for i < len(out) && i < len(b) && out[i] == b[i] {
			i++
		}
		if !closers.Match(out[i:]) && !closers.Match(out[bytes.LastIndex(out[:i+1], []byte("<")):]) {
			t.Fatalf("%q → %q: not a prefix and end tags", b, out)
		}
	})
}

// A poll cut short by the service stopping keeps the count of what it
// stored, and leaves the feed due (its validators unsaved).
func TestPollCutByShutdown(t *testing.T) {
	ts := httptest.NewServer(&feedServer{body: rssDoc, ctype: "application/rss+xml"})
	defer ts.Close()
	e := newEnv(t, nil)
	f := e.add(t, geotag.Feed{URL: ts.URL})
	ctx, cancel := context.WithCancel(context.Background())
	e.tagger.onTag = func() { cancel() } // the service stops while the first item is tagged
	e.p.poll(ctx, f)
	got, _ := e.feeds.FindFeedByID(context.Background(), f.ID)
	n := len(e.reports.all())
	if n != 1 || got.Status.ItemsStored != n || got.Status.ETag != "" || !got.Status.NextFetch.IsZero() || got.Status.LastError != "" {
		t.Fatalf("%d reports, status %+v", n, got.Status)
	}
	// Polled again, the rest is stored and nothing twice.
	e.tagger.onTag = nil
	got = e.pollOnce(t, f.ID)
	if len(e.reports.all()) != 2 || got.Status.ItemsStored != 2 {
		t.Fatalf("%d reports, status %+v", len(e.reports.all()), got.Status)
	}
}
