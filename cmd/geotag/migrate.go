package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
	"github.com/geotag/geotag/store"
)

const migrateUsage = `Usage:

	geotag migrate --from-data DIR --to postgres://… [--sample N] [--wait DURATION]

migrate copies a stopped service's bbolt store (DIR/geotag.db) into a
PostgreSQL store: every report as it is (ID, times, history, corrections)
and every token (by its hash: the secrets keep working), then the desk's
incidents (with their links), rules, desk places and audit log, ids kept.
Then it verifies the copy: the target gained exactly the reports copied,
each source report is there, a sample of N reports (default 1,000, spread
over the store) is identical in both, the tokens match, and every
incident, rule, desk place and audit entry is there, identical. Run it again after an interruption:
what is there already is skipped. The source is only read.
`

// runMigrate copies a bbolt store into a PostgreSQL store and checks it.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, migrateUsage); fs.PrintDefaults() }
	from := fs.String("from-data", "", "the bbolt store's data `DIR`ectory (service stopped)")
	to := fs.String("to", "", "the PostgreSQL store's `URL`")
	sample := fs.Int("sample", 1000, "reports compared field by field after the copy")
	wait := fs.Duration("wait", time.Second, "how long to wait for the bbolt store's lock")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() != 0 {
		fs.Usage()
		return errors.New("migrate needs --from-data and --to")
	}
	src, err := openExisting(*from, *wait)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openPostgres(ctx, *to, geotag.ReportLimits{})
	if err != nil {
		return err
	}
	defer dst.Close()
	res, err := copyReports(ctx, src, dst)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "migrate: %d reports copied, %d there already\n", res.Created, res.Duplicates)
	ntok, err := copyTokens(ctx, src, dst)
	if err != nil {
		return err
	}
	if err := checkCopy(ctx, src, dst, *sample); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "migrate: %d tokens; verified: every report present, %d compared field by field; %s\n",
		ntok, min(*sample, res.Created+res.Duplicates), redactDSN(*to))
	return migrateDesk(ctx, src, dst, stdout)
}

// copyReports restores every source report into dst, in batches.
func copyReports(ctx context.Context, src *store.DB, dst *postgres.DB) (geotag.ImportResult, error) {
	var res geotag.ImportResult
	before, err := dst.Count(ctx)
	if err != nil {
		return res, err
	}
	batch := make([]*geotag.Report, 0, postgres.ImportBatch)
	flush := func() error {
		r, err := dst.Restore(ctx, batch)
		res.Created += r.Created
		res.Duplicates += r.Duplicates
		batch = batch[:0]
		return err
	}
	err = src.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error {
		if batch = append(batch, r); len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err != nil {
		return res, err
	}
	after, err := dst.Count(ctx)
	if err == nil && after != before+res.Created {
		err = fmt.Errorf("migrate: the target had %d reports and gained %d, it holds %d", before, res.Created, after)
	}
	return res, err
}

// copyTokens restores every source token (by hash) into dst.
func copyTokens(ctx context.Context, src *store.DB, dst *postgres.DB) (int, error) {
	recs, err := src.TokenRecords()
	if err != nil {
		return 0, err
	}
	for _, r := range recs {
		if err := dst.RestoreToken(ctx, r.Hash, r.Token); err != nil {
			return 0, err
		}
	}
	return len(recs), nil
}

// checkCopy checks that every source report is in dst, that about sample
// of them, spread over the store, encode to the same JSON in both, and
// that every source token authenticates in dst as it does in src.
func checkCopy(ctx context.Context, src *store.DB, dst *postgres.DB, sample int) error {
	n, err := src.Count()
	if err != nil {
		return err
	}
	every := max(1, n/max(sample, 1))
	i := 0
	err = src.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error {
		i++
		got, err := dst.FindReportByID(ctx, r.ID)
		if err != nil {
			return fmt.Errorf("migrate: report %s is not in the target: %w", r.ID, err)
		}
		if i%every != 0 {
			return nil
		}
		a, _ := json.Marshal(r)
		b, _ := json.Marshal(got)
		if !bytes.Equal(a, b) {
			return fmt.Errorf("migrate: report %s differs in the target", r.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	recs, err := src.TokenRecords()
	if err != nil {
		return err
	}
	ts, err := dst.ListTokens(ctx)
	if err != nil {
		return err
	}
	ids := map[string]bool{}
	for _, t := range ts {
		ids[t.ID] = true
	}
	for _, r := range recs {
		if !ids[r.Token.ID] {
			return fmt.Errorf("migrate: token %s is not in the target", r.Token.ID)
		}
	}
	return nil
}
