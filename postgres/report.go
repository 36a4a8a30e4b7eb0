package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"strings"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
	"github.com/oklog/ulid/v2"
)

// validate checks r as the bbolt store does (geotag.ReportLimits.Storable),
// and what a text column cannot hold: NUL in the external id.
func (db *DB) validate(r *geotag.Report) error {
	if err := db.opts.Limits.Storable(r); err != nil {
		return err
	}
	if strings.IndexByte(r.ExternalID, 0) >= 0 {
		return geotag.FieldErrorf(geotag.EINVALID, "external_id", "external id contains a NUL byte")
	}
	return nil
}

// row is a report's columns, worked out before any transaction.
type row struct {
	r          *geotag.Report
	ext        *string
	lat, lon   *float64
	tags       []string
	actors     []string
	places     []int64
	eventCode  int16
	fatalities *int32
	record     []byte
	// feature and featureFull are the map's and the export's GeoJSON
	// Features of r (see feature.go).
	feature, featureFull []byte
	precision            *int16 // geotag.PrecisionClass of the location, nil without one
}

// newRow trims r's history, encodes it and checks the record's size
// (EUNPROCESSABLE over MaxReportBytes).
func (db *DB) newRow(r *geotag.Report) (*row, error) {
	db.opts.Limits.TrimHistory(r)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, geotag.Errorf(geotag.EINTERNAL, "postgres: encode report: %v", err)
	}
	if err := db.opts.Limits.CheckSize(buf.Len()); err != nil {
		return nil, err
	}
	w := &row{r: r, record: buf.Bytes(),
		feature:     geotag.AppendReportFeature(nil, r),
		featureFull: geotag.AppendReportFeatureWith(nil, r, geotag.FullFeature),
		tags:        geotag.DistinctKeys(r.Tags, tagKey),
		places:      r.PlaceIDs(),
		eventCode:   int16(geotag.EventTypeCode(r.EventType)),
	}
	if r.ExternalID != "" {
		w.ext = &r.ExternalID
	}
	if l := r.Location; l != nil {
		w.lat, w.lon = &l.Lat, &l.Lon
		p := int16(geotag.PrecisionClass(l.Precision))
		w.precision = &p
	}
	w.actors = geotag.DistinctKeys(r.ActorNames(), actorKey)
	if f := r.Fatalities; f != nil && *f >= 0 {
		v := int32(*f)
		w.fatalities = &v
	}
	return w, nil
}

// args are the row's values in the column order of insertSQL, the
// features made by the encoder of fingerprint fver.
func (w *row) args(fver int64) []any {
	r := w.r
	return []any{r.ID, w.ext, r.Time.Unix(), int32(r.Time.Nanosecond()), r.Time, r.Created, r.Updated, r.Status,
		w.lat, w.lon, w.tags, w.actors, w.places, w.eventCode, w.fatalities,
		pgText(strings.ToLower(r.Title)), pgText(strings.ToLower(r.Text)), w.record, w.feature, w.featureFull, fver,
		w.precision}
}

const insertSQL = `INSERT INTO reports (id, external_id, tsec, tnsec, time, created, updated, status,
	lat, lon, geom, tags, actors, places, event_code, fatalities, title_lc, text_lc, record,
	feature, feature_full, feature_ver, precision_class)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, ST_SetSRID(ST_MakePoint($10, $9), 4326),
	$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`

const updateSQL = `UPDATE reports SET external_id = $2, tsec = $3, tnsec = $4, time = $5, created = $6,
	updated = $7, status = $8, lat = $9, lon = $10, geom = ST_SetSRID(ST_MakePoint($10, $9), 4326),
	tags = $11, actors = $12, places = $13, event_code = $14, fatalities = $15, title_lc = $16,
	text_lc = $17, record = $18, feature = $19, feature_full = $20, feature_ver = $21, precision_class = $22 WHERE id = $1`

