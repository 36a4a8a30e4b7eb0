package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
)

// TestFeatures: FindFeatures and EachFeature, which send stored features,
// give exactly the features of the full reports; so do rows whose stored
// features are missing (written before the columns) or were made by
// another encoder (another feature_ver), encoded from their records.
func TestFeatures(t *testing.T) {
	db := postgres.OpenFresh(t)
	ctx := context.Background()
	for i := range 40 {
		p := &geotag.Place{ID: int64(100 + i%5), Name: fmt.Sprint("Place ", i%5), Lat: 10, Lon: 20, Feature: "P.PPL"}
		alt := geotag.Candidate{Place: geotag.Place{ID: 999, Name: "Elsewhere"}}
		r := &geotag.Report{Title: fmt.Sprint("r", i), Text: "At Place <b>\"x\"</b>", ExternalID: fmt.Sprint("f", i), Tags: []string{"a"},
			Time:     time.Date(2025, 1, 1, i, 0, 0, 0, time.UTC),
			Mentions: []geotag.Mention{{Start: 3, End: 8, Text: "Place", Kind: "place", Place: p, Alternatives: []geotag.Candidate{alt}}},
			Location: &geotag.Location{Lat: 10, Lon: 20, PlaceID: p.ID, Name: p.Name},
			History:  []geotag.Revision{{Action: "create", Mention: -1, BeforeText: new(string)}}}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	checkFeatures(t, db)
	if _, err := db.Exec(ctx, `UPDATE reports SET feature = NULL, feature_full = NULL, feature_ver = NULL WHERE title_lc LIKE '%1'`); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Exec(ctx, `UPDATE reports SET feature = 'x', feature_full = 'y', feature_ver = feature_ver + 1 WHERE title_lc LIKE '%2'`); err != nil || n != 4 {
		t.Fatal(n, err)
	}
	checkFeatures(t, db)
}

func checkFeatures(t *testing.T, db *postgres.DB) {
	t.Helper()
	ctx := context.Background()
	f := geotag.ReportFilter{Limit: 15, BBox: &geotag.BBox{W: 0, S: 0, E: 30, N: 30}}
	for {
		page, err := db.FindReports(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		fp, err := db.FindFeatures(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var want []byte
		for _, r := range page.Reports {
			want = append(geotag.AppendReportFeature(want, r), '\n')
		}
		if !bytes.Equal(fp.Features, want) || fp.N != len(page.Reports) || fp.Next != page.Next || fp.Total != page.Total {
			t.Fatalf("FindFeatures differs from FindReports' features:\n%s\n%s", fp.Features, want)
		}
		if page.Next == "" {
			break
		}
		f.Cursor = page.Next
	}
	var got, want []byte
	if err := db.EachFeature(ctx, geotag.ReportFilter{}, geotag.FullFeature, func(b []byte) error {
		got = append(append(got, b...), '\n')
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error {
		want = append(geotag.AppendReportFeatureWith(want, r, geotag.FullFeature), '\n')
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) || bytes.Count(got, []byte("\n")) != 40 {
		t.Fatalf("EachFeature differs from EachReport's features")
	}
}
