package geotag_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func TestInterval(t *testing.T) {
	for in, want := range map[string]string{"5m": "5m", "1h": "1h", "90m": "1h30m", "1m30s": "1m30s", "": "5m", "2h0m0s": "2h"} {
		iv, err := geotag.ParseInterval(in)
		if err != nil || iv.String() != want {
			t.Errorf("%q: %v %v, want %s", in, iv, err, want)
		}
	}
	var f struct{ Interval geotag.Interval }
	if err := json.Unmarshal([]byte(`{"Interval":"10m"}`), &f); err != nil || f.Interval != geotag.Interval(10*time.Minute) {
		t.Fatalf("%v %v", f, err)
	}
	if b, _ := json.Marshal(f); string(b) != `{"Interval":"10m"}` {
		t.Fatalf("%s", b)
	}
	for _, bad := range []string{`{"Interval":5}`, `{"Interval":"soon"}`} {
		if err := json.Unmarshal([]byte(bad), &f); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestFeedItemReport(t *testing.T) {
	f := &geotag.Feed{URL: "https://wire.example/rss", Tags: []string{"wire"}}
	now := time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)
	pub := time.Date(2024, 3, 1, 17, 30, 0, 0, time.FixedZone("", 3600))
	for _, c := range []struct {
		it     geotag.FeedItem
		ext    string
		text   string
		when   time.Time
		prec   string
		source string
	}{
		{geotag.FeedItem{GUID: "urn:uuid:1", Link: "https://wire.example/1", Title: "T", Text: "Body", Published: pub}, "urn:uuid:1", "Body", pub.UTC(), "", "https://wire.example/1"},
		{geotag.FeedItem{GUID: "42", Link: "https://wire.example/42", Title: "Headline only", Published: pub, DateOnly: true}, "https://wire.example/42", "Headline only", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "day", "https://wire.example/42"},
		{geotag.FeedItem{GUID: "7", Title: "No link", Text: "x"}, "https://wire.example/rss#g:7", "x", now, "", ""},
		{geotag.FeedItem{Link: "javascript:alert(1)", Title: "Bad link", Text: "x", Published: time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC)}, "javascript:alert(1)", "x", now, "", ""},
	} {
		r := c.it.NewReport(f, now)
		if r.ExternalID != c.ext || r.Text != c.text || !r.Time.Equal(c.when) || r.TimePrecision != c.prec || r.Source != c.source ||
			r.Status != geotag.StatusUnreviewed || len(r.Tags) != 1 || r.Validate() != nil {
			t.Errorf("%+v → %+v", c.it, r)
		}
	}
	long := geotag.FeedItem{Title: strings.Repeat("é", 1200)}
	if r := long.NewReport(f, now); len([]rune(r.Title)) != 1000 {
		t.Errorf("title of %d runes", len([]rune(r.Title)))
	}
	a := geotag.FeedItem{GUID: "1", Title: "a", Text: "b"}
	b := a
	b.Text = "c"
	if a.Hash() == b.Hash() || a.Key() != b.Key() || a.Hash() != (geotag.FeedItem{GUID: "1", Title: "a", Text: "b"}).Hash() {
		t.Error("hash and key")
	}
	if (geotag.FeedItem{Title: "x"}).Key() == (geotag.FeedItem{Title: "y"}).Key() {
		t.Error("items without id or link share a key")
	}
}

func TestFeedValidate(t *testing.T) {
	ok := geotag.Feed{URL: "https://x.example/rss", Interval: geotag.Interval(5 * time.Minute), Country: "SY,JO", BBox: "35,32,43,38", Tags: []string{"a"}}
	if err := ok.Validate(time.Minute, geotag.ReportLimits{}); err != nil {
		t.Fatal(err)
	}
	for field, mod := range map[string]func(*geotag.Feed){
		"url":      func(f *geotag.Feed) { f.URL = "file:///etc/passwd" },
		"interval": func(f *geotag.Feed) { f.Interval = geotag.Interval(time.Second) },
		"country":  func(f *geotag.Feed) { f.Country = "Syria" },
		"bbox":     func(f *geotag.Feed) { f.BBox = "x" },
		"tags":     func(f *geotag.Feed) { f.Tags = []string{strings.Repeat("t", 1000)} },
	} {
		f := ok
		mod(&f)
		if err := f.Validate(time.Minute, geotag.ReportLimits{}); geotag.ErrorField(err) != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}
