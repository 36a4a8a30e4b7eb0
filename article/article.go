// Package article extracts the article of a web page with
// codeberg.org/readeck/go-readability/v2 (a maintained Go port of
// Mozilla's Readability.js, the extractor of Firefox's reader view: title,
// main text, byline and the page's published time from its metadata).
package article

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html/charset"

	"github.com/geotag/geotag"
)

// MaxElems bounds the elements of a page the extractor reads (a page with
// more has no article for it): the extraction costs about 2 s a MiB of
// page (30,000 paragraphs, 2.3 MiB: 4.8 s on a shared 2-CPU machine).
const MaxElems = 50000

// Doer sends HTTP requests: the service's safe outgoing client
// (internal/fetch), which checks addresses, redirects, sizes and times.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Fetcher implements geotag.ArticleFetcher over a Doer. Create it with
// New.
type Fetcher struct {
	client Doer
	slots  chan struct{} // extractions running at once
}

var _ geotag.ArticleFetcher = (*Fetcher)(nil)

// New returns a Fetcher that fetches through client and extracts at most
// concurrent pages at once (at least one); the others wait, as long as
// their context lets them.
func New(client Doer, concurrent int) *Fetcher {
	return &Fetcher{client: client, slots: make(chan struct{}, max(1, concurrent))}
}

// FetchArticle fetches the page and extracts its article; see
// geotag.ArticleFetcher for the outcomes.
func (f *Fetcher) FetchArticle(ctx context.Context, raw string) (*geotag.Article, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSpace(raw), nil)
	if err != nil {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "url", "not a URL")
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, upstream(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, geotag.Errorf(geotag.EUNPROCESSABLE, "the page answered HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	ct := resp.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); ct != "" && mt != "text/html" && mt != "application/xhtml+xml" {
		return nil, geotag.Errorf(geotag.EUNPROCESSABLE, "the page is %s, not HTML", mt)
	}
	body, err := charset.NewReader(resp.Body, ct)
	if err != nil {
		return nil, geotag.Errorf(geotag.EUNPROCESSABLE, "the page's character set is not readable: %v", err)
	}
	select {
	case f.slots <- struct{}{}:
		defer func() { <-f.slots }()
	case <-ctx.Done():
		return nil, geotag.Errorf(geotag.EUNAVAILABLE, "the service is busy extracting other pages; try again")
	}
	p := readability.NewParser()
	p.MaxElemsToParse = MaxElems
	a, err := p.Parse(body, resp.Request.URL)
	if err != nil {
		var ge *geotag.Error
		if errors.As(err, &ge) {
			return nil, upstream(ge) // the size cap or a timeout, while reading
		}
		return nil, geotag.Errorf(geotag.EUNPROCESSABLE, "no article found in the page: %v", err)
	}
	var text strings.Builder
	if a.Node != nil {
		if err := a.RenderText(&text); err != nil {
			return nil, geotag.Errorf(geotag.EUNPROCESSABLE, "no article found in the page: %v", err)
		}
	}
	out := &geotag.Article{URL: resp.Request.URL.String(), Title: strings.TrimSpace(a.Title()), Text: tidy(text.String()),
		Site: a.SiteName(), Byline: a.Byline()}
	if out.Text == "" && out.Title == "" {
		return nil, geotag.Errorf(geotag.EUNPROCESSABLE, "no article found in the page")
	}
	if t, err := a.PublishedTime(); err == nil && !t.IsZero() && geotag.CheckReportTime(t) == nil {
		t = t.UTC()
		out.Published = &t
	}
	return out, nil
}

// tidy trims each line and leaves at most one blank line between
// paragraphs.
func tidy(s string) string {
	var b strings.Builder
	blank := 0
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
			if blank > 0 {
				b.WriteString("\n")
			}
		}
		blank = 0
		b.WriteString(line)
	}
	return b.String()
}

// upstream makes the client's ETOOLARGE (a page over the size cap) an
// EUNPROCESSABLE: the request was fine, the page it names is not.
func upstream(err error) error {
	if geotag.ErrorCode(err) == geotag.ETOOLARGE {
		return geotag.Errorf(geotag.EUNPROCESSABLE, "%s", geotag.ErrorMessage(err))
	}
	return err
}
