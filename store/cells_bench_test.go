package store_test

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// BenchmarkCells measures the map's cluster counts of a dense store
// (50,000 located reports over a year, of every precision and event type):
// the world and a region, all time and a month of whole days, each
// answered from the cell-day counts. cpu-ms/op is the process's CPU time
// per call, which a machine shared with other work does not inflate as it
// does the wall time (ns/op).
func BenchmarkCells(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "geotag.db"), &store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(4, 2))
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var rs []*geotag.Report
	for range 50000 {
		r := &geotag.Report{Title: "r", Text: "t", Time: day0.Add(time.Duration(rng.IntN(365*24*60)) * time.Minute),
			Location: &geotag.Location{Lat: rng.Float64()*120 - 55, Lon: rng.Float64()*360 - 180, Precision: 1 + rng.IntN(3), Mention: -1}}
		if k := rng.IntN(10); k < len(geotag.EventTypes) {
			r.EventType = geotag.EventTypes[k].Name
		}
		rs = append(rs, r)
	}
	if _, err := db.Import(context.Background(), rs); err != nil {
		b.Fatal(err)
	}
	month := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		f    geotag.ReportFilter
		zoom int
	}{
		{"world", geotag.ReportFilter{}, 2},
		{"world_month", geotag.ReportFilter{From: &month}, 2},
		{"region", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 28, E: 45, N: 40}}, 6},
	} {
		b.Run(c.name, func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := db.Cells(context.Background(), c.f, c.zoom); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
