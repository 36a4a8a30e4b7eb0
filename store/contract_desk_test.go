package store_test

import (
	"testing"

	"github.com/geotag/geotag/internal/storetest"
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