// rewrite stores r in place of old, the row locked in tx: r keeps old's ID
// and creation time, is updated now, unreviewed when it has no status, and
// is checked as every write is (EINVALID, EUNPROCESSABLE; ECONFLICT for an
// external id another report has). UpdateReport and UpdateReports call it.
func (db *DB) rewrite(ctx context.Context, tx pgx.Tx, old, r *geotag.Report) error {
	r.ID, r.Created, r.Updated = old.ID, old.Created, db.now().UTC()
	if r.Status == "" {
		r.Status = geotag.StatusUnreviewed
	}
	r.Time = r.Time.UTC()
	if err := db.validate(r); err != nil {
		return err
	}
	rw, err := db.newRow(r)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, updateSQL, rw.args(db.fver)...); err != nil {
		if isUniqueViolation(err, "reports_external_id_key") {
			return geotag.FieldErrorf(geotag.ECONFLICT, "external_id", "another report already has external id %q", r.ExternalID)
		}
		return err
	}
	return writeIndexes(ctx, tx, old, r, 0)
}

// CreateReport assigns r an ID, sets Created and Updated to now and Status
// to unreviewed when empty, and stores it with its tags, cell-day counts
// and the report count in one transaction. It returns EINVALID if r fails
// validation (see validate), EUNPROCESSABLE over a limit, and ECONFLICT
// if r.ExternalID is already stored, in which case *r is replaced by the
// stored report and nothing is written (a concurrent create of the same
// external id waits for the first to commit, then conflicts). *r is changed
// only when CreateReport returns nil or ECONFLICT.
func (db *DB) CreateReport(ctx context.Context, r *geotag.Report) (err error) {
	defer unavailable(&err)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := db.validate(r); err != nil {
		return err
	}
	now := db.now().UTC()
	w := *r
	w.ID = db.ids.next(now)
	w.Created, w.Updated = now, now
	if w.Status == "" {
		w.Status = geotag.StatusUnreviewed
	}
	w.Time = w.Time.UTC()
	rw, err := db.newRow(&w)
	if err != nil {
		return err
	}
	var stored *geotag.Report
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, insertSQL+` ON CONFLICT (external_id) DO NOTHING`, rw.args(db.fver)...)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			stored, err = findBy(ctx, tx, `external_id = $1`, r.ExternalID)
			if err != nil {
				return err
			}
			return geotag.Errorf(geotag.ECONFLICT, "a report with external id %q exists: %s", stored.ExternalID, stored.ID)
		}
		return writeIndexes(ctx, tx, nil, &w, 1)
	})
	switch {
	case err == nil:
		*r = w
	case stored != nil && geotag.ErrorCode(err) == geotag.ECONFLICT:
		*r = *stored
	}
	return err
}

// querier is a pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// findBy returns the report the condition selects, or ENOTFOUND.
func findBy(ctx context.Context, q querier, cond string, args ...any) (*geotag.Report, error) {
	var rec []byte
	err := q.QueryRow(ctx, `SELECT record FROM reports WHERE `+cond, args...).Scan(&rec)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "report not found")
	}
	if err != nil {
		return nil, err
	}
	return decodeRecord(rec)
}

func decodeRecord(rec []byte) (*geotag.Report, error) {
	r := new(geotag.Report)
	if err := json.Unmarshal(rec, r); err != nil {
		return nil, geotag.Errorf(geotag.EINTERNAL, "postgres: corrupt record: %v", err)
	}
	return r, nil
}

func notFound(id string) error {
	return geotag.Errorf(geotag.ENOTFOUND, "report %q not found", id)
}

// validID reports whether id can be a report ID (a ULID); others are
// not found without a query.
func validID(id string) bool {
	_, err := ulid.ParseStrict(id)
	return err == nil
}

