package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestStoreCompare runs the side-by-side benchmark on a small store and an
// empty schema of GEOTAG_TEST_POSTGRES: every figure has both columns. It
// fails without the database under CI=true and is skipped otherwise.
func TestStoreCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a few thousand reports twice")
	}
	dsn := os.Getenv("GEOTAG_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("GEOTAG_TEST_POSTGRES is not set: start a cluster with scripts/pg.sh (scripts/test.sh does)")
		}
		t.Skip("GEOTAG_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	schema := "bench_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()

	var out, errb bytes.Buffer
	err = run(ctx, []string{"store", "--reports", "2000", "--queries", "3", "-q", "--dir", t.TempDir(), "--store", u.String()}, &out, &errb)
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
