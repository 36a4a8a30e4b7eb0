package article

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// articlePage is a news page written for this test: navigation, a cookie
// banner and a footer around the article.
const articlePage = `<!doctype html><html><head><meta charset="utf-8">
<title>Convoy reaches Aleppo | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2024-03-01T10:15:00+02:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<article><h1>Convoy reaches Aleppo</h1><p class="byline">By A. Writer</p>
<p>An aid convoy of forty trucks reached the eastern districts of Aleppo on Friday morning, the first in three weeks, local officials said.</p>
<p>The trucks carried flour, medicine and fuel for the city's two remaining hospitals, which had run short after the road from Homs was closed by fighting.</p>
<p>Officials said a second convoy was expected next week if the road stays open, and that the distribution would be overseen by the local council.</p>
<p>Residents queued from dawn outside the bakeries of the old city, where bread had been rationed to one bundle per family since the start of the month, a shopkeeper said by telephone.</p>
<p>The United Nations said it had asked all parties to guarantee safe passage for further deliveries, and that talks on a longer pause in the fighting would continue in Geneva on Monday.</p>
<p>Fighting was reported overnight in the countryside to the south, where two villages changed hands twice in a week, according to a monitoring group that relies on a network of sources on the ground.</p>
</article>
<footer>© The Daily Example. <a href="/about">About</a></footer>
</body></html>`

func TestFetchArticle(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/story":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, articlePage)
		case "/moved":
			http.Redirect(w, r, "/story", http.StatusMovedPermanently)
		case "/latin1":
			w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
			w.Write([]byte("<html><head><title>Caf\xe9</title></head><body><article><p>" + strings.Repeat("Le caf\xe9 de la place est ferm\xe9 depuis lundi. ", 20) + "</p></article></body></html>"))
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.4"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer ts.Close()
	f := New(&http.Client{Timeout: 5 * time.Second}, 1)
	a, err := f.FetchArticle(context.Background(), ts.URL+"/moved")
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != ts.URL+"/story" || !strings.Contains(a.Title, "Convoy reaches Aleppo") || a.Site != "The Daily Example" {
		t.Fatalf("article %+v", a)
	}
	if !strings.Contains(a.Text, "An aid convoy of forty trucks") || !strings.Contains(a.Text, "\n\nThe trucks carried") ||
		strings.Contains(a.Text, "cookies") || strings.Contains(a.Text, "Sport") || strings.Contains(a.Text, "About") {
		t.Fatalf("text %q", a.Text)
	}
	if a.Published == nil || !a.Published.Equal(time.Date(2024, 3, 1, 8, 15, 0, 0, time.UTC)) {
		t.Fatalf("published %v", a.Published)
	}
	a, err = f.FetchArticle(context.Background(), ts.URL+"/latin1")
	if err != nil || a.Title != "Café" || !strings.Contains(a.Text, "fermé depuis lundi") {
		t.Fatalf("latin-1 page: %+v %v", a, err)
	}
	for path, code := range map[string]string{"/pdf": geotag.EUNPROCESSABLE, "/gone": geotag.EUNPROCESSABLE} {
		if _, err := f.FetchArticle(context.Background(), ts.URL+path); geotag.ErrorCode(err) != code {
			t.Errorf("%s: %v, want %s", path, err, code)
		}
	}
}

func TestTidy(t *testing.T) {
	if got := tidy("  a  b \n\n\n\n c\nd \n"); got != "a b\n\nc\nd" {
		t.Fatalf("%q", got)
	}
}

// With its one slot taken, a fetch waits, and gives up with its context.
func TestFetchArticleBusy(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, articlePage) }))
	defer ts.Close()
	f := New(http.DefaultClient, 1)
	f.slots <- struct{}{} // another extraction runs
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := f.FetchArticle(ctx, ts.URL); geotag.ErrorCode(err) != geotag.EUNAVAILABLE {
		t.Fatalf("busy: %v", err)
	}
	<-f.slots
	if _, err := f.FetchArticle(context.Background(), ts.URL); err != nil {
		t.Fatal(err)
	}
}
