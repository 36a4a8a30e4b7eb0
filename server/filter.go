package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/geotag/geotag"
)

// Page sizes of report lists.
const (
	defaultLimit = 100
	maxLimit     = 10000
)

// parseFilter reads the one filter language shared by the report list,
// the exports, the cluster counts and the OGC items:
//
//	bbox=W,S,E,N          main location inside the box (W > E crosses the antimeridian)
//	from=T, to=T          event time ≥ from and ≤ to; T is RFC 3339 or a date (2024-03-01,
//	                      which as "to" includes that whole day)
//	datetime=T | A/B      OGC style: an instant or a closed interval, ".." or "" for open ends
//	place=GEONAMEID       a mention resolved to this place
//	q=TEXT                case-insensitive text in the title or text
//	status=reviewed|unreviewed
//	tag=TAG               reports with this tag (any case); repeated, with any of them
//	tag_mode=any|all      several tags: any of them (the default) or all of them
//	located=true|false    only reports with (without) a main location
//	event_type=A,B        any of these ACLED event types (any case; repeatable)
//	fatalities_min=N      fatalities known and at least N
//	fatalities_max=N      fatalities known and at most N
//	actor=NAME            an actor of this name (any case)
//	limit=N               page size, 1..10000 (default 100)
//	cursor=C              the next page, from a previous page's next link
//
// Every malformed parameter is an EINVALID error naming it.
func parseFilter(values url.Values) (geotag.ReportFilter, error) {
	var f geotag.ReportFilter
	q := filterValues(values)
	if s := q.get("bbox"); s != "" {
		b, err := geotag.ParseBBox(s)
		if err != nil {
			return f, err
		}
		f.BBox = &b
	}
	if s := q.get("from"); s != "" {
		t, _, err := parseTime(s, "from")
		if err != nil {
			return f, err
		}
		f.From = &t
	}
	if s := q.get("to"); s != "" {
		t, prec, err := parseTime(s, "to")
		if err != nil {
			return f, err
		}
		t = endOf(t, prec) // to=2024-03-01 includes that day
		f.To = &t
	}
	if s := q.get("datetime"); s != "" {
		if f.From != nil || f.To != nil {
			return f, geotag.FieldErrorf(geotag.EINVALID, "datetime", "use datetime or from/to, not both")
		}
		from, to, err := parseInterval(s)
		if err != nil {
			return f, err
		}
		f.From, f.To = from, to
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		return f, geotag.FieldErrorf(geotag.EINVALID, "from", "the time range ends before it starts")
	}
	if s := q.get("place"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id == 0 {
			return f, geotag.FieldErrorf(geotag.EINVALID, "place", "place must be a geonameid, not %q", s)
		}
		f.PlaceID = id
	}
	f.Q = strings.TrimSpace(q.get("q"))
	if s := q.get("status"); s != "" {
		if s != geotag.StatusReviewed && s != geotag.StatusUnreviewed {
			return f, geotag.FieldErrorf(geotag.EINVALID, "status", "status must be %q or %q", geotag.StatusReviewed, geotag.StatusUnreviewed)
		}
		f.Status = s
	}
	if err := parseTags(q, &f); err != nil {
		return f, err
	}
	if s := q.get("located"); s != "" {
		v, err := strconv.ParseBool(s)
		if err != nil {
			return f, geotag.FieldErrorf(geotag.EINVALID, "located", "located must be true or false, not %q", s)
		}
		f.Located = &v
	}
	if err := parseEventFilter(q, &f); err != nil {
		return f, err
	}
	f.Limit = defaultLimit
	if s := q.get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return f, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be a positive integer, not %q", s)
		}
		f.Limit = min(n, maxLimit)
	}
	f.Cursor = q.get("cursor")
	return f, nil
}

// parseTags reads tag (repeatable) and tag_mode: one tag is f.Tag;
// several are f.Tag and f.Tags, any of them unless tag_mode=all.
func parseTags(q filterValues, f *geotag.ReportFilter) error {
	var tags []string
	for _, t := range q.all("tag") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	if len(tags) > geotag.MaxFilterTags {
		return geotag.FieldErrorf(geotag.EINVALID, "tag", "a filter names at most %d tags, not %d", geotag.MaxFilterTags, len(tags))
	}
	if len(tags) > 0 {
		f.Tag, f.Tags = tags[0], tags[1:]
	}
	if len(f.Tags) == 0 {
		f.Tags = nil
	}
	switch m := q.get("tag_mode"); m {
	case "", "any":
	case "all":
		f.TagsAll = len(f.Tags) > 0
	default:
		return geotag.FieldErrorf(geotag.EINVALID, "tag_mode", "tag_mode must be any or all, not %q", m)
	}
	return nil
}

