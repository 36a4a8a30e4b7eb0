// Package postgres keeps reports and tokens in PostgreSQL with PostGIS, so
// that several geotag servers can share one database (and its replicas,
// backups and SQL clients). It implements geotag.ReportService and
// geotag.TokenService with the same outcomes as the bbolt store; the
// contract tests in internal/storetest run against both.
//
// # Why pgx
//
// github.com/jackc/pgx/v5 is the maintained native PostgreSQL driver for
// Go: binary protocol, a connection pool (pgxpool) and arrays without the
// database/sql layer. It is the only package that imports it.
//
// # Layout
//
// Migrations (schema.go) are an ordered list applied at Open in one
// transaction holding a transaction-scoped advisory lock, so servers that
// start together apply each migration once; schema_version records the
// last one. One row per report in reports: the whole report as json
// (record, the API's JSON of geotag.Report with its history, trimmed by
// the limits as the bbolt store trims it; json rather than jsonb, which
// cannot hold the NUL a text may contain, and which would reparse every
// record) and the columns the filters run on:
//
//	tsec, tnsec, id       the position: event time (seconds, nanoseconds) and ID;
//	                      btree (tsec DESC, tnsec DESC, id DESC) for pages and windows
//	time                  the event time as timestamptz, BRIN, for SQL clients
//	lat, lon, geom        the main location; geometry(Point,4326) with GiST
//	status                btree (status, position)
//	tags, actors          lower-cased text[], GIN
//	places                bigint[] of resolved mentions' and the location's geonameids, GIN
//	event_code, fatalities  geotag.EventTypeCode and the count, btree
//	precision_class       geotag.PrecisionClass of the location, generated from the record
//	title_lc, text_lc     lower-cased (by Go, as the bbolt store compares) with trigram GIN
//	external_id           unique
//
// report_tags (tag, position) lists the tags for Tags' prefix listing;
// cellday holds located reports' counts, position sums and counts by
// precision class (p1…p3) and event type code (e0…e6) per grid cell
// (levels 6, 9 and 12 of a 2^level-column lat/lon grid) and per UTC day,
// 32-day block and all time, as the bbolt store's ag_cellday does; counts
// holds the number of reports, spread over 16 rows by report ID. Every write changes the report's row, its
// report_tags rows, its cellday rows and the count in one transaction, so
// the aggregates are never stale. Writes lock rows in one order (the report,
// then cellday rows sorted by key, then the count), so concurrent writers
// wait for each other instead of deadlocking.
//
// # Queries
//
// FindReports is one ordered index walk with LIMIT page+1 and a keyset
// condition on the position (cursors are the bbolt store's: base64 of the
// 12-byte time and the 16-byte ULID); totals count at most TotalCap+1 rows.
// Cells and Histogram of a view filtered by bbox and whole-day time bounds
// only read cellday for the grid cells wholly inside the bbox; when those
// hold at least cellCountMin reports (a dense view) the reports in the
// strips along the bbox's edges are added from the reports table, else the
// view's matches are grouped in SQL, as other views' are. EachReport pages through the
// matches by keyset in chunks, each its own short query, calling fn
// outside any transaction, so a slow export holds no connection.
//
// # Backups
//
// The database is backed up with PostgreSQL's tools (pg_dump, or base
// backups and WAL archiving); the store is not a snapshotter.
package postgres
