package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
)

// storeFlag defines --store on fs: a PostgreSQL store's URL, default the
// environment's GEOTAG_STORE; empty means the bbolt store in --data.
func storeFlag(fs *flag.FlagSet) *string {
	return fs.String("store", os.Getenv("GEOTAG_STORE"),
		"a PostgreSQL store's `URL` (postgres://user@host/db; PostGIS and pg_trgm must be available), instead of the bbolt store in --data; default $GEOTAG_STORE")
}

// chooseStore settles the store URL after fs is parsed: --store, or
// GEOTAG_STORE unless --data was given (an explicit bbolt directory wins
// over the environment, an explicit --store over --data, which serve then
// uses only for the admin token file); "" means bbolt.
func chooseStore(fs *flag.FlagSet, storeURL *string) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["data"] && !set["store"] {
		*storeURL = ""
	}
}

// openPostgres opens the PostgreSQL store named by --store, migrating its
// schema. It refuses a value that is not a postgres:// URL.
func openPostgres(ctx context.Context, dsn string, limits geotag.ReportLimits) (*postgres.DB, error) {
	return openPostgresWith(ctx, dsn, postgres.Options{Limits: limits})
}

// openPostgresWith is openPostgres with all of the store's options.
func openPostgresWith(ctx context.Context, dsn string, opts postgres.Options) (*postgres.DB, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return nil, fmt.Errorf("--store must be a postgres:// URL (the bbolt store is chosen with --data), not %q", redactDSN(dsn))
	}
	return postgres.Open(ctx, dsn, &opts)
}

// redactDSN is the store URL without its password, for messages and logs.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return "postgres"
	}
	return u.Redacted()
}
