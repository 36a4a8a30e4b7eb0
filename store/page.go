package store

import (
	"context"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// FindFeatures is FindReports answering GeoJSON: the page's features as
// geotag.AppendReportFeature makes them (each followed by a newline),
// encoded straight from the records during the walk, as EachFeature does,
// without a *geotag.Report per report (unless the filter decodes reports
// anyway, for a text, tag or place check). A page costs its bytes, a few
// hundred per report, instead of whole decoded reports with their texts.
// Order, cursor, totals and errors are FindReports'.
func (db *DB) FindFeatures(ctx context.Context, f geotag.ReportFilter) (geotag.FeaturePage, error) {
	var page geotag.FeaturePage
	var sc featureScratch
	var reports *bolt.Bucket
	err := db.findPage(ctx, f, &page.ReportPage, func(tx *bolt.Tx, limit int) {
		reports = tx.Bucket(bucketReports)
		page.Features = make([]byte, 0, min(limit, 1024)*512)
	}, func(m *match) error {
		if m.r != nil {
			page.Features = append(geotag.AppendReportFeature(page.Features, m.r), '\n')
			page.N++
			return nil
		}
		v := reports.Get(m.id())
		if v == nil {
			return geotag.Errorf(geotag.EINTERNAL, "store: index points to missing report %s", idString(m.id()))
		}
		var err error
		if page.Features, err = sc.appendFeature(page.Features, m.id(), v); err != nil {
			return err
		}
		page.Features = append(page.Features, '\n')
		page.N++
		return nil
	}, func(*bolt.Tx) error { return nil })
	if err != nil {
		return geotag.FeaturePage{}, err
	}
	return page, nil
}
