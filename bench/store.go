package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/quadtree"
	bolt "go.etcd.io/bbolt"
)

// runStore benchmarks the store on synthetic reports. Every figure has a
// baseline from the same run:
//
//	import        encoding/json records in one bbolt bucket, no indexes, same batches
//	queries       a full scan: every report decoded and filtered (3 runs)
//	clusters      the same full scan, aggregating cells
//	export        encoding/json of an orb geojson.Feature per report, streamed
//	              (export_* is EachFeature, encoding from the records;
//	              export_reports_* the same output from EachReport's reports)
//	file size     the JSON-records file of the import baseline
//
// and the spatial index is compared with an orb quadtree built at open.
func runStore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("store", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("reports", 1000000, "number of synthetic `N` reports")
	asJSON := fs.Bool("json", false, "print one JSON object per figure instead of a table")
	dir := fs.String("dir", "", "work in `DIR`, kept afterwards; a store of the same size left there by an earlier run is reused, not imported again (default a temporary directory, removed afterwards)")
	nq := fs.Int("queries", 200, "number of timed queries of each kind")
	seed := fs.Uint64("seed", 1, "random `seed` of the synthetic data")
	batch := fs.Int("batch", 10000, "reports per import transaction")
	quiet := fs.Bool("q", false, "no progress on stderr")
	order := fs.String("order", "time", "import `order`: time (by event time ± 2 days, as reports arrive) or random (worst case for the indexes)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE`")
	nosync := fs.Bool("nosync", false, "open the store without fsync (shows what the disk costs; not a durable setup)")
	storeURL := fs.String("store", "", "also run the map-view figures on the PostgreSQL store at `URL` (empty, or holding this run's reports from an earlier one) and print both side by side")
	noBase := fs.Bool("nobaseline", false, "leave out the full-scan baselines of the query figures (minutes each on a loaded machine at 1M reports); the query kinds still compare with each other")
	pgIndexAfter := fs.Bool("pg-index-after", false, "with --store: import into PostgreSQL without its trigram indexes and build them after (an operator's bulk load into a new database; the live store's Import keeps every index)")
	only := fs.String("only", "", "run only the steps whose names contain one of the comma-separated `WORDS` (import always runs; steps: baseline import, queries, writes, clusters, quadtree, export)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *order != "time" && *order != "random" {
		return fmt.Errorf("--order must be time or random")
	}
	reuse := *dir != ""
	if *n < 1000 {
		return fmt.Errorf("--reports must be at least 1000")
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "geotag-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	} else if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	b := &storeBench{reuse: reuse, n: *n, nq: *nq, seed: *seed, batch: *batch, dir: *dir, fig: &figures{}, only: *only, nosync: *nosync, noBase: *noBase, random: *order == "random", pgIndexAfter: *pgIndexAfter}
	if !*quiet {
		b.fig.log = stderr
	}
	if *storeURL != "" {
		return b.runCompare(ctx, *storeURL, stdout)
	}
	if err := b.run(ctx); err != nil {
		return err
	}
	if *asJSON {
		return b.fig.writeJSON(stdout)
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = ", load average " + strings.Join(strings.Fields(string(b))[:3], " ")
	}
	fmt.Fprintf(stdout, "store benchmark: %d synthetic reports, %d queries per kind, %s/%s, %d CPUs%s\n\n",
		*n, *nq, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), load)
	return b.fig.writeTable(stdout)
}

type storeBench struct {
	n, nq, batch int
	seed         uint64
	dir          string
	only         string
	nosync       bool
	noBase       bool
	reuse        bool
	random       bool
	pgIndexAfter bool
	fig          *figures
	db           *store.DB
	span         [2]time.Time
}

func (b *storeBench) run(ctx context.Context) error {
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"import", b.benchImport},
		{"baseline import", b.benchBaselineImport},
		{"queries", b.benchQueries},
		{"writes", b.benchWrites},
		{"clusters", b.benchCells},
		{"quadtree", b.benchQuadtree},
		{"export", b.benchExport},
	}
	defer func() {
		if b.db != nil {
			b.db.Close()
		}
	}()
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if b.only != "" && s.name != "import" && !slices.ContainsFunc(strings.Split(b.only, ","), func(w string) bool {
			return strings.Contains(s.name, w)
		}) {
			continue
		}
		b.fig.progress("%s…", s.name)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

