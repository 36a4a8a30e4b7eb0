package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

func (e *env) view(t *testing.T, method, path, body string, status int) viewAnswer {
	t.Helper()
	w := e.do(t, method, path, body, "token")
	if w.Code != status {
		t.Fatalf("%s %s: %d %s, want %d", method, path, w.Code, w.Body, status)
	}
	var v viewAnswer
	if w.Code < 300 && w.Body.Len() > 0 {
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

// A view saved from the map's address keeps only its filter, in
// canonical form (a rolling since drops the fixed window beside it);
// unknown or malformed parameters are refused, naming them; the webhook's
// secret is write-only; views are listed, patched and deleted.
func TestViewsAPI(t *testing.T) {
	e := newEnv(t)
	v := e.view(t, "POST", "/api/v1/views", `{"name":"Aleppo week","query":"?c=36.2,37.1&z=9&from=2024-01-01T00:00:00Z&since=7d&tag=shelling&bbox=36.5,35.9,37.6,36.6&limit=5",
		"webhook":{"url":"https://hooks.example/x","secret":"k3y"}}`, 201)
	if v.Query != "bbox=36.5%2C35.9%2C37.6%2C36.6&since=7d&tag=shelling" || v.Name != "Aleppo week" || v.By != "admin" {
		t.Errorf("view %+v", v.View)
	}
	if v.Webhook == nil || !v.Webhook.Enabled || !v.Webhook.SecretSet || v.Webhook.Since.IsZero() || !strings.HasSuffix(v.Feed, "/api/v1/views/"+v.ID+"/feed.atom") || !strings.HasSuffix(v.Map, "/?view="+v.ID) {
		t.Errorf("view %+v %+v", v.Webhook, v)
	}
	w := e.do(t, "GET", "/api/v1/views/"+v.ID, "")
	if w.Code != 200 || strings.Contains(w.Body.String(), "k3y") {
		t.Errorf("get: %d %s", w.Code, w.Body)
	}
	for body, field := range map[string]string{
		`{"name":"x","query":"colour=red"}`:         "query",
		`{"name":"x","query":"bbox=1,2,3"}`:         "bbox",
		`{"name":"x","query":"since=7y"}`:           "since",
		`{"name":"x","query":"event_type=x"}`:       "event_type",
		`{"name":"","query":"tag=a"}`:               "name",
		`{"name":"x","webhook":{"url":"ftp://h/"}}`: "webhook.url",
		`{"name":"x","webhook":{"secret":"s"}}`:     "webhook.url",
		`{"name":"x","webhook":"https://h/"}`:       "webhook",
	} {
		w := e.do(t, "POST", "/api/v1/views", body, "token")
		if w.Code != 400 || !strings.Contains(w.Body.String(), `"field":"`+field+`"`) {
			t.Errorf("%s: %d %s, want 400 about %s", body, w.Code, w.Body, field)
		}
	}
	p := e.view(t, "PATCH", "/api/v1/views/"+v.ID, `{"name":"Aleppo","webhook":{"enabled":false}}`, 200)
	if p.Name != "Aleppo" || p.Query != v.Query || p.Webhook.Enabled || !p.Webhook.SecretSet || p.Webhook.URL != "https://hooks.example/x" {
		t.Errorf("patched %+v %+v", p.View, p.Webhook)
	}
	p = e.view(t, "PATCH", "/api/v1/views/"+v.ID, `{"query":"q=convoy","webhook":null}`, 200)
	if p.Query != "q=convoy" || p.Webhook != nil {
		t.Errorf("patched %+v", p.View)
	}
	e.view(t, "POST", "/api/v1/views", `{"name":"All"}`, 201)
	w = e.do(t, "GET", "/api/v1/views", "")
	var list struct{ Views []viewAnswer }
	if json.Unmarshal(w.Body.Bytes(), &list); w.Code != 200 || len(list.Views) != 2 || list.Views[0].Name != "Aleppo" || list.Views[1].Query != "" {
		t.Errorf("list: %d %s", w.Code, w.Body)
	}
	e.view(t, "DELETE", "/api/v1/views/"+v.ID, "", 204)
	e.view(t, "DELETE", "/api/v1/views/"+v.ID, "", 404)
	e.view(t, "PATCH", "/api/v1/views/"+v.ID, `{"name":"x"}`, 404)
	if w := e.do(t, "GET", "/api/v1/views/"+v.ID+"/feed.atom", ""); w.Code != 404 {
		t.Errorf("feed of a deleted view: %d", w.Code)
	}
}

// A view's Atom feed holds its newest matching reports, each linking to
// the report on the map with its point; a feed reader parses it; a
// conditional GET of an unchanged feed gets 304, and a new report changes
// the ETag.
func TestViewFeed(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	day := func(d int) string { return now.AddDate(0, 0, -d).Format(time.RFC3339) }
	e.create(t, `{"title":"Shelling","text":"Shelling in Aleppo & <nearby>.","tags":["shelling"],"time":"`+day(1)+`","source":"https://news.example/1"}`)
	e.create(t, `{"title":"Old shelling","text":"Shelling in Aleppo.","tags":["shelling"],"time":"`+day(10)+`"}`)
	e.create(t, `{"title":"Elsewhere","text":"Shelling near Amman.","tags":["shelling"],"time":"`+day(1)+`"}`)
	e.create(t, `{"title":"Untagged","text":"Market in Aleppo.","time":"`+day(2)+`"}`)
	v := e.view(t, "POST", "/api/v1/views", `{"name":"Aleppo shelling, 7 days","query":"bbox=36.5,35.9,37.6,36.6&tag=shelling&since=7d"}`, 201)

	w := e.do(t, "GET", "/api/v1/views/"+v.ID+"/feed.atom", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("feed: %d %s", w.Code, w.Header())
	}
	feed, err := gofeed.NewParser().ParseString(w.Body.String())
	if err != nil {
		t.Fatalf("%v\n%s", err, w.Body)
	}
	if feed.FeedType != "atom" || feed.Title != "Aleppo shelling, 7 days" || len(feed.Items) != 1 || feed.UpdatedParsed == nil || feed.FeedLink != v.Feed {
		t.Fatalf("feed %+v\n%s", feed, w.Body)
	}
	it := feed.Items[0]
	if it.Title != "Shelling" || !strings.Contains(it.Description, "Shelling in Aleppo & <nearby>.") || !strings.Contains(it.Link, "/?r=") ||
		len(it.Categories) != 1 || it.Categories[0] != "shelling" || it.GUID == "" {
		t.Errorf("entry %+v", it)
	}
	if !strings.Contains(w.Body.String(), "<georss:point>36.20124 37.16117</georss:point>") {
		t.Errorf("no GeoRSS point (lat lon): %s", w.Body)
	}

	etag, lm := w.Header().Get("ETag"), w.Header().Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatalf("no validators: %v", w.Header())
	}
	if w := e.do(t, "GET", "/api/v1/views/"+v.ID+"/feed.atom", "", "If-None-Match: "+etag); w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", w.Code)
	}
	if w := e.do(t, "GET", "/api/v1/views/"+v.ID+"/feed.atom", "", "If-Modified-Since: "+lm); w.Code != http.StatusNotModified {
		t.Errorf("If-Modified-Since: %d", w.Code)
	}
	time.Sleep(1100 * time.Millisecond) // Last-Modified counts whole seconds
	e.create(t, `{"title":"New shelling","text":"More shelling in Aleppo.","tags":["shelling"],"time":"`+now.Add(-time.Hour).Format(time.RFC3339)+`"}`)
	w2 := e.do(t, "GET", "/api/v1/views/"+v.ID+"/feed.atom", "", "If-None-Match: "+etag)
	if w2.Code != 200 || w2.Header().Get("ETag") == etag || strings.Count(w2.Body.String(), "<entry>") != 2 {
		t.Errorf("after a new report: %d %s", w2.Code, w2.Header())
	}
	if w := e.do(t, "GET", "/api/v1/views/"+v.ID+"/feed.atom", "", "If-Modified-Since: "+lm); w.Code != 200 {
		t.Errorf("If-Modified-Since after a new report: %d", w.Code)
	}
	if w := e.do(t, "GET", "/api/v1/views/"+v.ID+"/feed.atom?limit=201", ""); w.Code != 400 {
		t.Errorf("limit 201: %d", w.Code)
	}
	if w := e.do(t, "GET", "/api/v1/views/"+v.ID+"/feed.atom?limit=1", ""); strings.Count(w.Body.String(), "<entry>") != 1 {
		t.Errorf("limit 1: %s", w.Body)
	}
}
