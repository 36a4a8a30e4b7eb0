// Package postgres keeps reports and tokens in PostgreSQL with PostGIS, so
// that several geotag servers can share one database (and its replicas,
// backups and SQL clients). It implements geotag.ReportService and
// geotag.TokenService, and the feeds, views, webhook log, audit log and
// bulk log the server uses, with the same outcomes as the bbolt store; the
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
//	feature, feature_full the map's and the export's GeoJSON Feature, made with the
//	feature_ver           row by the encoder whose fingerprint is feature_ver (feature.go)
//
// The record and the features are kept in the row (STORAGE MAIN), not in
// TOAST, so that pages and exports read heap pages only.
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
// # Besides reports and tokens
//
// Migration 2 adds what the bbolt store keeps beside reports, each thing
// its JSON (record) and the columns it is found by: feeds (url unique) and
// feed_items (by feed and the first 16 bytes of the SHA-256 of the item's
// key, as the bbolt store keys them; ON DELETE CASCADE), views (with the
// webhook's secret), webhook_deliveries (the newest MaxDeliveries), audit
// (by a sequence, audit_seq; insertAudit writes an entry in the
// transaction of the desk's change), bulk_jobs. Every read-modify-write
// (UpdateFeed, UpdateView, UpdateDelivery, UpdateReports) locks its row
// (FOR UPDATE); CreateView counts the views under an advisory lock. leases
// (lease.go, geotag.Claimer) give a feed's poll or a view's webhook to one
// server at a time: a row with its holder and the time it lapses on the
// database's clock, taken by one INSERT … ON CONFLICT … WHERE lapsed, so a
// lease holds no connection and a dead server's lapses.
//
// # The desk
//
// The store is also geotag.IncidentService, RuleService, DeskPlaceService,
// and EventHistogrammer, with the bbolt store's outcomes (the
// contracts RunIncidents, RunDesk and RunEventHistogram). incidents holds
// each incident as json with its figures' time (btree, newest first);
// incident_sources maps a report to its incident, its primary key keeping
// a report one incident's source when servers link it at once; the added
// reports are locked FOR KEY SHARE until the link commits, so none is
// deleted meanwhile. rules and desk_places hold the desk's rules and
// places, the audit table (migration 2) the log of their changes, written
// in the change's transaction. Migration 3 adds these. Every rule or desk place write first moves desk_changes'
// count (its row lock makes those writes take turns, so MaxRules and
// MaxDeskPlaces hold across servers, desk place ids come from its
// place_seq and are never reused, and audit entries are numbered in commit
// order); DeskVersion reads it, and serve polls it to reload the tagger of
// every server when another changed the desk.
//
// # Queries
//
// FindReports is one ordered index walk with LIMIT page+1 and a keyset
// condition on the position (cursors are the bbolt store's: base64 of the
// 12-byte time and the 16-byte ULID); totals count at most TotalCap+1 rows,
// or none when the cell-day counts show more than TotalCap inside a view
// of bbox and whole days (total.go). FindFeatures and EachFeature send the
// stored features; Import copies each batch into a temporary table (COPY)
// and inserts from it in one statement.
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
