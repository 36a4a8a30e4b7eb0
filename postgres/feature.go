package postgres

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"time"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// Each row keeps its report's two GeoJSON Features as
// geotag.AppendReportFeatureWith encodes them — the map's (feature) and the
// export's (feature_full) — made with the row, so that pages of features
// and exports send stored bytes instead of decoding records with their
// history (a page of 1,000 spent most of its time there). feature_ver is
// the encoder's fingerprint (featureVersion) when they were made: a row
// written before the columns existed, or by a build whose encoder differs,
// has another (or none), and its feature is encoded from its record, as
// before. Other options than those two are always encoded from records.

// featureVersion fingerprints this build's feature encoder: a hash of both
// features of a report that sets every field a feature shows, so that a
// change in the encoder changes it.
func featureVersion() int64 {
	f := 3
	at := time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.UTC)
	p := &geotag.Place{ID: 7, Name: "Hama <&>", Lat: 35.1, Lon: 36.7, Country: "SY", Feature: "P.PPLA"}
	r := &geotag.Report{ID: "01HZ0000000000000000000000", ExternalID: "x:1", Title: "T \"q\" é\u2028", Text: "A\tb\x00\xff",
		Source: "https://example.org/a?b=1&c=2", Time: at, TimePrecision: "day", Created: at.Add(time.Hour),
		Updated: at.Add(2 * time.Hour), Status: geotag.StatusReviewed, Tags: []string{"a", "B c"},
		Mentions: []geotag.Mention{{Text: "Hama", Place: p}, {Text: "Hama"}, {Text: "Nowhere"}},
		Location: &geotag.Location{Lat: 35.125, Lon: -36.5e-7, Precision: 2, Name: "Hama", PlaceID: 7,
			Provenance: geotag.Provenance{Method: "manual"}},
		Event: geotag.Event{EventType: "Battles", SubEventType: "Armed clash", Fatalities: &f, CivilianTargeting: true,
			Actors: []geotag.Actor{{Name: "A1", Side: 1}, {Name: "As1", Side: 1, Associated: true}, {Name: "A2", Side: 2},
				{Name: "As2", Side: 2, Associated: true}}},
	}
	h := fnv.New64a()
	h.Write(geotag.AppendReportFeature(nil, r))
	h.Write(geotag.AppendReportFeatureWith(nil, r, geotag.FullFeature))
	r.Location, r.Fatalities, r.Mentions = nil, nil, nil
	h.Write(geotag.AppendReportFeature(nil, r))
	h.Write(geotag.AppendReportFeatureWith(nil, r, geotag.FullFeature))
	return int64(h.Sum64())
}

// featureCols selects what a feature of opt needs from a row: the position,
// the stored feature when it is current (else NULL) and the record when it
// is not (else NULL). Its placeholder is q's.
func (db *DB) featureCols(q *cond, opt geotag.FeatureOptions) string {
	col := ""
	switch opt {
	case geotag.FeatureOptions{}:
		col = "feature"
	case geotag.FullFeature:
		col = "feature_full"
	default:
		return "tsec, tnsec, id, NULL::bytea, record"
	}
	v := q.arg(db.fver)
	return "tsec, tnsec, id, CASE WHEN feature_ver = " + v + " THEN " + col + " END, CASE WHEN feature_ver IS DISTINCT FROM " +
		v + " THEN record END"
}

// scanFeature reads a row of featureCols and appends its feature to dst.
func scanFeature(rows pgx.Rows, dst []byte, opt geotag.FeatureOptions) ([]byte, pos, error) {
	var p pos
	var feat, rec []byte
	if err := rows.Scan(&p.sec, &p.nsec, &p.id, &feat, &rec); err != nil {
		return dst, p, err
	}
	if rec == nil {
		return append(dst, feat...), p, nil
	}
	r, err := decodeFeature(rec)
	if err != nil {
		return dst, p, err
	}
	return geotag.AppendReportFeatureWith(dst, r, opt), p, nil
}

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
// them, each followed by a newline, from the stored features. Order,
// cursor, totals and errors are FindReports'.
func (db *DB) FindFeatures(ctx context.Context, f geotag.ReportFilter) (geotag.FeaturePage, error) {
	var fp geotag.FeaturePage
	opt := geotag.FeatureOptions{}
	page, err := db.findPage(ctx, f, true, func(q *cond) string {
		fp.Features = make([]byte, 0, 64<<10)
		return db.featureCols(q, opt)
	}, func(rows pgx.Rows) (pos, error) {
		var p pos
		var err error
		if fp.Features, p, err = scanFeature(rows, fp.Features, opt); err != nil {
			return p, err
		}
		fp.Features = append(fp.Features, '\n')
		fp.N++
		return p, nil
	})
	if err != nil {
		return geotag.FeaturePage{}, err
	}
	fp.ReportPage = page
	return fp, nil
}

// featureChunk is how many features EachFeature reads per query: a few
// MB of full features.
const featureChunk = 2000

// EachFeature calls fn with the GeoJSON Feature (geotag.AppendReportFeatureWith
// with opt) of every report matching f, newest first, as EachReport walks
// them (pipelined, in chunks of featureChunk, fn called from the caller's
// goroutine outside any query), sending the stored features (the server's
// featureExporter); a reader encodes those of rows whose stored feature is
// stale, or of options other than the two stored, from their records. The
// slice passed to fn is valid only during the call. Errors are
// EachReport's.
func (db *DB) EachFeature(ctx context.Context, f geotag.ReportFilter, opt geotag.FeatureOptions, fn func(feature []byte) error) error {
	spec := walkSpec{
		cols:    func(q *cond) string { return db.featureCols(q, opt) },
		chunk:   featureChunk,
		readers: 1,
		decode: func(ch *walkChunk) error {
			for i := range ch.ends {
				if !ch.stale[i] {
					ch.out = append(ch.out, ch.payload(i)...)
				} else {
					r, err := decodeFeature(ch.payload(i))
					if err != nil {
						return err
					}
					ch.out = geotag.AppendReportFeatureWith(ch.out, r, opt)
				}
				ch.oends = append(ch.oends, len(ch.out))
			}
			return nil
		},
	}
	return db.walk(ctx, f, spec, func(ch *walkChunk) error {
		buf, ends := ch.raw, ch.ends
		if ch.todo {
			buf, ends = ch.out, ch.oends
		}
		start := 0
		for _, end := range ends {
			if err := fn(buf[start:end:end]); err != nil {
				return err
			}
			start = end
		}
		return nil
	})
}
