package geotag_test

import (
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func TestDayHistogram(t *testing.T) {
	day := func(s string) int64 {
		tm, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.Unix() / 86400
	}
	// 2024-01-01 … 2024-12-31 in 10 bins: 366 days → width 64, six bins
	// ending with the newest day's; empty days at the ends do not count.
	perDay := map[int64]int{day("2023-12-01"): 0, day("2024-01-01"): 2, day("2024-06-01"): 3, day("2024-12-31"): 1, day("2025-02-01"): 0}
	h, ok := geotag.DayHistogram(perDay, 10)
	if !ok {
		t.Fatal("not counted in days")
	}
	if h.WidthSeconds != 64*86400 || len(h.Counts) != 6 || h.Total != 6 {
		t.Fatalf("width %d s, %d bins, total %d; want 64 days, 6 bins, 6", h.WidthSeconds, len(h.Counts), h.Total)
	}
	if end := h.From.Add(time.Duration(len(h.Counts)) * time.Duration(h.WidthSeconds) * time.Second); !end.Equal(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("bins end %v, want the midnight after the newest day", end)
	}
	if h.Counts[0] != 2 || h.Counts[5] != 1 {
		t.Errorf("counts %v: oldest bin should hold 2, newest 1", h.Counts)
	}
	// A span too short for day bins, and no reports, are left to minute bins.
	if _, ok := geotag.DayHistogram(map[int64]int{day("2024-01-01"): 1, day("2024-01-03"): 1}, 100); ok {
		t.Error("three days in 100 bins counted in days")
	}
	if _, ok := geotag.DayHistogram(map[int64]int{day("2024-01-01"): 0}, 10); ok {
		t.Error("no reports counted in days")
	}
}
