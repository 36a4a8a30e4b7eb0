package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
)

// storeCompare runs the map-view figures of the store benchmark on the
// bbolt store and on a PostgreSQL store, one query on each in turn, and
// prints them side by side with their ratio: the same synthetic reports,
// the same filters, one run.
type storeCompare struct {
	b    *storeBench
	pg   *postgres.DB
	rows [][4]string // figure, bbolt, postgres, ratio
}

// runCompare imports the synthetic reports into the PostgreSQL store at
// storeURL (an empty one; one holding exactly --reports reports from an
// earlier run is reused) and into bbolt, then times both.
func (b *storeBench) runCompare(ctx context.Context, storeURL string, stdout io.Writer) error {
	pg, err := postgres.Open(ctx, storeURL, nil)
	if err != nil {
		return err
	}
	defer pg.Close()
	c := &storeCompare{b: b, pg: pg}
	if err := b.benchImport(ctx); err != nil {
		return err
	}
	defer b.db.Close()
	if err := c.importPG(ctx); err != nil {
		return err
	}
	for _, step := range []func(context.Context) error{c.pages, c.cells, c.histograms, c.writes, c.export} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "store benchmark, bbolt and PostgreSQL side by side: %d synthetic reports, %d queries per kind\n\n", b.n, b.nq)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "figure\tbbolt\tpostgres\tpostgres/bbolt\t")
	for _, r := range c.rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", r[0], r[1], r[2], r[3])
	}
	return tw.Flush()
}

func (c *storeCompare) add(name string, bbolt, pg float64, unit string) {
	c.rows = append(c.rows, [4]string{name, formatValue(bbolt) + " " + unit, formatValue(pg) + " " + unit, fmt.Sprintf("%.2f", pg/bbolt)})
	c.b.fig.progress("  %s: bbolt %s, postgres %s %s", name, formatValue(bbolt), formatValue(pg), unit)
}

func (c *storeCompare) importPG(ctx context.Context) error {
	n, err := c.pg.Count(ctx)
	if err != nil {
		return err
	}
	if n == c.b.n {
		c.b.fig.progress("  reusing the PostgreSQL store's %d reports", n)
		return nil
	}
	if n != 0 {
		return fmt.Errorf("the PostgreSQL store holds %d reports, not 0 or %d: give an empty one", n, c.b.n)
	}
	var took time.Duration
	load := func() error {
		done, next := 0, c.b.n/10
		return c.b.chunks(func(rs []*geotag.Report) error {
			t0 := time.Now()
			_, err := c.pg.Import(ctx, rs)
			took += time.Since(t0)
			if done += len(rs); done >= next {
				c.b.fig.progress("  postgres: %d reports, %.0f/s", done, float64(done)/took.Seconds())
				next += c.b.n / 10
			}
			return err
		})
	}
	name := "import (Import, 2,000 per transaction)"
	if c.b.pgIndexAfter {
		name = "import into an empty store, trigram indexes built after (LoadEmpty)"
		t0 := time.Now()
		err = c.pg.LoadEmpty(ctx, load)
		took = time.Since(t0) // the index builds too
	} else {
		err = load()
	}
	if err != nil {
		return err
	}
	bb, ok := c.b.fig.get("import_reports_per_s")
	if !ok {
		bb.Value = math.NaN() // the bbolt store was reused
	}
	c.add(name, bb.Value, float64(c.b.n)/took.Seconds(), "reports/s")
	// VACUUM as autovacuum would after a bulk load: statistics, and the
	// visibility map that index-only scans (counts, histograms) need.
	_, err = c.pg.Exec(ctx, "VACUUM ANALYZE")
	return err
}

// both times fn on each store, alternating, runs times, and returns the
// p50 and p99 of each in milliseconds.
func both(runs int, fn func(s geotag.ReportService) error, bb, pg geotag.ReportService) (p50b, p99b, p50p, p99p float64, err error) {
	var db, dp []time.Duration
	for i := 0; i < runs; i++ {
		for j, s := range []geotag.ReportService{bb, pg} {
			t0 := time.Now()
			if err := fn(s); err != nil {
				return 0, 0, 0, 0, err
			}
			if j == 0 {
				db = append(db, time.Since(t0))
			} else {
				dp = append(dp, time.Since(t0))
			}
		}
	}
	return percentile(db, 50), percentile(db, 99), percentile(dp, 50), percentile(dp, 99), nil
}

func (c *storeCompare) pages(ctx context.Context) error {
	for _, place := range []bool{false, true} {
		fs, err := c.b.queries(ctx, place)
		if err != nil {
			return err
		}
		i := 0
		name := map[bool]string{false: "bbox+time page of 1,000 with total", true: "place+bbox+time page of 1,000"}[place]
		p50b, p99b, p50p, p99p, err := both(len(fs), func(s geotag.ReportService) error {
			_, err := s.FindReports(ctx, fs[i/2%len(fs)])
			i++
			return err
		}, c.b.db, c.pg)
		if err != nil {
			return err
		}
		c.add(name+" p50", p50b, p50p, "ms")
		c.add(name+" p99", p99b, p99p, "ms")
		if place {
			continue
		}
		// The map's own list: the page as GeoJSON features.
		i = 0
		p50b, p99b, p50p, p99p, err = both(len(fs), func(s geotag.ReportService) error {
			_, err := s.(featurePager).FindFeatures(ctx, fs[i/2%len(fs)])
			i++
			return err
		}, c.b.db, c.pg)
		if err != nil {
			return err
		}
		c.add("same as features (FindFeatures) p50", p50b, p50p, "ms")
		c.add("same as features (FindFeatures) p99", p99b, p99p, "ms")
	}
	return nil
}

