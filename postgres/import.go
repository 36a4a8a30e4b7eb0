package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// ImportBatch is the number of reports Import writes per transaction.
const ImportBatch = 2000

// Import stores many reports in transactions of ImportBatch, each one
// statement for the reports, one for their tags, one for the cell-day
// counts: CreateReport's rules (IDs, times, status, validation, limits) at
// bulk speed. A report whose external id is stored, or repeated earlier in
// rs, is skipped and replaced in rs by the stored one; the others get their
// IDs. It validates every report before writing any (EINVALID or
// EUNPROCESSABLE naming the report's index); batches written before an
// error stay written.
func (db *DB) Import(ctx context.Context, rs []*geotag.Report) (geotag.ImportResult, error) {
	return geotag.ImportInBatches(ctx, rs, ImportBatch, db.validate, func(batch []*geotag.Report) (geotag.ImportResult, error) {
		return db.importBatch(ctx, batch, false)
	})
}

// Restore stores reports as another store kept them — IDs, creation and
// update times and history unchanged — for moving a desk between stores
// (geotag migrate), in transactions of ImportBatch. A report whose ID or
// external id is stored already is skipped (counted in Duplicates), so a
// restore can be run again after an interruption. The reports are not
// validated against today's rules (a store may hold reports from before
// them), only against what a row can hold; rs is not changed.
func (db *DB) Restore(ctx context.Context, rs []*geotag.Report) (geotag.ImportResult, error) {
	check := func(r *geotag.Report) error {
		if !validID(r.ID) || strings.IndexByte(r.ExternalID, 0) >= 0 {
			return geotag.Errorf(geotag.EINVALID, "not a report ID (%q), or a NUL in its external id", r.ID)
		}
		return nil
	}
	return geotag.ImportInBatches(ctx, rs, ImportBatch, check, func(batch []*geotag.Report) (geotag.ImportResult, error) {
		copies := make([]*geotag.Report, len(batch))
		for i, r := range batch {
			c := *r
			copies[i] = &c
		}
		return db.importBatch(ctx, copies, true)
	})
}

// importCols are the columns of the staging table an import batch is
// copied into, in args' order after its ordinal.
var importCols = []string{"ord", "id", "external_id", "tsec", "tnsec", "time", "created", "updated", "status",
	"lat", "lon", "tags", "actors", "places", "event_code", "fatalities", "title_lc", "text_lc", "record",
	"feature", "feature_full", "feature_ver", "precision_class"}

// importBatch stores rs in one transaction: as new reports, or, with
// keep, as they are. The rows, made before the transaction, are copied
// (COPY, binary) into a temporary table and inserted from there in one
// statement, in rs's order, so that of two reports with one external id
// the first is stored.
func (db *DB) importBatch(ctx context.Context, rs []*geotag.Report, keep bool) (geotag.ImportResult, error) {
	var res geotag.ImportResult
	ws := make([]geotag.Report, len(rs))
	rows := make([][]any, len(rs))
	for i, r := range rs {
		now := db.now().UTC()
		w := &ws[i]
		*w = *r
		if !keep {
			w.ID, w.Created, w.Updated = db.ids.next(now), now, now
		}
		w.Time = w.Time.UTC()
		if w.Status == "" {
			w.Status = geotag.StatusUnreviewed
		}
		row, err := db.newRow(w)
		if err != nil {
			return res, fmt.Errorf("report %s: %w", w.ExternalID, err)
		}
		rows[i] = append([]any{int32(i)}, row.args(db.fver)...)
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		res = geotag.ImportResult{}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_rows (ord int, id text, external_id text, tsec bigint,
			tnsec int, time timestamptz, created timestamptz, updated timestamptz, status text, lat float8, lon float8,
			tags text[], actors text[], places bigint[], event_code smallint, fatalities int, title_lc text,
			text_lc text, record json, feature bytea, feature_full bytea, feature_ver bigint, precision_class smallint) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"import_rows"}, importCols, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		created := map[string]bool{}
		ids, err := tx.Query(ctx, `INSERT INTO reports (id, external_id, tsec, tnsec, time, created, updated, status,
			lat, lon, geom, tags, actors, places, event_code, fatalities, title_lc, text_lc, record,
			feature, feature_full, feature_ver, precision_class)
			SELECT id, external_id, tsec, tnsec, time, created, updated, status, lat, lon,
				ST_SetSRID(ST_MakePoint(lon, lat), 4326), tags, actors, places, event_code, fatalities, title_lc,
				text_lc, record, feature, feature_full, feature_ver, precision_class
			FROM import_rows ORDER BY ord
			ON CONFLICT DO NOTHING RETURNING id`)
		if err != nil {
			return err
		}
		for ids.Next() {
			var id string
			if err := ids.Scan(&id); err != nil {
				return err
			}
			created[id] = true
		}
		if err := ids.Err(); err != nil {
			return err
		}
		return db.importIndexes(ctx, tx, ws, created, rs, keep, &res)
	})
	return res, err
}

