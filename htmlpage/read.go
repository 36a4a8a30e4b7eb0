package htmlpage

import (
	"bytes"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"

	"github.com/geotag/geotag"
)

// DefaultMaxElements bounds the elements of a page Reader builds a tree
// of: a live blog of 1 MiB holds some 20,000; reading costs about 800
// bytes an element (99,000 paragraphs: 81 MB allocated), so a page within
// the bound costs at most some 40 MB.
const DefaultMaxElements = 50_000

// Reader reads HTML live-blog pages; it implements geotag.LiveBlogReader.
// MaxElements bounds a page's elements (0: DefaultMaxElements): they are
// counted by the tokenizer, which holds nothing, before the tree is built.
type Reader struct {
	MaxElements int
}

// ReadLiveBlog reads an HTML page (UTF-8, or the encoding its meta or
// contentType declares) into blocks. It never fails on malformed HTML
// (the parser repairs it as browsers do); it returns EINVALID for an
// encoding it cannot decode and ETOOLARGE for a page of more than
// MaxElements elements.
func (r Reader) ReadLiveBlog(page []byte, pageURL, contentType string) (geotag.LiveBlogPage, error) {
	if enc, name, _ := charset.DetermineEncoding(page, contentType); name != "utf-8" {
		b, _, err := transform.Bytes(enc.NewDecoder(), page)
		if err != nil {
			return geotag.LiveBlogPage{}, geotag.FieldErrorf(geotag.EINVALID, "html", "the page is not valid %s", name)
		}
		page = b
	}
	if err := r.checkSize(page); err != nil {
		return geotag.LiveBlogPage{}, err
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return geotag.LiveBlogPage{}, geotag.FieldErrorf(geotag.EINVALID, "html", "the page cannot be read as HTML: %v", err)
	}
	p := geotag.LiveBlogPage{URL: pageURL, Paragraphs: true}
	w := walker{page: &p, times: countTimes(doc)}
	w.walk(doc)
	if p.Title == "" {
		p.Title = w.h1
	}
	if p.Title == "" {
		p.Title = w.title
	}
	return p, nil
}

// checkSize counts the page's start tags with the tokenizer.
func (r Reader) checkSize(page []byte) error {
	max := r.MaxElements
	if max <= 0 {
		max = DefaultMaxElements
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	for n := 0; ; {
		switch z.Next() {
		case html.ErrorToken:
			return nil
		case html.StartTagToken, html.SelfClosingTagToken:
			if n++; n > max {
				return geotag.FieldErrorf(geotag.ETOOLARGE, "html", "the page has more than %d elements; paste its text instead", max)
			}
		}
	}
}

// Split splits fetched bytes: HTML, or plain text when contentType says
// text/plain. It is what a fetcher (a live blog followed by URL) calls.
func Split(body []byte, pageURL, contentType string, o geotag.SplitOptions) (geotag.LiveBlog, error) {
	p, err := Reader{}.Page(body, pageURL, contentType)
	if err != nil {
		return geotag.LiveBlog{}, err
	}
	return geotag.SplitLiveBlog(p, o), nil
}

// Page reads fetched bytes into a page: lines of text when contentType
// says text/plain (invalid UTF-8 replaced), else HTML (ReadLiveBlog).
func (r Reader) Page(body []byte, pageURL, contentType string) (geotag.LiveBlogPage, error) {
	if mt, _, _ := strings.Cut(strings.ToLower(contentType), ";"); strings.TrimSpace(mt) == "text/plain" {
		return geotag.TextLiveBlogPage(string(bytes.ToValidUTF8(body, []byte("\uFFFD"))), pageURL, ""), nil
	}
	return r.ReadLiveBlog(body, pageURL, contentType)
}

// timeInfo is what an element holds of <time datetime> elements: how many,
// and the first one's time (zero when it is no full time).
type timeInfo struct {
	n  int
	at time.Time
}

// countTimes counts the <time datetime> elements under each element,
// walking the tree once after its children (no recursion: a deep page
// costs no stack).
func countTimes(doc *html.Node) map[*html.Node]timeInfo {
	out := map[*html.Node]timeInfo{}
	type frame struct {
		n    *html.Node
		done bool
	}
	stack := []frame{{n: doc}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !f.done {
			stack = append(stack, frame{f.n, true})
			for c := f.n.FirstChild; c != nil; c = c.NextSibling {
				stack = append(stack, frame{n: c})
			}
			continue
		}
		var ti timeInfo
		if f.n.Type == html.ElementNode && f.n.DataAtom == atom.Time {
			if v, ok := attr(f.n, "datetime"); ok {
				ti = timeInfo{1, parseDateTime(v)}
			}
		}
		for c := f.n.FirstChild; c != nil; c = c.NextSibling {
			if ci := out[c]; ci.n > 0 {
				if ti.n == 0 {
					ti.at = ci.at
				}
				ti.n += ci.n
			}
		}
		if ti.n > 0 {
			out[f.n] = ti
		}
	}
	return out
}

// parseDateTime reads a <time datetime> value that names an instant
// (RFC 3339, with or without seconds); a date alone gives the zero time.
func parseDateTime(v string) time.Time {
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05Z07:00"} {
		if t, err := time.Parse(l, strings.TrimSpace(v)); err == nil && geotag.ValidReportTime(t) {
			return t
		}
	}
	return time.Time{}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val, true
		}
	}
	return "", false
}
