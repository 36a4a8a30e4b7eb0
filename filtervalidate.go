package geotag

import "strings"

// Validate returns nil for a filter every ReportService runs, and an
// EINVALID error naming the field for one none does: a negative Limit
// ("limit"), more than MaxFilterTags distinct tags ("tag"), a Status other
// than "", StatusReviewed and StatusUnreviewed ("status"), an invalid BBox
// ("bbox"), more event types than the taxonomy has or one it does not know
// ("event_type"), a fatality bound outside 0…MaxFatalities
// ("fatalities_min", "fatalities_max"). The stores call it before they
// compile f into their own queries; Match answers any filter as written.
func (f *ReportFilter) Validate() error {
	if f.Limit < 0 {
		return FieldErrorf(EINVALID, "limit", "limit must not be negative")
	}
	if len(f.Tags) >= MaxFilterTags && len(DistinctKeys(append([]string{f.Tag}, f.Tags...), TagKey)) > MaxFilterTags {
		return FieldErrorf(EINVALID, "tag", "a filter names at most %d tags", MaxFilterTags)
	}
	switch f.Status {
	case "", StatusReviewed, StatusUnreviewed:
	default:
		return FieldErrorf(EINVALID, "status", "status must be %q or %q", StatusUnreviewed, StatusReviewed)
	}
	if f.BBox != nil {
		if err := f.BBox.Validate(); err != nil {
			return err
		}
	}
	if len(f.EventTypes) > len(EventTypes) {
		return FieldErrorf(EINVALID, "event_type", "at most %d event types", len(EventTypes))
	}
	for _, t := range f.EventTypes {
		if EventTypeCode(strings.TrimSpace(t)) == 0 {
			return FieldErrorf(EINVALID, "event_type", "unknown event type %q", t)
		}
	}
	if m := f.FatalitiesMin; m != nil && (*m < 0 || *m > MaxFatalities) {
		return FieldErrorf(EINVALID, "fatalities_min", "fatalities_min must be within 0…%d", MaxFatalities)
	}
	if m := f.FatalitiesMax; m != nil && (*m < 0 || *m > MaxFatalities) {
		return FieldErrorf(EINVALID, "fatalities_max", "fatalities_max must be within 0…%d", MaxFatalities)
	}
	return nil
}
