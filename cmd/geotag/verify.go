package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
	"github.com/geotag/geotag/store"
)

const verifyUsage = `Usage:

	geotag verify [--data DIR | --file FILE] [--wait DURATION]
	geotag verify --store postgres://…

verify checks a store: bbolt's page-level consistency check, then every
index against the report records. It prints "ok" and the number of reports
for a clean store, else the problems found, and exits with status 1. Run it
on a stopped service's data directory (the store is locked while "geotag
serve" runs on it) or on a backup file. For a PostgreSQL store (--store or
$GEOTAG_STORE) it checks the schema version, that every index exists and is
valid, the report count, the audit sequence and the records of feeds, views,
deliveries and bulk corrections, while servers run, and prints the rows of
each table.
`

// runVerify checks the store of a data directory or a backup file.
func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, verifyUsage); fs.PrintDefaults() }
	data := fs.String("data", "geotag-data", "data `DIR`ectory of the service")
	file := fs.String("file", "", "check this store `FILE` (a backup) instead of DIR/geotag.db")
	wait := fs.Duration("wait", time.Second, "how long to wait for the store's lock")
	storeURL := storeFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errors.New("verify takes no arguments")
	}
	chooseStore(fs, storeURL)
	if err := ctx.Err(); err != nil {
		return err
	}
	if *storeURL != "" && *file == "" {
		return verifyPostgres(ctx, *storeURL, stdout)
	}
	var db *store.DB
	var err error
	if *file != "" {
		if _, err := statFile(*file); err != nil {
			return err
		}
		db, err = store.Open(*file, &store.Options{Timeout: *wait})
	} else {
		db, err = openExisting(*data, *wait)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Verify(); err != nil {
		return err
	}
	n, err := db.Count()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %s, %d reports\n", db.Path(), n)
	return nil
}

// statFile checks that path exists and is a regular file.
func statFile(path string) (os.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a file", path)
	}
	return st, nil
}

// verifyPostgres checks a PostgreSQL store (postgres.DB.Verify).
func verifyPostgres(ctx context.Context, storeURL string, stdout io.Writer) error {
	db, err := openPostgres(ctx, storeURL, geotag.ReportLimits{})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Verify(ctx); err != nil {
		return err
	}
	n, err := db.Count(ctx)
	if err != nil {
		return err
	}
	tables, err := db.Tables(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %s, schema %d, %d reports", redactDSN(storeURL), postgres.SchemaVersion, n)
	for _, tbl := range postgres.ServiceTables() {
		fmt.Fprintf(stdout, ", %d %s", tables[tbl], tbl)
	}
	fmt.Fprintln(stdout)
	return nil
}
