package geotag

import "context"

// EventHistogram is a Histogram whose bins are split by event type:
// ByType[i][j] of the Counts[j] reports of bin j are of EventTypes[i]; the
// rest of Counts[j] have no event type. Each ByType[i] has the length of
// Counts. With Truncated the split was given up (the view holds more
// reports than the service splits in one request): ByType is then nil and
// the Histogram alone is the answer.
type EventHistogram struct {
	Histogram
	ByType    [][]int
	Truncated bool
}

// EventHistogrammer is implemented by the report services that can split
// a histogram by event type.
type EventHistogrammer interface {
	// EventHistogram is ReportService.Histogram with each bin split by
	// event type, read from the service's indexes, never from the reports;
	// its work is bounded by a cap on the index entries it reads (past
	// it, Truncated). Returns EINVALID for bins outside 1…1000 or an
	// invalid filter.
	EventHistogram(ctx context.Context, f ReportFilter, bins int) (EventHistogram, error)
}
