package main

import (
	"context"
	"errors"
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
// over the environment); "" means bbolt. Both flags at once are refused.
func chooseStore(fs *flag.FlagSet, storeURL *string) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case set["store"] && set["data"]:
		return errors.New("give --data (bbolt) or --store (PostgreSQL), not both")
	case set["data"]:
		*storeURL = ""
	}
	return nil
}

// openPostgres opens the PostgreSQL store named by --store, migrating its
// schema. It refuses a value that is not a postgres:// URL.
func openPostgres(ctx context.Context, dsn string, limits geotag.ReportLimits) (*postgres.DB, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return nil, fmt.Errorf("--store must be a postgres:// URL (the bbolt store is chosen with --data), not %q", redactDSN(dsn))
	}
	return postgres.Open(ctx, dsn, &postgres.Options{Limits: limits})
}

// redactDSN is the store URL without its password, for messages and logs.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return "postgres"
	}
	return u.Redacted()
}
