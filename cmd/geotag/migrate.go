package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
	"github.com/geotag/geotag/store"
)

const migrateUsage = `Usage:

	geotag migrate --from-data DIR --to postgres://… [--sample N] [--wait DURATION]
	geotag migrate --from postgres://… --to-data DIR [--sample N] [--wait DURATION]

migrate copies a stopped service's store into another: a bbolt store
(DIR/geotag.db) into a PostgreSQL store, or back (the bbolt store is
created when DIR has none). It copies, one noun after the other, every
report as it is (ID, times, history, corrections), every token (by its
hash: the secrets keep working), the feeds and the state of their items,
the saved views with their webhooks (secret and cursor), the webhook
delivery log, the audit log, the records of bulk corrections, and the
desk's incidents (with their links), rules and desk places, ids kept. Then it
verifies each: the target gained exactly the reports copied, each source
report is there, a sample of N reports (default 1,000, spread over the
store) is identical in both; every token, feed, view, delivery, audit
entry, bulk record, incident, rule and desk place is there and identical. Run it again after an
interruption: what is there already is skipped. The source is only read.
`

// runMigrate copies one store into another and checks the copy.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, migrateUsage); fs.PrintDefaults() }
	fromData := fs.String("from-data", "", "copy from the bbolt store of this data `DIR`ectory (service stopped)")
	to := fs.String("to", "", "… into the PostgreSQL store at this `URL`")
	from := fs.String("from", "", "copy from the PostgreSQL store at this `URL` (servers stopped)")
	toData := fs.String("to-data", "", "… into the bbolt store of this data `DIR`ectory")
	sample := fs.Int("sample", 1000, "reports compared field by field after the copy")
	wait := fs.Duration("wait", time.Second, "how long to wait for the bbolt store's lock")
	if err := fs.Parse(args); err != nil {
		return err
	}
	forward := *fromData != "" && *to != "" && *from == "" && *toData == ""
	back := *from != "" && *toData != "" && *fromData == "" && *to == ""
	if fs.NArg() != 0 || forward == back {
		fs.Usage()
		return errors.New("migrate needs --from-data and --to, or --from and --to-data")
	}
	m := &migration{sample: *sample}
	var err error
	if forward {
		m.src, m.dst, m.where = nil, nil, redactDSN(*to)
		if m.src, err = boltEnd(*fromData, *wait, false); err == nil {
			m.dst, err = postgresEnd(ctx, *to)
		}
	} else {
		m.where = filepath.Join(*toData, "geotag.db")
		if m.src, err = postgresEnd(ctx, *from); err == nil {
			m.dst, err = boltEnd(*toData, *wait, true)
		}
	}
	defer m.close()
	if err != nil {
		return err
	}
	for _, step := range migrateSteps() {
		line, err := step.copy(ctx, m)
		if err != nil {
			return fmt.Errorf("migrate: %s: %w", step.noun, err)
		}
		fmt.Fprintf(stdout, "migrate: %s\n", line)
	}
	fmt.Fprintf(stdout, "migrate: done, verified; %s\n", m.where)
	return nil
}

// migrateStep copies one noun from m.src to m.dst and verifies the copy,
// returning a line saying what it did. Each is one small function; the
// steps run in the order migrateSteps lists them (reports before what
// refers to them).
type migrateStep struct {
	noun string
	copy func(ctx context.Context, m *migration) (string, error)
}

// migrateSteps are the steps of a migration, in order. A noun that a
// later store keeps adds its step here (the desk's in migrate_desk.go).
func migrateSteps() []migrateStep {
	steps := []migrateStep{
		{"reports", migrateReports},
		{"tokens", migrateTokens},
		{"feeds", migrateFeeds},
		{"views", migrateViews},
		{"webhook deliveries", migrateDeliveries},
		{"audit log", migrateAudit},
		{"bulk corrections", migrateBulks},
	}
	for _, d := range deskSteps() { // incidents, desk rules, desk places
		steps = append(steps, d.step())
	}
	return steps
}

// migration is one run: the two stores and how many reports to compare.
type migration struct {
	src, dst *migrateEnd
	sample   int
	where    string // the target, for the last line
}

func (m *migration) close() {
	for _, e := range []*migrateEnd{m.src, m.dst} {
		if e != nil {
			e.db.Close()
		}
	}
}

// migrateEnd is one side of a migration: a bbolt or a PostgreSQL store,
// with what differs between them made alike.
type migrateEnd struct {
	db interface {
		geotag.ReportService
		RestoreToken(ctx context.Context, hash []byte, t geotag.Token) error
		Close() error
	}
	count   func(context.Context) (int, error)
	restore func(context.Context, []*geotag.Report) (created, dups int, err error)
	tokens  func(context.Context) ([]store.TokenRecord, error)
	batch   int // reports restored at once
}