// parseEventFilter reads event_type, fatalities_min, fatalities_max and
// actor into f.
// Types are given their taxonomy spelling and de-duplicated, so that at
// most the six types reach the store.
func parseEventFilter(q filterValues, f *geotag.ReportFilter) error {
	for _, v := range q.all("event_type") {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t == "" {
				continue
			}
			c := geotag.EventTypeCode(t)
			if c == 0 {
				return geotag.FieldErrorf(geotag.EINVALID, "event_type", "unknown event type %q", t)
			}
			if name := geotag.EventTypes[c-1].Name; !slices.Contains(f.EventTypes, name) {
				f.EventTypes = append(f.EventTypes, name)
			}
		}
	}
	for _, b := range []struct {
		name string
		dst  **int
	}{{"fatalities_min", &f.FatalitiesMin}, {"fatalities_max", &f.FatalitiesMax}} {
		if s := q.get(b.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > geotag.MaxFatalities {
				return geotag.FieldErrorf(geotag.EINVALID, b.name, "%s must be an integer within 0…%d, not %q", b.name, geotag.MaxFatalities, s)
			}
			*b.dst = &n
		}
	}
	if f.FatalitiesMin != nil && f.FatalitiesMax != nil && *f.FatalitiesMin > *f.FatalitiesMax {
		return geotag.FieldErrorf(geotag.EINVALID, "fatalities_max", "fatalities_max is below fatalities_min")
	}
	f.Actor = strings.TrimSpace(q.get("actor"))
	if len(f.Actor) > geotag.MaxActorBytes {
		return geotag.FieldErrorf(geotag.EINVALID, "actor", "actor must be at most %d bytes", geotag.MaxActorBytes)
	}
	return nil
}

// parseTime parses an RFC 3339 time, or a date, month or year, returning
// the precision ("", "day", "month", "year"). Times without a zone are UTC.
func parseTime(s, field string) (time.Time, string, error) {
	// An unencoded "+" in a query string arrives as a space:
	// 2024-03-01T12:00:00+02:00 becomes "...12:00:00 02:00".
	if i := strings.LastIndexByte(s, ' '); i > 10 && len(s)-i == 6 && s[len(s)-3] == ':' {
		s = s[:i] + "+" + s[i+1:]
	}
	layouts := []struct{ layout, prec string }{
		{time.RFC3339Nano, ""},
		{"2006-01-02T15:04:05", ""},
		{"2006-01-02T15:04", ""},
		{"2006-01-02 15:04:05", ""},
		{"2006-01-02", "day"},
		{"2006-01", "month"},
		{"2006", "year"},
	}
	for _, l := range layouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			return t.UTC(), l.prec, nil
		}
	}
	return time.Time{}, "", geotag.FieldErrorf(geotag.EINVALID, field,
		"%s must be an RFC 3339 time (2024-03-01T12:00:00Z) or a date (2024-03-01), not %q", field, s)
}

// formatTime writes t as parseTime reads it back with the precision: a
// date, a month or a year for "day", "month" and "year", else RFC 3339 to
// the nanosecond, in UTC.
func formatTime(t time.Time, prec string) string {
	switch prec {
	case "day":
		return t.UTC().Format("2006-01-02")
	case "month":
		return t.UTC().Format("2006-01")
	case "year":
		return t.UTC().Format("2006")
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// endOf returns the exclusive end of the period starting at t with the
// precision: the next day, month or year, or the next nanosecond.
func endOf(t time.Time, prec string) time.Time {
	switch prec {
	case "day":
		return t.AddDate(0, 0, 1)
	case "month":
		return t.AddDate(0, 1, 0)
	case "year":
		return t.AddDate(1, 0, 0)
	}
	return t.Add(time.Nanosecond)
}

// parseInterval parses an OGC datetime: an instant, or "A/B" with ".." or
// "" for an open end. Both ends are inclusive.
func parseInterval(s string) (from, to *time.Time, err error) {
	a, b, isRange := strings.Cut(s, "/")
	if !isRange {
		t, prec, err := parseTime(s, "datetime")
		if err != nil {
			return nil, nil, err
		}
		e := endOf(t, prec)
		return &t, &e, nil
	}
	if a != "" && a != ".." {
		t, _, err := parseTime(a, "datetime")
		if err != nil {
			return nil, nil, err
		}
		from = &t
	}
	if b != "" && b != ".." {
		t, prec, err := parseTime(b, "datetime")
		if err != nil {
			return nil, nil, err
		}
		e := endOf(t, prec)
		to = &e
	}
	if from == nil && to == nil {
		return nil, nil, geotag.FieldErrorf(geotag.EINVALID, "datetime", "datetime interval %q is open at both ends", s)
	}
	return from, to, nil
}

// filterQuery writes f back as query parameters, for next links.
func filterQuery(f geotag.ReportFilter) url.Values {
	q := url.Values{}
	if f.BBox != nil {
		q.Set("bbox", f.BBox.String())
	}
	if f.From != nil {
		q.Set("from", f.From.Format(time.RFC3339Nano))
	}
	if f.To != nil {
		q.Set("to", f.To.Add(-time.Nanosecond).Format(time.RFC3339Nano)) // parseFilter adds it back
	}
	if f.PlaceID != 0 {
		q.Set("place", strconv.FormatInt(f.PlaceID, 10))
	}
	if f.Q != "" {
		q.Set("q", f.Q)
	}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	if f.Tag != "" {
		q.Set("tag", f.Tag)
	}
	for _, t := range f.Tags {
		q.Add("tag", t)
	}
	if f.TagsAll {
		q.Set("tag_mode", "all")
	}
	if f.Located != nil {
		q.Set("located", strconv.FormatBool(*f.Located))
	}
	if len(f.EventTypes) > 0 {
		q.Set("event_type", strings.Join(f.EventTypes, ","))
	}
	if f.FatalitiesMin != nil {
		q.Set("fatalities_min", strconv.Itoa(*f.FatalitiesMin))
	}
	if f.FatalitiesMax != nil {
		q.Set("fatalities_max", strconv.Itoa(*f.FatalitiesMax))
	}
	if f.Actor != "" {
		q.Set("actor", f.Actor)
	}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	if f.Cursor != "" {
		q.Set("cursor", f.Cursor)
	}
	return q
}

func itoa(i int) string { return strconv.Itoa(i) }
