package feed

import (
	"bytes"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/geotag/geotag"
)

// MaxItems is the most items read from one fetch of a feed (the first
// ones, newest in most feeds); the rest wait for the next fetch, if still
// there.
const MaxItems = 500

// Parse reads a feed document (RSS 2.0 and older RSS, Atom, JSON Feed:
// gofeed detects which) fetched from base, and returns its title and its
// items (at most MaxItems), their HTML reduced to text and their links
// made absolute against base. It returns an EUNPROCESSABLE *Error for a
// document that is no feed.
func Parse(body []byte, base *url.URL) (string, []geotag.FeedItem, error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(cutItems(body, MaxItems)))
	if err != nil {
		return "", nil, geotag.Errorf(geotag.EUNPROCESSABLE, "not a feed (RSS, Atom or JSON Feed): %v", err)
	}
	items := make([]geotag.FeedItem, 0, min(len(f.Items), MaxItems))
	for _, it := range f.Items {
		if len(items) == MaxItems {
			break
		}
		if it == nil {
			continue
		}
		items = append(items, item(it, base))
	}
	return cut(HTMLText(f.Title), maxFeedTitle), items, nil
}

// maxFeedTitle bounds the feed title kept (bytes): it is stored with the
// feed and rewritten at every poll.
const maxFeedTitle = 500

// cut cuts s to at most n bytes at a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// item converts one parsed item.
func item(it *gofeed.Item, base *url.URL) geotag.FeedItem {
	text := it.Content
	if strings.TrimSpace(text) == "" {
		text = it.Description
	}
	out := geotag.FeedItem{
		GUID:  strings.TrimSpace(it.GUID),
		Link:  absolute(strings.TrimSpace(it.Link), base),
		Title: HTMLText(it.Title),
		Text:  HTMLText(text),
	}
	switch {
	case it.PublishedParsed != nil:
		out.Published, out.DateOnly = *it.PublishedParsed, dateOnly(it.Published)
	case it.UpdatedParsed != nil:
		out.Published, out.DateOnly = *it.UpdatedParsed, dateOnly(it.Updated)
	}
	return out
}

// dateOnly reports whether a feed's date string names a day without a
// clock time ("2024-03-01", "1 Mar 2024").
func dateOnly(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && !strings.Contains(s, ":")
}

// absolute resolves a link against the feed's URL; a link that does not
// parse is dropped.
func absolute(link string, base *url.URL) string {
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u.String()
}
