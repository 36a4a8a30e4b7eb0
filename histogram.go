package geotag

import (
	"maps"
	"slices"
	"time"
)

// MaxHistogramBins bounds the bins of one histogram (ReportService.Histogram
// refuses more with EINVALID).
const MaxHistogramBins = 1000

// DayBinsMinWidth is the minute-bin width from which a store may count a
// dense view in whole days instead: its day bins are then at most a few
// times wider than the minute bins would be.
const DayBinsMinWidth = 512 // minutes

// DayHistogram bins counts per UTC day (days since the epoch → reports) in
// at most bins bins a power-of-two number of days wide, starting at UTC
// midnights and ending with the bin of the newest day, so that any span of
// days fits. It reports false when perDay holds no report, or when its
// days span too short a time for minute bins DayBinsMinWidth wide (the
// store then counts in minutes). Both stores use it on the cell-day counts.
func DayHistogram(perDay map[int64]int, bins int) (Histogram, bool) {
	days := slices.Sorted(maps.Keys(perDay))
	for len(days) > 0 && perDay[days[0]] == 0 {
		days = days[1:]
	}
	for len(days) > 0 && perDay[days[len(days)-1]] == 0 {
		days = days[:len(days)-1]
	}
	if len(days) == 0 || bins < 1 {
		return Histogram{}, false
	}
	first, last := days[0], days[len(days)-1]
	if (last-first)*24*60 <= int64(bins)*DayBinsMinWidth/2 {
		return Histogram{}, false
	}
	// Bin i (from the newest) holds the days (last-(i+1)·width, last-i·width].
	width := int64(1)
	for (last-first)/width >= int64(bins) {
		width *= 2
	}
	n := (last-first)/width + 1
	start := last + 1 - n*width
	h := Histogram{
		From:         time.Unix(start*86400, 0).UTC(),
		WidthSeconds: width * 86400,
		Counts:       make([]int, n),
	}
	for _, d := range days {
		h.Counts[(d-start)/width] += perDay[d]
		h.Total += perDay[d]
	}
	return h, true
}
