package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// IncidentStore is a backend's report and incident services.
type IncidentStore interface {
	geotag.ReportService
	geotag.IncidentService
}

// RunIncidents runs the incident service contract on fresh stores made by
// open: links and their conflicts, updates, the listing's filters
// against Incident.Matches over every incident, paging, concurrent links
// of one report.
func RunIncidents(t *testing.T, open func(t *testing.T) IncidentStore) {
	tests := []struct {
		name string
		fn   func(*testing.T, IncidentStore)
	}{
		{"Links", testIncidentLinks},
		{"Update", testIncidentUpdate},
		{"List", testIncidentList},
		{"LinkConcurrent", testIncidentLinkConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// reportIDs stores n plain reports an hour apart and returns their IDs.
func reportIDs(t *testing.T, s geotag.ReportService, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		r := &geotag.Report{Text: fmt.Sprintf("strike %d", i), Time: day0.Add(time.Duration(i) * time.Hour)}
		if err := s.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

func iptr(n int) *int { return &n }

// testIncidentLinks: a create links its reports (ENOTFOUND for an unknown
// one, ECONFLICT for one in another incident, nothing linked by a refused
// create); delete frees them.
func testIncidentLinks(t *testing.T, s IncidentStore) {
	ids := reportIDs(t, s, 4)
	a := &geotag.Incident{Title: "A", Sources: ids[:2], Figures: geotag.IncidentFigures{Time: day0, EventType: "Battles"}}
	if err := s.CreateIncident(ctx, a); err != nil || a.ID == "" || a.Version != 1 || a.Created.IsZero() || !a.Updated.Equal(a.Created) {
		t.Fatalf("create: %+v %v", a, err)
	}
	wantCode(t, s.CreateIncident(ctx, &geotag.Incident{Sources: []string{ids[2], ids[1]}}), geotag.ECONFLICT, "a linked report again")
	wantCode(t, s.CreateIncident(ctx, &geotag.Incident{Sources: []string{ids[2], "01ARZ3NDEKTSV4RRFFQ69G5FAV"}}), geotag.ENOTFOUND, "an unknown report")
	wantCode(t, s.CreateIncident(ctx, &geotag.Incident{Sources: []string{ids[2], "x\x00\xff"}}), geotag.ENOTFOUND, "a malformed report id")
	wantCode(t, s.CreateIncident(ctx, &geotag.Incident{}), geotag.EINVALID, "no sources")
	if got, err := s.IncidentOf(ctx, ids[2]); got != "" || err != nil {
		t.Errorf("a refused create linked %q (%v)", got, err)
	}
	for i, want := range []string{a.ID, a.ID, "", ""} {
		if got, err := s.IncidentOf(ctx, ids[i]); got != want || err != nil {
			t.Errorf("IncidentOf(%d) = %q %v, want %q", i, got, err, want)
		}
	}
	if got, err := s.IncidentOf(ctx, "nope\xff"); got != "" || err != nil {
		t.Errorf("IncidentOf(unknown) = %q %v", got, err)
	}
	got, err := s.FindIncidentByID(ctx, a.ID)
	if err != nil || got.Title != "A" || !slices.Equal(got.Sources, ids[:2]) || got.Figures.EventType != "Battles" || got.Version != 1 {
		t.Fatalf("find: %+v %v", got, err)
	}
	for _, id := range []string{"01ARZ3NDEKTSV4RRFFQ69G5FAV", "", "\xff"} {
		_, err := s.FindIncidentByID(ctx, id)
		wantCode(t, err, geotag.ENOTFOUND, "unknown incident "+id)
		wantCode(t, s.DeleteIncident(ctx, id), geotag.ENOTFOUND, "delete of unknown incident")
	}
	if err := s.DeleteIncident(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindIncidentByID(ctx, a.ID)
	wantCode(t, err, geotag.ENOTFOUND, "deleted incident")
	wantCode(t, s.DeleteIncident(ctx, a.ID), geotag.ENOTFOUND, "second delete")
	if err := s.CreateIncident(ctx, &geotag.Incident{Sources: ids[:1]}); err != nil {
		t.Errorf("a freed report: %v", err)
	}
}

// testIncidentUpdate: an update moves the links and the version; fn's
// error, an invalid result, an unknown or taken source store nothing.
func testIncidentUpdate(t *testing.T, s IncidentStore) {
	ids := reportIDs(t, s, 4)
	a := &geotag.Incident{Title: "A", Sources: ids[:2]}
	b := &geotag.Incident{Title: "B", Sources: ids[2:3]}
	for _, inc := range []*geotag.Incident{a, b} {
		if err := s.CreateIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
	}
	up, err := s.UpdateIncident(ctx, a.ID, func(inc *geotag.Incident) error {
		inc.Sources = []string{ids[0], ids[3]}
		inc.Figures.Time = day0.Add(7 * time.Hour)
		inc.History = append(inc.History, geotag.IncidentRevision{Action: "link", Report: ids[3]})
		return nil
	})
	if err != nil || up.Version != 2 || up.ID != a.ID || !up.Created.Equal(a.Created) || len(up.History) != 1 {
		t.Fatalf("update: %+v %v", up, err)
	}
	if x, _ := s.IncidentOf(ctx, ids[1]); x != "" {
		t.Errorf("unlinked report still in %s", x)
	}
	if x, _ := s.IncidentOf(ctx, ids[3]); x != a.ID {
		t.Errorf("linked report in %q", x)
	}
	boom := errors.New("boom")
	for _, c := range []struct {
		fn   func(*geotag.Incident) error
		code string
	}{
		{func(inc *geotag.Incident) error {
			inc.Title = "changed"
			return geotag.Errorf(geotag.ECONFLICT, "stale")
		}, geotag.ECONFLICT},
		{func(inc *geotag.Incident) error { inc.Sources = nil; return nil }, geotag.EINVALID},
		{func(inc *geotag.Incident) error { inc.Sources = append(inc.Sources, ids[2]); return nil }, geotag.ECONFLICT},
		{func(inc *geotag.Incident) error {
			inc.Sources = []string{ids[1], "01ARZ3NDEKTSV4RRFFQ69G5FAV"}
			return nil
		}, geotag.ENOTFOUND},
	} {
		_, err := s.UpdateIncident(ctx, a.ID, c.fn)
		wantCode(t, err, c.code, "refused update")
	}
	if _, err := s.UpdateIncident(ctx, a.ID, func(*geotag.Incident) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("fn's error: %v", err)
	}
	got, err := s.FindIncidentByID(ctx, a.ID)
	if err != nil || got.Version != 2 || got.Title != "A" || !slices.Equal(got.Sources, []string{ids[0], ids[3]}) {
		t.Errorf("a refused update changed the incident: %+v %v", got, err)
	}
	if x, _ := s.IncidentOf(ctx, ids[1]); x != "" {
		t.Errorf("a refused update linked %s", x)
	}
	_, err = s.UpdateIncident(ctx, "01ARZ3NDEKTSV4RRFFQ69G5FAV", func(*geotag.Incident) error { return nil })
	wantCode(t, err, geotag.ENOTFOUND, "update of an unknown incident")
}

// testIncidentList compares every listing with Incident.Matches over all
// incidents, newest incident time first, whole and paged.
func testIncidentList(t *testing.T, s IncidentStore) {
	ids := reportIDs(t, s, 40)
	types := []string{"Battles", "Riots", "", "Protests"}
	var all []*geotag.Incident
	for i := range 20 {
		inc := &geotag.Incident{Title: fmt.Sprintf("Strike %d", i), Sources: ids[2*i : 2*i+2]}
		g := &inc.Figures
		g.Time = day0.Add(time.Duration(i%7) * 24 * time.Hour) // times shared by several incidents
		if i%5 == 4 {
			g.Time = time.Time{} // no source states it
		}
		g.EventType = types[i%4]
		if i%3 > 0 {
			g.Fatalities = iptr(i % 6)
		}
		if i%2 == 0 {
			g.Location = &geotag.Location{Lat: places[i%len(places)].Lat, Lon: places[i%len(places)].Lon}
		}
		g.Actors = []string{actorPool[i%len(actorPool)]}
		if err := s.CreateIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
		all = append(all, inc)
	}
	newest := func(a, b *geotag.Incident) int {
		if c := b.Figures.Time.Compare(a.Figures.Time); c != 0 {
			return c
		}
		return -cmpString(a.ID, b.ID)
	}
	slices.SortFunc(all, newest)
	from, to := day0.Add(24*time.Hour), day0.Add(5*24*time.Hour)
	box := geotag.BBox{W: 170, S: -30, E: -170, N: 60}
	for _, f := range []geotag.ReportFilter{{}, {EventTypes: []string{"battles", "Riots"}}, {FatalitiesMin: iptr(2)},
		{FatalitiesMax: iptr(1)}, {From: &from}, {To: &to}, {From: &from, To: &to, Q: "STRIKE 1"}, {Actor: "GROUP B"},
		{BBox: &box}, {BBox: &geotag.BBox{W: 30, S: 30, E: 40, N: 40}, EventTypes: []string{"Battles"}}} {
		var want []string
		for _, inc := range all {
			if inc.Matches(f) {
				want = append(want, inc.ID)
			}
		}
		for _, limit := range []int{0, 1, 3} {
			if got := allIncidents(t, s, f, limit); !slices.Equal(got, want) {
				t.Errorf("%+v limit %d:\n got %v\nwant %v", f, limit, got, want)
			}
		}
	}
	for _, f := range []geotag.ReportFilter{{Tag: "x"}, {Status: geotag.StatusReviewed}, {PlaceID: 5}, {Limit: -1},
		{Cursor: "!!"}, {Cursor: "AAAA"}} {
		_, err := s.FindIncidents(ctx, f)
		wantCode(t, err, geotag.EINVALID, fmt.Sprintf("filter %+v", f))
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// allIncidents pages through the listing of f.
func allIncidents(t *testing.T, s geotag.IncidentService, f geotag.ReportFilter, limit int) []string {
	t.Helper()
	var ids []string
	f.Limit = limit
	for range 100 {
		p, err := s.FindIncidents(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if limit > 0 && len(p.Incidents) > limit {
			t.Fatalf("page of %d over limit %d", len(p.Incidents), limit)
		}
		for _, inc := range p.Incidents {
			ids = append(ids, inc.ID)
		}
		if p.Next == "" {
			return ids
		}
		f.Cursor = p.Next
	}
	t.Fatal("the listing does not end")
	return nil
}

// testIncidentLinkConcurrent: of incidents created and updated at once
// to take one report, exactly one links it; the others are ECONFLICT.
func testIncidentLinkConcurrent(t *testing.T, s IncidentStore) {
	ids := reportIDs(t, s, 9)
	var incs []*geotag.Incident
	for i := range 4 {
		inc := &geotag.Incident{Sources: ids[i : i+1]}
		if err := s.CreateIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
		incs = append(incs, inc)
	}
	contested := ids[8]
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			if i < 4 {
				_, errs[i] = s.UpdateIncident(ctx, incs[i].ID, func(inc *geotag.Incident) error {
					inc.Sources = append(inc.Sources, contested)
					return nil
				})
				return
			}
			errs[i] = s.CreateIncident(ctx, &geotag.Incident{Sources: []string{ids[i], contested}})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch geotag.ErrorCode(err) {
		case "":
			ok++
		case geotag.ECONFLICT:
		default:
			t.Errorf("concurrent link: %v", err)
		}
	}
	owner, err := s.IncidentOf(ctx, contested)
	if ok != 1 || owner == "" || err != nil {
		t.Fatalf("%d links succeeded, the report is in %q (%v)", ok, owner, err)
	}
	inc, err := s.FindIncidentByID(ctx, owner)
	if err != nil || !slices.Contains(inc.Sources, contested) {
		t.Errorf("the owner %+v lacks the report (%v)", inc, err)
	}
}