// boltEnd opens the bbolt store of a data directory: an existing one to
// copy from, or (create) one to copy into.
func boltEnd(dir string, wait time.Duration, create bool) (*migrateEnd, error) {
	var db *store.DB
	var err error
	if create {
		if err = os.MkdirAll(dir, 0o700); err == nil {
			db, err = store.Open(filepath.Join(dir, "geotag.db"), &store.Options{Timeout: wait})
		}
	} else {
		db, err = openExisting(dir, wait)
	}
	if err != nil {
		return nil, err
	}
	return &migrateEnd{db: db, batch: 1000,
		count: func(context.Context) (int, error) { return db.Count() },
		restore: func(ctx context.Context, rs []*geotag.Report) (int, int, error) {
			r, err := db.Restore(ctx, rs)
			return r.Created, r.Duplicates, err
		},
		tokens: func(context.Context) ([]store.TokenRecord, error) { return db.TokenRecords() },
	}, nil
}

// postgresEnd opens the PostgreSQL store at dsn.
func postgresEnd(ctx context.Context, dsn string) (*migrateEnd, error) {
	db, err := openPostgres(ctx, dsn, geotag.ReportLimits{})
	if err != nil {
		return nil, err
	}
	return &migrateEnd{db: db, batch: postgres.ImportBatch, count: db.Count,
		restore: func(ctx context.Context, rs []*geotag.Report) (int, int, error) {
			r, err := db.Restore(ctx, rs)
			return r.Created, r.Duplicates, err
		},
		tokens: func(ctx context.Context) ([]store.TokenRecord, error) {
			recs, err := db.TokenRecords(ctx)
			out := make([]store.TokenRecord, len(recs))
			for i, r := range recs {
				out[i] = store.TokenRecord{Hash: r.Hash, Token: r.Token}
			}
			return out, err
		},
	}, nil
}

// migrateReports restores every source report into the target, in
// batches, and checks the copy (checkReports).
func migrateReports(ctx context.Context, m *migration) (string, error) {
	before, err := m.dst.count(ctx)
	if err != nil {
		return "", err
	}
	created, dups := 0, 0
	batch := make([]*geotag.Report, 0, m.dst.batch)
	flush := func() error {
		c, d, err := m.dst.restore(ctx, batch)
		created, dups, batch = created+c, dups+d, batch[:0]
		return err
	}
	err = m.src.db.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error {
		if batch = append(batch, r); len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err != nil {
		return "", err
	}
	after, err := m.dst.count(ctx)
	if err == nil && after != before+created {
		err = fmt.Errorf("the target had %d reports and gained %d, it holds %d", before, created, after)
	}
	if err != nil {
		return "", err
	}
	compared, err := checkReports(ctx, m)
	return fmt.Sprintf("%d reports copied, %d there already; every one present, %d compared field by field",
		created, dups, compared), err
}

// checkReports checks that every source report is in the target and
// that about m.sample of them, spread over the store, encode to the same
// JSON in both; it returns how many it compared.
func checkReports(ctx context.Context, m *migration) (int, error) {
	n, err := m.src.count(ctx)
	if err != nil {
		return 0, err
	}
	every := max(1, n/max(m.sample, 1))
	i, compared := 0, 0
	err = m.src.db.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error {
		i++
		got, err := m.dst.db.FindReportByID(ctx, r.ID)
		if err != nil {
			return fmt.Errorf("report %s is not in the target: %w", r.ID, err)
		}
		if i%every != 0 || compared >= m.sample {
			return nil
		}
		compared++
		if !sameJSON(r, got) {
			return fmt.Errorf("report %s differs in the target", r.ID)
		}
		return nil
	})
	return compared, err
}

// migrateTokens restores every source token (by hash) into the target and
// checks that each is there.
func migrateTokens(ctx context.Context, m *migration) (string, error) {
	recs, err := m.src.tokens(ctx)
	if err != nil {
		return "", err
	}
	for _, r := range recs {
		if err := m.dst.db.RestoreToken(ctx, r.Hash, r.Token); err != nil {
			return "", err
		}
	}
	got, err := m.dst.tokens(ctx)
	if err != nil {
		return "", err
	}
	have := map[string]bool{}
	for _, r := range got {
		have[string(r.Hash)+"\x00"+r.Token.ID] = true
	}
	for _, r := range recs {
		if !have[string(r.Hash)+"\x00"+r.Token.ID] {
			return "", fmt.Errorf("token %s is not in the target", r.Token.ID)
		}
	}
	return fmt.Sprintf("%d tokens; every one present", len(recs)), nil
}

// sameJSON reports whether a and b encode to the same JSON.
func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}
