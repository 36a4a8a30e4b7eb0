package postgres

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Incidents are rows of incidents (the incident as JSON, and its figures'
// time for the newest-first listing) and of incident_sources (report ID →
// incident ID; its primary key makes a report one incident's source at
// most, also between servers).

// maxIncidentRecord bounds one incident's JSON, as in the bbolt store.
const maxIncidentRecord = 1 << 20

// incidentChunk is the rows FindIncidents reads per query.
const incidentChunk = 500

var _ geotag.IncidentService = (*DB)(nil)

// CreateIncident stores a new incident (geotag.IncidentService): the row
// and its sources' links in one transaction, the sources locked against
// a concurrent delete until it commits.
func (db *DB) CreateIncident(ctx context.Context, inc *geotag.Incident) (err error) {
	defer unavailable(&err)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := inc.Validate(); err != nil {
		return err
	}
	now := db.now().UTC()
	c := inc.Clone()
	c.ID, c.Created, c.Updated, c.Version = db.ids.next(now), now, now, 1
	rec, err := encodeIncident(c)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO incidents (id, tsec, tnsec, record) VALUES ($1, $2, $3, $4)`,
			c.ID, c.Figures.Time.Unix(), int32(c.Figures.Time.Nanosecond()), rec)
		if err != nil {
			return err
		}
		return linkSources(ctx, tx, c.ID, nil, c.Sources)
	})
	if err == nil {
		*inc = *c
	}
	return deadlockConflict(err)
}

// FindIncidentByID returns ENOTFOUND for an unknown id.
func (db *DB) FindIncidentByID(ctx context.Context, id string) (_ *geotag.Incident, err error) {
	defer unavailable(&err)
	return getIncident(ctx, db.pool, id, "")
}

// UpdateIncident loads the incident locked, changes it with fn and stores
// it with its links in one transaction (geotag.IncidentService).
func (db *DB) UpdateIncident(ctx context.Context, id string, fn func(*geotag.Incident) error) (_ *geotag.Incident, err error) {
	defer unavailable(&err)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var stored *geotag.Incident
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		old, err := getIncident(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		c, err := old.Revise(fn, db.now().UTC())
		if err != nil {
			return err
		}
		rec, err := encodeIncident(c)
		if err != nil {
			return err
		}
		if err := linkSources(ctx, tx, c.ID, old.Sources, c.Sources); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE incidents SET tsec = $2, tnsec = $3, record = $4 WHERE id = $1`,
			c.ID, c.Figures.Time.Unix(), int32(c.Figures.Time.Nanosecond()), rec)
		stored = c
		return err
	})
	if err != nil {
		return nil, deadlockConflict(err)
	}
	return stored, nil
}

