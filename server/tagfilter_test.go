package server

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// tag repeats and tag_mode chooses any or all; the filter survives into
// next links (filterQuery) and the API answers by it.
func TestParseSeveralTags(t *testing.T) {
	for _, c := range []struct {
		query string
		tag   string
		tags  []string
		all   bool
	}{
		{"tag=a", "a", nil, false},
		{"tag=a&tag=b", "a", []string{"b"}, false},
		{"tag=a&tag=+b+&tag_mode=all", "a", []string{"b"}, true},
		{"tag=a&tag_mode=all", "a", nil, false},
		{"tag=&tag=b&tag_mode=any", "b", nil, false},
	} {
		q, _ := url.ParseQuery(c.query)
		f, err := parseFilter(q)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		if f.Tag != c.tag || !reflect.DeepEqual(f.Tags, c.tags) || f.TagsAll != c.all {
			t.Errorf("%s: tag %q tags %q all %v", c.query, f.Tag, f.Tags, f.TagsAll)
		}
		if again, err := parseFilter(filterQuery(f)); err != nil || !reflect.DeepEqual(again, f) {
			t.Errorf("%s: round trip %+v, %v", c.query, again, err)
		}
	}
	for _, bad := range []string{"tag=a&tag_mode=some", "tag=" + strings.Repeat("x&tag=", 8) + "y"} {
		q, _ := url.ParseQuery(bad)
		if _, err := parseFilter(q); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}

	e := newEnv(t)
	for title, tags := range map[string]string{"one": `["Shelling"]`, "two": `["shelling","convoy"]`, "three": `["vigil"]`} {
		if w := e.do(t, "POST", "/api/v1/reports", `{"title":"`+title+`","text":"Aleppo","tags":`+tags+`}`, "token"); w.Code != 201 {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
	}
	for q, want := range map[string]int{"tag=shelling&tag=vigil": 3, "tag=shelling&tag=convoy&tag_mode=all": 1, "tag=convoy&tag=vigil": 2} {
		w := e.do(t, "GET", "/api/v1/reports?"+q, "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"numberMatched":`+itoa(want)) {
			t.Errorf("%s: %d %s, want %d matched", q, w.Code, w.Body, want)
		}
	}
}

// located=true|false: parsed, kept in next links, answered.
func TestParseLocated(t *testing.T) {
	for _, s := range []string{"true", "false"} {
		q, _ := url.ParseQuery("located=" + s)
		f, err := parseFilter(q)
		if err != nil || f.Located == nil || *f.Located != (s == "true") {
			t.Fatalf("located=%s: %+v, %v", s, f.Located, err)
		}
		if again, err := parseFilter(filterQuery(f)); err != nil || !reflect.DeepEqual(again, f) {
			t.Errorf("located=%s round trip %+v, %v", s, again, err)
		}
	}
	if _, err := parseFilter(url.Values{"located": {"maybe"}}); err == nil {
		t.Error("located=maybe: no error")
	}
	e := newEnv(t)
	for _, body := range []string{`{"title":"a","text":"Aleppo"}`, `{"title":"b","text":"nowhere"}`} {
		if w := e.do(t, "POST", "/api/v1/reports", body, "token"); w.Code != 201 {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
	}
	if w := e.do(t, "GET", "/api/v1/reports?located=false", ""); !strings.Contains(w.Body.String(), `"numberMatched":1`) || !strings.Contains(w.Body.String(), `"title":"b"`) {
		t.Errorf("located=false: %s", w.Body)
	}
}
