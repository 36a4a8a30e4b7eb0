package frontend_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/geotag/geotag/frontend"
	"golang.org/x/net/html"
)

// Ensure every file the page references is embedded.
func TestReferencedFilesExist(t *testing.T) {
	fsys := frontend.FS()
	html := mustRead(t, fsys, "index.html")
	refs := regexp.MustCompile(`(?:src|href)="([^"#:]+)"`).FindAllStringSubmatch(html, -1)
	if len(refs) < 5 {
		t.Fatalf("found only %d references in index.html", len(refs))
	}
	for _, m := range refs {
		if _, err := fs.Stat(fsys, m[1]); err != nil {
			t.Errorf("index.html references %s: %v", m[1], err)
		}
	}
	// ES module imports between our scripts.
	imp := regexp.MustCompile(`from '\./([^']+)'`)
	err := fs.WalkDir(fsys, "js", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		for _, m := range imp.FindAllStringSubmatch(mustRead(t, fsys, path), -1) {
			if _, err := fs.Stat(fsys, "js/"+m[1]); err != nil {
				t.Errorf("%s imports %s: %v", path, m[1], err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		"vendor/leaflet-1.9.4/LICENSE",
		"vendor/leaflet.markercluster-1.5.3/MIT-LICENCE.txt",
		"vendor/topojson-client-3.1.0/LICENSE",
		"vendor/world-atlas-2.0.2/LICENSE",
		"vendor/world-atlas-2.0.2/countries-50m.json",
		"vendor/mgrs-2.2.0/license.md",
		"vendor/mgrs-2.2.0/mgrs.esm.js",
	} {
		if _, err := fs.Stat(fsys, p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// Ensure the page has no inline script or handler, which the API's
// Content-Security-Policy (script-src 'self') would block, and that our
// scripts never write HTML from strings.
func TestNoInlineScriptOrHTMLSinks(t *testing.T) {
	fsys := frontend.FS()
	html := mustRead(t, fsys, "index.html")
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(html, -1) {
		if !strings.Contains(m, ` src="`) {
			t.Errorf("inline script: %s", m)
		}
	}
	if m := regexp.MustCompile(`(?i)\son[a-z]+\s*=`).FindString(html); m != "" {
		t.Errorf("inline event handler in index.html: %q", m)
	}
	if strings.Contains(html, "javascript:") {
		t.Error("javascript: URL in index.html")
	}
	sinks := regexp.MustCompile(`\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(`)
	err := fs.WalkDir(fsys, "js", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		for i, line := range strings.Split(mustRead(t, fsys, path), "\n") {
			if sinks.MatchString(line) {
				t.Errorf("%s:%d writes HTML from a string: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, fsys fs.FS, name string) string {
	t.Helper()
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPageNesting fails when index.html's block elements do not close in
// the order they open: a panel left open swallows the panels after it (a
// merge once left the Feeds panel open, and the Rules and Sign in panels
// inside it never showed).
func TestPageNesting(t *testing.T) {
	page := mustRead(t, frontend.FS(), "index.html")
	blocks := map[string]bool{"section": true, "div": true, "aside": true, "main": true, "form": true,
		"nav": true, "header": true, "ul": true, "ol": true, "details": true, "fieldset": true}
	var open []string
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		name, _ := z.TagName()
		if !blocks[string(name)] {
			continue
		}
		switch tt {
		case html.StartTagToken:
			open = append(open, string(name))
		case html.EndTagToken:
			if len(open) == 0 || open[len(open)-1] != string(name) {
				t.Fatalf("</%s> closes %v", name, open)
			}
			open = open[:len(open)-1]
		}
	}
	if len(open) != 0 {
		t.Fatalf("left open: %v", open)
	}
	for _, id := range []string{"panel-new", "panel-review", "panel-export", "panel-import", "panel-views", "panel-feeds", "panel-rules", "panel-token"} {
		if !strings.Contains(page, `<section id="`+id+`"`) {
			t.Errorf("no %s", id)
		}
	}
}
