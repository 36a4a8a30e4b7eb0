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

// TestLoadTwoServersPostgres runs the load benchmark briefly against two
// geotag serve processes on one PostgreSQL schema: every kind of request
// answers without a 5xx, and no acknowledged write is lost.
func TestLoadTwoServersPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds geotag and starts two servers")
	}
	dsn := pgtest.FreshDSN(t, "load")
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"load", "--store", dsn, "--servers", "2", "--reports", "300", "--seconds", "4",
		"--clients", "6", "--think", "20ms", "--mix", "map=3,cells=2,histogram=1,create=2", "--dir", t.TempDir()}, &out, &errb)
	if err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	s := out.String()
	for _, want := range []string{"against 2 server(s)", "5xx: 0 (met); lost writes: 0 (met)"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	for _, kind := range []string{"map", "cells", "histogram", "create"} {
		if !strings.Contains(s, "\n"+kind+" ") {
			t.Errorf("no %s row:\n%s", kind, s)
		}
	}
}
