// Package store keeps reports in one bbolt file and answers the map's
// queries from indexes kept in the same file.
//
// # Layout
//
// Every report is one record in the "reports" bucket, keyed by its 16-byte
// ULID (the report ID in binary: a millisecond timestamp and 80 random bits,
// so new reports append at the end of the B+tree, which is what bbolt writes
// fastest). Records use a compact hand-written binary encoding (codec.go):
// one allocation for all of a report's strings, several times faster to
// decode than JSON, which is what makes million-report exports fast.
//
// Indexes are separate buckets whose keys end in the report's position —
// event time (12 bytes, sortable) then ID — so every index lists reports in
// the order queries return them, newest event first, and a position is also
// the pagination cursor:
//
//	ix_time    position                          → entry
//	ix_cell    level, cell, position             → entry (levels 4, 8, 12 of a lat/lon grid)
//	ix_place   geonameid, position               → entry (every resolved mention and the main location)
//	ix_status  status, 0, position               → entry
//	ix_tag     lower-cased tag, 0, position      → entry
//	ix_ext     external id                       → report ID
//	ix_event   event type code, position         → entry, fatalities (event.go; reports with an event coded)
//	ix_actor   lower-cased actor name, 0, position → entry
//
// One more bucket holds counts rather than entries, for the map's dense
// views (cellday.go):
//
//	ag_cellday level, cell, 0, day           → count, Σlat, Σlon
//	ag_cellday level, cell, 1, day/32        → the same per 32-day block
//
// Cells answers a view of at least 10,000 reports (cellCountMin) at zoom ≤ 9, filtered by
// bbox and UTC-midnight time bounds only, from these: whole cells of the
// view read one key per block (and per day at the window's ends), cells on
// the bbox's edge are walked on ix_cell, so counts equal the walk's and
// means do up to the rounding of the sums. Histogram still walks: its bins are powers of two minutes
// anchored at the newest match, which day counts cannot give.
//
// An entry is 17 bytes: flags (located, reviewed) and the main location's
// latitude and longitude, so that bbox, time and status filters run on index
// keys alone without decoding reports. Every write updates the record and
// all its index keys in one transaction; Verify checks them against the
// records.
//
// # Queries
//
// A query walks one index backwards (newest first) between the time window's
// bounds: the place or tag index when the filter names one, else the cell
// index when there is a bbox (the covering cells of the finest level that
// needs at most 256 of them, merged by position with a heap), else the
// status or time index. Other conditions are checked on each entry, or on
// the decoded report for place, tag and text.
//
// # Why a cell index and not a quadtree
//
// The alternative the issue proposed, an orb quadtree of every located
// report rebuilt at open, was measured by `go run ./bench store` on a
// million reports: it needs a full read of the store at every start (5 s
// on an idle 2-CPU machine, 45 s on a busy one), about 120 MB of heap, and
// its bbox+time queries were about 5× slower than the cell index's (p50
// 14.6 ms against 2.9 ms, run interleaved), because a quadtree returns every point in the box
// whatever its time, to be filtered and sorted afterwards. The cell index
// keeps each cell's keys in time order, so a query seeks straight to its
// time window in each covering cell and stops after one page; it costs no
// memory and no start-up time, and it is updated in the same transaction
// as the record, so it is never stale after a crash.
//
// # Limits
//
// Every write checks the report against Options.Limits
// (geotag.ReportLimits: text, tags, tag bytes, mentions, alternatives;
// EUNPROCESSABLE over one), trims its history (the newest revisions, an
// approximate byte budget) and refuses a record over MaxReportBytes, so a
// record, and so every read and answer of it, stays bounded. Tags and
// places are de-duplicated with sets and a report's index keys are put in
// key order, so a write costs linear time in the report's size.
//
// # Durability
//
// Each CreateReport, UpdateReport and DeleteReport is committed in an
// fsynced bbolt transaction before it returns: when it returns nil the
// change survives a crash or power loss. Concurrent writes share one
// transaction and one fsync (group commit with bbolt's DB.Batch, waiting
// at most Options.BatchDelay for company), so writers do not queue for an
// fsync each; Options.NoBatch restores one transaction per write. Import writes in large transactions. Open waits at most
// Options.Timeout for the file lock and then fails with EUNAVAILABLE.
package store