// featurePager and featureWalker are what the server looks for in a store
// to answer pages and exports as features (both stores have them).
type (
	featurePager interface {
		FindFeatures(ctx context.Context, f geotag.ReportFilter) (geotag.FeaturePage, error)
	}
	featureWalker interface {
		EachFeature(ctx context.Context, f geotag.ReportFilter, opt geotag.FeatureOptions, fn func([]byte) error) error
	}
)

func (c *storeCompare) cells(ctx context.Context) error {
	month := c.b.span[1].AddDate(0, -1, 0).UTC().Truncate(24 * time.Hour)
	twoYears := c.b.span[1].AddDate(-2, 0, 0).UTC().Truncate(24 * time.Hour)
	for _, v := range []struct {
		name string
		f    geotag.ReportFilter
		zoom int
	}{
		{"cells world, zoom 2", geotag.ReportFilter{}, 2},
		{"cells world, last month (days), zoom 2", geotag.ReportFilter{From: &month}, 2},
		{"cells region, 2 years (days), zoom 6", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 28, E: 45, N: 40}, From: &twoYears}, 6},
		{"cells region, zoom 6", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 28, E: 45, N: 40}}, 6},
	} {
		p50b, _, p50p, _, err := both(5, func(s geotag.ReportService) error {
			_, err := s.Cells(ctx, v.f, v.zoom)
			return err
		}, c.b.db, c.pg)
		if err != nil {
			return err
		}
		c.add(v.name+" p50", p50b, p50p, "ms")
	}
	return nil
}

func (c *storeCompare) histograms(ctx context.Context) error {
	for _, v := range []struct {
		name string
		f    geotag.ReportFilter
	}{
		{"histogram world bbox, 200 bins", geotag.ReportFilter{BBox: &geotag.BBox{W: -180, S: -90, E: 180, N: 90}}},
		{"histogram region, 200 bins", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 28, E: 45, N: 40}}},
		{"histogram all reports, 200 bins", geotag.ReportFilter{}},
	} {
		p50b, _, p50p, _, err := both(5, func(s geotag.ReportService) error {
			_, err := s.Histogram(ctx, v.f, 200)
			return err
		}, c.b.db, c.pg)
		if err != nil {
			return err
		}
		c.add(v.name+" p50", p50b, p50p, "ms")
	}
	return nil
}

func (c *storeCompare) writes(ctx context.Context) error {
	s := newSynth(c.b.seed + 7)
	var ids [2][]string
	p50b, p99b, p50p, p99p, err := both(100, func(st geotag.ReportService) error {
		r := s.report()
		r.ExternalID = ""
		if err := st.CreateReport(ctx, r); err != nil {
			return err
		}
		k := 0
		if st == geotag.ReportService(c.pg) {
			k = 1
		}
		ids[k] = append(ids[k], r.ID)
		return nil
	}, c.b.db, c.pg)
	if err != nil {
		return err
	}
	c.add("CreateReport p50", p50b, p50p, "ms")
	c.add("CreateReport p99", p99b, p99p, "ms")
	for _, id := range ids[0] {
		if err := c.b.db.DeleteReport(ctx, id); err != nil {
			return err
		}
	}
	for _, id := range ids[1] {
		if err := c.pg.DeleteReport(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// export times the whole export of each store, through decoded reports
// and through stored or encoded features, with this process's CPU time
// per feature (PostgreSQL's own is in its server processes, not counted).
func (c *storeCompare) export(ctx context.Context) error {
	for _, walk := range []struct {
		name string
		fn   func(s geotag.ReportService, fw *geotag.FeatureWriter) error
	}{
		{"EachReport", func(s geotag.ReportService, fw *geotag.FeatureWriter) error {
			return s.EachReport(ctx, geotag.ReportFilter{}, fw.Write)
		}},
		{"EachFeature", func(s geotag.ReportService, fw *geotag.FeatureWriter) error {
			return s.(featureWalker).EachFeature(ctx, geotag.ReportFilter{}, geotag.FullFeature, fw.WriteFeature)
		}},
	} {
		var rate, cpu [2]float64
		for k, s := range []geotag.ReportService{c.b.db, c.pg} {
			var n int64
			fw := geotag.NewFeatureWriter(countWriter{&n})
			t0, cpu0 := time.Now(), cpuTime()
			if err := walk.fn(s, fw); err != nil {
				return err
			}
			if err := fw.Close(); err != nil {
				return err
			}
			if fw.Count() != c.b.n {
				return fmt.Errorf("%s exported %d features of %d", walk.name, fw.Count(), c.b.n)
			}
			rate[k] = float64(fw.Count()) / time.Since(t0).Seconds()
			cpu[k] = float64(cpuTime()-cpu0) / float64(time.Microsecond) / float64(fw.Count())
		}
		c.add("export, "+walk.name+" → FeatureWriter", rate[0], rate[1], "features/s")
		c.add("  the same, CPU time of this process per feature", cpu[0], cpu[1], "µs")
	}
	return nil
}
