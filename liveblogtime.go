package geotag

import "time"

// rolloverMinutes is how far a clock may go back, in time order, before
// the next update is read as the next day: less is an update posted out
// of order.
const rolloverMinutes = 120

// newestFirst guesses whether a page lists its updates newest first: its
// neighbouring updates' times (block times, or clocks under the same
// dated heading, or the dated headings themselves) go down more often than
// up, or its last update is the "original entry".
func newestFirst(raws []*rawEntry) bool {
	if n := len(raws); n > 1 && raws[n-1].hdr.original {
		return true
	}
	up, down := 0, 0
	for i := 1; i < len(raws); i++ {
		a, b := raws[i-1], raws[i]
		c := 0
		switch {
		case !a.at.IsZero() && !b.at.IsZero():
			c = b.at.Compare(a.at)
		case a.dated && b.dated && a.section != b.section:
			c = compareDates(b.section, a.section)
		case a.hdr.clock && b.hdr.clock && a.sectionN == b.sectionN:
			c = (b.hdr.hour*60 + b.hdr.min) - (a.hdr.hour*60 + a.hdr.min)
		}
		if c > 0 {
			up++
		} else if c < 0 {
			down++
		}
	}
	return down > up
}

func compareDates(a, b pageDate) int {
	switch {
	case a.Year != b.Year:
		return a.Year - b.Year
	case a.Month != b.Month:
		return a.Month - b.Month
	}
	return a.Day - b.Day
}

// datedEntries gives each update its time, walking them in time order from
// the day start: a block time as it is; a dated heading sets the day; a
// clock in its zone (or zone) on the day, which moves on when the clock
// goes back by more than rolloverMinutes; an update without a clock gets
// the day, at day precision.
func datedEntries(raws []*rawEntry, start pageDate, zone *time.Location, zoneName string, reverse bool) {
	day, lastMin, lastSection := start, -1, 0
	for k := range raws {
		r := raws[k]
		if reverse {
			r = raws[len(raws)-1-k]
		}
		if !r.at.IsZero() {
			lt := r.at.In(zone)
			day, lastMin = pageDate{lt.Year(), int(lt.Month()), lt.Day()}, lt.Hour()*60+lt.Minute()
			r.e.Time, r.e.Precision = r.at.UTC(), "minute"
			continue
		}
		if r.dated && r.sectionN != lastSection {
			d := r.section
			if d.Year == -1 {
				d.Year = day.Year
			}
			day, lastMin, lastSection = d, -1, r.sectionN
		}
		if !r.hdr.clock {
			r.e.Time, r.e.Precision = time.Date(day.Year, time.Month(day.Month), day.Day, 0, 0, 0, 0, time.UTC), "day"
			continue
		}
		loc, name := zone, zoneName
		if r.hdr.loc != nil {
			loc, name = r.hdr.loc, r.hdr.zone
		}
		m := r.hdr.hour*60 + r.hdr.min
		if lastMin >= 0 && m < lastMin-rolloverMinutes {
			next := time.Date(day.Year, time.Month(day.Month), day.Day+1, 0, 0, 0, 0, time.UTC)
			day = pageDate{next.Year(), int(next.Month()), next.Day()}
		}
		lastMin = m
		r.e.Time = time.Date(day.Year, time.Month(day.Month), day.Day, r.hdr.hour, r.hdr.min, 0, 0, loc).UTC()
		r.e.Precision, r.e.Zone = "minute", name
	}
}

// pageZone returns the zone the page's headers write most often (the
// first met among equals), said to come from the page, or UTC by default.
func pageZone(raws []*rawEntry) (*time.Location, string, string) {
	count := map[string]int{}
	var best *rawEntry
	for _, r := range raws {
		if r.hdr.loc == nil {
			continue
		}
		count[r.hdr.zone]++
		if best == nil || count[r.hdr.zone] > count[best.hdr.zone] {
			best = r
		}
	}
	if best == nil {
		return time.UTC, "UTC", "default"
	}
	return best.hdr.loc, best.hdr.zone, "page"
}
