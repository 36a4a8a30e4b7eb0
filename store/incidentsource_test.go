package store_test

import (
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// TestIncidentSourceDeleted on bbolt: deleting a source through the desk
// frees its link and re-derives the incident from the sources left; the
// last source's deletion deletes the incident and frees that link too.
func TestIncidentSourceDeleted(t *testing.T) {
	db := mustOpen(t)
	d := geotag.IncidentDesk{Reports: db, Incidents: db, Now: time.Now}
	var ids []string
	for i, f := range []int{3, 8} {
		r := &geotag.Report{Text: "strike", Time: time.Date(2024, 3, 1, i, 0, 0, 0, time.UTC), Event: geotag.Event{EventType: "Battles", Fatalities: iptr(f)}}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	inc, err := d.Create(ctx, "Strike", ids, geotag.IncidentSet{}, "desk")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteReport(ctx, ids[0], "desk"); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindIncidentByID(ctx, inc.ID)
	if err != nil || len(got.Sources) != 1 || got.Sources[0] != ids[1] || *got.Figures.Fatalities != 8 || got.Figures.Time.Hour() != 1 {
		t.Fatalf("after deleting a source: %+v, %v", got, err)
	}
	if of, _ := db.IncidentOf(ctx, ids[0]); of != "" {
		t.Errorf("the deleted report is still linked to %s", of)
	}
	if err := d.DeleteReport(ctx, ids[1], "desk"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindIncidentByID(ctx, inc.ID); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Errorf("the incident outlived its last source: %v", err)
	}
	if of, _ := db.IncidentOf(ctx, ids[1]); of != "" {
		t.Errorf("the last source is still linked to %s", of)
	}
	if err := d.DeleteReport(ctx, ids[1], "desk"); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Errorf("deleting again: %v", err)
	}
}
