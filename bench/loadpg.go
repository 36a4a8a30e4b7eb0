package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
)

// ownServers starts the services of a load run: one on a bbolt store in
// dir, or (with storeURL) n on the PostgreSQL store there, pre-filled with
// synthetic reports, each with a data directory of its own for its admin
// token file. It returns them with a write token.
func ownServers(ctx context.Context, dir, bin, storeURL string, n, reports int, seed uint64, stderr io.Writer, logf func(string, ...any)) ([]*loadServer, string, error) {
	if storeURL == "" {
		srv, secret, err := ownServer(ctx, dir, bin, reports, seed, stderr, logf)
		if err != nil {
			return nil, "", err
		}
		return []*loadServer{srv}, secret, nil
	}
	secret, err := prefillPostgres(ctx, storeURL, reports, seed, logf)
	if err != nil {
		return nil, "", err
	}
	if bin, err = buildGeotag(ctx, dir, bin, stderr, logf); err != nil {
		return nil, "", err
	}
	count := func() (int, error) {
		db, err := postgres.Open(ctx, storeURL, &postgres.Options{MaxConns: 1})
		if err != nil {
			return 0, err
		}
		defer db.Close()
		return db.Count(ctx)
	}
	var srvs []*loadServer
	for i := range n {
		data := filepath.Join(dir, fmt.Sprintf("pg-server-%d", i))
		if err := os.MkdirAll(data, 0o755); err != nil {
			stopAll(srvs)
			return nil, "", err
		}
		srv, err := startLoadServer(ctx, bin, data, []string{"--store", storeURL}, count, logf)
		if err != nil {
			stopAll(srvs)
			return nil, "", err
		}
		srvs = append(srvs, srv)
	}
	return srvs, secret, nil
}

// prefillPostgres makes sure the PostgreSQL store at storeURL holds at
// least n reports, importing synthetic ones (then ANALYZE), and returns
// the secret of a new write token.
func prefillPostgres(ctx context.Context, storeURL string, n int, seed uint64, logf func(string, ...any)) (string, error) {
	db, err := postgres.Open(ctx, storeURL, nil)
	if err != nil {
		return "", err
	}
	defer db.Close()
	have, err := db.Count(ctx)
	if err != nil {
		return "", err
	}
	if have < n {
		logf("importing %d synthetic reports into PostgreSQL (the store has %d)…", n-have, have)
		s := newSynth(seed)
		for range have { // continue the same sequence
			s.report()
		}
		start := time.Now()
		batch := make([]*geotag.Report, 0, postgres.ImportBatch)
		for done := have; done < n; {
			batch = batch[:0]
			for len(batch) < cap(batch) && done+len(batch) < n {
				batch = append(batch, s.report())
			}
			if _, err := db.Import(ctx, batch); err != nil {
				return "", err
			}
			done += len(batch)
			if done%100000 < len(batch) || done == n {
				logf("  %d reports (%.0f/s)", done, float64(done-have)/time.Since(start).Seconds())
			}
		}
		if _, err := db.Exec(ctx, "VACUUM ANALYZE"); err != nil {
			return "", err
		}
	}
	secret, _, err := db.CreateToken(ctx, "load benchmark", false)
	return secret, err
}

// buildGeotag builds the geotag binary into dir unless bin names one.
func buildGeotag(ctx context.Context, dir, bin string, stderr io.Writer, logf func(string, ...any)) (string, error) {
	if bin != "" {
		return bin, nil
	}
	bin = filepath.Join(dir, "geotag")
	logf("building geotag…")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/geotag/geotag/cmd/geotag")
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build: %w", err)
	}
	return bin, nil
}
