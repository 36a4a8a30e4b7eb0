package main

import (
	"context"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/geotag/geotag/internal/pgtest"
	"github.com/geotag/geotag/postgres"
)

// TestServeStoreMaxConns: serve's pool is --store-max-conns connections,
// else the URL's pool_max_conns, else postgres.DefaultMaxConns, and the
// start-up line says how many; a negative count is refused.
func TestServeStoreMaxConns(t *testing.T) {
	storeURL := pgTestStore(t)
	ctx := context.Background()
	for _, c := range []struct {
		args []string
		want int32
	}{
		{[]string{"--store", storeURL}, postgres.DefaultMaxConns},
		{[]string{"--store", pgtest.WithParam(storeURL, "pool_max_conns", "5")}, 5},
		{[]string{"--store", pgtest.WithParam(storeURL, "pool_max_conns", "5"), "--store-max-conns", "3"}, 3},
		{[]string{"--store", storeURL, "--store-max-conns", "40"}, 40},
		{[]string{"--store", storeURL, "--store-max-conns", "-1"}, 0},
	} {
		var f serveFlags
		f.define(io.Discard)
		if err := f.fs.Parse(append(c.args, "--data", t.TempDir())); err != nil {
			t.Fatal(err)
		}
		db, where, _, err := openServeStore(ctx, &f)
		if c.want == 0 {
			if err == nil || !strings.Contains(err.Error(), "--store-max-conns") {
				t.Errorf("%v: %v, want --store-max-conns refused", c.args[2:], err)
			}
			if db != nil {
				db.Close()
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got := db.(*postgres.DB).MaxConns()
		db.Close()
		if got != c.want || !strings.Contains(where, "at most "+strconv.Itoa(int(c.want))+" connections") {
			t.Errorf("%v: a pool of %d (%q), want %d", c.args[2:], got, where, c.want)
		}
	}
}
