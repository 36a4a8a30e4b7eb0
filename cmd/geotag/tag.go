package main

import (
	"context"
	"errors"
	"io"
)

// runTag is written by the geo work (issue 4); this placeholder keeps the
// command compiling until it lands.
func runTag(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return errors.New("tag: not built yet")
}
