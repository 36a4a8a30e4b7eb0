package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/geotag/geotag/internal/pgtest"
)

// TestStoreCompare runs the side-by-side benchmark on a small store and an
// empty schema of GEOTAG_TEST_POSTGRES: every figure has both columns. It
// fails without the database under CI=true and is skipped otherwise.
func TestStoreCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a few thousand reports twice")
	}
	dsn := pgtest.FreshDSN(t, "bench")
	ctx := context.Background()

	var out, errb bytes.Buffer
	err := run(ctx, []string{"store", "--reports", "2000", "--queries", "3", "-q", "--dir", t.TempDir(), "--store", dsn}, &out, &errb)
	if err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	for _, want := range []string{"bbox+time page of 1,000 with total p50", "cells world, zoom 2 p50", "histogram region, 200 bins p50",
		"CreateReport p50", "export, EachReport"} {
		line := ""
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.Contains(l, want) {
				line = l
			}
		}
		if strings.Count(line, " ms")+strings.Count(line, "features/s") != 2 {
			t.Errorf("figure %q lacks a column: %q", want, line)
		}
	}
}
