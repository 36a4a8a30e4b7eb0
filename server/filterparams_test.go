package server

import (
	"net/url"
	"testing"
)

// Every parameter of the filter language but paging survives into a saved
// view: a sample value for each, and the view's canonical query keeps it.
func TestViewKeepsEveryFilterParam(t *testing.T) {
	sample := map[string]string{
		"bbox": "30,30,40,40", "from": "2024-01-01", "to": "2024-02-01", "datetime": "2024-01-01/2024-02-01",
		"place": "170063", "q": "shelling", "status": "reviewed", "tag": "desk", "tag_mode": "all",
		"located": "true", "event_type": "Battles", "fatalities_min": "1", "fatalities_max": "9", "actor": "militia",
	}
	for name, p := range filterParams {
		if p.paging {
			continue
		}
		v, ok := sample[name]
		if !ok {
			t.Errorf("filter parameter %q has no sample value in this test: add one", name)
			continue
		}
		got, err := parseViewQuery(url.Values{name: {v}}.Encode())
		if err != nil {
			t.Errorf("%s=%s: %v", name, v, err)
			continue
		}
		if q, _ := url.ParseQuery(got); q.Get(name) != v {
			t.Errorf("%s=%s saved as %q", name, v, got)
		}
	}
	for _, name := range filterParamNames(func(p filterParam) bool { return p.paging }) {
		if got, err := parseViewQuery(name + "=5&q=x"); err != nil || got != "q=x" {
			t.Errorf("paging %s: saved %q, %v; want it dropped", name, got, err)
		}
	}
}

func TestFilterValuesRefusesUnlistedNames(t *testing.T) {
	for _, read := range []func(filterValues){
		func(q filterValues) { q.get("not_a_filter") },
		func(q filterValues) { q.all("status") }, // not repeatable
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			read(filterValues{})
		}()
	}
}
