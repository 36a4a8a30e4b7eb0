package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/geotag/geotag/frontend"
	"github.com/geotag/geotag/gazetteer"
	"github.com/geotag/geotag/geo"
	"github.com/geotag/geotag/server"
	"github.com/geotag/geotag/store"
)

// runServe opens the data directory, loads the bundled gazetteer and serves
// the API and the map until ctx ends.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "localhost:8080", "listen on `HOST:PORT`")
	data := fs.String("data", "geotag-data", "data `DIR`ectory, created if missing")
	maxBody := fs.Int64("max-body", 1<<20, "largest request body in `BYTES`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	if err := os.MkdirAll(*data, 0o755); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	db, err := store.Open(filepath.Join(*data, "geotag.db"), nil)
	if err != nil {
		return err
	}
	defer db.Close()

	gaz, err := gazetteer.Open()
	if err != nil {
		return err
	}
	srv := server.New(server.Config{
		Reports:  db,
		Tagger:   geo.NewTagger(gaz),
		Places:   gaz,
		Frontend: frontend.FS(),
		Logger:   logger,
		MaxBody:  *maxBody,
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // exports stream for a while
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(stdout, "geotag: serving http://%s (data in %s)\n", ln.Addr(), *data)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
