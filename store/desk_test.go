package store_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// Rules and desk places survive a restart, are in a backup, and every
// change is audited (who, when, before, after).
func TestRulesDeskPlacesAuditBackup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.db")
	db, err := store.Open(path, nil) // closed below, then opened again
	if err != nil {
		t.Fatal(err)
	}
	r := geotag.Rule{Words: "Palmyra", Key: "palmyra", Action: geotag.RuleNotPlace, By: "ana"}
	if err := db.CreateRule(ctx, &r); err != nil || r.ID == "" || r.Created.IsZero() {
		t.Fatalf("%v %+v", err, r)
	}
	r2 := geotag.Rule{Words: "Jordan", Key: "jordan", Action: geotag.RuleNotPlace, By: "ana"}
	if err := db.CreateRule(ctx, &r2); err != nil {
		t.Fatal(err)
	}
	up, err := db.UpdateRule(ctx, r.ID, "bo", func(r *geotag.Rule) error { r.Disabled = true; return nil })
	if err != nil || !up.Disabled || up.By != "ana" || !up.Updated.After(up.Created) && !up.Updated.Equal(up.Created) {
		t.Fatalf("%v %+v", err, up)
	}
	if err := db.DeleteRule(ctx, r2.ID, "cy"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteRule(ctx, r2.ID, "cy"); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Errorf("second delete: %v", err)
	}
	if _, err := db.UpdateRule(ctx, "nope", "x", func(*geotag.Rule) error { return nil }); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Errorf("update of none: %v", err)
	}

	d := geotag.DeskPlace{Names: []string{"Camp Seven"}, Lat: 34, Lon: 38, By: "ana"}
	if err := db.CreateDeskPlace(ctx, &d); err != nil || d.ID != geotag.DeskPlaceIDBase {
		t.Fatalf("%v %+v", err, d)
	}
	d2 := geotag.DeskPlace{Names: []string{"Checkpoint 4"}, Lat: 33, Lon: 36}
	if err := db.CreateDeskPlace(ctx, &d2); err != nil || d2.ID != geotag.DeskPlaceIDBase-1 {
		t.Fatalf("%v %+v", err, d2)
	}
	if _, err := db.UpdateDeskPlace(ctx, d.ID, "bo", func(d *geotag.DeskPlace) error { d.Lat = 34.5; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteDeskPlace(ctx, d2.ID, "bo"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteDeskPlace(ctx, 5, "bo"); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Errorf("a gazetteer id: %v", err)
	}

	es, err := db.Audit(ctx, geotag.AuditFilter{})
	if err != nil || len(es) != 8 {
		t.Fatalf("%v: %d entries", err, len(es))
	}
	if e := es[0]; e.Kind != geotag.AuditDeskPlace || e.Action != "delete" || e.By != "bo" || e.After != nil || !bytes.Contains(e.Before, []byte("Checkpoint 4")) {
		t.Errorf("newest = %+v", e)
	}
	ru, _ := db.Audit(ctx, geotag.AuditFilter{Kind: geotag.AuditRule, ID: r.ID})
	if len(ru) != 2 || ru[0].Action != "update" || ru[0].By != "bo" || !bytes.Contains(ru[0].After, []byte(`"disabled":true`)) || ru[1].Action != "create" {
		t.Errorf("rule's entries = %+v", ru)
	}
	older, _ := db.Audit(ctx, geotag.AuditFilter{Before: es[1].Seq, Limit: 2})
	if len(older) != 2 || older[0].Seq != es[2].Seq {
		t.Errorf("page before %d = %+v", es[1].Seq, older)
	}
	if _, err := db.Audit(ctx, geotag.AuditFilter{Kind: "x"}); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("unknown kind: %v", err)
	}

	// A backup holds them all.
	var buf bytes.Buffer
	if _, err := db.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	cp := openSnapshot(t, buf.Bytes())
	checkDesk(t, cp, r.ID, d.ID, 8)

	// So does the store after a restart.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	checkDesk(t, mustOpenPath(t, path), r.ID, d.ID, 8)
}

func checkDesk(t *testing.T, db *store.DB, ruleID string, placeID int64, audits int) {
	t.Helper()
	rs, err := db.Rules(ctx)
	if err != nil || len(rs) != 1 || rs[0].ID != ruleID || !rs[0].Disabled {
		t.Errorf("rules: %v %+v", err, rs)
	}
	ds, err := db.DeskPlaces(ctx)
	if err != nil || len(ds) != 1 || ds[0].ID != placeID || ds[0].Lat != 34.5 {
		t.Errorf("desk places: %v %+v", err, ds)
	}
	if es, _ := db.Audit(ctx, geotag.AuditFilter{}); len(es) != audits {
		t.Errorf("%d audit entries, want %d", len(es), audits)
	}
}

// UpdateReports writes the reports fn takes in one transaction, with
// their indexes, and leaves the others (and unknown ids) alone.
func TestUpdateReports(t *testing.T) {
	db := mustOpen(t)
	var ids []string
	for i := range 5 {
		r := &geotag.Report{Title: fmt.Sprint(i), Text: "x"}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	got, err := db.UpdateReports(ctx, append(ids, "nope"), func(r *geotag.Report) bool {
		n, _ := strconv.Atoi(r.Title)
		r.Tags = []string{"even"}
		return n%2 == 0
	})
	if err != nil || len(got) != 3 || got[0] != ids[0] || got[2] != ids[4] {
		t.Fatalf("%v %v", err, got)
	}
	p, err := db.FindReports(ctx, geotag.ReportFilter{Tag: "even"})
	if err != nil || p.Total != 3 {
		t.Fatalf("the tag index: %v %d", err, p.Total)
	}
}

// A finished bulk correction's record comes back, replaced by a later save.
func TestBulkLog(t *testing.T) {
	db := mustOpen(t)
	if _, err := db.FindBulk(ctx, "b1"); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Fatalf("none: %v", err)
	}
	rec := geotag.BulkRecord{ID: "b1", Kind: "correction", By: "ana", Changed: []string{"a", "b"},
		Correction: geotag.BulkCorrection{Words: "Palmyra", PlaceID: 1, Action: geotag.ActionRemove}}
	if err := db.SaveBulk(ctx, rec); err != nil {
		t.Fatal(err)
	}
	rec.UndoneBy = "b2"
	if err := db.SaveBulk(ctx, rec); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindBulk(ctx, "b1")
	if err != nil || got.UndoneBy != "b2" || len(got.Changed) != 2 || got.Correction.Words != "Palmyra" || got.By != "ana" {
		t.Fatalf("%v %+v", err, got)
	}
}