// chunks generates the synthetic reports batch by batch, so that the whole
// set never sits in memory.
func (b *storeBench) chunks(fn func([]*geotag.Report) error) error {
	s := newSynth(b.seed)
	if !b.random {
		s.total = b.n
	}
	rs := make([]*geotag.Report, 0, b.batch)
	for i := 0; i < b.n; i += b.batch {
		rs = rs[:0]
		for j := i; j < min(i+b.batch, b.n); j++ {
			rs = append(rs, s.report())
		}
		if err := fn(rs); err != nil {
			return err
		}
	}
	b.span = [2]time.Time{s.start, s.start.Add(s.span)}
	return nil
}

func (b *storeBench) benchImport(ctx context.Context) error {
	path := filepath.Join(b.dir, "geotag.db")
	if b.reuse {
		if _, err := os.Stat(path); err == nil {
			s := newSynth(b.seed)
			b.span = [2]time.Time{s.start, s.start.Add(s.span)}
			b.fig.progress("  reusing %s", path)
			b.db, err = store.Open(path, nil)
			if err != nil {
				return err
			}
			if n, err := b.db.Count(); err != nil || n != b.n {
				return fmt.Errorf("%s has %d reports, not %d: remove it", path, n, b.n)
			}
			return nil
		}
	}
	db, err := store.Open(path, &store.Options{ImportBatch: b.batch, NoSync: b.nosync})
	if err != nil {
		return err
	}
	var took time.Duration
	done, next := 0, b.n/10
	err = b.chunks(func(rs []*geotag.Report) error {
		t0 := time.Now()
		res, err := db.Import(ctx, rs)
		took += time.Since(t0)
		if done += len(rs); done >= next {
			b.fig.progress("  %d reports, %.0f/s", done, float64(done)/took.Seconds())
			next += b.n / 10
		}
		if err == nil && res.Created != len(rs) {
			err = fmt.Errorf("imported %d of %d", res.Created, len(rs))
		}
		return err
	})
	if err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	b.fig.add("import_reports_per_s", float64(b.n)/took.Seconds(), "reports/s",
		fmt.Sprintf("Import, %d per fsynced tx, all indexes", b.batch))
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	b.fig.add("bytes_per_report", float64(st.Size())/float64(b.n), "B", "file size / reports, records + indexes")

	t0 := time.Now()
	b.db, err = store.Open(path, nil)
	if err != nil {
		return err
	}
	b.fig.add("open_ms", float64(time.Since(t0))/float64(time.Millisecond), "ms", "Open of the imported file")
	return nil
}

func (b *storeBench) benchBaselineImport(ctx context.Context) error {
	path := filepath.Join(b.dir, "baseline.db")
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	var took time.Duration
	seq := uint64(0)
	err = b.chunks(func(rs []*geotag.Report) error {
		t0 := time.Now()
		err := bdb.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("reports"))
			if err != nil {
				return err
			}
			for _, r := range rs {
				seq++
				v, err := json.Marshal(r)
				if err != nil {
					return err
				}
				if err := bk.Put(binary.BigEndian.AppendUint64(nil, seq), v); err != nil {
					return err
				}
			}
			return nil
		})
		took += time.Since(t0)
		return err
	})
	if cerr := bdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	b.fig.add("baseline_import_reports_per_s", float64(b.n)/took.Seconds(), "reports/s", "")
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	b.fig.add("baseline_bytes_per_report", float64(st.Size())/float64(b.n), "B", "")
	return os.Remove(path)
}

// scan is the query baseline: every report decoded and filtered, the
// newest limit kept.
func (b *storeBench) scan(ctx context.Context, f geotag.ReportFilter, limit int) (int, error) {
	var hits []*geotag.Report
	err := b.db.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error {
		if matchFilter(r, f) {
			hits = append(hits, r)
		}
		return nil
	})
	slices.SortFunc(hits, func(x, y *geotag.Report) int { return y.Time.Compare(x.Time) })
	return len(hits[:min(limit, len(hits))]), err
}

