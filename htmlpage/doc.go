// Package htmlpage reads an HTML live-blog page into the blocks the
// root's live-blog splitter takes (geotag.LiveBlogPage): its title, its
// published date, and its paragraphs and headings in page order, each
// with the id of the update it belongs to and that update's time (an
// element with an id holding one <time datetime>). It is the one package
// that imports golang.org/x/net/html, the Go project's HTML5 parser (the
// tokenizer and tree builder browsers' rules describe, kept with the
// standard library's x/ repositories).
package htmlpage
