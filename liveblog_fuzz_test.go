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
