package server

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// splitViewRoutes are the live-blog and saved-view routes that read a
// body.
var splitViewRoutes = []struct{ method, path string }{
	{"POST", "/api/v1/split"},
	{"POST", "/api/v1/views"},
	{"PATCH", "/api/v1/views/v001"},
}

// FuzzSplitViewBodies sends any body to the split and view routes through
// net/http's parser: never a 5xx, errors are problem+json, successes JSON.
func FuzzSplitViewBodies(f *testing.F) {
	for _, s := range []string{
		`{"text":"UPDATE 1800 GMT: Aleppo.\n\nORIGINAL ENTRY: Amman.","url":"https://x.example/","date":"2016-07-16","zone":"Europe/London","tag":true}`,
		`{"text":"14:32\nA\n٢٣:٥٩ م\n31 February 2016","zone":"+25:00"}`,
		`{"html":"<p>x</p>"}`,
		`{"name":"a","query":"bbox=1,2,3,4&since=7d&event_type=Riots","webhook":{"url":"https://h.example/","secret":"s"}}`,
		`{"name":"a","query":"since=99999999d"}`,
		`{"webhook":null,"query":"%zz"}`,
		`{"webhook":{"enabled":true}}`,
		`null`, `[]`, `{"text":["x"]}`,
	} {
		for i := range splitViewRoutes {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		e := hostileEnv(f)
		if w, ok := hostileRequest(e, "POST", "/api/v1/views", "application/json", []byte(`{"name":"seed"}`)); !ok || w.Code != 201 {
			t.Fatalf("seed view: %v", w.Body)
		}
		r := splitViewRoutes[int(route)%len(splitViewRoutes)]
		w, ok := hostileRequest(e, r.method, r.path, "application/json", body)
		if !ok {
			t.Fatalf("net/http refused a request with a %d-byte body", len(body))
		}
		checkHostileAnswer(t, r.method+" "+r.path+" "+string(body), w)
		if w.Code < 300 && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s: %d answered with invalid JSON %q", r.method, r.path, w.Code, w.Body)
		}
	})
}

// FuzzViewQuery checks a view's query parsing: it never panics, a query
// it accepts is canonical (parsing it again gives it back), and its
// filter is one the report list takes.
func FuzzViewQuery(f *testing.F) {
	for _, s := range []string{
		"?c=36,37&z=9&since=7d&from=2024-01-01&tag=a&bbox=36,35,37,36&limit=5",
		"q=a+b&status=reviewed&event_type=Riots,Battles&event_type=protests&place=170063",
		"datetime=2024-03/..", "since=48h", "since=0d", "since=7y", "colour=red", "%zz", "bbox=NaN,0,1,1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := parseViewQuery(raw)
		if err != nil {
			return
		}
		again, err := parseViewQuery(q)
		if err != nil || again != q {
			t.Fatalf("%q → %q → %q, %v", raw, q, again, err)
		}
		if _, err := ViewFilter(&geotag.View{Query: q}, time.Now()); err != nil {
			t.Fatalf("%q: accepted, but its filter: %v", q, err)
		}
	})
}

// TestViewQueryKeepsEveryFilter: a view keeps every filter the map can
// set (several tags and their mode, located, a death range), not only the
// first tag.
func TestViewQueryKeepsEveryFilter(t *testing.T) {
	got, err := parseViewQuery("tag=vigil&tag=march&tag_mode=all&located=true&fatalities_min=2&fatalities_max=9&pn=Aleppo&c=1,2&z=5")
	if err != nil {
		t.Fatal(err)
	}
	want := "fatalities_max=9&fatalities_min=2&located=true&tag=vigil&tag=march&tag_mode=all"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