func matchFilter(r *geotag.Report, f geotag.ReportFilter) bool {
	if f.BBox != nil && (r.Location == nil || !f.BBox.Contains(r.Location.Lat, r.Location.Lon)) {
		return false
	}
	if f.From != nil && r.Time.Before(*f.From) || f.To != nil && !r.Time.Before(*f.To) {
		return false
	}
	if len(f.EventTypes) > 0 && !slices.Contains(f.EventTypes, r.EventType) {
		return false
	}
	if f.FatalitiesMin != nil && (r.Fatalities == nil || *r.Fatalities < *f.FatalitiesMin) {
		return false
	}
	if f.PlaceID != 0 {
		for _, m := range r.Mentions {
			if m.Place != nil && m.Place.ID == f.PlaceID {
				return true
			}
		}
		return r.Location != nil && r.Location.PlaceID == f.PlaceID
	}
	return true
}

// queries makes nq filters of a bbox around a hotspot (and a place of it,
// withPlace) with a time window sized so that about 1,500 reports match.
func (b *storeBench) queries(ctx context.Context, withPlace bool) ([]geotag.ReportFilter, error) {
	s := newSynth(b.seed + 99)
	var fs []geotag.ReportFilter
	for len(fs) < b.nq {
		h := s.hotspot()
		hs := hotspots[h]
		d := 0.3 + s.rnd.Float64()*1.2
		f := geotag.ReportFilter{BBox: &geotag.BBox{W: wrapLon(hs.lon - d), S: hs.lat - d, E: wrapLon(hs.lon + d), N: hs.lat + d}, Limit: 1}
		if withPlace {
			f.PlaceID = placeID(h, s.rnd.IntN(6))
		}
		p, err := b.db.FindReports(ctx, f)
		if err != nil {
			return nil, err
		}
		if p.Total == 0 {
			continue
		}
		span := b.span[1].Sub(b.span[0])
		window := span
		if p.Total > 1500 {
			window = time.Duration(float64(span) * 1500 / float64(p.Total))
		}
		from := b.span[0].Add(time.Duration(s.rnd.Int64N(int64(span - window + 1))))
		to := from.Add(window)
		f.From, f.To, f.Limit = &from, &to, 1000
		fs = append(fs, f)
	}
	return fs, nil
}

func (b *storeBench) timeQueries(ctx context.Context, name string, fs []geotag.ReportFilter) error {
	var ds []time.Duration
	results := 0
	for _, f := range fs {
		t0 := time.Now()
		p, err := b.db.FindReports(ctx, f)
		ds = append(ds, time.Since(t0))
		if err != nil {
			return err
		}
		results += len(p.Reports)
	}
	b.fig.add(name+"_p50_ms", percentile(ds, 50), "ms", fmt.Sprintf("FindReports limit 1000 with total, mean %d results", results/len(fs)))
	b.fig.add(name+"_p99_ms", percentile(ds, 99), "ms", "")
	var m readMeter
	mctx := geotag.WithMeter(ctx, &m)
	for _, f := range fs {
		if _, err := b.db.FindReports(mctx, f); err != nil {
			return err
		}
	}
	b.fig.add(name+"_read_kib", float64(m.n.Load())/1024/float64(len(fs)), "KiB", "mean index entries and records read per query (the store's meter, 4 KiB a decoded record): the work, whatever the load")
	if b.noBase {
		return nil
	}
	var base []time.Duration
	for _, f := range fs[:3] {
		t0 := time.Now()
		if _, err := b.scan(ctx, f, 1000); err != nil {
			return err
		}
		base = append(base, time.Since(t0))
	}
	b.fig.add("baseline_"+name+"_p50_ms", percentile(base, 50), "ms", "full scan, 3 runs")
	b.fig.add("baseline_"+name+"_p99_ms", percentile(base, 99), "ms", "")
	return nil
}

// readMeter sums what the store charges a query context.
type readMeter struct{ n atomic.Int64 }

func (m *readMeter) Charge(n int64) { m.n.Add(n) }

func (b *storeBench) benchQueries(ctx context.Context) error {
	fs, err := b.queries(ctx, false)
	if err != nil {
		return err
	}
	if err := b.timeQueries(ctx, "query", fs); err != nil {
		return err
	}
	bbox := fs
	if fs, err = b.queries(ctx, true); err != nil {
		return err
	}
	if err := b.timeQueries(ctx, "query_place", fs); err != nil {
		return err
	}
	// The bbox queries again, with one event type (weighted as the data),
	// then with a death count of at least 10 (about one coded report in
	// eight): the filters the event index answers.
	s := newSynth(b.seed + 17)
	typed, fatal := make([]geotag.ReportFilter, len(bbox)), make([]geotag.ReportFilter, len(bbox))
	ten := 10
	for i, f := range bbox {
		typed[i], fatal[i] = f, f
		if e := s.event(); e.EventType != "" {
			typed[i].EventTypes = []string{e.EventType}
		} else {
			typed[i].EventTypes = []string{geotag.EventTypes[1].Name}
		}
		fatal[i].FatalitiesMin = &ten
	}
	if err := b.timeQueries(ctx, "query_event_type", typed); err != nil {
		return err
	}
	return b.timeQueries(ctx, "query_fatalities", fatal)
}

