package geotag

import (
	"context"
	"time"
)

// Article is the readable part of a web page, as the New report form
// takes it: the page's title, its main text, when it was published (nil
// when the page does not say) and the page's address after redirects.
type Article struct {
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Text      string     `json:"text"`
	Published *time.Time `json:"time,omitempty"`
	Site      string     `json:"site,omitempty"`
	Byline    string     `json:"byline,omitempty"`
	Truncated bool       `json:"truncated,omitempty"` // the text was cut to the report limit
}

// ArticleFetcher fetches a page and extracts its article.
type ArticleFetcher interface {
	// FetchArticle fetches the page at url and extracts its title, main
	// text and published time. It returns EINVALID for a URL that is not
	// an absolute http(s) URL or that carries a user name or password;
	// EUNPROCESSABLE for an address the service may not fetch (loopback,
	// private…), a failed or timed-out fetch, an answer other than 2xx, a
	// page that is not HTML, over the size cap or without a readable
	// article; and ctx's error when ctx ends first.
	FetchArticle(ctx context.Context, url string) (*Article, error)
}
