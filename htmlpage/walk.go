package htmlpage

import (
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/geotag/geotag"
)

// skipped holds the elements whose text is no part of the page's story.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Nav: true, atom.Footer: true, atom.Aside: true, atom.Form: true, atom.Button: true, atom.Iframe: true,
}

// blocks holds the elements that end a paragraph.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Li: true, atom.Blockquote: true,
	atom.Figcaption: true, atom.Pre: true, atom.Td: true, atom.Th: true, atom.Dt: true, atom.Dd: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Tr: true, atom.Figure: true,
}

var headings = map[atom.Atom]bool{atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}

// walker turns the tree into blocks. An update's element is an element
// with an id holding exactly one <time datetime>; a block's anchor is the
// id of the update element around it, else of its own element, else of
// the nearest article, section or li around it with an id.
type walker struct {
	page    *geotag.LiveBlogPage
	times   map[*html.Node]timeInfo
	text    strings.Builder
	updates []update // the update elements open, innermost last
	own     []block  // the block elements open, innermost last
	heading int      // heading elements open
	started *html.Node
	h1      string
	title   string
	inTitle bool
	inH1    bool
}

// block is an open block element: its id and kind.
type block struct {
	id   string
	atom atom.Atom
}

// postAtoms are the elements live blogs wrap a post in.
var postAtoms = map[atom.Atom]bool{atom.Article: true, atom.Section: true, atom.Li: true}

type update struct {
	n  *html.Node
	id string
	at time.Time
}

// walk visits the tree in page order without recursion.
func (w *walker) walk(doc *html.Node) {
	type frame struct {
		n    *html.Node
		exit bool
	}
	stack := []frame{{n: doc}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if f.exit {
			w.leave(f.n)
			continue
		}
		switch f.n.Type {
		case html.TextNode:
			w.textNode(f.n.Data)
			continue
		case html.ElementNode:
			if skipped[f.n.DataAtom] {
				continue
			}
			w.enter(f.n)
			stack = append(stack, frame{f.n, true})
		case html.DocumentNode:
		default:
			continue
		}
		var kids []*html.Node
		for c := f.n.FirstChild; c != nil; c = c.NextSibling {
			kids = append(kids, c)
		}
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, frame{n: kids[i]})
		}
	}
	w.flush()
}

func (w *walker) textNode(s string) {
	switch {
	case w.inTitle:
		if w.title == "" {
			w.title = collapse(s)
		}
	default:
		if w.inH1 && w.h1 == "" {
			w.h1 = collapse(s)
		}
		w.text.WriteString(s)
	}
}

func (w *walker) enter(n *html.Node) {
	switch n.DataAtom {
	case atom.Title:
		w.inTitle = true
		return
	case atom.Meta:
		w.meta(n)
		return
	case atom.Br:
		w.flush()
		return
	case atom.H1:
		w.inH1 = true
	}
	if !blocks[n.DataAtom] {
		return
	}
	w.flush()
	id, _ := attr(n, "id")
	if ti := w.times[n]; ti.n == 1 && id != "" {
		w.updates = append(w.updates, update{n, id, ti.at})
	}
	w.own = append(w.own, block{id, n.DataAtom})
	if headings[n.DataAtom] {
		w.heading++
	}
}

func (w *walker) leave(n *html.Node) {
	switch n.DataAtom {
	case atom.Title:
		w.inTitle = false
		return
	case atom.H1:
		w.inH1 = false
	}
	if !blocks[n.DataAtom] {
		return
	}
	w.flush()
	w.own = w.own[:len(w.own)-1]
	if k := len(w.updates); k > 0 && w.updates[k-1].n == n {
		w.updates = w.updates[:k-1]
	}
	if headings[n.DataAtom] {
		w.heading--
	}
}

// meta reads the page's title and published time from its meta elements.
func (w *walker) meta(n *html.Node) {
	prop, _ := attr(n, "property")
	if prop == "" {
		prop, _ = attr(n, "name")
	}
	content, _ := attr(n, "content")
	switch prop {
	case "og:title":
		if w.page.Title == "" {
			w.page.Title = collapse(content)
		}
	case "article:published_time", "date", "dc.date", "DC.date.issued":
		if t := parseDateTime(content); !t.IsZero() && w.page.Date.IsZero() {
			w.page.Date = t
		}
	}
}

// flush ends the paragraph gathered so far as a block.
func (w *walker) flush() {
	text := collapse(w.text.String())
	w.text.Reset()
	if text == "" {
		return
	}
	b := geotag.LiveBlogBlock{Text: text, Heading: w.heading > 0}
	if k := len(w.updates); k > 0 {
		u := w.updates[k-1]
		b.Anchor, b.Time = u.id, u.at
		b.Start = w.started != u.n
		w.started = u.n
	} else {
		b.Anchor = w.anchor()
	}
	w.page.Blocks = append(w.page.Blocks, b)
}

// anchor returns the id of the innermost block element open, or else of
// the nearest post element (article, section, li) around it with one.
func (w *walker) anchor() string {
	for i := len(w.own) - 1; i >= 0; i-- {
		if b := w.own[i]; b.id != "" && (i == len(w.own)-1 || postAtoms[b.atom]) {
			return b.id
		}
	}
	return ""
}

// collapse joins the words of s with single spaces.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
