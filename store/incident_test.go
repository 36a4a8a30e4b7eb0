package store_test

import (
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// TestIncidents: create links reports (ENOTFOUND for an unknown one,
// ECONFLICT for one in another incident), update moves the links and the
// version, the listing filters on the figures newest first and pages
// with a cursor, delete frees the sources.
func TestIncidents(t *testing.T) {
	db := mustOpen(t)
	var ids []string
	for i := range 4 {
		r := &geotag.Report{Text: "strike", Time: time.Date(2024, 3, 1, i, 0, 0, 0, time.UTC)}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	at := func(h int) time.Time { return time.Date(2024, 3, 1, h, 0, 0, 0, time.UTC) }
	a := &geotag.Incident{Title: "A", Sources: ids[:2], Figures: geotag.IncidentFigures{Time: at(1), EventType: "Battles", Fatalities: iptr(3)}}
	if err := db.CreateIncident(ctx, a); err != nil || a.ID == "" || a.Version != 1 {
		t.Fatalf("create: %+v %v", a, err)
	}
	if err := db.CreateIncident(ctx, &geotag.Incident{Sources: []string{ids[1], ids[2]}}); geotag.ErrorCode(err) != geotag.ECONFLICT {
		t.Errorf("a linked report again: %v", err)
	}
	if err := db.CreateIncident(ctx, &geotag.Incident{Sources: []string{"01ARZ3NDEKTSV4RRFFQ69G5FAV"}}); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Errorf("an unknown report: %v", err)
	}
	if got, _ := db.IncidentOf(ctx, ids[2]); got != "" {
		t.Errorf("a refused create linked %s", got)
	}
	b := &geotag.Incident{Title: "B", Sources: ids[2:3], Figures: geotag.IncidentFigures{Time: at(5), EventType: "Riots"}}
	if err := db.CreateIncident(ctx, b); err != nil {
		t.Fatal(err)
	}
	up, err := db.UpdateIncident(ctx, a.ID, func(inc *geotag.Incident) error {
		inc.Sources = []string{ids[0], ids[3]}
		inc.Figures.Time = at(7)
		return nil
	})
	if err != nil || up.Version != 2 {
		t.Fatalf("update: %+v %v", up, err)
	}
	if x, _ := db.IncidentOf(ctx, ids[1]); x != "" {
		t.Errorf("unlinked report still in %s", x)
	}
	if x, _ := db.IncidentOf(ctx, ids[3]); x != a.ID {
		t.Errorf("linked report in %q", x)
	}
	page, err := db.FindIncidents(ctx, geotag.ReportFilter{Limit: 1})
	if err != nil || len(page.Incidents) != 1 || page.Incidents[0].ID != a.ID || page.Next == "" {
		t.Fatalf("first page %+v %v", page, err)
	}
	page, err = db.FindIncidents(ctx, geotag.ReportFilter{Limit: 1, Cursor: page.Next})
	if err != nil || len(page.Incidents) != 1 || page.Incidents[0].ID != b.ID || page.Next != "" {
		t.Fatalf("second page %+v %v", page, err)
	}
	for _, c := range []struct {
		f    geotag.ReportFilter
		want int
	}{{geotag.ReportFilter{EventTypes: []string{"Riots"}}, 1}, {geotag.ReportFilter{FatalitiesMin: iptr(3)}, 1},
		{geotag.ReportFilter{To: ptime(at(6))}, 1}, {geotag.ReportFilter{Q: "b"}, 1}} {
		if p, err := db.FindIncidents(ctx, c.f); err != nil || len(p.Incidents) != c.want {
			t.Errorf("%+v: %d, %v", c.f, len(p.Incidents), err)
		}
	}
	if _, err := db.FindIncidents(ctx, geotag.ReportFilter{Tag: "x"}); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("tag filter: %v", err)
	}
	if err := db.DeleteIncident(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindIncidentByID(ctx, a.ID); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Errorf("deleted: %v", err)
	}
	if err := db.CreateIncident(ctx, &geotag.Incident{Sources: ids[:1]}); err != nil {
		t.Errorf("a freed report: %v", err)
	}
}
