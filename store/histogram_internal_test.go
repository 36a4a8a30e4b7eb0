package store

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// TestHistogramFromCounts checks the day bins counted from the cell-day
// counts against the matches of a walk, on clustered random data and
// views from the whole world down to a few streets, across the
// antimeridian, with and without day-aligned time windows.
func TestHistogramFromCounts(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "geotag.db"), &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(3, 4))
	day0 := time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)
	centres := [][2]float64{{36.2, 37.16}, {31.5, 34.47}, {48.5, 37.8}, {-12, -77}, {0.2, 179.99}, {-33.9, 18.4}}
	var batch []*geotag.Report
	for i := 0; i < 4000; i++ {
		r := &geotag.Report{Title: "r", Text: "t", Time: day0.Add(time.Duration(rng.Int64N(int64(800 * 24 * time.Hour))))}
		if i%500 == 0 {
			r.Time = day0.AddDate(-1, 0, 0).Add(-time.Second) // before midnight: the day before
		}
		if rng.IntN(12) > 0 {
			c := centres[rng.IntN(len(centres))]
			s := []float64{0.01, 0.2, 3}[rng.IntN(3)]
			lat := math.Max(-89.9, math.Min(89.9, c[0]+rng.NormFloat64()*s))
			lon := c[1] + rng.NormFloat64()*s
			if lon > 180 {
				lon -= 360
			}
			r.Location = &geotag.Location{Lat: lat, Lon: math.Max(-180, math.Min(180, lon)), Mention: -1}
		}
		batch = append(batch, r)
	}
	if _, err := db.Import(ctx, batch); err != nil {
		t.Fatal(err)
	}
	// Some updates and deletes, so that the counts are maintained ones.
	for i, r := range batch[:300] {
		if i%2 == 0 {
			if err := db.DeleteReport(ctx, r.ID); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, err := db.UpdateReport(ctx, r.ID, func(r *geotag.Report) error {
			r.Time = r.Time.Add(-40 * 24 * time.Hour)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}

	fromCounts := 0
	for i := 0; i < 400; i++ {
		var f geotag.ReportFilter
		switch rng.IntN(4) {
		case 0: // the world or a continent
			if rng.IntN(2) == 0 {
				w, s := rng.Float64()*360-180, rng.Float64()*180-90
				f.BBox = &geotag.BBox{W: w, S: s, E: math.Min(180, w+rng.Float64()*200), N: math.Min(90, s+rng.Float64()*100)}
			}
		default: // a view around a cluster, from a country to streets
			c := centres[rng.IntN(len(centres))]
			w := 360 / math.Exp2(float64(4+rng.IntN(12))) * 7
			lat, lon := c[0]+rng.NormFloat64()*w/4, math.Mod(c[1]+rng.NormFloat64()*w/4+540, 360)-180
			f.BBox = &geotag.BBox{W: lon - w/2, S: math.Max(-90, lat-w/3), E: lon + w/2, N: math.Min(90, lat+w/3)}
			if f.BBox.W < -180 {
				f.BBox.W += 360
			}
			if f.BBox.E > 180 {
				f.BBox.E -= 360
			}
			if rng.IntN(6) == 0 { // on the cell grid: W and S on level-8 cell edges
				f.BBox.W = math.Floor((f.BBox.W+180)/(360.0/256))*(360.0/256) - 180
				f.BBox.S = math.Floor((f.BBox.S+90)/(180.0/256))*(180.0/256) - 90
			}
		}
		if rng.IntN(3) == 0 {
			from := day0.AddDate(0, 0, rng.IntN(300)-100)
			f.From = &from
		}
		if rng.IntN(3) == 0 {
			to := day0.AddDate(0, 0, 200+rng.IntN(700))
			f.To = &to
		}
		bins := []int{1, 7, 100, 1000}[rng.IntN(4)]
		h, err := db.histogram(ctx, f, bins, 0)
		if err != nil {
			t.Fatal(err)
		}
		// The matches, by the walk.
		var times []time.Time
		q, _ := compile(f)
		if err := db.EachReport(ctx, f, func(r *geotag.Report) error {
			times = append(times, r.Time)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if h.Total != len(times) {
			t.Fatalf("filter %+v bbox %+v: total %d, the walk finds %d", f, f.BBox, h.Total, len(times))
		}
		if len(times) == 0 {
			if len(h.Counts) != 0 {
				t.Fatalf("%d bins for no matches", len(h.Counts))
			}
			continue
		}
		if len(h.Counts) == 0 || len(h.Counts) > bins {
			t.Fatalf("filter %+v bbox %+v: %d bins, want 1…%d", f, f.BBox, len(h.Counts), bins)
		}
		width := time.Duration(h.WidthSeconds) * time.Second
		days := width%(24*time.Hour) == 0
		if days {
			fromCounts++
			if d := width / (24 * time.Hour); d&(d-1) != 0 || h.From.Unix()%86400 != 0 {
				t.Fatalf("day bins of %v from %v", width, h.From)
			}
			if !q.countable(0) || q.boxes == nil {
				t.Fatalf("filter %+v: day bins without counts", f)
			}
		}
		want := make([]int, len(h.Counts))
		for _, tm := range times {
			i := int(tm.Sub(h.From) / width)
			if tm.Before(h.From) || i >= len(want) {
				t.Fatalf("filter %+v bbox %+v: report at %v outside the bins %v + %d × %v", f, f.BBox, tm, h.From, len(want), width)
			}
			want[i]++
		}
		for i := range want {
			if h.Counts[i] != want[i] {
				t.Fatalf("filter %+v bbox %+v: bin %d of %v: %d, want %d", f, f.BBox, i, width, h.Counts[i], want[i])
			}
		}
		if h.Counts[0] == 0 || h.Counts[len(h.Counts)-1] == 0 {
			t.Fatalf("the end bins are empty: %v", h.Counts)
		}
		if days && width > 24*time.Hour { // the narrowest width ending at the newest day
			half := int64(width / time.Second / 2 / 86400)
			lo, hi := times[0].Unix(), times[0].Unix()
			for _, tm := range times {
				lo, hi = min(lo, tm.Unix()), max(hi, tm.Unix())
			}
			if n := (floorDiv(hi, 86400)-floorDiv(lo, 86400))/half + 1; n <= int64(bins) {
				t.Fatalf("filter %+v: width %v where %v makes %d ≤ %d bins", f, width, width/2, n, bins)
			}
		}
	}
	if fromCounts < 100 {
		t.Fatalf("%d of 400 histograms came from the counts", fromCounts)
	}
}
