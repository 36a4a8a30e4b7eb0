package htmlpage_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/htmlpage"
)

var _ geotag.LiveBlogReader = htmlpage.Reader{}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A Guardian-style page: each update an element with an id and a <time
// datetime>, newest first, past midnight; the page's meta title and date;
// navigation, scripts and asides left out.
func TestSplitGuardianStyle(t *testing.T) {
	lb, err := htmlpage.Split(read(t, "guardian.html"), "https://paper.example/live/strike#top", "text/html", geotag.SplitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if lb.Title != "Harbour strike day two – live" || lb.Date != "2024-03-01" || lb.DateFrom != "page" || !lb.NewestFirst {
		t.Errorf("page: %q %s %s newest %v", lb.Title, lb.Date, lb.DateFrom, lb.NewestFirst)
	}
	want := []struct{ anchor, at, title, text string }{
		{"block-65e1b2", "2024-03-02T00:15:00Z", "Talks adjourned", "Negotiators left the port authority building shortly after midnight.\n\nThey will meet again at ten."},
		{"block-65e0f9", "2024-03-01T16:40:00Z", "Harbour strike day two – live", "Ferries to the islands have been cancelled for the rest of the day."},
		{"block-65e0a1", "2024-03-01T09:05:00Z", "Picket lines at all three gates", "About two hundred workers gathered at the north gate.\n\nPolice watched from the road."},
	}
	if len(lb.Entries) != len(want) {
		t.Fatalf("%d entries: %+v", len(lb.Entries), lb.Entries)
	}
	for i, w := range want {
		e := lb.Entries[i]
		if e.Anchor != w.anchor || e.Source != "https://paper.example/live/strike#"+w.anchor || e.Time.Format(time.RFC3339) != w.at ||
			e.Precision != "minute" || e.Title != w.title || e.Text != w.text {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
}

// Text-style headers in paragraphs with ids: the anchor is the
// paragraph's id; the zone is the request's.
func TestSplitHTMLHeaders(t *testing.T) {
	lb, err := htmlpage.Split(read(t, "updates.html"), "https://wire.example/border", "text/html; charset=utf-8",
		geotag.SplitOptions{Date: time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if lb.Title != "Border crossings: updates" {
		t.Errorf("title %q", lb.Title)
	}
	want := []struct{ anchor, at, text string }{
		{"u3", "2024-05-06T18:00:00Z", "The southern crossing reopened for trucks.\n\nDrivers said the queue was ten kilometres long."},
		{"u2", "2024-05-06T12:15:00Z", "Officials announced new checks."},
		{"u1", "2024-05-06T00:00:00Z", "Both crossings closed overnight."},
	}
	if len(lb.Entries) != len(want) {
		t.Fatalf("%d entries: %+v", len(lb.Entries), lb.Entries)
	}
	for i, w := range want {
		e := lb.Entries[i]
		if e.Anchor != w.anchor || e.Time.Format(time.RFC3339) != w.at || e.Text != w.text {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
	if lb.Entries[2].Precision != "day" {
		t.Errorf("original entry precision %q", lb.Entries[2].Precision)
	}
}

// A page in windows-1251, as its meta says, and plain text by its
// Content-Type.
func TestSplitEncodings(t *testing.T) {
	lb, err := htmlpage.Split(read(t, "cp1251.html"), "", "text/html", geotag.SplitOptions{Date: time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Entries) != 1 || lb.Entries[0].Text != "Аэропорт закрыт." || lb.Entries[0].Time.Format(time.RFC3339) != "2024-05-06T11:32:00Z" || lb.Title != "Хроника" {
		t.Errorf("%+v", lb)
	}
	lb, err = htmlpage.Split([]byte("14:32 GMT: plain <b>text</b>\n14:40 GMT: a line"), "", "text/plain; charset=utf-8", geotag.SplitOptions{Date: time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(lb.Entries) != 2 || lb.Entries[0].Text != "plain <b>text</b>" {
		t.Errorf("%+v %v", lb.Entries, err)
	}
}

// A page of more elements than MaxElements is refused before its tree is
// built.
func TestReadBounded(t *testing.T) {
	r := htmlpage.Reader{MaxElements: 10}
	if _, err := r.ReadLiveBlog([]byte(strings.Repeat("<p>a</p>", 10)), "", "text/html"); err != nil {
		t.Errorf("10 elements: %v", err)
	}
	if _, err := r.ReadLiveBlog([]byte(strings.Repeat("<p>a</p>", 11)), "", "text/html"); geotag.ErrorCode(err) != geotag.ETOOLARGE {
		t.Errorf("11 elements: %v, want too large", err)
	}
}

// A BBC-style page: posts in list items with ids, "Posted at" in a span,
// the post's headline in a heading after it.
func TestSplitBBCStyle(t *testing.T) {
	lb, err := htmlpage.Split(read(t, "bbc.html"), "https://news.example/live/floods", "text/html",
		geotag.SplitOptions{Date: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ anchor, at, title, text string }{
		{"post-903", "2024-03-01T23:40:00Z", "Evacuation centre opens", "The council has opened the sports hall in Northfield."},
		{"post-902", "2024-03-01T22:15:00Z", "River level still rising", "Gauges at the old bridge show the water above the defences.\n\nSandbags are being laid along Mill Lane."},
	}
	if len(lb.Entries) != len(want) || lb.Title != "Flooding in the valley: live updates" || !lb.NewestFirst {
		t.Fatalf("%+v", lb)
	}
	for i, w := range want {
		e := lb.Entries[i]
		if e.Anchor != w.anchor || e.Source != "https://news.example/live/floods#"+w.anchor || e.Time.Format(time.RFC3339) != w.at || e.Title != w.title || e.Text != w.text {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
}
