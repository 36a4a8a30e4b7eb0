package geotag

import "time"

// The event times a report may have: from MinReportTime (1900-01-01)
// up to, not including, MaxReportTime (2200-01-01), UTC. Three centuries
// hold every event an analyst dates, and keep every time, day and
// histogram bin arithmetic on them far inside int64 nanoseconds
// (time.Duration spans ±292 years; these times are 70 years before and 230
// after 1970, and a histogram bin spanning them all is 300 years, counted
// in seconds). Report.Validate refuses other times, except the zero time
// (a report that never had one; the API refuses it when given: it is
// 0001-01-01); reports stored before the rule may hold any, and the
// store's Histogram counts them at the range's nearer end.
var (
	MinReportTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxReportTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ValidReportTime reports whether t is within [MinReportTime,
// MaxReportTime).
func ValidReportTime(t time.Time) bool {
	return !t.Before(MinReportTime) && t.Before(MaxReportTime)
}

// CheckReportTime returns nil for a time within the range, else an
// EUNPROCESSABLE error about the field "time".
func CheckReportTime(t time.Time) error {
	if ValidReportTime(t) {
		return nil
	}
	return FieldErrorf(EUNPROCESSABLE, "time", "time must be from %s to before %s (UTC), not %s",
		MinReportTime.Format(time.DateOnly), MaxReportTime.Format(time.DateOnly), t.UTC().Format(time.RFC3339))
}

// ClampReportSeconds returns the Unix seconds sec moved into the report
// time range: MinReportTime's below it, the last second before
// MaxReportTime above it.
func ClampReportSeconds(sec int64) int64 {
	return min(max(sec, MinReportTime.Unix()), MaxReportTime.Unix()-1)
}
