package geotag

import "unicode"

// MaxExternalIDBytes bounds a report's external id, which the stores keep
// as an index key.
const MaxExternalIDBytes = 1024

// Storable checks r as every store does before writing it: Report.Validate,
// the limits (Check), an external id of at most MaxExternalIDBytes and tags
// without control characters. It returns the first failure (EINVALID or
// EUNPROCESSABLE, naming the field), or nil.
func (l ReportLimits) Storable(r *Report) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := l.Check(r); err != nil {
		return err
	}
	if len(r.ExternalID) > MaxExternalIDBytes {
		return FieldErrorf(EINVALID, "external_id", "external id longer than %d bytes", MaxExternalIDBytes)
	}
	for _, t := range r.Tags {
		for _, c := range t {
			if unicode.IsControl(c) {
				return FieldErrorf(EINVALID, "tags", "tag %q contains a control character", t)
			}
		}
	}
	return nil
}
