package main

import (
	"flag"
	"fmt"
	"io"
)

// subcommand starts a command made of subcommands ("geotag token create"):
// with no arguments or a request for help it prints usage and returns
// flag.ErrHelp; else it returns the subcommand's name and a flag set for
// it that prints usage and its flags on a flag error. The caller defines
// the flags and parses args[1:].
func subcommand(cmd, usage string, args []string, stderr io.Writer) (string, *flag.FlagSet, error) {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		return "", nil, flag.ErrHelp
	}
	fs := flag.NewFlagSet(cmd+" "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	return args[0], fs, nil
}
