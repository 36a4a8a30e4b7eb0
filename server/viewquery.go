package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/geotag/geotag"
)

// isViewFilterKey reports whether a saved view keeps the parameter k:
// those of the filter language (filterParams) that are not about paging,
// and since.
func isViewFilterKey(k string) bool {
	p, ok := filterParams[k]
	return k == "since" || (ok && !p.paging)
}

// viewIgnoredKeys are parameters of the map's address and of report pages
// that say how to show a view, not what it holds: a query copied from
// either is saved without them.
var viewIgnoredKeys = []string{"limit", "cursor", "whole", "c", "z", "r", "p", "view", "pn"}

// maxSince is the longest rolling window: 100 years, in hours.
const maxSince = 100 * 366 * 24

// parseSince reads a rolling window: "24h", "7d", "30d" (any N hours or
// days up to a century).
func parseSince(s string) (time.Duration, error) {
	if len(s) < 2 || len(s) > 8 {
		return 0, geotag.FieldErrorf(geotag.EINVALID, "since", "since is a rolling window such as 24h, 7d or 30d, not %q", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	unit := s[len(s)-1:]
	if err != nil || n < 1 || (unit != "h" && unit != "d") || s[0] < '0' || s[0] > '9' {
		return 0, geotag.FieldErrorf(geotag.EINVALID, "since", "since is a rolling window such as 24h, 7d or 30d, not %q", s)
	}
	if unit == "d" {
		n *= 24
	}
	if n > maxSince {
		return 0, geotag.FieldErrorf(geotag.EINVALID, "since", "since is at most %d days", maxSince/24)
	}
	return time.Duration(n) * time.Hour, nil
}

// parseViewQuery checks a view's query in the filter language and
// returns it in canonical form: the filter parameters only (the map's
// and paging ones dropped), sorted by key; a rolling since drops the
// fixed from, to and datetime beside it (the map page writes the window
// it showed next to since). Returns EINVALID for an unknown parameter or
// a malformed value, naming it.
func parseViewQuery(raw string) (string, error) {
	raw = strings.TrimPrefix(strings.TrimSpace(raw), "?")
	if len(raw) > geotag.MaxViewQueryBytes {
		return "", geotag.FieldErrorf(geotag.EINVALID, "query", "a view's query is at most %d bytes", geotag.MaxViewQueryBytes)
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "", geotag.FieldErrorf(geotag.EINVALID, "query", "the query is not a URL query string: %v", err)
	}
	for k, vs := range q {
		switch {
		case slices.Contains(viewIgnoredKeys, k):
			delete(q, k)
		case !isViewFilterKey(k):
			known := append(filterParamNames(func(p filterParam) bool { return !p.paging }), "since")
			return "", geotag.FieldErrorf(geotag.EINVALID, "query", "unknown filter parameter %q (known: %s)", k, strings.Join(known, ", "))
		case len(vs) > 1 && !filterParams[k].repeatable:
			q[k] = vs[:1]
		}
		if strings.TrimSpace(q.Get(k)) == "" {
			delete(q, k)
		}
	}
	if q.Has("since") {
		q.Del("from")
		q.Del("to")
		q.Del("datetime")
	}
	if _, err := viewFilter(q, time.Now()); err != nil {
		return "", err
	}
	return q.Encode(), nil
}

// viewFilter reads a view's parameters into a report filter, the rolling
// window ending at now.
func viewFilter(q url.Values, now time.Time) (geotag.ReportFilter, error) {
	since := q.Get("since")
	if since != "" {
		q = cloneValues(q)
		q.Del("since")
	}
	f, err := parseFilter(q)
	if err != nil {
		return f, err
	}
	if since != "" {
		d, err := parseSince(since)
		if err != nil {
			return f, err
		}
		from := now.Add(-d).UTC()
		f.From, f.To = &from, nil
	}
	f.Limit, f.Cursor = 0, ""
	return f, nil
}

func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = v
	}
	return out
}

// ViewFilter returns the report filter of a saved view as of now (a
// rolling since ends at now), for the services that follow views, such as
// webhook delivery; Limit and Cursor are zero. Returns EINVALID for a
// query the filter language no longer takes.
func ViewFilter(v *geotag.View, now time.Time) (geotag.ReportFilter, error) {
	q, err := url.ParseQuery(v.Query)
	if err != nil {
		return geotag.ReportFilter{}, geotag.FieldErrorf(geotag.EINVALID, "query", "the view's query is not a URL query string: %v", err)
	}
	return viewFilter(q, now)
}
