package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
	"github.com/jackc/pgx/v5"
)

// TestOpenTogether starts several stores on one empty database at once,
// as servers behind a load balancer do: the advisory lock lets one
// migrate while the others wait, and every one opens.
func TestOpenTogether(t *testing.T) {
	dsn := postgres.FreshDSN(t)
	ctx := context.Background()
	const n = 5
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := postgres.Open(ctx, dsn, nil)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.Version(ctx); err != nil || v != postgres.SchemaVersion {
		t.Fatalf("schema version %d (%v), want %d", v, err, postgres.SchemaVersion)
	}
	if err := db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestVerify finds a missing index, a newer schema is refused at Open.
func TestVerify(t *testing.T) {
	dsn := postgres.FreshDSN(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateReport(ctx, &geotag.Report{Title: "one"}); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP INDEX reports_geom`); err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(ctx); err == nil || !strings.Contains(err.Error(), "reports_geom") {
		t.Fatalf("Verify without the GiST index: %v", err)
	}
	if _, err := conn.Exec(ctx, `UPDATE schema_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(ctx, dsn, nil)
	if geotag.ErrorCode(err) != geotag.EUNAVAILABLE {
		t.Fatalf("Open of a newer schema: %v, want EUNAVAILABLE", err)
	}
}

// TestLimits: the report limits apply as in the bbolt store.
func TestLimits(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, postgres.FreshDSN(t), &postgres.Options{Limits: geotag.ReportLimits{MaxTags: 2, MaxReportBytes: 2000}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.CreateReport(ctx, &geotag.Report{Title: "x", Tags: []string{"a", "b", "c"}})
	if geotag.ErrorCode(err) != geotag.EUNPROCESSABLE {
		t.Fatalf("three tags over a limit of two: %v", err)
	}
	err = db.CreateReport(ctx, &geotag.Report{Title: "x", Text: strings.Repeat("long ", 500)})
	if geotag.ErrorCode(err) != geotag.EUNPROCESSABLE {
		t.Fatalf("a record over MaxReportBytes: %v", err)
	}
	err = db.CreateReport(ctx, &geotag.Report{Title: "x", ExternalID: "a\x00b"})
	if geotag.ErrorCode(err) != geotag.EINVALID {
		t.Fatalf("a NUL in the external id: %v", err)
	}
	// NUL in the text is stored and found.
	r := &geotag.Report{Title: "nul", Text: "before\x00after"}
	if err := db.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindReportByID(ctx, r.ID)
	if err != nil || got.Text != r.Text {
		t.Fatalf("text with NUL: %q, %v", got.Text, err)
	}
}

// TestUnavailable: when the server drops the store's connections (a
// restart, a failover), calls fail with EUNAVAILABLE, not as a bug, and
// the pool reconnects for the next ones.
func TestUnavailable(t *testing.T) {
	dsn := postgres.FreshDSN(t)
	ctx := context.Background()
	// The pool names itself, so that only its connections are ended (other
	// tests share the database).
	app := "geotag-test-unavailable-" + strings.ReplaceAll(t.Name(), "/", "-")
	db, err := postgres.Open(ctx, dsn+"&application_name="+app, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.FindReports(ctx, geotag.ReportFilter{}); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n); err != nil || n == 0 {
		t.Fatalf("ended %d connections: %v", n, err)
	}
	_, err = db.FindReports(ctx, geotag.ReportFilter{Status: geotag.StatusReviewed})
	if err != nil && geotag.ErrorCode(err) != geotag.EUNAVAILABLE {
		t.Fatalf("a query on a dropped connection: %v, want EUNAVAILABLE", err)
	}
	if _, err := db.FindReports(ctx, geotag.ReportFilter{}); err != nil {
		t.Fatalf("after the drop: %v", err)
	}
}
