package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
)

// TestImport: Import stores what CreateReport would, skips stored and
// repeated external ids (answering the stored report), and keeps the
// indexes and counts the queries use.
func TestImport(t *testing.T) {
	db := postgres.OpenFresh(t)
	ctx := context.Background()
	pre := &geotag.Report{Title: "already", ExternalID: "x-3"}
	if err := db.CreateReport(ctx, pre); err != nil {
		t.Fatal(err)
	}
	var rs []*geotag.Report
	for i := range 2500 { // more than one batch
		r := &geotag.Report{Title: fmt.Sprint("r", i), ExternalID: fmt.Sprint("x-", i%2400), Time: time.Date(2025, 1, 1, 0, i, 0, 0, time.UTC),
			Tags: []string{"Bulk", fmt.Sprint("t", i%3)}}
		if i%2 == 0 {
			r.Location = &geotag.Location{Lat: 10, Lon: float64(i%360) - 180, Mention: -1}
		}
		rs = append(rs, r)
	}
	res, err := db.Import(ctx, rs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2399 || res.Duplicates != 101 {
		t.Fatalf("created %d, duplicates %d; want 2399 and 101", res.Created, res.Duplicates)
	}
	if rs[3].ID != pre.ID || rs[2403].ID != rs[3].ID || rs[2401].ID != rs[1].ID || rs[5].ID == "" {
		t.Fatal("skipped reports are not answered with the stored ones")
	}
	page, err := db.FindReports(ctx, geotag.ReportFilter{Tag: "bulk"})
	if err != nil || page.Total != 2399 {
		t.Fatalf("tag total %d, %v", page.Total, err)
	}
	tags, err := db.Tags(ctx, geotag.ReportFilter{}, "t", 10)
	if err != nil || len(tags.Tags) != 3 {
		t.Fatalf("tags %+v, %v", tags, err)
	}
	cells, err := db.Cells(ctx, geotag.ReportFilter{}, 0)
	n := 0
	for _, c := range cells {
		n += c.Count
	}
	if err != nil || n != 1200 {
		t.Fatalf("cells count %d located, want 1200 (%v)", n, err)
	}
	if err := db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	if got := slices.IndexFunc(rs, func(r *geotag.Report) bool { return r.Status != geotag.StatusUnreviewed }); got >= 0 {
		t.Fatalf("report %d has status %q", got, rs[got].Status)
	}
}
