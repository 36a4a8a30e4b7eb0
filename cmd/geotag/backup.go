package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/geotag/geotag/store"
)

const backupUsage = `Usage:

	geotag backup [--data DIR] [--wait DURATION] FILE

backup writes a consistent copy of the data directory's store (reports,
indexes and API tokens) to FILE, which must not exist, and syncs it to
disk. The copy is itself a store: to restore, stop the service and put the
copy in place of DIR/geotag.db. "geotag verify" checks either file.

The store is locked while "geotag serve" runs on it, so back up a stopped
service (or one about to stop: --wait waits that long for the lock). The
copy of a store is taken in one read transaction: writes made while it runs
are not in it, and the store is never left half copied.
`

// runBackup copies the store of a data directory to a new file.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, backupUsage); fs.PrintDefaults() }
	data := fs.String("data", "geotag-data", "data `DIR`ectory of the service")
	wait := fs.Duration("wait", time.Second, "how long to wait for the store's lock")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("backup takes one argument: the FILE to write")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	db, err := openExisting(*data, *wait)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Count()
	if err != nil {
		return err
	}
	size, err := db.BackupFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("backup to %s: %w", fs.Arg(0), err)
	}
	fmt.Fprintf(stdout, "wrote %s: %d reports, %d bytes\n", fs.Arg(0), n, size)
	return nil
}

// openExisting opens the store of a data directory that must exist (these
// commands must not create an empty store by mistake).
func openExisting(dir string, wait time.Duration) (*store.DB, error) {
	path := filepath.Join(dir, "geotag.db")
	if _, err := statFile(path); err != nil {
		return nil, fmt.Errorf("no store in %s: %w", dir, err)
	}
	return store.Open(path, &store.Options{Timeout: wait})
}
