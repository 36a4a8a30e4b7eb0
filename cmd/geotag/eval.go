package main

import (
	"context"
	"errors"
	"io"
)

// runEval is written by the geo work (issue 4); placeholder until it lands.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("eval: not built yet")
}
