package geotag_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// wantEntry is what a test expects of one update: its label, time (RFC
// 3339, or a date for day precision) and title.
type wantEntry struct{ label, time, title string }

func splitFixture(t *testing.T, name, zone, date string) geotag.LiveBlog {
	t.Helper()
	b, err := os.ReadFile("testdata/liveblog/" + name)
	if err != nil {
		t.Fatal(err)
	}
	o := geotag.SplitOptions{Now: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	if zone != "" {
		loc, name, err := geotag.ParseZone(zone)
		if err != nil {
			t.Fatal(err)
		}
		o.Zone, o.ZoneName = loc, name
	}
	if date != "" {
		o.Date, _ = time.Parse(time.DateOnly, date)
	}
	return geotag.SplitLiveBlog(geotag.TextLiveBlogPage(string(b), "https://news.example/live?id=7", ""), o)
}

func checkEntries(t *testing.T, lb geotag.LiveBlog, want []wantEntry) {
	t.Helper()
	if len(lb.Entries) != len(want) {
		for _, e := range lb.Entries {
			t.Logf("%q %s %q", e.Label, e.Time, e.Title)
		}
		t.Fatalf("%d entries, want %d", len(lb.Entries), len(want))
	}
	for i, w := range want {
		e := lb.Entries[i]
		got := e.Time.UTC().Format(time.RFC3339)
		if e.Precision == "day" {
			got = e.Time.Format(time.DateOnly)
		}
		if e.Label != w.label || got != w.time || (w.title != "" && e.Title != w.title) {
			t.Errorf("entry %d: %q at %s (%s) %q, want %q at %s %q", i, e.Label, got, e.Precision, e.Title, w.label, w.time, w.title)
		}
		if e.Text == "" {
			t.Errorf("entry %d has no text", i)
		}
	}
}

func TestSplitLiveBlogLayouts(t *testing.T) {
	tests := []struct {
		file, zone, date string
		newest           bool
		want             []wantEntry
	}{
		{"bbc.txt", "Europe/London", "2024-03-01", true, []wantEntry{
			{"Posted at 23:40", "2024-03-01T23:40:00Z", "Evacuation centre opens"},
			{"Posted at 22:15", "2024-03-01T22:15:00Z", "River level still rising"},
			{"Posted at 21:05", "2024-03-01T21:05:00Z", "Warning upgraded"},
		}},
		{"aljazeera.txt", "", "2016-07-16", true, []wantEntry{
			{"UPDATE 0130 GMT", "2016-07-17T01:30:00Z", ""},
			{"UPDATE 2250 GMT", "2016-07-16T22:50:00Z", ""},
			{"UPDATE 1800 GMT", "2016-07-16T18:00:00Z", ""},
			{"ORIGINAL ENTRY", "2016-07-16", ""},
		}},
		{"us12h.txt", "America/New_York", "2024-08-01", false, []wantEntry{
			{"Update, 9:10 a.m.", "2024-08-01T13:10:00Z", ""},
			{"Update, 11:45 a.m.", "2024-08-01T15:45:00Z", ""},
			{"Update, 6:45 p.m.", "2024-08-01T22:45:00Z", ""},
			{"Update, 12:20 a.m.", "2024-08-02T04:20:00Z", ""},
		}},
		{"arabic.txt", "", "", false, []wantEntry{
			{"١٠:١٥ بتوقيت غرينتش", "2016-07-16T10:15:00Z", ""},
			{"١٤:٣٢ بتوقيت غرينتش", "2016-07-16T14:32:00Z", ""},
			{"٠٩:٠٠ بتوقيت غرينتش", "2016-07-17T09:00:00Z", ""},
		}},
		{"ukrainian.txt", "Europe/Kyiv", "", false, []wantEntry{
			{"23:10", "2022-03-15T21:10:00Z", ""},
			{"07:45", "2022-03-16T05:45:00Z", ""},
			{"08:30 за київським часом", "2022-03-16T06:30:00Z", ""},
		}},
		{"russian.txt", "", "2023-05-10", false, []wantEntry{
			{"14:32 мск", "2023-05-10T11:32:00Z", ""},
			{"15:05 мск", "2023-05-10T12:05:00Z", ""},
			{"00:20 мск", "2023-05-10T21:20:00Z", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			lb := splitFixture(t, tt.file, tt.zone, tt.date)
			if lb.NewestFirst != tt.newest {
				t.Errorf("newest_first %v, want %v", lb.NewestFirst, tt.newest)
			}
			checkEntries(t, lb, tt.want)
			for _, e := range lb.Entries {
				if e.Source != "https://news.example/live?id=7" {
					t.Errorf("source %q", e.Source)
				}
			}
		})
	}
}

func TestSplitLiveBlogTexts(t *testing.T) {
	lb := splitFixture(t, "aljazeera.txt", "", "2016-07-16")
	if got := lb.Entries[2].Text; got != "The envoy says a second round of talks will start on Monday.\n\nA spokesman added that the venue had not been chosen." {
		t.Errorf("text %q", got)
	}
	bbc := splitFixture(t, "bbc.txt", "", "2024-03-01")
	if got := bbc.Entries[1].Text; !strings.HasPrefix(got, "Gauges at the old bridge") || !strings.Contains(got, "\nA second line") {
		t.Errorf("text %q", got)
	}
	for _, e := range bbc.Entries {
		if strings.Contains(e.Text, "Summary") || strings.Contains(e.Text, "Roads closed") {
			t.Errorf("the preamble went into %q", e.Text)
		}
	}
}

func TestSplitLiveBlogDates(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	split := func(text string, o geotag.SplitOptions) geotag.LiveBlog {
		o.Now = now
		return geotag.SplitLiveBlog(geotag.TextLiveBlogPage(text, "", "Page"), o)
	}
	// No date anywhere: today, said so.
	lb := split("14:32\nA report.", geotag.SplitOptions{})
	if lb.Date != "2026-12-02" || lb.DateFrom != "today" || lb.Zone != "UTC" || lb.ZoneFrom != "default" {
		t.Errorf("date %s from %s zone %s", lb.Date, lb.DateFrom, lb.Zone)
	}
	checkEntries(t, lb, []wantEntry{{"14:32", "2026-12-02T14:32:00Z", "Page"}})
	// A dated heading with text under it is an update at day precision;
	// one right above a clock dates the clock. Month names without a year
	// take the day count's year.
	lb = split("Intro\n\n3 March\nShelling reported overnight.\n\nMarch 4\n09:00 GMT: Talks resume.\n17:00 GMT: Talks end.\n", geotag.SplitOptions{Date: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)})
	checkEntries(t, lb, []wantEntry{
		{"3 March", "2024-03-03", ""},
		{"09:00 GMT", "2024-03-04T09:00:00Z", ""},
		{"17:00 GMT", "2024-03-04T17:00:00Z", ""},
	})
	// A date and a clock on one line; a weekday before the date; US order.
	lb = split("Saturday 16 July 2016 14:32 BST: One.\nJuly 17, 2016 at 2:30 p.m. EDT — Two.\n17.07.2016 23:05 Three.", geotag.SplitOptions{})
	checkEntries(t, lb, []wantEntry{
		{"Saturday 16 July 2016 14:32 BST", "2016-07-16T13:32:00Z", ""},
		{"July 17, 2016 at 2:30 p.m. EDT", "2016-07-17T18:30:00Z", ""},
		{"17.07.2016 23:05", "2016-07-17T22:05:00Z", ""}, // in BST, the page's first zone
	})
	// Clocks without a zone take the one the page's other headers write.
	lb = split("14:00 BST: One.\n15:00: Two.\n16:00 BST: Three.\n17:00 GMT: Four.", geotag.SplitOptions{Date: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
	if lb.Zone != "BST" || lb.ZoneFrom != "page" {
		t.Errorf("zone %s from %s", lb.Zone, lb.ZoneFrom)
	}
	checkEntries(t, lb, []wantEntry{
		{"14:00 BST", "2024-06-01T13:00:00Z", ""},
		{"15:00", "2024-06-01T14:00:00Z", ""},
		{"16:00 BST", "2024-06-01T15:00:00Z", ""},
		{"17:00 GMT", "2024-06-01T17:00:00Z", ""},
	})
	// A zone offset after the clock, and a clock going back a little is
	// not a new day.
	lb = split("10:00 UTC+3: One.\n09:30 UTC+3: Two.\n11:00 +05:30 – Three.", geotag.SplitOptions{Date: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)})
	checkEntries(t, lb, []wantEntry{
		{"10:00 UTC+3", "2024-03-01T07:00:00Z", ""},
		{"09:30 UTC+3", "2024-03-01T06:30:00Z", ""},
		{"11:00 +05:30", "2024-03-01T05:30:00Z", ""},
	})
}

func TestSplitLiveBlogNotHeaders(t *testing.T) {
	text := "Prices rose 14.32 per cent.\n1800 people left.\nUpdated figures follow\n2016 was a hard year.\n12 people died: officials\n"
	lb := geotag.SplitLiveBlog(geotag.TextLiveBlogPage(text, "", ""), geotag.SplitOptions{})
	for _, e := range lb.Entries {
		t.Errorf("found an update %q in %q", e.Label, e.Text)
	}
}

func TestSplitLiveBlogBounded(t *testing.T) {
	var b strings.Builder
	for i := range 50 {
		b.WriteString("UPDATE: item ")
		b.WriteString(strings.Repeat("x", i))
		b.WriteString("\n")
	}
	lb := geotag.SplitLiveBlog(geotag.TextLiveBlogPage(b.String(), "", ""), geotag.SplitOptions{MaxEntries: 10})
	if len(lb.Entries) != 10 || !lb.Truncated {
		t.Errorf("%d entries, truncated %v; want the first 10 and truncated", len(lb.Entries), lb.Truncated)
	}
	if lb.Entries[0].Text != "item" {
		t.Errorf("first entry %q", lb.Entries[0].Text)
	}
}

func TestParseZone(t *testing.T) {
	for in, off := range map[string]int{"BST": 3600, "MSK": 3 * 3600, "+03:00": 3 * 3600, "-0500": -5 * 3600, "UTC+3": 3 * 3600, "GMT-4": -4 * 3600, "PST": -8 * 3600} {
		loc, _, err := geotag.ParseZone(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if _, got := time.Date(2024, 1, 10, 0, 0, 0, 0, loc).Zone(); got != off {
			t.Errorf("%s: offset %d, want %d", in, got, off)
		}
	}
	for _, in := range []string{"", "Mars/Base", "XYZ", "+25:00", "Local", strings.Repeat("A", 100)} {
		if _, _, err := geotag.ParseZone(in); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("%q: %v, want invalid", in, err)
		}
	}
}
