package postgres_test

import (
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/internal/storetest"
	"github.com/geotag/geotag/postgres"
)

// TestContract runs the behaviour every report service backend shares
// (internal/storetest) on PostgreSQL.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) geotag.ReportService { return postgres.OpenFresh(t) })
}

func TestContractTokens(t *testing.T) {
	storetest.RunTokens(t, func(t *testing.T) geotag.TokenService { return postgres.OpenFresh(t) })
}

// TestContractServices runs the contract of feeds, views, webhooks, bulks
// and the audit log on PostgreSQL.
func TestContractServices(t *testing.T) {
	storetest.RunServices(t, func(t *testing.T) storetest.Services { return postgres.OpenFresh(t) })
}
