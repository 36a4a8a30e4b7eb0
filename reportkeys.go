package geotag

import "slices"

// DistinctKeys returns the distinct non-empty keys key(s) of ss, in the
// order of their first appearance, in linear time: a set, not a search of
// the keys seen (a report may carry tens of thousands of tags). The stores
// index a report's tags and actors under these keys.
func DistinctKeys(ss []string, key func(string) string) []string {
	out := make([]string, 0, len(ss))
	seen := make(map[string]struct{}, len(ss))
	for _, s := range ss {
		k := key(s)
		if _, dup := seen[k]; dup || k == "" {
			continue
		}
		seen[k] = struct{}{}
		out = append(out, k)
	}
	return out
}

// ActorNames returns the names of r's actors, in order.
func (r *Report) ActorNames() []string {
	names := make([]string, len(r.Actors))
	for i, a := range r.Actors {
		names[i] = a.Name
	}
	return names
}

// PlaceIDs returns the distinct geonameids of r's resolved mentions and of
// its main location, in that order, in linear time (a few are compared
// directly, more go through a set: stores call this on every report they
// index or decode). The place filter (ReportFilter.PlaceID) selects a
// report by any of them. The slice is never nil (a PostgreSQL array column
// holds it), empty when r has no resolved place.
func (r *Report) PlaceIDs() []int64 {
	ids := []int64{}
	var seen map[int64]struct{}
	add := func(id int64) {
		if id == 0 {
			return
		}
		if seen == nil && len(ids) < 16 {
			if slices.Contains(ids, id) {
				return
			}
		} else {
			if seen == nil {
				seen = make(map[int64]struct{}, len(r.Mentions))
				for _, x := range ids {
					seen[x] = struct{}{}
				}
			}
			if _, dup := seen[id]; dup {
				return
			}
			seen[id] = struct{}{}
		}
		ids = append(ids, id)
	}
	for i := range r.Mentions {
		if p := r.Mentions[i].Place; p != nil {
			add(p.ID)
		}
	}
	if r.Location != nil {
		add(r.Location.PlaceID)
	}
	return ids
}