// benchWrites times single durable writes on the full store, as the API
// makes them, then deletes what it wrote. The baseline is one fsynced bbolt
// transaction putting one JSON record into a store of the same file.
func (b *storeBench) benchWrites(ctx context.Context) error {
	s := newSynth(b.seed + 7)
	var creates, updates, deletes []time.Duration
	var ids []string
	for i := 0; i < 100; i++ {
		r := s.report()
		r.ExternalID = ""
		t0 := time.Now()
		if err := b.db.CreateReport(ctx, r); err != nil {
			return err
		}
		creates = append(creates, time.Since(t0))
		ids = append(ids, r.ID)
	}
	for _, id := range ids {
		t0 := time.Now()
		_, err := b.db.UpdateReport(ctx, id, func(r *geotag.Report) error {
			r.Status, r.Tags = geotag.StatusReviewed, append(r.Tags, "checked")
			return nil
		})
		if err != nil {
			return err
		}
		updates = append(updates, time.Since(t0))
	}
	for _, id := range ids {
		t0 := time.Now()
		if err := b.db.DeleteReport(ctx, id); err != nil {
			return err
		}
		deletes = append(deletes, time.Since(t0))
	}
	b.fig.add("create_p50_ms", percentile(creates, 50), "ms", "CreateReport, one fsynced tx")
	b.fig.add("create_p99_ms", percentile(creates, 99), "ms", "")
	b.fig.add("update_p50_ms", percentile(updates, 50), "ms", "UpdateReport, one fsynced tx")
	b.fig.add("delete_p50_ms", percentile(deletes, 50), "ms", "DeleteReport, one fsynced tx")
	return b.benchConcurrentWrites(ctx)
}

