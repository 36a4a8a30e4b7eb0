package storetest

import (
	"cmp"
	"slices"

	"github.com/geotag/geotag"
)

// Match is the full-scan oracle the stores' filters are checked against:
// the root package's meaning of a filter (geotag.ReportFilter.Match),
// written without any index.
func Match(f geotag.ReportFilter, r *geotag.Report) bool { return f.Match(r) }

// norm is the form tags are compared in.
func norm(s string) string { return geotag.TagKey(s) }

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