// FindReportByID returns the report with the id, or ENOTFOUND (also for a
// string that is not a report ID).
func (db *DB) FindReportByID(ctx context.Context, id string) (_ *geotag.Report, err error) {
	defer unavailable(&err)
	if !validID(id) {
		return nil, notFound(id)
	}
	r, err := findBy(ctx, db.pool, `id = $1`, id)
	if geotag.ErrorCode(err) == geotag.ENOTFOUND {
		return nil, notFound(id)
	}
	return r, err
}

// UpdateReport locks the report's row (SELECT … FOR UPDATE, so updates
// through any server sharing the database take turns), calls fn on a copy
// and stores the result with its indexes and counts in the same
// transaction. fn is called once. ID and Created are kept whatever fn
// does, Updated is set to now and an empty Status becomes unreviewed. It
// returns ENOTFOUND if no report has the id; fn's error unchanged, in
// which case nothing is stored; EINVALID if the result fails validation;
// EUNPROCESSABLE over a limit; ECONFLICT if fn sets an external id another
// report has.
func (db *DB) UpdateReport(ctx context.Context, id string, fn func(*geotag.Report) error) (_ *geotag.Report, err error) {
	defer unavailable(&err)
	if !validID(id) {
		return nil, notFound(id)
	}
	var out *geotag.Report
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		old, err := findBy(ctx, tx, `id = $1 FOR UPDATE`, id)
		if geotag.ErrorCode(err) == geotag.ENOTFOUND {
			return notFound(id)
		} else if err != nil {
			return err
		}
		r, err := findBy(ctx, tx, `id = $1`, id) // fn's own copy
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
		if err := db.rewrite(ctx, tx, old, r); err != nil {
			return err
		}
		out = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteReport removes the report, its tags and its counts in one
// transaction. It returns ENOTFOUND if no report has the id.
func (db *DB) DeleteReport(ctx context.Context, id string) (err error) {
	defer unavailable(&err)
	if !validID(id) {
		return notFound(id)
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var rec []byte
		err := tx.QueryRow(ctx, `DELETE FROM reports WHERE id = $1 RETURNING record`, id).Scan(&rec)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(id)
		} else if err != nil {
			return err
		}
		old, err := decodeRecord(rec)
		if err != nil {
			return err
		}
		return writeIndexes(ctx, tx, old, nil, -1)
	})
}

// writeIndexes replaces old's report_tags rows and cell-day counts by
// new's (either may be nil) and adds count to the report count.
func writeIndexes(ctx context.Context, tx pgx.Tx, old, new *geotag.Report, count int64) error {
	d := cellDeltas{}
	if old != nil {
		if _, err := tx.Exec(ctx, `DELETE FROM report_tags WHERE tag = ANY($1) AND tsec = $2 AND tnsec = $3 AND id = $4`,
			geotag.DistinctKeys(old.Tags, tagKey), old.Time.Unix(), int32(old.Time.Nanosecond()), old.ID); err != nil {
			return err
		}
		d.add(old, -1)
	}
	if new != nil {
		if tags := geotag.DistinctKeys(new.Tags, tagKey); len(tags) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO report_tags SELECT unnest($1::text[]), $2, $3, $4`,
				tags, new.Time.Unix(), int32(new.Time.Nanosecond()), new.ID); err != nil {
				return err
			}
		}
		d.add(new, 1)
	}
	if err := d.apply(ctx, tx); err != nil {
		return err
	}
	if count != 0 {
		id := ""
		if new != nil {
			id = new.ID
		} else if old != nil {
			id = old.ID
		}
		return addCount(ctx, tx, id, count)
	}
	return nil
}

// countShards is the number of rows the report count is spread over: a
// write locks one of them until it commits, so that writers on different
// rows do not queue behind each other's commit for a single counter.
const countShards = 16

// addCount adds n to the report count, on the shard of the report id.
func addCount(ctx context.Context, tx pgx.Tx, id string, n int64) error {
	h := fnv.New32a()
	h.Write([]byte(id))
	_, err := tx.Exec(ctx, `UPDATE counts SET reports = reports + $1 WHERE shard = $2`, n, int16(h.Sum32()%countShards))
	return err
}
