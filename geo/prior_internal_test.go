package geo

import (
	"testing"

	"github.com/geotag/geotag"
)

// A county seat is no reason for a hamlet to beat a town ten times its
// size: among thousands of seats below the first level many are hamlets.
func TestPriorSeatBelowFirstLevel(t *testing.T) {
	seat := geotag.Place{ID: 1, Name: "Fixtureville", Feature: "P.PPLA2", Country: "US", Population: 5000}
	town := geotag.Place{ID: 2, Name: "Fixtureville", Feature: "P.PPL", Country: "US", Population: 60000}
	if prior(seat, 0) >= prior(town, 0) {
		t.Errorf("a seat of 5,000 (%.2f) outranks a town of 60,000 (%.2f)", prior(seat, 0), prior(town, 0))
	}
	// Between namesakes of a similar size the seat still comes first.
	seat.Population = 40000
	if prior(seat, 0) <= prior(town, 0) {
		t.Errorf("a seat of 40,000 (%.2f) no longer outranks a town of 60,000 (%.2f)", prior(seat, 0), prior(town, 0))
	}
	capital := geotag.Place{ID: 3, Name: "Fixtureville", Feature: "P.PPLA", Country: "US", Population: 40000}
	if prior(capital, 0) <= prior(seat, 0) {
		t.Error("a first-level capital should outrank a county seat of its size")
	}
}
