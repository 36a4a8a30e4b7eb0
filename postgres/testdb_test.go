package postgres

import (
	"context"
	"testing"

	"github.com/geotag/geotag/internal/pgtest"
)

// OpenFresh opens a store in an empty schema of the test database, for
// the external tests.
var OpenFresh = openFresh

// FreshDSN is freshDSN, for the external tests.
var FreshDSN = freshDSN

// freshDSN is an empty schema of the test database (internal/pgtest).
func freshDSN(t testing.TB) string { return pgtest.FreshDSN(t, "t") }

func openFresh(t testing.TB) *DB {
	db, err := Open(context.Background(), freshDSN(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
