package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/internal/pgtest"
	"github.com/geotag/geotag/postgres"
)

// TestWalks: EachReport and EachFeature over more than one chunk (with
// filters, stale stored features among the rows, and a store of one
// connection whose fn queries it) give the reports and features of the
// listing's pages, in its order; fn's error stops them; a cancelled
// context ends them.
func TestWalks(t *testing.T) {
	ctx := context.Background()
	dsn := postgres.FreshDSN(t)
	db, err := postgres.Open(ctx, pgtest.WithParam(dsn, "pool_max_conns", "1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.MaxConns() != 1 {
		t.Fatalf("pool of %d connections, the URL says 1", db.MaxConns())
	}
	var rs []*geotag.Report
	for i := range 4500 { // more than two chunks of either walk
		r := &geotag.Report{Title: fmt.Sprint("walk ", i), Text: fmt.Sprint("text ", i%7), ExternalID: fmt.Sprint("w", i),
			Time: time.Date(2025, 1, 1, 0, 0, i/3, 0, time.UTC), Tags: []string{fmt.Sprint("t", i%4)}}
		if i%3 != 0 {
			r.Location = &geotag.Location{Lat: float64(i%80) - 40, Lon: float64(i%300) - 150, Mention: -1}
		}
		rs = append(rs, r)
	}
	if _, err := db.Import(ctx, rs); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `UPDATE reports SET feature_ver = feature_ver + 1 WHERE title_lc LIKE '%5'`); err != nil {
		t.Fatal(err)
	}
	for _, f := range []geotag.ReportFilter{{}, {Tag: "t1"}, {BBox: &geotag.BBox{W: -100, S: -30, E: 100, N: 30}}, {Q: "text 3"}} {
		var want, got, fromReports []byte
		var ids []string
		f.Limit = 1000
		for {
			page, err := db.FindReports(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Reports {
				want = append(geotag.AppendReportFeatureWith(want, r, geotag.FullFeature), '\n')
			}
			if f.Cursor = page.Next; f.Cursor == "" {
				break
			}
		}
		f.Limit = 0
		err := db.EachFeature(ctx, f, geotag.FullFeature, func(b []byte) error {
			got = append(append(got, b...), '\n')
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.EachReport(ctx, f, func(r *geotag.Report) error {
			// A query inside fn: the walk holds no connection during fn
			// (the pool has one).
			if len(ids)%500 == 0 {
				if _, err := db.FindReportByID(ctx, r.ID); err != nil {
					return err
				}
			}
			ids = append(ids, r.ID)
			fromReports = append(geotag.AppendReportFeatureWith(fromReports, r, geotag.FullFeature), '\n')
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !bytes.Equal(got, want) || !bytes.Equal(fromReports, want) {
			t.Fatalf("filter %+v: the walks' features (%d, %d bytes) differ from the pages' (%d bytes)", f, len(got), len(fromReports), len(want))
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := db.EachFeature(ctx, geotag.ReportFilter{}, geotag.FullFeature, func([]byte) error {
		if n++; n == 2500 {
			return stop
		}
		return nil
	}); err != stop || n != 2500 {
		t.Fatalf("EachFeature returned %v after %d features, want fn's error after 2500", err, n)
	}
	cctx, cancel := context.WithCancel(ctx)
	n = 0
	if err := db.EachReport(cctx, geotag.ReportFilter{}, func(*geotag.Report) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	}); err != context.Canceled || n > 1000 {
		t.Fatalf("EachReport returned %v after %d reports, want the context's error within the chunk", err, n)
	}
	if _, err := db.Count(ctx); err != nil { // the connection went back to the pool
		t.Fatal(err)
	}
}

// TestPoolSize: the pool opens Options.MaxConns connections when set, else
// the URL's pool_max_conns, else DefaultMaxConns.
func TestPoolSize(t *testing.T) {
	ctx := context.Background()
	dsn := postgres.FreshDSN(t)
	for _, c := range []struct {
		dsn  string
		opt  int32
		want int32
	}{
		{dsn, 0, postgres.DefaultMaxConns},
		{pgtest.WithParam(dsn, "pool_max_conns", "5"), 0, 5},
		{pgtest.WithParam(dsn, "pool_max_conns", "5"), 7, 7},
		{dsn, 3, 3},
	} {
		db, err := postgres.Open(ctx, c.dsn, &postgres.Options{MaxConns: c.opt})
		if err != nil {
			t.Fatal(err)
		}
		got := db.MaxConns()
		db.Close()
		if got != c.want {
			t.Errorf("%s with MaxConns %d: a pool of %d, want %d", c.dsn, c.opt, got, c.want)
		}
	}
}
