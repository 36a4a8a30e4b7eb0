// Package pgtest gives tests an empty schema of the test PostgreSQL
// database: GEOTAG_TEST_POSTGRES, which scripts/pg.sh starts and
// scripts/test.sh exports. Without it a test fails under CI=true or when
// GEOTAG_REQUIRE_POSTGRES=1 (scripts/test.sh sets it: the whole suite must
// run the PostgreSQL tests) and is skipped otherwise (a quick go test).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// DSN is the test database's DSN, failing or skipping t without one.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("GEOTAG_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" || os.Getenv("GEOTAG_REQUIRE_POSTGRES") == "1" {
			t.Fatal("GEOTAG_TEST_POSTGRES is not set: start a cluster with scripts/pg.sh (scripts/test.sh does)")
		}
		t.Skip("GEOTAG_TEST_POSTGRES is not set (scripts/pg.sh starts a throwaway PostgreSQL)")
	}
	return dsn
}

// FreshDSN creates an empty schema (its name starting with prefix) in the
// test database and returns a DSN whose search_path puts it first (PostGIS
// stays in public), dropping the schema when the test ends.
func FreshDSN(t testing.TB, prefix string) string {
	t.Helper()
	dsn := DSN(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := prefix + "_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		conn.Close(ctx)
		t.Fatal(err)
	}
	conn.Close(ctx)
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	return WithParam(dsn, "search_path", schema+",public")
}

// WithParam adds a run-time parameter to a URL or key=value DSN.
func WithParam(dsn, k, v string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if u, err := url.Parse(dsn); err == nil {
			q := u.Query()
			q.Set(k, v)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " " + k + "='" + v + "'"
}
