package store_test

import (
	"path/filepath"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/internal/storetest"
	"github.com/geotag/geotag/store"
)

// openContract opens an empty store in a temporary directory.
func openContract(t *testing.T) *store.DB {
	db, err := store.Open(filepath.Join(t.TempDir(), "geotag.db"), &store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestContract runs the behaviour every report service backend shares
// (internal/storetest) on bbolt.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) geotag.ReportService { return openContract(t) })
}

func TestContractTokens(t *testing.T) {
	storetest.RunTokens(t, func(t *testing.T) geotag.TokenService { return openContract(t) })
}

// TestContractServices runs the contract of feeds, views, webhooks, bulks
// and the audit log on bbolt.
func TestContractServices(t *testing.T) {
	storetest.RunServices(t, func(t *testing.T) storetest.Services { return openContract(t) })
}
