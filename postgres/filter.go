package postgres

import (
	"strconv"
	"strings"

	"github.com/geotag/geotag"
)

// Page sizes and the total's cap, the bbolt store's.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
	TotalCap     = 10000
)

// cond is a compiled ReportFilter: a WHERE clause and its arguments.
type cond struct {
	f     geotag.ReportFilter
	boxes []geotag.BBox // the bbox split at the antimeridian; nil for none
	where []string
	args  []any
	// onlyBoxTime says the filter has no conditions but a bbox and a
	// time window: cell-day counts can answer it.
	onlyBoxTime bool
}

// arg adds an argument and returns its placeholder.
func (c *cond) arg(v any) string {
	c.args = append(c.args, v)
	return "$" + strconv.Itoa(len(c.args))
}

// and adds a condition.
func (c *cond) and(sql string) { c.where = append(c.where, sql) }

// sql is the WHERE clause ("TRUE" for none).
func (c *cond) sql() string {
	if len(c.where) == 0 {
		return "TRUE"
	}
	return strings.Join(c.where, " AND ")
}

// clone copies c, so that a query can add conditions of its own.
func (c *cond) clone() *cond {
	d := *c
	d.where = append([]string(nil), c.where...)
	d.args = append([]any(nil), c.args...)
	return &d
}

// compile checks f and turns it into SQL. It returns EINVALID for a
// negative limit, an unknown status, an invalid bbox, an unknown event
// type, more event types than there are, or a fatality minimum out of
// range (the bbox, time and event rules are the bbolt store's).
func compile(f geotag.ReportFilter) (*cond, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	c := &cond{f: f}
	c.onlyBoxTime = f.Status == "" && f.PlaceID == 0 && len(f.FilterTags()) == 0 && f.Located == nil && f.Q == "" &&
		len(f.EventTypes) == 0 && f.FatalitiesMin == nil && f.FatalitiesMax == nil && actorKey(f.Actor) == ""
	if b := f.BBox; b != nil {
		c.boxes = b.Split()
		var ors []string
		for _, b := range c.boxes {
			ors = append(ors, c.boxSQL(b))
		}
		c.and("(" + strings.Join(ors, " OR ") + ")")
	}
	// The plain bounds on tsec repeat the row comparisons for the
	// planner, which estimates a row comparison's selectivity poorly and
	// then misjudges a time window against a bbox.
	if f.From != nil {
		sec := c.arg(f.From.Unix())
		c.and("(tsec, tnsec) >= (" + sec + ", " + c.arg(int32(f.From.Nanosecond())) + ") AND tsec >= " + sec)
	}
	if f.To != nil {
		sec := c.arg(f.To.Unix())
		c.and("(tsec, tnsec) < (" + sec + ", " + c.arg(int32(f.To.Nanosecond())) + ") AND tsec <= " + sec)
	}
	if f.Status != "" {
		c.and("status = " + c.arg(f.Status))
	}
	if f.PlaceID != 0 {
		c.and("places @> ARRAY[" + c.arg(f.PlaceID) + "::bigint]")
	}
	if tags := f.FilterTags(); len(tags) > 0 {
		op := "&&" // any of them
		if f.TagsAll {
			op = "@>"
		}
		c.and("tags " + op + " " + c.arg(tags) + "::text[]")
	}
	if f.Located != nil {
		if *f.Located {
			c.and("lat IS NOT NULL")
		} else {
			c.and("lat IS NULL")
		}
	}
	if q := pgText(strings.ToLower(f.Q)); q != "" {
		p := c.arg("%" + escapeLike(q) + "%")
		c.and("(title_lc LIKE " + p + " OR text_lc LIKE " + p + ")")
	}
	c.event(f)
	return c, nil
}

// boxSQL is the condition for one box (not across the antimeridian),
// edges included, on the coordinates. For a filter by bbox and time
// only, that is all: reports_lonlat finds a box's reports, and
// reports_pos_cover tests them inside a time window, both without
// reading the heap (geom's GiST index could not). A filter that reads
// the rows anyway (a place, tags, a text…) also tests geom, whose GiST
// index may find the candidates and whose statistics estimate a box's
// matches far better than those of lon and lat, taken as independent (a
// quarter of them in a 2° box around a hotspot); && compares boxes
// rounded outwards to single precision, the coordinates decide.
func (c *cond) boxSQL(b geotag.BBox) string {
	if c.onlyBoxTime {
		return c.rangeSQL(b.W, b.S, b.E, b.N)
	}
	return "(geom && ST_MakeEnvelope(" + c.arg(b.W) + ", " + c.arg(b.S) + ", " + c.arg(b.E) + ", " + c.arg(b.N) + ", 4326) AND " +
		c.rangeSQL(b.W, b.S, b.E, b.N) + ")"
}

// rangeSQL is the condition lon within w…e and lat within s…n.
func (c *cond) rangeSQL(w, s, e, n float64) string {
	return "(lon BETWEEN " + c.arg(w) + " AND " + c.arg(e) + " AND lat BETWEEN " + c.arg(s) + " AND " + c.arg(n) + ")"
}

// event compiles the event type, fatality and actor conditions.
// f is valid (geotag.ReportFilter.Validate).
func (c *cond) event(f geotag.ReportFilter) {
	var codes []int16
	for _, t := range f.EventTypes {
		codes = append(codes, int16(geotag.EventTypeCode(strings.TrimSpace(t))))
	}
	if codes != nil {
		c.and("event_code = ANY(" + c.arg(codes) + "::smallint[])")
	}
	if m := f.FatalitiesMin; m != nil {
		c.and("fatalities >= " + c.arg(int32(*m)))
	}
	if m := f.FatalitiesMax; m != nil {
		c.and("fatalities <= " + c.arg(int32(*m)))
	}
	if a := actorKey(f.Actor); a != "" {
		c.and("actors @> ARRAY[" + c.arg(a) + "::text]")
	}
}

// escapeLike escapes LIKE's wildcards and its escape character.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// emptyFilter reports whether f selects every report.
func emptyFilter(f geotag.ReportFilter) bool { return !f.HasConditions() }