// benchConcurrentWrites times creates from 64 writers at once, as many
// clients of the API make them, with one transaction and fsync per write
// (store.Options.NoBatch, the store before group commit) and then with
// the default group commit, reopening the same file for each, and deletes
// what it wrote.
func (b *storeBench) benchConcurrentWrites(ctx context.Context) error {
	const writers, each = 64, 16
	path := filepath.Join(b.dir, "geotag.db")
	defer func() {
		if b.db == nil {
			b.db, _ = store.Open(path, nil)
		}
	}()
	for _, c := range []struct {
		name string
		opts *store.Options
		note string
	}{
		{"nobatch", &store.Options{NoBatch: true}, "one fsynced tx per create"},
		{"batch", nil, "group commit (default)"},
	} {
		if err := b.db.Close(); err != nil {
			return err
		}
		b.db = nil
		db, err := store.Open(path, c.opts)
		if err != nil {
			return err
		}
		b.db = db
		s := newSynth(b.seed + 11)
		rs := make([]*geotag.Report, writers*each)
		for i := range rs {
			rs[i] = s.report()
			rs[i].ExternalID = ""
		}
		lat := make([]time.Duration, len(rs))
		errs := make([]error, writers)
		var wg sync.WaitGroup
		t0 := time.Now()
		for w := range writers {
			wg.Go(func() {
				for i := w * each; i < (w+1)*each && errs[w] == nil; i++ {
					t := time.Now()
					errs[w] = db.CreateReport(ctx, rs[i])
					lat[i] = time.Since(t)
				}
			})
		}
		wg.Wait()
		wall := time.Since(t0)
		for w := range writers {
			wg.Go(func() {
				for i := w * each; i < (w+1)*each && errs[w] == nil && rs[i].ID != ""; i++ {
					errs[w] = db.DeleteReport(ctx, rs[i].ID)
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		b.fig.add("concurrent_create_"+c.name+"_per_s", float64(len(rs))/wall.Seconds(), "creates/s",
			fmt.Sprintf("%d writers × %d CreateReport, %s", writers, each, c.note))
		b.fig.add("concurrent_create_"+c.name+"_p50_ms", percentile(lat, 50), "ms", "")
		b.fig.add("concurrent_create_"+c.name+"_p99_ms", percentile(lat, 99), "ms", "")
	}
	return nil
}

func (b *storeBench) benchCells(ctx context.Context) error {
	month := b.span[1].AddDate(0, -1, 0)
	monthDay := month.UTC().Truncate(24 * time.Hour)
	for _, c := range []struct {
		name string
		f    geotag.ReportFilter
		zoom int
	}{
		{"cells_world", geotag.ReportFilter{}, 2},
		{"cells_world_month", geotag.ReportFilter{From: &month}, 2},
		{"cells_world_month_days", geotag.ReportFilter{From: &monthDay}, 2}, // from a UTC midnight
		{"cells_region", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 28, E: 45, N: 40}}, 6},
	} {
		var ds []time.Duration
		cells := 0
		for i := 0; i < 5; i++ {
			t0 := time.Now()
			cs, err := b.db.Cells(ctx, c.f, c.zoom)
			ds = append(ds, time.Since(t0))
			if err != nil {
				return err
			}
			cells = len(cs)
		}
		b.fig.add(c.name+"_ms", percentile(ds, 50), "ms", fmt.Sprintf("Cells zoom %d, %d cells, median of 5", c.zoom, cells))
		t0 := time.Now()
		size := 360 / float64(uint(1)<<(c.zoom+3))
		agg := map[[2]int]int{}
		err := b.db.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error {
			if r.Location != nil && matchFilter(r, c.f) {
				agg[[2]int{int((r.Location.Lon + 180) / size), int((r.Location.Lat + 90) / size)}]++
			}
			return nil
		})
		if err != nil {
			return err
		}
		b.fig.add("baseline_"+c.name+"_ms", float64(time.Since(t0))/float64(time.Millisecond), "ms", "full scan")
	}
	return nil
}

// qtPoint is one report in the quadtree alternative.
type qtPoint struct {
	p    orb.Point
	time int64
	id   string
}

func (q *qtPoint) Point() orb.Point { return q.p }

// benchQuadtree measures the alternative to the cell index: an orb
// quadtree of every located report, built at open, queried by bbox, then
// filtered by time, sorted and the newest 1000 read from the store.
func (b *storeBench) benchQuadtree(ctx context.Context) error {
	runtime.GC()
	before := heapBytes()
	t0 := time.Now()
	qt := quadtree.New(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}})
	err := b.db.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error {
		if r.Location == nil {
			return nil
		}
		return qt.Add(&qtPoint{orb.Point{r.Location.Lon, r.Location.Lat}, r.Time.UnixNano(), r.ID})
	})
	if err != nil {
		return err
	}
	build := time.Since(t0)
	runtime.GC()
	b.fig.add("quadtree_build_s", build.Seconds(), "s", "orb quadtree from a full read, needed at every open")
	b.fig.add("quadtree_heap_mb", float64(heapBytes()-before)/(1<<20), "MB", "")
	fs, err := b.queries(ctx, false)
	if err != nil {
		return err
	}
	// The cell index answers the same queries interleaved with the quadtree,
	// so that both see the same machine load.
	var ds, cell []time.Duration
	var buf []orb.Pointer
	for _, f := range fs {
		t0 := time.Now()
		if _, err := b.db.FindReports(ctx, f); err != nil {
			return err
		}
		cell = append(cell, time.Since(t0))
		t0 = time.Now()
		from, to := f.From.UnixNano(), f.To.UnixNano()
		bound := orb.Bound{Min: orb.Point{f.BBox.W, f.BBox.S}, Max: orb.Point{f.BBox.E, f.BBox.N}}
		buf = qt.InBoundMatching(buf[:0], bound, func(p orb.Pointer) bool {
			t := p.(*qtPoint).time
			return t >= from && t < to
		})
		slices.SortFunc(buf, func(x, y orb.Pointer) int { return int(y.(*qtPoint).time - x.(*qtPoint).time) })
		for _, p := range buf[:min(len(buf), 1000)] {
			if _, err := b.db.FindReportByID(ctx, p.(*qtPoint).id); err != nil {
				return err
			}
		}
		ds = append(ds, time.Since(t0))
	}
	b.fig.add("cellindex_query_p50_ms", percentile(cell, 50), "ms", "FindReports, interleaved with the quadtree's")
	b.fig.add("cellindex_query_p99_ms", percentile(cell, 99), "ms", "")
	b.fig.add("quadtree_query_p50_ms", percentile(ds, 50), "ms", "InBound, time filter, sort, read newest 1000")
	b.fig.add("quadtree_query_p99_ms", percentile(ds, 99), "ms", "")
	runtime.KeepAlive(qt)
	return nil
}

