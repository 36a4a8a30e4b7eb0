// Command bench measures geotag on synthetic data, each figure beside the
// simplest honest baseline measured in the same run.
//
//	go run ./bench store --reports 1000000 [--json]
//
// Each subcommand lives in its own file (store.go, …) as a func with the
// signature of command.run; add it to the commands table below.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one benchmark subcommand.
type command struct {
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
	summary string
}

var commands = map[string]command{
	"load":  {runLoad, "geotag serve under concurrent map, search, tag and create load on a pre-filled store: throughput, p50/p99, errors, lost writes, RSS"},
	"store": {runStore, "bulk import, bbox/time/place queries, clustering, GeoJSON export and file size of the bbolt store"},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		return flag.ErrHelp
	}
	cmd, ok := commands[args[0]]
	if !ok {
		usage(stderr)
		return fmt.Errorf("unknown benchmark %q", args[0])
	}
	return cmd.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Usage:\n\n\tgo run ./bench <benchmark> [flags]\n\nBenchmarks:\n\n")
	var names []string
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "\t%-8s %s\n", name, commands[name].summary)
	}
	fmt.Fprintf(w, "\nRun \"go run ./bench <benchmark> -h\" for its flags; --json prints one {\"name\",\"value\",\"unit\"} line per figure.\n")
}
