package main

import (
	"context"
	"errors"
	"io"
)

// runPlaces is written by the gazetteer work (issue 3); placeholder until it lands.
func runPlaces(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("places: not built yet")
}