// importIndexes writes the created reports' tags, cell-day counts and the
// count, and replaces the skipped ones in rs by the stored reports.
func (db *DB) importIndexes(ctx context.Context, tx pgx.Tx, ws []geotag.Report, created map[string]bool, rs []*geotag.Report, keep bool, res *geotag.ImportResult) error {
	d := cellDeltas{}
	var tags, ids []string
	var secs []int64
	var nsecs []int32
	for i := range ws {
		w := &ws[i]
		if !created[w.ID] && keep {
			res.Duplicates++
			continue
		}
		if !created[w.ID] {
			stored, err := findBy(ctx, tx, `external_id = $1`, w.ExternalID)
			if err != nil {
				return err
			}
			*rs[i] = *stored
			res.Duplicates++
			continue
		}
		*rs[i] = *w
		res.Created++
		d.add(w, 1)
		for _, t := range geotag.DistinctKeys(w.Tags, tagKey) {
			tags, ids = append(tags, t), append(ids, w.ID)
			secs, nsecs = append(secs, w.Time.Unix()), append(nsecs, int32(w.Time.Nanosecond()))
		}
	}
	if len(tags) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO report_tags SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[])`,
			tags, secs, nsecs, ids); err != nil {
			return err
		}
	}
	if err := d.apply(ctx, tx); err != nil {
		return err
	}
	if res.Created == 0 {
		return nil
	}
	return addCount(ctx, tx, ws[0].ID, int64(res.Created))
}

// textIndexes are the trigram indexes of the reports' title and text: the
// bulk of an import's work (each row adds some thousand trigrams).
var textIndexes = []string{"reports_title_trgm", "reports_text_trgm"}

// LoadEmpty runs fn, which fills an empty store (Import, Restore), without
// the trigram indexes of title and text, and builds them once fn returns
// (also when it fails), as PostgreSQL builds an index over a loaded table:
// sorted, in one pass, several times faster than row by row. For an
// operator's bulk load into a new database that nothing else uses — text
// searches (q=) read every row until the indexes are back; a live store
// keeps its indexes and Import never drops them. A process killed during
// the load leaves the store without the two indexes (Verify names them;
// the schema's CREATE INDEX statements build them). It returns ECONFLICT
// when the store holds reports, fn's error, or the database's.
func (db *DB) LoadEmpty(ctx context.Context, fn func() error) (err error) {
	defer unavailable(&err)
	n, err := db.Count(ctx)
	if err != nil {
		return err
	}
	if n != 0 {
		return geotag.Errorf(geotag.ECONFLICT, "postgres: a bulk load needs an empty store; this one holds %d reports", n)
	}
	var defs []string
	for _, name := range textIndexes {
		var def string
		if err := db.pool.QueryRow(ctx, `SELECT pg_get_indexdef(to_regclass($1))`, name).Scan(&def); err != nil {
			return err
		}
		defs = append(defs, def)
	}
	for _, name := range textIndexes {
		if _, err := db.pool.Exec(ctx, `DROP INDEX `+pgx.Identifier{name}.Sanitize()); err != nil {
			return err
		}
	}
	ferr := fn()
	for _, def := range defs {
		if _, err := db.pool.Exec(ctx, def); err != nil {
			return err
		}
	}
	return ferr
}
