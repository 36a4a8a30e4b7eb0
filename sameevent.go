package geotag

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Same-event matching: which stored reports likely describe the same event
// as a report, to be suggested as one incident.
const (
	SameEventRadiusKm = 10             // main locations at most this far apart…
	SameEventWindow   = 24 * time.Hour // …and event times at most this far apart
	SameEventLikely   = 0.55           // the score from which a candidate is suggested
	maxSameEventWords = 400            // distinct words of a text compared
	maxSameEventFound = 100            // reports read per candidate query, by default (IncidentLimits.SameEventReads)
)

// SameEventCandidate is a report that may describe the same event as
// another, with what the rules saw: the distance between their main
// locations, whether they share a district (the same place, or a place
// and the division or city that contains it), the hours between their
// event times, whether their event types agree (both coded and equal),
// the share of their words in common, and the score (0…1) those give;
// Likely when Score ≥ SameEventLikely. Reasons puts them in words.
type SameEventCandidate struct {
	Report       *Report  `json:"-"`
	ReportID     string   `json:"report_id"`
	Title        string   `json:"title"`
	Time         string   `json:"time"`
	DistanceKm   float64  `json:"distance_km"`
	SameDistrict bool     `json:"same_district"`
	HoursApart   float64  `json:"hours_apart"`
	SameType     bool     `json:"same_type"`
	Words        float64  `json:"word_similarity"`
	Score        float64  `json:"score"`
	Likely       bool     `json:"likely"`
	Reasons      []string `json:"reasons"`
	Incident     string   `json:"incident,omitempty"` // the incident it is a source of already
}

// SameEvent compares o with r and reports whether o can describe the same
// event: both located, within SameEventRadiusKm or in the same district,
// within SameEventWindow, and not of two different coded event types.
// words is SameEventWords(r), computed once for many o.
func SameEvent(r, o *Report, words map[string]bool) (SameEventCandidate, bool) {
	c := SameEventCandidate{Report: o, ReportID: o.ID, Title: o.Title, Time: o.Time.UTC().Format(time.RFC3339)}
	if r.ID == o.ID || r.Location == nil || o.Location == nil {
		return c, false
	}
	c.DistanceKm = math.Round(DistanceKm(r.Location.Lat, r.Location.Lon, o.Location.Lat, o.Location.Lon)*10) / 10
	c.SameDistrict = sameDistrict(r, o)
	dt := r.Time.Sub(o.Time).Abs()
	c.HoursApart = math.Round(dt.Hours()*10) / 10
	if (c.DistanceKm > SameEventRadiusKm && !c.SameDistrict) || dt > SameEventWindow {
		return c, false
	}
	if r.EventType != "" && o.EventType != "" && r.EventType != o.EventType {
		return c, false
	}
	c.SameType = r.EventType != "" && r.EventType == o.EventType
	c.Words = math.Round(wordSimilarity(words, SameEventWords(o))*100) / 100
	place := 1 - min(c.DistanceKm, SameEventRadiusKm)/SameEventRadiusKm
	if c.SameDistrict {
		place = max(place, 0.7)
	}
	c.Score = 0.3*place + 0.2*(1-dt.Hours()/SameEventWindow.Hours()) + 0.35*min(1, c.Words/0.4)
	if c.SameType {
		c.Score += 0.15
	}
	c.Score = math.Round(c.Score*100) / 100
	c.Likely = c.Score >= SameEventLikely
	c.Reasons = sameEventReasons(c)
	return c, true
}

func sameEventReasons(c SameEventCandidate) []string {
	var rs []string
	if c.SameDistrict {
		rs = append(rs, "same district")
	}
	rs = append(rs, formatFloat(c.DistanceKm)+" km apart", formatFloat(c.HoursApart)+" h apart")
	if c.SameType {
		rs = append(rs, "same event type")
	}
	rs = append(rs, formatFloat(math.Round(c.Words*100))+"% words in common")
	return rs
}

