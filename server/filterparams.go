package server

import (
	"fmt"
	"net/url"
	"slices"
)

// filterParam says how a parameter of the filter language is read.
type filterParam struct {
	repeatable bool // may be given more than once (each value counts)
	paging     bool // says which page, not which reports
}

// filterParams are the parameters of the filter language: every one
// parseFilter reads, read through filterValues, which refuses (panics on) a
// name missing here. Saved views keep the non-paging ones (viewquery.go),
// so a filter added to parseFilter cannot be left out of them.
var filterParams = map[string]filterParam{
	"bbox": {}, "from": {}, "to": {}, "datetime": {}, "place": {}, "q": {}, "status": {},
	"tag": {repeatable: true}, "tag_mode": {}, "located": {},
	"event_type": {repeatable: true}, "fatalities_min": {}, "fatalities_max": {}, "actor": {},
	"limit": {paging: true}, "cursor": {paging: true},
}

// filterValues is a query string as parseFilter reads it.
type filterValues url.Values

// get returns the first value of the filter parameter name, "" if absent.
func (q filterValues) get(name string) string {
	mustFilterParam(name)
	return url.Values(q).Get(name)
}

// all returns every value of the repeatable filter parameter name.
func (q filterValues) all(name string) []string {
	if !mustFilterParam(name).repeatable {
		panic(fmt.Sprintf("server: filter parameter %q is not repeatable", name))
	}
	return q[name]
}

func mustFilterParam(name string) filterParam {
	p, ok := filterParams[name]
	if !ok {
		panic(fmt.Sprintf("server: filter parameter %q is missing from filterParams", name))
	}
	return p
}

// filterParamNames returns the names of the filter parameters that pass
// keep, sorted.
func filterParamNames(keep func(filterParam) bool) []string {
	var names []string
	for name, p := range filterParams {
		if keep(p) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
