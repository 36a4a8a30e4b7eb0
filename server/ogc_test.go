package server

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestOGC(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		e.create(t, `{"title":"r","text":"Aleppo","time":"2024-03-0`+string(rune('1'+i))+`"}`)
	}
	e.create(t, `{"title":"far","text":"Nice","time":"2024-04-01"}`)

	var landing struct{ Links []Link }
	json.Unmarshal(e.do(t, "GET", "/ogc", "").Body.Bytes(), &landing)
	rels := map[string]string{}
	for _, l := range landing.Links {
		rels[l.Rel] = l.Href
	}
	for _, rel := range []string{"self", "service-desc", "conformance", "data"} {
		if !strings.HasPrefix(rels[rel], "http://example.com/ogc") {
			t.Errorf("landing link %s = %q", rel, rels[rel])
		}
	}
	if w := e.do(t, "GET", "/ogc/", ""); w.Code != 200 {
		t.Errorf("/ogc/: %d", w.Code)
	}
	w := e.do(t, "GET", "/ogc/conformance", "")
	if !strings.Contains(w.Body.String(), "ogcapi-features-1/1.0/conf/core") || !strings.Contains(w.Body.String(), "conf/geojson") {
		t.Errorf("conformance: %s", w.Body)
	}
	w = e.do(t, "GET", "/ogc/api", "")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/vnd.oai.openapi+json") || !strings.Contains(w.Body.String(), `"openapi":"3.0.3"`) {
		t.Errorf("api: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	var cols struct {
		Collections []struct {
			ID    string
			Links []Link
		}
	}
	json.Unmarshal(e.do(t, "GET", "/ogc/collections", "").Body.Bytes(), &cols)
	if len(cols.Collections) != 1 || cols.Collections[0].ID != "reports" {
		t.Fatalf("collections: %+v", cols)
	}
	if w := e.do(t, "GET", "/ogc/collections/reports", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"rel":"items"`) {
		t.Errorf("collection: %s", w.Body)
	}

	// Pages of 2, with next links to the end; the first page counts the
	// matches, the ones after a cursor do not (each costs its own page).
	url := "/ogc/collections/reports/items?limit=2&bbox=30,30,40,40"
	var ids []string
	for pages := 0; url != ""; pages++ {
		if pages > 5 {
			t.Fatal("too many pages")
		}
		w := e.do(t, "GET", url, "")
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/geo+json" {
			t.Fatalf("%s: %d %s", url, w.Code, w.Body)
		}
		c := decode[collection](t, w)
		if c.NumberMatched != map[bool]int{true: 5, false: 0}[pages == 0] || c.NumberReturned != len(c.Features) {
			t.Errorf("%s: matched %d returned %d", url, c.NumberMatched, c.NumberReturned)
		}
		for _, f := range c.Features {
			ids = append(ids, f.ID)
		}
		url = strings.TrimPrefix(c.link("next"), "http://example.com")
	}
	if len(ids) != 5 || ids[0] != "r5" || ids[4] != "r1" {
		t.Errorf("ids = %v", ids)
	}

	// A client's own offset, counted; its next link goes on by cursor.
	c := decode[collection](t, e.do(t, "GET", "/ogc/collections/reports/items?bbox=30,30,40,40&offset=1&limit=2", ""))
	if len(c.Features) != 2 || c.Features[0].ID != "r4" || c.NumberMatched != 5 || !strings.Contains(c.link("next"), "cursor=") ||
		strings.Contains(c.link("next"), "offset=") {
		t.Errorf("offset 1: %+v", c)
	}
	next := decode[collection](t, e.do(t, "GET", strings.TrimPrefix(c.link("next"), "http://example.com"), ""))
	if len(next.Features) != 2 || next.Features[0].ID != "r2" || next.Features[1].ID != "r1" {
		t.Errorf("after offset 1: %+v", next)
	}
	c = decode[collection](t, e.do(t, "GET", "/ogc/collections/reports/items?bbox=30,30,40,40&offset=3&limit=2", ""))
	if len(c.Features) != 2 || c.Features[1].ID != "r1" || c.link("next") != "" {
		t.Errorf("offset 3: %+v", c)
	}

	c = decode[collection](t, e.do(t, "GET", "/ogc/collections/reports/items?datetime=2024-04-01T00:00:00Z/..", ""))
	if len(c.Features) != 1 || c.Features[0].Properties["title"] != "far" {
		t.Errorf("datetime: %+v", c)
	}
	w = e.do(t, "GET", "/ogc/collections/reports/items/r2", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"rel":"collection"`) {
		t.Errorf("item: %d %s", w.Code, w.Body)
	}
	var item map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &item); err != nil || item["type"] != "Feature" || item["id"] != "r2" {
		t.Errorf("item: %v %s", err, w.Body)
	}
	if w := e.do(t, "GET", "/ogc/collections/reports/items/nope", ""); w.Code != 404 {
		t.Errorf("unknown item: %d", w.Code)
	}
}
