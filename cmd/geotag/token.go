package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

const tokenUsage = `Usage:

	geotag token create --data DIR --name NAME [--read-only | --admin]
	geotag token list   --data DIR
	geotag token revoke --data DIR ID

or, for a PostgreSQL store, --store postgres://… (or $GEOTAG_STORE) instead
of --data (no lock: tokens can be managed while servers run).

create prints a new bearer token; it is stored hashed and cannot be shown
again. Read-only tokens may read when reads need a token, never write;
admin tokens may also manage tokens. The store is locked while "geotag
serve" runs on it: stop the service (or wait for the lock with --wait), or
manage tokens through the running service with an admin token:

	curl -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
	     -d '{"name":"newsroom-bot"}' http://localhost:8080/api/v1/tokens
`

// runToken manages the API's bearer tokens in a data directory.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub, fs, err := subcommand("token", tokenUsage, args, stderr)
	if err != nil {
		return err
	}
	data := fs.String("data", "geotag-data", "data `DIR`ectory of the service")
	wait := fs.Duration("wait", time.Second, "how long to wait for the store's lock")
	name := fs.String("name", "", "create: who or what uses the token (shown in the history of corrections)")
	readOnly := fs.Bool("read-only", false, "create: a token that can only read")
	admin := fs.Bool("admin", false, "create: a token that may also manage tokens")
	storeURL := storeFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	chooseStore(fs, storeURL)
	db, err := openTokenStore(ctx, *data, *storeURL, *wait)
	if err != nil {
		return err
	}
	defer db.Close()

	switch sub {
	case "create":
		if fs.NArg() != 0 {
			return errors.New("token create takes no arguments; use --name")
		}
		secret, t, err := db.IssueToken(ctx, geotag.Token{Name: *name, ReadOnly: *readOnly, Admin: *admin})
		if err != nil {
			return err
		}
		kind := access(t)
		fmt.Fprintln(stdout, secret)
		fmt.Fprintf(stderr, "geotag: created %s token %s (%s); it is shown only now\n", kind, t.ID, t.Name)
		return nil
	case "list":
		ts, err := db.ListTokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tACCESS\tCREATED")
		for _, t := range ts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, t.Name, access(t), t.Created.Format(time.RFC3339))
		}
		return tw.Flush()
	case "revoke":
		if fs.NArg() != 1 {
			return errors.New("token revoke takes one token ID (see geotag token list)")
		}
		if err := db.RevokeToken(ctx, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "geotag: revoked token %s\n", fs.Arg(0))
		return nil
	}
	fmt.Fprint(stderr, tokenUsage)
	return fmt.Errorf("unknown token command %q", sub)
}

// access names a token's rights.
func access(t *geotag.Token) string {
	switch {
	case t.Admin:
		return "admin"
	case t.ReadOnly:
		return "read-only"
	}
	return "read-write"
}

// tokenStore is what token needs of a store.
type tokenStore interface {
	geotag.TokenService
	Close() error
}

// openTokenStore opens the PostgreSQL store at storeURL, or else the bbolt
// store in the data directory, waiting at most wait for its lock.
func openTokenStore(ctx context.Context, data, storeURL string, wait time.Duration) (tokenStore, error) {
	if storeURL != "" {
		return openPostgres(ctx, storeURL, geotag.ReportLimits{})
	}
	return store.Open(filepath.Join(data, "geotag.db"), &store.Options{Timeout: wait})
}
