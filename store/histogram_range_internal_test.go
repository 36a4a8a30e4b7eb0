package store

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// putUnchecked stores rs as a store from before the report time range
// would hold them: without Report.Validate.
func putUnchecked(tb testing.TB, db *DB, rs []*geotag.Report) {
	tb.Helper()
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		for _, r := range rs {
			now := db.now().UTC()
			if _, err := db.insert(tx, r, db.ids.next(now), now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// checkHistogram checks the shape of any histogram: at most bins bins, a
// positive width, the span within the report time range's reach, ends
// that JSON can write, and counts that add up.
func checkHistogram(tb testing.TB, h geotag.Histogram, bins, matches int) {
	tb.Helper()
	if h.Total != matches {
		tb.Fatalf("total %d, %d matches", h.Total, matches)
	}
	if matches == 0 {
		return
	}
	if len(h.Counts) < 1 || len(h.Counts) > bins || h.WidthSeconds <= 0 {
		tb.Fatalf("%d bins of %d s for bins=%d", len(h.Counts), h.WidthSeconds, bins)
	}
	sum := 0
	for _, c := range h.Counts {
		sum += c
	}
	to := time.Unix(h.From.Unix()+int64(len(h.Counts))*h.WidthSeconds, 0)
	if sum != h.Total || !to.After(h.From) {
		tb.Fatalf("counts %v add to %d (total %d), from %v to %v", h.Counts, sum, h.Total, h.From, to)
	}
	// The bins hold the range's nearer end for times outside it: they may
	// reach a width past the range, never further.
	if h.From.Unix() < geotag.MinReportTime.Unix()-h.WidthSeconds || to.Unix() > geotag.MaxReportTime.Unix()+h.WidthSeconds {
		tb.Fatalf("bins from %v to %v (width %d s) leave the report time range", h.From, to, h.WidthSeconds)
	}
	if _, err := h.From.MarshalJSON(); err != nil {
		tb.Fatal(err)
	}
	if _, err := to.MarshalJSON(); err != nil {
		tb.Fatal(err)
	}
}

// TestHistogramExtremeTimes: reports stored with times far outside the
// report time range (years 1, 2400 and 9999), and reports on both sides
// of 1970, give a histogram of the right shape in one bin or many, from
// the walk and from the cell-day counts alike; before, the counts' bins
// aligned to 1970 doubled their width until it overflowed (a divide by
// zero) and wide bins overflowed time.Duration.
func TestHistogramExtremeTimes(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "geotag.db"), &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc := func(i int) *geotag.Location {
		return &geotag.Location{Lat: 36 + float64(i%10)/10, Lon: 37 + float64(i%7)/10, Mention: -1}
	}
	var rs []*geotag.Report
	for i := 0; i < 40; i++ { // either side of 1970
		rs = append(rs, &geotag.Report{Title: "a", Time: time.Unix(int64(i-20)*86400*3, 0), Location: loc(i)})
	}
	putUnchecked(t, db, rs)
	bbox := &geotag.BBox{W: 30, S: 30, E: 40, N: 40}
	for _, bins := range []int{1, 2, 3, 1000} {
		for _, min := range []int{-1, 0} { // the walk, the counts
			h, err := db.histogram(ctx, geotag.ReportFilter{BBox: bbox}, bins, min)
			if err != nil {
				t.Fatal(err)
			}
			checkHistogram(t, h, bins, 40)
		}
	}
	putUnchecked(t, db, []*geotag.Report{
		{Title: "year 1", Time: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), Location: loc(1)},
		{Title: "year 9999", Time: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), Location: loc(2)},
		{Title: "year 2400", Time: time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC), Location: loc(3)},
		{Title: "zero", Location: loc(4)},
		{Title: "unlocated", Time: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
	})
	for _, f := range []geotag.ReportFilter{{BBox: bbox}, {}, {BBox: bbox, From: ptime(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)), To: ptime(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))}} {
		want := 0
		if err := db.EachReport(ctx, f, func(*geotag.Report) error { want++; return nil }); err != nil || want < 43 {
			t.Fatalf("%d matches: %v", want, err)
		}
		for _, bins := range []int{1, 2, 7, 1000} {
			for _, min := range []int{-1, 0} {
				h, err := db.histogram(ctx, f, bins, min)
				if err != nil {
					t.Fatal(err)
				}
				checkHistogram(t, h, bins, want)
			}
		}
	}
}

func ptime(t time.Time) *time.Time { return &t }

// FuzzHistogram: any stored times (also far outside the report time
// range), any time window and any bins give a histogram of the right
// shape (checkHistogram) or EINVALID, from the walk and from the counts.
func FuzzHistogram(f *testing.F) {
	f.Add(int64(-62135596800), int64(253402214400), int64(0), int64(0), 1, uint8(3))
	f.Add(int64(-86400), int64(86400), int64(-1), int64(1), 1000, uint8(10))
	f.Add(int64(13569465600), int64(0), int64(math.MinInt64), int64(math.MaxInt64), 2, uint8(1))
	db, err := Open(filepath.Join(f.TempDir(), "geotag.db"), &Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	n := 0
	f.Fuzz(func(t *testing.T, a, b, from, to int64, bins int, k uint8) {
		// Times within what the report encoding holds: Go times of years
		// -292e9…292e9 are too, but no store ever held them.
		a, b = a%(1<<40), b%(1<<40)
		var rs []*geotag.Report
		for i := 0; i < int(k%16)+1; i++ {
			sec := a + (b-a)/int64(k%16+1)*int64(i)
			rs = append(rs, &geotag.Report{Title: "f", Time: time.Unix(sec, 0).UTC(),
				Location: &geotag.Location{Lat: float64(i % 80), Lon: float64(i % 170), Mention: -1}})
		}
		putUnchecked(t, db, rs)
		n += len(rs)
		fl := geotag.ReportFilter{BBox: &geotag.BBox{W: -180, S: -90, E: 180, N: 90}}
		if from != 0 {
			fl.From = ptime(time.Unix(from%(1<<40), 0).UTC())
		}
		if to != 0 {
			fl.To = ptime(time.Unix(to%(1<<40), 0).UTC())
		}
		matches := 0
		if err := db.EachReport(context.Background(), fl, func(*geotag.Report) error { matches++; return nil }); err != nil {
			if geotag.ErrorCode(err) == geotag.EINVALID {
				return
			}
			t.Fatal(err)
		}
		for _, min := range []int{-1, 0} {
			h, err := db.histogram(context.Background(), fl, bins, min)
			if bins < 1 || bins > MaxBins {
				if geotag.ErrorCode(err) != geotag.EINVALID {
					t.Fatalf("bins %d: %v", bins, err)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			checkHistogram(t, h, bins, matches)
		}
	})
}
