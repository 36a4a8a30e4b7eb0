package feed

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// manyItems writes a feed of n small items in a format.
func manyItems(format string, n int) []byte {
	var b bytes.Buffer
	switch format {
	case "rss":
		b.WriteString(`<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>x</title>`)
		for i := range n {
			fmt.Fprintf(&b, `<item><title>t%d</title><guid>g%d</guid><dc:creator>a</dc:creator></item>`, i, i)
		}
		b.WriteString(`</channel></rss>`)
	case "atom":
		b.WriteString(`<?xml version="1.0"?><a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>x</a:title>`)
		for i := range n {
			fmt.Fprintf(&b, `<a:entry><a:title>t%d</a:title><a:id>g%d</a:id></a:entry>`, i, i)
		}
		b.WriteString(`</a:feed>`)
	case "rdf":
		b.WriteString(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>x</title></channel>`)
		for i := range n {
			fmt.Fprintf(&b, `<item rdf:about="https://x.example/%d"><title>t%d</title><link>https://x.example/%d</link></item>`, i, i, i)
		}
		b.WriteString(`</rdf:RDF>`)
	case "json":
		b.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"g%d","title":"t%d"}`, i, i)
		}
		b.WriteString(`]}`)
	}
	return b.Bytes()
}

// A feed with more items than MaxItems is cut before the parser reads
// them, in every format, keeping the first ones; smaller feeds and other
// documents are not touched.
func TestCutItems(t *testing.T) {
	for _, format := range []string{"rss", "atom", "rdf", "json"} {
		doc := manyItems(format, MaxItems+100)
		cut := cutItems(doc, MaxItems)
		if len(cut) >= len(doc) {
			t.Errorf("%s: not cut", format)
		}
		title, items, err := Parse(doc, nil)
		if err != nil || title != "x" || len(items) != MaxItems || items[0].Title != "t0" || items[MaxItems-1].Title != fmt.Sprint("t", MaxItems-1) {
			t.Errorf("%s: %q, %d items, %v", format, title, len(items), err)
		}
		small := manyItems(format, 3)
		if !bytes.Equal(cutItems(small, MaxItems), small) {
			t.Errorf("%s: a small feed was changed", format)
		}
	}
	for _, doc := range []string{"", "not a feed", "<html><body>" + strings.Repeat("<item>", 10) + "</body></html>", `{"items":5}`, "<rss><item>"} {
		_ = cutItems([]byte(doc), 2) // no panic; whatever it gives, the parser decides
	}
}

// BenchmarkParseManyItems parses a 1 MiB RSS feed of tiny items (about
// 16,000): with the cut, and gofeed on the whole document as the baseline.
func BenchmarkParseManyItems(b *testing.B) {
	doc := manyItems("rss", 1)
	for n := 1; len(doc) < 1<<20; n *= 2 {
		doc = manyItems("rss", n)
	}
	b.Run("cut", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := Parse(doc, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gofeed-whole", func(b *testing.B) {
		for b.Loop() {
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(doc)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
