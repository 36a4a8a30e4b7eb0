package htmlpage

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/geotag/geotag"
)

// Doer sends HTTP requests: the service's safe outgoing client
// (internal/fetch), which checks addresses, caps the body's size and
// bounds the time.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Fetcher fetches live-blog pages by URL through a client and reads them
// with a Reader, a bounded number at once; it implements
// geotag.LiveBlogFetcher.
type Fetcher struct {
	client Doer
	reader Reader
	slots  chan struct{} // pages fetched and read at once
}

var _ geotag.LiveBlogFetcher = (*Fetcher)(nil)

// NewFetcher returns a Fetcher that fetches and reads at most concurrent
// pages at once (at least 1); others wait for a place until their ctx
// ends.
func NewFetcher(client Doer, r Reader, concurrent int) *Fetcher {
	return &Fetcher{client: client, reader: r, slots: make(chan struct{}, max(1, concurrent))}
}

// FetchLiveBlog fetches the page at raw and reads it (Reader.Page).
func (f *Fetcher) FetchLiveBlog(ctx context.Context, raw string) (geotag.LiveBlogPage, error) {
	var none geotag.LiveBlogPage
	select {
	case f.slots <- struct{}{}:
		defer func() { <-f.slots }()
	case <-ctx.Done():
		return none, geotag.Errorf(geotag.EUNAVAILABLE, "the service is busy fetching other pages; try again")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSpace(raw), nil)
	if err != nil {
		return none, geotag.FieldErrorf(geotag.EINVALID, "url", "not a URL")
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8")
	resp, err := f.client.Do(req)
	if err != nil {
		return none, upstream(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return none, geotag.Errorf(geotag.EUNPROCESSABLE, "the page answered HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	ct := resp.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); ct != "" && mt != "text/html" && mt != "application/xhtml+xml" && mt != "text/plain" {
		return none, geotag.Errorf(geotag.EUNPROCESSABLE, "the page is %s, not HTML or text", mt)
	}
	body, err := io.ReadAll(resp.Body) // bounded by the client's size cap
	if err != nil {
		return none, upstream(err)
	}
	p, err := f.reader.Page(body, resp.Request.URL.String(), ct)
	if err != nil { // an encoding or a size the reader refuses: the page's fault, not the request's
		return none, geotag.Errorf(geotag.EUNPROCESSABLE, "%s", geotag.ErrorMessage(err))
	}
	return p, nil
}

// upstream makes the client's ETOOLARGE (a page over the size cap) an
// EUNPROCESSABLE: the request was fine, the page it names is not; other
// errors (the client's, ctx's) pass as they are.
func upstream(err error) error {
	if geotag.ErrorCode(err) == geotag.ETOOLARGE {
		return geotag.Errorf(geotag.EUNPROCESSABLE, "%s", geotag.ErrorMessage(err))
	}
	return err
}
