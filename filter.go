package geotag

import "strings"

// Match reports whether r is selected by every condition of f, by looking at
// r alone. It is the meaning of a ReportFilter that every ReportService
// implements with its indexes, written as a full scan: the in-memory fakes
// and the stores' tests use it as their oracle. Limit and Cursor are not
// conditions and are ignored. The conditions:
//
//   - BBox: r has a location inside the box, edges included (a box whose
//     West is greater than its East crosses the antimeridian);
//   - From, To: From ≤ r.Time < To;
//   - PlaceID: a mention of r is resolved to the place, or r's location is
//     that place;
//   - Status: "reviewed" selects reviewed reports, "unreviewed" every other
//     (a report without a status is unreviewed); any other value selects none;
//   - Tag and Tags: r carries one of them (with TagsAll, every one),
//     compared lower-cased with spaces trimmed as tags are indexed (TagKey);
//     a tag of only spaces is no condition;
//   - Located: r has a main location (true) or has none (false);
//   - Q: a case-insensitive substring of the title or of the text (never
//     one spanning the two);
//   - EventTypes: r's event type is one of them, in any case; an unknown
//     name matches no report;
//   - FatalitiesMin, FatalitiesMax: r's fatalities are known and at least
//     (at most) that many;
//   - Actor: one of r's actors has that name, compared as TagKey compares.
//
// Match does not validate f: a service returns EINVALID for a filter it
// cannot run (an invalid box, an unknown status or event type, a negative
// fatality minimum), and Match answers such a filter as written.
func (f *ReportFilter) Match(r *Report) bool {
	if f.BBox != nil && (r.Location == nil || !f.BBox.Contains(r.Location.Lat, r.Location.Lon)) {
		return false
	}
	if (f.From != nil && r.Time.Before(*f.From)) || (f.To != nil && !r.Time.Before(*f.To)) {
		return false
	}
	if f.PlaceID != 0 && !r.hasPlace(f.PlaceID) {
		return false
	}
	if !f.matchStatus(r.Status) {
		return false
	}
	if !f.matchTags(r.Tags) {
		return false
	}
	if f.Located != nil && (r.Location != nil) != *f.Located {
		return false
	}
	if q := strings.ToLower(f.Q); q != "" &&
		!strings.Contains(strings.ToLower(r.Title), q) && !strings.Contains(strings.ToLower(r.Text), q) {
		return false
	}
	if len(f.EventTypes) > 0 && !f.matchEventType(r.EventType) {
		return false
	}
	if f.FatalitiesMin != nil && (r.Fatalities == nil || *r.Fatalities < *f.FatalitiesMin) {
		return false
	}
	if f.FatalitiesMax != nil && (r.Fatalities == nil || *r.Fatalities > *f.FatalitiesMax) {
		return false
	}
	return f.matchActor(r.Actors)
}

// HasConditions reports whether f selects fewer than every report: any
// field but Limit and Cursor set.
func (f *ReportFilter) HasConditions() bool {
	return f.BBox != nil || f.From != nil || f.To != nil || f.PlaceID != 0 || f.Status != "" ||
		len(f.FilterTags()) > 0 || f.Located != nil || f.Q != "" || len(f.EventTypes) > 0 || f.FatalitiesMin != nil || f.FatalitiesMax != nil || f.Actor != ""
}

// TagKey is the form tags and actor names are compared in: lower-cased,
// surrounding spaces trimmed.
func TagKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (r *Report) hasPlace(id int64) bool {
	if r.Location != nil && r.Location.PlaceID == id {
		return true
	}
	for i := range r.Mentions {
		if p := r.Mentions[i].Place; p != nil && p.ID == id {
			return true
		}
	}
	return false
}

// matchTags reports whether tags hold one of f's tags, or every one with
// TagsAll; true when f names none.
func (f *ReportFilter) matchTags(tags []string) bool {
	want := f.FilterTags()
	n := 0
	for _, t := range want {
		if hasKey(tags, t) {
			n++
		}
	}
	return len(want) == 0 || (n > 0 && (!f.TagsAll || n == len(want)))
}

func (f *ReportFilter) matchStatus(status string) bool {
	switch f.Status {
	case "":
		return true
	case StatusReviewed:
		return status == StatusReviewed
	case StatusUnreviewed:
		return status != StatusReviewed
	}
	return false
}

func (f *ReportFilter) matchEventType(typ string) bool {
	c := EventTypeCode(typ)
	if c == 0 {
		return false
	}
	for _, t := range f.EventTypes {
		if EventTypeCode(strings.TrimSpace(t)) == c {
			return true
		}
	}
	return false
}

func (f *ReportFilter) matchActor(actors []Actor) bool {
	want := TagKey(f.Actor)
	if want == "" {
		return true
	}
	for _, a := range actors {
		if TagKey(a.Name) == want {
			return true
		}
	}
	return false
}

func hasKey(values []string, key string) bool {
	for _, v := range values {
		if TagKey(v) == key {
			return true
		}
	}
	return false
}
