package geotag_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// FuzzSplitLiveBlog splits any text: no panic, at most MaxEntries updates,
// output linear in the input (every update's text, heading and label come
// from the page, with at most two separator bytes a block added), each
// update dated inside the report time range with a precision.
func FuzzSplitLiveBlog(f *testing.F) {
	for _, name := range []string{"bbc.txt", "aljazeera.txt", "us12h.txt", "arabic.txt", "ukrainian.txt", "russian.txt"} {
		b, err := os.ReadFile("testdata/liveblog/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("UPDATE 2400 GMT:\n12:60\n31 February 2016\n٢٣:٥٩ م\n99.99.9999\n")
	f.Fuzz(func(t *testing.T, text string) {
		lb := geotag.SplitLiveBlog(geotag.TextLiveBlogPage(text, "https://x.example/", ""),
			geotag.SplitOptions{MaxEntries: 50, Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
		if len(lb.Entries) > 50 {
			t.Fatalf("%d entries", len(lb.Entries))
		}
		out := 0
		for _, e := range lb.Entries {
			out += len(e.Text) + len(e.Heading) + len(e.Label)
			if e.Precision != "minute" && e.Precision != "day" {
				t.Fatalf("precision %q", e.Precision)
			}
			if e.Time.Year() < 1899 || e.Time.Year() > 2201 {
				t.Fatalf("time %s", e.Time)
			}
		}
		if lines := strings.Count(text, "\n") + 1; out > len(text)+2*lines {
			t.Fatalf("%d bytes out of %d in", out, len(text))
		}
	})
}

// BenchmarkSplitLiveBlog splits pages of 1× and 16× the updates: the time
// per byte should stay the same (linear).
func BenchmarkSplitLiveBlog(b *testing.B) {
	page, err := os.ReadFile("testdata/liveblog/aljazeera.txt")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 16} {
		text := strings.Repeat(string(page)+"\n", n*10)
		b.Run(map[int]string{1: "x1", 16: "x16"}[n], func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				geotag.SplitLiveBlog(geotag.TextLiveBlogPage(text, "", ""), geotag.SplitOptions{MaxEntries: 1 << 20})
			}
		})
	}
}

// The splitter's work is linear in the page: splitting 16 copies of a
// page allocates at most 16 times what one copy does (allocations are
// counted, not timed), and a page of hostile lines (long digit runs,
// clocks without text, headers cut off at the header limit) no more per
// line than a plain one.
func TestSplitLiveBlogLinear(t *testing.T) {
	page, err := os.ReadFile("testdata/liveblog/aljazeera.txt")
	if err != nil {
		t.Fatal(err)
	}
	allocs := func(text string) float64 {
		return testing.AllocsPerRun(5, func() {
			geotag.SplitLiveBlog(geotag.TextLiveBlogPage(text, "", ""), geotag.SplitOptions{MaxEntries: 1 << 20})
		})
	}
	one := allocs(strings.Repeat(string(page), 4))
	sixteen := allocs(strings.Repeat(string(page), 64))
	t.Logf("allocations: one copy ×4 %.0f, ×64 %.0f", one, sixteen)
	if sixteen > 16*one+16 {
		t.Errorf("16 copies allocate %.0f times, one %.0f: more than linear", sixteen, one)
	}
	hostile := strings.Repeat("1"+strings.Repeat("2", 300)+"\n14:32\n"+strings.Repeat("UPDATE ", 40)+"\n", 200)
	plain := strings.Repeat(strings.Repeat("word ", 60)+"\n", 600)
	h, p := allocs(hostile)/600, allocs(plain)/600
	t.Logf("allocations a line: hostile %.1f, plain %.1f", h, p)
	if h > 4*p+20 {
		t.Errorf("hostile lines allocate %.1f times a line, plain ones %.1f", h, p)
	}
}
