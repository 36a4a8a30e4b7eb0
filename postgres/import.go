package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// ImportBatch is the number of reports Import writes per transaction.
const ImportBatch = 2000

// ImportResult counts what Import did.
type ImportResult struct {
	Created    int // reports stored
	Duplicates int // reports skipped because their external id was stored
}

// Import stores many reports in transactions of ImportBatch, each one
// statement for the reports, one for their tags, one for the cell-day
// counts: CreateReport's rules (IDs, times, status, validation, limits) at
// bulk speed. A report whose external id is stored, or repeated earlier in
// rs, is skipped and replaced in rs by the stored one; the others get their
// IDs. It validates every report before writing any (EINVALID or
// EUNPROCESSABLE naming the report's index); batches written before an
// error stay written.
func (db *DB) Import(ctx context.Context, rs []*geotag.Report) (ImportResult, error) {
	var res ImportResult
	for i, r := range rs {
		if err := db.validate(r); err != nil {
			return res, &geotag.Error{Code: geotag.ErrorCode(err), Field: geotag.ErrorField(err),
				Message: fmt.Sprintf("report %d: %s", i, geotag.ErrorMessage(err))}
		}
	}
	for start := 0; start < len(rs); start += ImportBatch {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		b, err := db.importBatch(ctx, rs[start:min(start+ImportBatch, len(rs))], false)
		res.Created += b.Created
		res.Duplicates += b.Duplicates
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// Restore stores reports as another store kept them — IDs, creation and
// update times and history unchanged — for moving a desk between stores
// (geotag migrate), in transactions of ImportBatch. A report whose ID or
// external id is stored already is skipped (counted in Duplicates), so a
// restore can be run again after an interruption. The reports are not
// validated against today's rules (a store may hold reports from before
// them), only against what a row can hold; rs is not changed.
func (db *DB) Restore(ctx context.Context, rs []*geotag.Report) (ImportResult, error) {
	var res ImportResult
	for start := 0; start < len(rs); start += ImportBatch {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		batch := make([]*geotag.Report, 0, ImportBatch)
		for _, r := range rs[start:min(start+ImportBatch, len(rs))] {
			c := *r
			if !validID(c.ID) || strings.IndexByte(c.ExternalID, 0) >= 0 {
				return res, geotag.Errorf(geotag.EINVALID, "report %q: not a report ID, or a NUL in its external id", c.ID)
			}
			batch = append(batch, &c)
		}
		b, err := db.importBatch(ctx, batch, true)
		res.Created += b.Created
		res.Duplicates += b.Duplicates
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// importBatch stores rs in one transaction: as new reports, or, with
// keep, as they are.
func (db *DB) importBatch(ctx context.Context, rs []*geotag.Report, keep bool) (ImportResult, error) {
	var res ImportResult
	ws := make([]geotag.Report, len(rs))
	cols := make([][]any, 19)
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
		for c, v := range row.args() {
			if c == 17 {
				v = string(row.record)
			}
			cols[c] = append(cols[c], v)
		}
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		res = ImportResult{}
		created := map[string]bool{}
		rows, err := tx.Query(ctx, `INSERT INTO reports (id, external_id, tsec, tnsec, time, created, updated, status,
			lat, lon, geom, tags, actors, places, event_code, fatalities, title_lc, text_lc, record, precision_class)
			SELECT id, ext, tsec, tnsec, tm, cr, up, st, lat, lon, ST_SetSRID(ST_MakePoint(lon, lat), 4326),
				coalesce((SELECT array_agg(x) FROM json_array_elements_text(tags) x), '{}'),
				coalesce((SELECT array_agg(x) FROM json_array_elements_text(actors) x), '{}'),
				coalesce((SELECT array_agg(x::bigint) FROM json_array_elements_text(places) x), '{}'),
				ev, fat, tl, xl, rec::json, pc
			FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::timestamptz[], $6::timestamptz[],
				$7::timestamptz[], $8::text[], $9::float8[], $10::float8[], $11::json[], $12::json[], $13::json[],
				$14::smallint[], $15::int[], $16::text[], $17::text[], $18::text[], $19::smallint[])
				AS u(id, ext, tsec, tnsec, tm, cr, up, st, lat, lon, tags, actors, places, ev, fat, tl, xl, rec, pc)
			ON CONFLICT DO NOTHING RETURNING id`, importArgs(cols)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			created[id] = true
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return db.importIndexes(ctx, tx, ws, created, rs, keep, &res)
	})
	return res, err
}

// importArgs turns the column slices into the typed arrays the insert
// unnests; the array columns (tags, actors, places) go as JSON arrays,
// as PostgreSQL cannot unnest ragged arrays.
func importArgs(cols [][]any) []any {
	out := make([]any, len(cols))
	for c, vs := range cols {
		switch c {
		case 10, 11, 12:
			js := make([]string, len(vs))
			for i, v := range vs {
				b, _ := jsonArray(v)
				js[i] = b
			}
			out[c] = js
		default:
			out[c] = vs
		}
	}
	return out
}

// importIndexes writes the created reports' tags, cell-day counts and the
// count, and replaces the skipped ones in rs by the stored reports.
func (db *DB) importIndexes(ctx context.Context, tx pgx.Tx, ws []geotag.Report, created map[string]bool, rs []*geotag.Report, keep bool, res *ImportResult) error {
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
		for _, t := range distinctKeys(w.Tags, tagKey) {
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

// jsonArray is v (a []string or []int64) as a JSON array.
func jsonArray(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
