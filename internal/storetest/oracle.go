package storetest

import (
	"cmp"
	"slices"
	"strings"

	"github.com/geotag/geotag"
)

// Match is the full-scan oracle the stores' filters are checked against:
// whether r matches f, by the filter language's definitions, written
// without any index. It is a variable so that the root package's own
// oracle can take its place when there is one.
var Match = match

func match(f geotag.ReportFilter, r *geotag.Report) bool {
	if f.BBox != nil && (r.Location == nil || !f.BBox.Contains(r.Location.Lat, r.Location.Lon)) {
		return false
	}
	if f.From != nil && r.Time.Before(*f.From) {
		return false
	}
	if f.To != nil && !r.Time.Before(*f.To) {
		return false
	}
	if f.Status != "" && r.Status != f.Status {
		return false
	}
	if f.PlaceID != 0 && !hasPlace(r, f.PlaceID) {
		return false
	}
	if t := norm(f.Tag); t != "" && !slices.ContainsFunc(r.Tags, func(x string) bool { return norm(x) == t }) {
		return false
	}
	if q := strings.ToLower(f.Q); q != "" && !strings.Contains(strings.ToLower(r.Title), q) && !strings.Contains(strings.ToLower(r.Text), q) {
		return false
	}
	if len(f.EventTypes) > 0 && !slices.ContainsFunc(f.EventTypes, func(t string) bool {
		return geotag.EventTypeCode(strings.TrimSpace(t)) == geotag.EventTypeCode(r.EventType)
	}) {
		return false
	}
	if m := f.FatalitiesMin; m != nil && (r.Fatalities == nil || *r.Fatalities < *m) {
		return false
	}
	if a := norm(f.Actor); a != "" && !slices.ContainsFunc(r.Actors, func(x geotag.Actor) bool { return norm(x.Name) == a }) {
		return false
	}
	return true
}

func norm(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func hasPlace(r *geotag.Report, id int64) bool {
	if r.Location != nil && r.Location.PlaceID == id {
		return true
	}
	for _, m := range r.Mentions {
		if m.Place != nil && m.Place.ID == id {
			return true
		}
	}
	return false
}

// newestFirst is the stores' order: event time descending, ties by ID
// descending.
func newestFirst(a, b *geotag.Report) int {
	if c := b.Time.Compare(a.Time); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

// oracleFind returns the IDs of the reports matching f, in the stores'
// order.
func oracleFind(all []*geotag.Report, f geotag.ReportFilter) []string {
	var m []*geotag.Report
	for _, r := range all {
		if Match(f, r) {
			m = append(m, r)
		}
	}
	slices.SortFunc(m, newestFirst)
	ids := make([]string, len(m))
	for i, r := range m {
		ids[i] = r.ID
	}
	return ids
}
