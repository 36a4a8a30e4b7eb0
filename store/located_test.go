package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// located=false finds the reports without a main location (no bbox
// selects them); true the others; pages, histogram and cells agree.
func TestFindReports_Located(t *testing.T) {
	db := mustOpen(t)
	base := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5 {
		r := &geotag.Report{Title: fmt.Sprint("r", i), Text: "text", Time: base.Add(time.Duration(i) * time.Hour)}
		if i%2 == 0 {
			r.Location = &geotag.Location{Lat: 36.2, Lon: 37.15, Precision: 1}
		}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	yes, no := true, false
	for _, c := range []struct {
		f    geotag.ReportFilter
		want int
	}{
		{geotag.ReportFilter{Located: &no}, 2},
		{geotag.ReportFilter{Located: &yes}, 3},
		{geotag.ReportFilter{Located: &no, Q: "text"}, 2},
		{geotag.ReportFilter{Located: &no, BBox: &geotag.BBox{W: -180, S: -90, E: 180, N: 90}}, 0},
		{geotag.ReportFilter{}, 5},
	} {
		p, err := db.FindReports(ctx, c.f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Reports {
			if c.f.Located != nil && (r.Location != nil) != *c.f.Located {
				t.Errorf("%+v gave %s located %v", c.f, r.Title, r.Location != nil)
			}
		}
		h, err := db.Histogram(ctx, c.f, 10)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != c.want || len(p.Reports) != c.want || h.Total != c.want {
			t.Errorf("%+v: total %d, %d reports, histogram %d; want %d", c.f, p.Total, len(p.Reports), h.Total, c.want)
		}
	}
}
