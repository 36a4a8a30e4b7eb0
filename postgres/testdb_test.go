package postgres

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

// OpenFresh opens a store in an empty schema of the test database, for
// the external tests.
var OpenFresh = openFresh

// FreshDSN is freshDSN, for the external tests.
var FreshDSN = freshDSN

// testDSN is the database the tests use: GEOTAG_TEST_POSTGRES (scripts/pg.sh
// starts a throwaway cluster and prints it). Without it the tests fail
// under CI=true and are skipped otherwise.
func testDSN(t testing.TB) string {
	dsn := os.Getenv("GEOTAG_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("GEOTAG_TEST_POSTGRES is not set: start a cluster with scripts/pg.sh (scripts/test.sh does)")
		}
		t.Skip("GEOTAG_TEST_POSTGRES is not set (scripts/pg.sh starts a throwaway PostgreSQL)")
	}
	return dsn
}

// freshDSN creates an empty schema in the test database and returns a DSN
// whose search_path puts it first (PostGIS stays in public), dropping the
// schema when the test ends.
func freshDSN(t testing.TB) string {
	dsn := testDSN(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
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
	return withParam(dsn, "search_path", schema+",public")
}

// withParam adds a run-time parameter to a URL or key=value DSN.
func withParam(dsn, k, v string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			q.Set(k, v)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " " + k + "='" + v + "'"
}

func openFresh(t testing.TB) *DB {
	db, err := Open(context.Background(), freshDSN(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
