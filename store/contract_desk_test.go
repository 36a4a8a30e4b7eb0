package store_test

import (
	"path/filepath"
	"testing"

	"github.com/geotag/geotag/internal/storetest"
	"github.com/geotag/geotag/store"
)

// The incident, desk and split histogram contracts (internal/storetest)
// on bbolt.
func TestContractIncidents(t *testing.T) {
	storetest.RunIncidents(t, func(t *testing.T) storetest.IncidentStore { return openContract(t) })
}

func TestContractDesk(t *testing.T) {
	storetest.RunDesk(t, func(t *testing.T) storetest.DeskStore { return openContract(t) })
}

func TestContractEventHistogram(t *testing.T) {
	storetest.RunEventHistogram(t, func(t *testing.T) storetest.EventStore { return openContract(t) })
}

func BenchmarkIncidents(b *testing.B) {
	storetest.BenchIncidents(b, func(b *testing.B) storetest.IncidentStore {
		db, err := store.Open(filepath.Join(b.TempDir(), "geotag.db"), &store.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}