func (b *storeBench) benchExport(ctx context.Context) error {
	var bytes int64
	fw := geotag.NewFeatureWriter(countWriter{&bytes})
	cpu0 := cpuTime()
	took, peak, err := measure(func() error {
		if err := b.db.EachFeature(ctx, geotag.ReportFilter{}, geotag.FullFeature, fw.WriteFeature); err != nil {
			return err
		}
		return fw.Close()
	})
	if err != nil {
		return err
	}
	if fw.Count() != b.n {
		return fmt.Errorf("exported %d features of %d", fw.Count(), b.n)
	}
	b.fig.add("export_features_per_s", float64(b.n)/took.Seconds(), "features/s",
		fmt.Sprintf("EachFeature → FeatureWriter, %.0f MB/s", float64(bytes)/took.Seconds()/1e6))
	b.fig.add("export_peak_heap_mb", peak, "MB", "peak live heap during the export")
	b.fig.add("export_cpu_us_per_feature", float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(b.n), "µs",
		"process CPU time per feature, all goroutines (robust to a busy machine)")

	// The same output through decoded reports (what EachReport callers get).
	bytes = 0
	fw = geotag.NewFeatureWriter(countWriter{&bytes})
	cpu0 = cpuTime()
	took, peak, err = measure(func() error {
		if err := b.db.EachReport(ctx, geotag.ReportFilter{}, fw.Write); err != nil {
			return err
		}
		return fw.Close()
	})
	if err != nil {
		return err
	}
	b.fig.add("export_reports_features_per_s", float64(b.n)/took.Seconds(), "features/s", "EachReport → FeatureWriter")
	b.fig.add("export_reports_peak_heap_mb", peak, "MB", "")
	b.fig.add("export_reports_cpu_us_per_feature", float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(b.n), "µs", "")

	bytes = 0
	enc := json.NewEncoder(countWriter{&bytes})
	cpu0 = cpuTime()
	took, peak, err = measure(func() error {
		return b.db.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error {
			var f *geojson.Feature
			if r.Location != nil {
				f = geojson.NewFeature(orb.Point{r.Location.Lon, r.Location.Lat})
			} else {
				f = geojson.NewFeature(nil)
			}
			f.ID = r.ID
			names := make([]string, 0, len(r.Mentions))
			for _, m := range r.Mentions {
				if m.Place != nil {
					names = append(names, m.Place.Name)
				}
			}
			f.Properties = geojson.Properties{"id": r.ID, "title": r.Title, "time": r.Time, "source": r.Source,
				"status": r.Status, "tags": r.Tags, "mentions": names, "created": r.Created, "updated": r.Updated}
			if l := r.Location; l != nil {
				f.Properties["precision"], f.Properties["place_id"] = l.Precision, l.PlaceID
				f.Properties["location"], f.Properties["method"] = l.Name, l.Provenance.Method
			}
			return enc.Encode(f)
		})
	})
	if err != nil {
		return err
	}
	b.fig.add("baseline_export_features_per_s", float64(b.n)/took.Seconds(), "features/s", "")
	b.fig.add("baseline_export_peak_heap_mb", peak, "MB", "")
	b.fig.add("baseline_export_cpu_us_per_feature", float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(b.n), "µs", "")
	return nil
}

// measure runs fn and returns its duration and the peak live heap in MB,
// sampled every millisecond.
func measure(fn func() error) (time.Duration, float64, error) {
	runtime.GC()
	runtime.GC() // the first can leave objects a finalizer released
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if h := heapBytes(); h > peak {
				peak = h
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	t0 := time.Now()
	err := fn()
	took := time.Since(t0)
	close(done)
	wg.Wait()
	return took, float64(peak) / (1 << 20), err
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapBytes is the heap in use by objects, live or not yet swept.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

type countWriter struct{ n *int64 }

func (w countWriter) Write(p []byte) (int, error) { *w.n += int64(len(p)); return len(p), nil }
