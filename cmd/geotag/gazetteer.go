package main

import (
	"context"
	"errors"
	"io"
)

// runGazetteer is written by the gazetteer work (issue 3); placeholder until it lands.
func runGazetteer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("gazetteer: not built yet")
}
