package htmlpage_test

import (
	"os"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/htmlpage"
)

// FuzzReadLiveBlog reads any bytes as HTML: no panic, and the blocks hold
// no more text than the page (entities decode to fewer bytes than they
// take, and whitespace only collapses).
func FuzzReadLiveBlog(f *testing.F) {
	for _, name := range []string{"guardian.html", "updates.html"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(strings.Repeat("<div id=a><time datetime=2024-01-01T00:00:00Z>", 50)))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := htmlpage.Reader{}.ReadLiveBlog(b, "https://x.example/", "text/html; charset=utf-8")
		if err != nil {
			return
		}
		n := 0
		for _, bl := range p.Blocks {
			n += len(bl.Text)
		}
		if n > 3*len(b)+16 { // a broken byte becomes U+FFFD, three bytes
			t.Fatalf("%d bytes of text from %d", n, len(b))
		}
		geotag.SplitLiveBlog(p, geotag.SplitOptions{MaxEntries: 20})
	})
}
