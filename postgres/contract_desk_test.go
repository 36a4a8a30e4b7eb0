package postgres_test

import (
	"testing"

	"github.com/geotag/geotag/internal/storetest"
	"github.com/geotag/geotag/postgres"
)

// The incident, desk and split histogram contracts (internal/storetest)
// on PostgreSQL.
func TestContractIncidents(t *testing.T) {
	storetest.RunIncidents(t, func(t *testing.T) storetest.IncidentStore { return postgres.OpenFresh(t) })
}

func TestContractDesk(t *testing.T) {
	storetest.RunDesk(t, func(t *testing.T) storetest.DeskStore { return postgres.OpenFresh(t) })
}

func TestContractEventHistogram(t *testing.T) {
	storetest.RunEventHistogram(t, func(t *testing.T) storetest.EventStore { return postgres.OpenFresh(t) })
}

func BenchmarkIncidents(b *testing.B) {
	storetest.BenchIncidents(b, func(b *testing.B) storetest.IncidentStore { return postgres.OpenFresh(b) })
}
