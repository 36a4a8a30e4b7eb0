package postgres

import (
	"context"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// order is the listing order: newest event first, ties by ID.
const order = ` ORDER BY tsec DESC, tnsec DESC, id DESC`

// after adds the keyset condition: strictly below the position p.
func (c *cond) after(p pos) {
	c.and("(tsec, tnsec, id) < (" + c.arg(p.sec) + ", " + c.arg(p.nsec) + ", " + c.arg(p.id) + ")")
}

// FindReports returns one page of the reports matching f, newest event
// time first (ties by ID, newest first), with the total number of matches:
// exact up to TotalCap, else TotalCap with TotalCapped set (the filter
// selecting everything is counted exactly, from the report count). Limit
// 0 means DefaultLimit; larger than MaxLimit means MaxLimit. Next is the
// cursor of the following page, "" on the last one; a cursor is a
// position, not an offset, so pages neither skip nor repeat reports while
// others are added or deleted. It returns EINVALID for a negative limit,
// an unknown status, an invalid bbox or a malformed cursor.
func (db *DB) FindReports(ctx context.Context, f geotag.ReportFilter) (geotag.ReportPage, error) {
	return db.findReports(ctx, f, true)
}

// PageReports is FindReports without the count (Total is 0), so that a
// deep page costs only its own reports.
func (db *DB) PageReports(ctx context.Context, f geotag.ReportFilter) (geotag.ReportPage, error) {
	return db.findReports(ctx, f, false)
}

func (db *DB) findReports(ctx context.Context, f geotag.ReportFilter, total bool) (geotag.ReportPage, error) {
	var reports []*geotag.Report
	page, err := db.findPage(ctx, f, total, func(*cond) string { return "record" }, func(rows pgx.Rows) (pos, error) {
		r, err := scanRecord(rows, decodeRecord)
		if err != nil {
			return pos{}, err
		}
		reports = append(reports, r)
		return posOf(r), nil
	})
	if err != nil {
		return geotag.ReportPage{}, err
	}
	page.Reports = reports
	if page.Reports == nil {
		page.Reports = []*geotag.Report{}
	}
	return page, nil
}

// findPage reads one page of f's matches, the columns cols selects (it may
// add arguments to the query's condition) read by scan, which returns the
// row's position; it fills in the cursor and the total, not Reports.
func (db *DB) findPage(ctx context.Context, f geotag.ReportFilter, total bool, cols func(q *cond) string, scan func(pgx.Rows) (pos, error)) (_ geotag.ReportPage, err error) {
	defer unavailable(&err)
	c, err := compile(f)
	if err != nil {
		return geotag.ReportPage{}, err
	}
	var page geotag.ReportPage
	limit := f.Limit
	if limit == 0 {
		limit = DefaultLimit
	} else if limit > MaxLimit {
		limit = MaxLimit
	}
	q := c.clone()
	if f.Cursor != "" {
		p, err := decodeCursor(f.Cursor)
		if err != nil {
			return geotag.ReportPage{}, err
		}
		q.after(p)
	}
	// The count is read with the page, in its statement, unless the
	// report count or the cell-day counts may answer it.
	counted := total && !emptyFilter(f) && !(c.onlyBoxTime && dayAligned(f))
	count := -1
	n, more := 0, false
	var last pos
	err = db.pageRows(ctx, c, q, cols(q), limit+1, counted, &count, func(rows pgx.Rows) error {
		if n == limit {
			more = true
			return nil
		}
		n++
		var err error
		last, err = scan(rows)
		return err
	})
	if err != nil {
		return geotag.ReportPage{}, err
	}
	if more {
		page.Next = encodeCursor(last)
	}
	switch {
	case !total:
	case emptyFilter(f):
		page.Total, err = db.Count(ctx)
	case f.Cursor == "" && !more:
		page.Total = n
	case count >= 0:
		page.Total, page.TotalCapped = min(count, TotalCap), count > TotalCap
	default:
		var dense bool
		if dense, err = db.cellTotal(ctx, c, TotalCap); dense {
			page.Total, page.TotalCapped = TotalCap, true
		} else if err == nil {
			page.Total, page.TotalCapped, err = db.countCapped(ctx, c, TotalCap)
		}
	}
	if err != nil {
		return geotag.ReportPage{}, err
	}
	return page, nil
}

// countCapped counts c's matches up to limit: more than limit gives limit
// and capped.
func (db *DB) countCapped(ctx context.Context, c *cond, limit int) (n int, capped bool, err error) {
	q := c.clone()
	lim := q.arg(limit + 1)
	err = db.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM reports WHERE `+q.sql()+` LIMIT `+lim+`) m`, q.args...).Scan(&n)
	if n > limit {
		return limit, true, err
	}
	return n, false, err
}

// pageRows calls fn on each of the first limit matches of q in order,
// the columns cols selects, in one statement. A filter by bbox and time
// only finds the positions of its matches first, on indexes that hold
// them (reports_pos_cover, reports_lonlat), then the page's rows by
// primary key, so that only those are read from the heap; others read
// the rows they test (a place, a tag, a text…) once. With counted, the
// statement also counts c's matches up to TotalCap+1 into *count (left
// alone when the page is empty); q is c with conditions added, its
// arguments c's and more.
func (db *DB) pageRows(ctx context.Context, c, q *cond, cols string, limit int, counted bool, count *int, fn func(pgx.Rows) error) error {
	lim := q.arg(limit)
	sel := ""
	if counted {
		sel = `(SELECT count(*) FROM (SELECT 1 FROM reports WHERE ` + c.sql() + ` LIMIT ` + q.arg(TotalCap+1) + `) m), `
	}
	sql := `SELECT ` + sel + cols + ` FROM reports WHERE ` + q.sql() + order + ` LIMIT ` + lim
	if c.onlyBoxTime {
		sql = `WITH p (ps, pn, pid) AS (SELECT tsec, tnsec, id FROM reports WHERE ` + q.sql() + order + ` LIMIT ` + lim + `)
		SELECT ` + sel + cols + ` FROM p JOIN reports ON reports.id = p.pid ORDER BY ps DESC, pn DESC, pid DESC`
	}
	rows, err := db.pool.Query(ctx, sql, q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := rows
		if counted {
			r = countedRows{rows, count}
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// countedRows are rows whose first column is a count, read into n by
// every Scan before the columns the caller asks for.
type countedRows struct {
	pgx.Rows
	n *int
}

func (r countedRows) Scan(dest ...any) error {
	return r.Rows.Scan(append([]any{r.n}, dest...)...)
}

// eachRow calls fn on each of the first limit matches of q in order, the
// columns cols selects, as the rows arrive.
func (db *DB) eachRow(ctx context.Context, q *cond, cols string, limit int, fn func(pgx.Rows) error) error {
	rows, err := db.pool.Query(ctx, `SELECT `+cols+` FROM reports WHERE `+q.sql()+order+` LIMIT `+q.arg(limit), q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanRecord reads a row of one record column and decodes it.
func scanRecord(rows pgx.Rows, decode func([]byte) (*geotag.Report, error)) (*geotag.Report, error) {
	var rec []byte
	if err := rows.Scan(&rec); err != nil {
		return nil, err
	}
	return decode(rec)
}

// SkipReports passes over the first n reports matching f, newest first,
// from f.Cursor's position when it is set, and returns the cursor of the
// position after them with the number passed over: fewer than n when the
// matches ran out, and then the cursor is "". It reads positions only.
// It returns EINVALID as FindReports does, or ctx's error.
func (db *DB) SkipReports(ctx context.Context, f geotag.ReportFilter, n int) (_ string, _ int, err error) {
	defer unavailable(&err)
	if n <= 0 {
		return f.Cursor, 0, ctx.Err()
	}
	c, err := compile(f)
	if err != nil {
		return "", 0, err
	}
	if f.Cursor != "" {
		p, err := decodeCursor(f.Cursor)
		if err != nil {
			return "", 0, err
		}
		c.after(p)
	}
	var p pos
	var skipped int
	err = db.pool.QueryRow(ctx, `SELECT count(*) OVER (), tsec, tnsec, id FROM (SELECT tsec, tnsec, id FROM reports WHERE `+
		c.sql()+order+` LIMIT `+c.arg(n)+`) s ORDER BY tsec, tnsec, id LIMIT 1`, c.args...).Scan(&skipped, &p.sec, &p.nsec, &p.id)
	if err == pgx.ErrNoRows {
		return "", 0, nil
	}
	if err != nil {
		return "", 0, err
	}
	if skipped < n {
		return "", skipped, nil
	}
	return encodeCursor(p), skipped, nil
}
