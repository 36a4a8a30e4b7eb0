package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
)

// TestLoadEmpty: a bulk load imports without the trigram indexes and
// builds them after, also when the load fails, so that Verify finds every
// index and text searches find the loaded reports; a store that holds
// reports is refused.
func TestLoadEmpty(t *testing.T) {
	db := postgres.OpenFresh(t)
	ctx := context.Background()
	fail := errors.New("load failed")
	var rs []*geotag.Report
	for i := range 30 {
		rs = append(rs, &geotag.Report{Title: fmt.Sprint("load ", i), Text: fmt.Sprint("Shelling near Kharkiv ", i), ExternalID: fmt.Sprint("l", i)})
	}
	err := db.LoadEmpty(ctx, func() error {
		if err := db.Verify(ctx); err == nil {
			t.Error("Verify passed during the load: the trigram indexes were not dropped")
		}
		if _, err := db.Import(ctx, rs[:10]); err != nil {
			return err
		}
		return fail
	})
	if err != fail {
		t.Fatalf("LoadEmpty returned %v, want fn's error", err)
	}
	if err := db.Verify(ctx); err != nil {
		t.Fatalf("after a failed load: %v", err)
	}
	if err := db.LoadEmpty(ctx, func() error { return nil }); geotag.ErrorCode(err) != geotag.ECONFLICT {
		t.Fatalf("LoadEmpty of a store with reports: %v, want ECONFLICT", err)
	}
	page, err := db.FindReports(ctx, geotag.ReportFilter{Q: "kharkiv 3"})
	if err != nil || page.Total != 1 {
		t.Fatalf("q=kharkiv 3: %d, %v", page.Total, err)
	}
}
