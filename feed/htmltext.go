package feed

import (
	"strings"

	"golang.org/x/net/html"
)

// blockTags end a line of text; skipTags hold no readable text.
var (
	blockTags = map[string]bool{
		"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true,
		"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "tr": true, "table": true,
		"blockquote": true, "pre": true, "section": true, "article": true, "header": true, "footer": true,
		"figure": true, "figcaption": true, "hr": true, "aside": true, "main": true, "nav": true,
	}
	skipTags = map[string]bool{
		"script": true, "style": true, "noscript": true, "template": true, "iframe": true,
		"object": true, "svg": true, "math": true, "head": true, "title": true,
	}
)

// HTMLText reduces an HTML fragment to its readable text in one pass:
// paragraphs, list items, headings and line breaks become line breaks,
// runs of spaces one space, more than one blank line one, entities their
// characters; scripts, styles and other non-text elements are dropped. A
// string without a tag is plain text: only its entities are decoded and its
// line breaks kept.
func HTMLText(s string) string {
	if !strings.Contains(s, "<") {
		return collapseBlankLines(strings.TrimSpace(html.UnescapeString(s)))
	}
	var w textWriter
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return w.String()
		case html.TextToken:
			if skip == 0 {
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if skipTags[tag] && tt != html.SelfClosingTagToken {
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
				continue
			}
			if blockTags[tag] && skip == 0 {
				w.br(tag == "p" || tag == "h1" || tag == "h2" || tag == "h3" || tag == "blockquote")
			}
		}
	}
}

// collapseBlankLines keeps at most one blank line between lines of plain
// text, as the HTML reading does.
func collapseBlankLines(s string) string {
	if !strings.Contains(s, "\n\n\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	n := 0 // line breaks in a row
	for _, r := range s {
		if r != '\n' {
			n = 0
		} else if n++; n > 2 {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// textWriter builds the text, collapsing spaces and blank lines.
type textWriter struct {
	b        strings.Builder
	space    bool // a space is due before the next word
	newlines int  // line breaks due before the next word (at most 2)
}

func (w *textWriter) text(s string) {
	if s == "" {
		return
	}
	if isSpace(rune(s[0])) {
		w.space = true
	}
	for i, f := range strings.FieldsFunc(s, isSpace) {
		if i > 0 {
			w.space = true
		}
		if w.b.Len() > 0 {
			switch {
			case w.newlines > 0:
				w.b.WriteString(strings.Repeat("\n", w.newlines))
			case w.space:
				w.b.WriteByte(' ')
			}
		}
		w.newlines, w.space = 0, false
		w.b.WriteString(f)
	}
	if isSpace(rune(s[len(s)-1])) {
		w.space = true
	}
}

// br ends the line; para leaves a blank line.
func (w *textWriter) br(para bool) {
	n := 1
	if para {
		n = 2
	}
	w.newlines = max(w.newlines, n)
}

func (w *textWriter) String() string { return w.b.String() }

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
}
