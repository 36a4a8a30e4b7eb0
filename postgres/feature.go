package postgres

import (
	"context"
	"encoding/json"

	"github.com/geotag/geotag"
)

// A feature shows neither a report's history nor its mentions'
// alternatives, which are most of a record: the feature queries decode
// records into these types, which step over them without building them.
type (
	featureRecord struct {
		geotag.Report
		Mentions []featureMention `json:"mentions"`
		History  skipJSON         `json:"history"`
	}
	featureMention struct {
		geotag.Mention
		Alternatives skipJSON `json:"alternatives"`
	}
	skipJSON struct{}
)

func (*skipJSON) UnmarshalJSON([]byte) error { return nil }

// decodeFeature decodes what a feature shows of a record: the report
// without history and without alternatives.
func decodeFeature(rec []byte) (*geotag.Report, error) {
	var fr featureRecord
	if err := json.Unmarshal(rec, &fr); err != nil {
		return nil, geotag.Errorf(geotag.EINTERNAL, "postgres: corrupt record: %v", err)
	}
	r := fr.Report
	r.Mentions = make([]geotag.Mention, len(fr.Mentions))
	for i := range fr.Mentions {
		r.Mentions[i] = fr.Mentions[i].Mention
	}
	return &r, nil
}

// FindFeatures is FindReports answering GeoJSON (the server's
// featureFinder): the page's features as geotag.AppendReportFeature makes
// them, each followed by a newline, decoding of each record only what the
// feature shows. Order, cursor, totals and errors are FindReports'.
func (db *DB) FindFeatures(ctx context.Context, f geotag.ReportFilter) (geotag.FeaturePage, error) {
	page, err := db.findPage(ctx, f, true, decodeFeature)
	if err != nil {
		return geotag.FeaturePage{}, err
	}
	fp := geotag.FeaturePage{ReportPage: page, N: len(page.Reports)}
	fp.Features = make([]byte, 0, len(page.Reports)*512)
	for _, r := range page.Reports {
		fp.Features = append(geotag.AppendReportFeature(fp.Features, r), '\n')
	}
	fp.Reports = nil
	return fp, nil
}

// EachFeature calls fn with the GeoJSON Feature (geotag.AppendReportFeatureWith
// with opt) of every report matching f, newest first, as EachReport walks
// them, decoding only what a feature shows (the server's featureExporter).
// The slice passed to fn is valid only during the call.
func (db *DB) EachFeature(ctx context.Context, f geotag.ReportFilter, opt geotag.FeatureOptions, fn func(feature []byte) error) error {
	var buf []byte
	return db.eachMatch(ctx, f, decodeFeature, func(r *geotag.Report) error {
		buf = geotag.AppendReportFeatureWith(buf[:0], r, opt)
		return fn(buf)
	})
}