// formatFloat writes f with at most one decimal.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// sameDistrict reports whether the two main locations are one place, or
// one is the place that contains the other, or both have one container.
func sameDistrict(r, o *Report) bool {
	a, b := mainPlace(r), mainPlace(o)
	if a == nil || b == nil {
		return false
	}
	return a.ID == b.ID || a.ParentID == b.ID || b.ParentID == a.ID || (a.ParentID != 0 && a.ParentID == b.ParentID)
}

func mainPlace(r *Report) *Place {
	if l := r.Location; l != nil && l.Mention >= 0 && l.Mention < len(r.Mentions) {
		return r.Mentions[l.Mention].Place
	}
	return nil
}

// SameEventWords is the set of a text's words (title and text, lower
// case, letters and digits, at least four long), at most
// maxSameEventWords of them: what wordSimilarity compares.
func SameEventWords(r *Report) map[string]bool {
	set := map[string]bool{}
	for _, s := range []string{r.Title, r.Text} {
		for w := range strings.FieldsFuncSeq(strings.ToLower(s), func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }) {
			if len(set) >= maxSameEventWords {
				return set
			}
			if len([]rune(w)) >= 4 {
				set[w] = true
			}
		}
	}
	return set
}

// wordSimilarity is the Jaccard index of two word sets.
func wordSimilarity(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	both := 0
	for w := range a {
		if b[w] {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// SameEventFilters are the report queries whose matches hold every report
// SameEvent may accept for r: a box SameEventRadiusKm around its main
// location, and its main place and that place's container (the district),
// each within SameEventWindow of its time and at most reads reports (0:
// the default, 100): the store answers them from its cell, place and time
// indexes. None for a report without a location.
func SameEventFilters(r *Report, reads int) []ReportFilter {
	if reads <= 0 {
		reads = maxSameEventFound
	}
	l := r.Location
	if l == nil {
		return nil
	}
	from, to := r.Time.Add(-SameEventWindow), r.Time.Add(SameEventWindow+time.Nanosecond)
	dLat := SameEventRadiusKm / 111.0
	dLon := dLat / max(0.05, math.Cos(l.Lat*math.Pi/180))
	box := BBox{W: max(-180, l.Lon-dLon), S: max(-90, l.Lat-dLat), E: min(180, l.Lon+dLon), N: min(90, l.Lat+dLat)}
	fs := []ReportFilter{{BBox: &box, From: &from, To: &to, Limit: reads}}
	if p := mainPlace(r); p != nil && p.ID != 0 {
		fs = append(fs, ReportFilter{PlaceID: p.ID, From: &from, To: &to, Limit: reads})
		if p.ParentID != 0 {
			fs = append(fs, ReportFilter{PlaceID: p.ParentID, From: &from, To: &to, Limit: reads})
		}
	}
	return fs
}

// FindSameEvent returns the stored reports that may describe the same
// event as r (SameEvent), best score first, at most limit, each with the
// incident it is a source of already (incidents may be nil): at most
// lim.MaxSameEvent, reading at most lim.SameEventReads reports per query
// of SameEventFilters (zero: the defaults).
func FindSameEvent(ctx context.Context, reports ReportService, incidents IncidentService, r *Report, lim IncidentLimits) ([]SameEventCandidate, error) {
	lim = lim.OrDefault()
	limit := lim.MaxSameEvent
	words := SameEventWords(r)
	seen := map[string]bool{r.ID: true}
	var out []SameEventCandidate
	for _, f := range SameEventFilters(r, lim.SameEventReads) {
		page, err := reports.FindReports(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Reports {
			if seen[o.ID] {
				continue
			}
			seen[o.ID] = true
			if c, ok := SameEvent(r, o, words); ok {
				out = append(out, c)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b SameEventCandidate) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ReportID, b.ReportID)
	})
	out = out[:min(len(out), limit)]
	if incidents != nil {
		for i := range out {
			id, err := incidents.IncidentOf(ctx, out[i].ReportID)
			if err != nil {
				return nil, err
			}
			out[i].Incident = id
		}
	}
	return out, nil
}
