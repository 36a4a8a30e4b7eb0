package postgres

import (
	"context"
	"fmt"
)

// serviceTables are the tables of migration 2, in the order Verify and
// Tables report them.
var serviceTables = []string{"feeds", "feed_items", "views", "webhook_deliveries", "audit", "bulk_jobs"}

// verifyServices checks what the indexes cannot: that the audit sequence
// is past every entry (else the next desk change would fail), that every
// view and delivery record names its row's id, and that the delivery log
// is within MaxDeliveries.
func (db *DB) verifyServices(ctx context.Context) ([]error, error) {
	var errs []error
	var seq, maxSeq int64
	var called bool
	err := db.pool.QueryRow(ctx, `SELECT last_value, is_called, (SELECT coalesce(max(seq), 0) FROM audit) FROM audit_seq`).Scan(&seq, &called, &maxSeq)
	if err != nil {
		return nil, err
	}
	if !called {
		seq = 0
	}
	if seq < maxSeq {
		errs = append(errs, fmt.Errorf("the audit sequence is at %d, behind entry %d: SELECT setval('audit_seq', %d)", seq, maxSeq, maxSeq))
	}
	for _, tbl := range []string{"feeds", "views", "webhook_deliveries", "bulk_jobs"} {
		var bad int64
		if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM `+tbl+` WHERE record->>'id' IS DISTINCT FROM id`).Scan(&bad); err != nil {
			return nil, err
		}
		if bad > 0 {
			errs = append(errs, fmt.Errorf("%s: %d records do not name their row's id", tbl, bad))
		}
	}
	var n int64
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM webhook_deliveries`).Scan(&n); err != nil {
		return nil, err
	}
	if n > MaxDeliveries {
		errs = append(errs, fmt.Errorf("the delivery log holds %d deliveries, over %d", n, MaxDeliveries))
	}
	return errs, nil
}

// Tables returns the rows of each table besides reports and tokens
// (feeds, feed_items, views, webhook_deliveries, audit, bulk_jobs), for
// geotag verify.
func (db *DB) Tables(ctx context.Context) (map[string]int64, error) {
	out := make(map[string]int64, len(serviceTables))
	for _, tbl := range serviceTables {
		var n int64
		if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM `+tbl).Scan(&n); err != nil {
			return nil, err
		}
		out[tbl] = n
	}
	return out, nil
}

// ServiceTables lists the tables Tables counts, in order.
func ServiceTables() []string { return append([]string(nil), serviceTables...) }
