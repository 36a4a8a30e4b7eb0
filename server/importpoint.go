package server

import (
	"strings"

	"github.com/geotag/geotag"
)

// importPoint is what an import row says of its manual point besides the
// coordinates: its place name (ACLED's location) and its precision
// (ACLED's geo_precision: 1 the town itself, 2 near it or a part of a
// region, 3 a larger region's centroid). Zero values say nothing.
type importPoint struct {
	Name      string
	Precision int
}

// point reads the row's location name and geo_precision. A geo_precision
// other than blank, 1, 2 or 3 is EINVALID, naming the column.
func (f *importFields) point() (importPoint, error) {
	p := importPoint{Name: strings.TrimSpace(f.location)}
	switch s := strings.TrimSpace(f.geoPrecision); s {
	case "":
	case "1", "2", "3":
		p.Precision = int(s[0] - '0')
	default:
		return p, geotag.FieldErrorf(geotag.EINVALID, "geo_precision", "geo_precision must be 1, 2 or 3 (ACLED's), not %.20q", s)
	}
	return p, nil
}

// apply writes p into l when l is the row's manual point (no mention
// chose it); an automatic location keeps the tagger's name and precision.
func (p importPoint) apply(l *geotag.Location) {
	if l == nil || l.Mention >= 0 || l.Provenance.Method != geotag.MethodManual {
		return
	}
	if p.Name != "" {
		l.Name = p.Name
	}
	if p.Precision != 0 {
		l.Precision = p.Precision
	}
}

// adminTags keeps ACLED's admin1, admin2 and admin3 (the province,
// district and sub-district the file names) as the tags "admin1:<name>"…
// after the row's other tags, so that they are kept, exported and can be
// filtered by. A row that says its location_method is one of our exports,
// whose admin1 is only the gazetteer's name of the tagged place: its
// columns add no tags.
func (f *importFields) adminTags(rec *importRecord) {
	if strings.TrimSpace(f.method) != "" {
		return
	}
	var add []string
	for _, a := range []struct{ key, v string }{{"admin1", f.admin1}, {"admin2", f.admin2}, {"admin3", f.admin3}} {
		if v := strings.TrimSpace(a.v); v != "" {
			add = append(add, a.key+":"+v)
		}
	}
	if len(add) == 0 {
		return
	}
	var tags []string
	if rec.In.Tags != nil {
		tags = append(tags, *rec.In.Tags...)
	}
	tags = append(tags, add...)
	rec.In.Tags = &tags
}
