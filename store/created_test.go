package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// Reports created after an ID, or since a time, come oldest first, across
// the walk's chunks, and the walk stops at fn's error.
func TestEachReportCreated(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before := time.Now().Add(-time.Second)
	rs := make([]*geotag.Report, 600)
	for i := range rs {
		rs[i] = &geotag.Report{Title: fmt.Sprintf("r%d", i), Text: "text"}
	}
	if _, err := db.Import(ctx, rs); err != nil {
		t.Fatal(err)
	}
	walk := func(after string, since time.Time) []string {
		var ids []string
		if err := db.EachReportCreated(ctx, after, since, func(r *geotag.Report) error { ids = append(ids, r.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	all := walk("", before)
	if len(all) != 600 {
		t.Fatalf("%d reports since before the import, want 600", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i] <= all[i-1] {
			t.Fatalf("out of order at %d: %s after %s", i, all[i], all[i-1])
		}
	}
	if got := walk(all[9], time.Time{}); len(got) != 590 || got[0] != all[10] || got[589] != all[599] {
		t.Errorf("after the 10th: %d reports from %v", len(got), got[:min(1, len(got))])
	}
	if got := walk(all[599], time.Time{}); len(got) != 0 {
		t.Errorf("after the last: %v", got)
	}
	if got := walk("", time.Now().Add(time.Hour)); len(got) != 0 {
		t.Errorf("since an hour ahead: %d reports", len(got))
	}
	stop := errors.New("stop")
	n := 0
	if err := db.EachReportCreated(ctx, "", before, func(*geotag.Report) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("stopped walk: %v after %d", err, n)
	}
	if err := db.EachReportCreated(ctx, "nope", before, func(*geotag.Report) error { return nil }); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("a bad after: %v", err)
	}
}
