// Command geotag finds the places in news and conflict reports, stores the
// geotagged reports and serves them on a map and to GIS tools.
//
// Run "geotag help" for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "geotag:", err)
		}
		os.Exit(1)
	}
}

const usage = `geotag finds, resolves and maps the places named in reports.

Usage:

	geotag <command> [arguments]

Commands:

	serve      run the HTTP service and the map (http://localhost:8080)
	token      create, list and revoke API tokens
	feeds      add, list and remove the feeds the service polls
	tag        tag text from stdin and print the mentions as JSON
	eval       score the tagger on a gold JSONL file
	places     search the gazetteer
	gazetteer  build the bundled gazetteer from GeoNames files
	backup     copy a store to a file: a running service's (--url) or a stopped one's (--data)
	verify     check a store's pages and indexes
	migrate    copy a bbolt store into a PostgreSQL store and verify the copy

Run "geotag <command> -h" for a command's flags.
`

// Run runs the subcommand named by args[0] with the rest of args.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "token":
		return runToken(ctx, rest, stdout, stderr)
	case "feeds":
		return runFeeds(ctx, rest, stdout, stderr)
	case "tag":
		return runTag(ctx, rest, stdin, stdout, stderr)
	case "eval":
		return runEval(ctx, rest, stdout, stderr)
	case "places":
		return runPlaces(ctx, rest, stdout, stderr)
	case "gazetteer":
		return runGazetteer(ctx, rest, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, stdout, stderr)
	case "verify":
		return runVerify(ctx, rest, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