// DeleteIncident deletes an incident; its links go with it (ON DELETE
// CASCADE), freeing its sources.
func (db *DB) DeleteIncident(ctx context.Context, id string) (err error) {
	defer unavailable(&err)
	if err := ctx.Err(); err != nil {
		return err
	}
	if !textOK(id) {
		return geotag.Errorf(geotag.ENOTFOUND, "incident %q not found", id)
	}
	tag, err := db.pool.Exec(ctx, `DELETE FROM incidents WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return geotag.Errorf(geotag.ENOTFOUND, "incident %q not found", id)
	}
	return nil
}

// IncidentOf returns the incident a report is a source of, "" for none.
func (db *DB) IncidentOf(ctx context.Context, reportID string) (_ string, err error) {
	defer unavailable(&err)
	if !textOK(reportID) {
		return "", nil
	}
	var id string
	err = db.pool.QueryRow(ctx, `SELECT incident_id FROM incident_sources WHERE report_id = $1`, reportID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// FindIncidents reads the incidents newest first within f's time window
// (and before the cursor) in chunks of incidentChunk, each its own query,
// keeping those whose figures match f (geotag.Incident.Matches, the
// bbolt store's rule). The cursor is the bbolt store's: the time key of
// the page's last incident, then its ID.
func (db *DB) FindIncidents(ctx context.Context, f geotag.ReportFilter) (_ geotag.IncidentPage, err error) {
	defer unavailable(&err)
	var page geotag.IncidentPage
	if err := geotag.CheckIncidentFilter(f); err != nil {
		return page, err
	}
	if f.Limit < 0 {
		return page, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must not be negative")
	}
	limit := f.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	after, err := incidentCursor(f.Cursor)
	if err != nil {
		return page, err
	}
	c := &cond{}
	if f.From != nil {
		c.and(`(tsec, tnsec) >= (` + c.arg(f.From.Unix()) + `, ` + c.arg(int32(f.From.Nanosecond())) + `)`)
	}
	if f.To != nil {
		c.and(`(tsec, tnsec) < (` + c.arg(f.To.Unix()) + `, ` + c.arg(int32(f.To.Nanosecond())) + `)`)
	}
	for {
		q := c.clone()
		if after != nil {
			q.and(`(tsec, tnsec, id) < (` + q.arg(after.sec) + `, ` + q.arg(after.nsec) + `, ` + q.arg(after.id) + `)`)
		}
		incs, err := db.incidentChunk(ctx, q)
		if err != nil {
			return page, err
		}
		for _, inc := range incs {
			if !inc.Matches(f) {
				continue
			}
			if len(page.Incidents) == limit {
				page.Next = encodeIncidentCursor(page.Incidents[limit-1])
				return page, nil
			}
			page.Incidents = append(page.Incidents, inc)
		}
		if len(incs) < incidentChunk {
			return page, nil
		}
		last := incs[len(incs)-1]
		after = &pos{sec: last.Figures.Time.Unix(), nsec: int32(last.Figures.Time.Nanosecond()), id: last.ID}
	}
}

// incidentChunk reads the next incidentChunk incidents the condition
// selects, newest first.
func (db *DB) incidentChunk(ctx context.Context, q *cond) ([]*geotag.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sql := `SELECT record FROM incidents WHERE ` + q.sql() + ` ORDER BY tsec DESC, tnsec DESC, id DESC LIMIT ` + q.arg(incidentChunk)
	rows, err := db.pool.Query(ctx, sql, q.args...)
	if err != nil {
		return nil, err
	}
	var out []*geotag.Incident
	for rows.Next() {
		var rec []byte
		if err := rows.Scan(&rec); err != nil {
			return nil, err
		}
		inc, err := decodeIncident(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, inc)
	}
	return out, rows.Err()
}

// linkSources moves the report-to-incident links from the old sources to
// the new: ECONFLICT for an added report that is another incident's
// source, ENOTFOUND for one that is not stored (in the order of sources;
// the bbolt store's outcomes). The added reports are locked (FOR KEY
// SHARE) so that none is deleted before the transaction commits, and
// inserted in ID order, so that concurrent links wait instead of
// deadlocking; a link another server made meanwhile is ECONFLICT too.
func linkSources(ctx context.Context, tx pgx.Tx, id string, old, sources []string) error {
	var gone, added []string
	for _, r := range old {
		if !slices.Contains(sources, r) {
			gone = append(gone, r)
		}
	}
	for _, r := range sources {
		if !slices.Contains(old, r) {
			if !textOK(r) {
				return geotag.FieldErrorf(geotag.ENOTFOUND, "report_ids", "report %q not found", r)
			}
			added = append(added, r)
		}
	}
	if len(gone) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM incident_sources WHERE report_id = ANY($1) AND incident_id = $2`, gone, id); err != nil {
			return err
		}
	}
	if len(added) == 0 {
		return nil
	}
	taken, err := stringMap(ctx, tx, `SELECT report_id, incident_id FROM incident_sources WHERE report_id = ANY($1) AND incident_id <> $2`, added, id)
	if err != nil {
		return err
	}
	stored, err := stringMap(ctx, tx, `SELECT id, id FROM reports WHERE id = ANY($1) FOR KEY SHARE`, added)
	if err != nil {
		return err
	}
	for _, r := range added {
		if other, ok := taken[r]; ok {
			return linkConflict(r, other)
		}
		if _, ok := stored[r]; !ok {
			return geotag.FieldErrorf(geotag.ENOTFOUND, "report_ids", "report %q not found", r)
		}
	}
	slices.Sort(added)
	_, err = tx.Exec(ctx, `INSERT INTO incident_sources (report_id, incident_id) SELECT unnest($1::text[]), $2`, added, id)
	if isUniqueViolation(err, "incident_sources_pkey") {
		return geotag.FieldErrorf(geotag.ECONFLICT, "report_ids", "a report was linked to another incident meanwhile; reload and try again")
	}
	return err
}

// deadlockConflict turns PostgreSQL's deadlock_detected (links moved
// between incidents at once, each transaction waiting for the other) into
// ECONFLICT: the change was not made; reload and try again.
func deadlockConflict(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "40P01" {
		return geotag.Errorf(geotag.ECONFLICT, "the incident's sources changed at the same time through another request; reload and try again")
	}
	return err
}

func linkConflict(report, other string) error {
	return geotag.FieldErrorf(geotag.ECONFLICT, "report_ids", "report %s is a source of incident %s already; unlink it there first", report, other)
}

// stringMap runs a query of two text columns and returns them as a map.
func stringMap(ctx context.Context, tx pgx.Tx, sql string, args ...any) (map[string]string, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, rows.Err()
}

// getIncident reads an incident (lock: "" or a locking clause).
func getIncident(ctx context.Context, q querier, id, lock string) (*geotag.Incident, error) {
	if !textOK(id) {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "incident %q not found", id)
	}
	var rec []byte
	err := q.QueryRow(ctx, `SELECT record FROM incidents WHERE id = $1`+lock, id).Scan(&rec)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "incident %q not found", id)
	}
	if err != nil {
		return nil, err
	}
	return decodeIncident(rec)
}

// encodeIncident is the incident's record: ETOOLARGE past
// maxIncidentRecord, as in the bbolt store.
func encodeIncident(c *geotag.Incident) ([]byte, error) {
	v, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	if len(v) > maxIncidentRecord {
		return nil, geotag.Errorf(geotag.ETOOLARGE, "incident %s is over %d bytes", c.ID, maxIncidentRecord)
	}
	return v, nil
}

func decodeIncident(v []byte) (*geotag.Incident, error) {
	var inc geotag.Incident
	if err := json.Unmarshal(v, &inc); err != nil {
		return nil, geotag.Errorf(geotag.EINTERNAL, "postgres: decoding an incident: %v", err)
	}
	return &inc, nil
}

// encodeIncidentCursor is the bbolt store's incident cursor: base64url of
// the figures' time key (seconds sign-flipped, nanoseconds; big-endian)
// and the ID.
func encodeIncidentCursor(inc *geotag.Incident) string {
	t := inc.Figures.Time
	b := binary.BigEndian.AppendUint64(nil, uint64(t.Unix())^(1<<63))
	b = binary.BigEndian.AppendUint32(b, uint32(t.Nanosecond()))
	return base64.RawURLEncoding.EncodeToString(append(b, inc.ID...))
}

// incidentCursor decodes a cursor ("": none); EINVALID when malformed.
func incidentCursor(s string) (*pos, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) < 12 || len(b) > 12+64 || strings.ContainsAny(s, "\r\n") ||
		strings.IndexByte(string(b[12:]), 0) >= 0 || !utf8.Valid(b[12:]) {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "cursor", "malformed cursor")
	}
	sec := int64(binary.BigEndian.Uint64(b) ^ (1 << 63))
	nsec := binary.BigEndian.Uint32(b[8:])
	if nsec >= uint32(time.Second) {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "cursor", "malformed cursor")
	}
	return &pos{sec: sec, nsec: int32(nsec), id: string(b[12:])}, nil
}

// textOK reports whether s can be a text parameter (valid UTF-8 without
// NUL); an id that cannot is not found without a query.
func textOK(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}
