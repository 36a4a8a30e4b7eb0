package storetest

import (
	"bytes"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/geotag/geotag"
)

// DeskStore is a backend's desk rules, desk places and their audit log.
type DeskStore interface {
	geotag.RuleService
	geotag.DeskPlaceService
	geotag.AuditLog
}

// RunDesk runs the contract of desk rules, desk places and the audit log
// on fresh stores made by open.
func RunDesk(t *testing.T, open func(t *testing.T) DeskStore) {
	tests := []struct {
		name string
		fn   func(*testing.T, DeskStore)
	}{
		{"Rules", testRules},
		{"DeskPlaces", testDeskPlaces},
		{"Audit", testDeskAudit},
		{"Concurrent", testDeskConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func testRules(t *testing.T, s DeskStore) {
	if rs, err := s.Rules(ctx); err != nil || rs == nil || len(rs) != 0 {
		t.Fatalf("an empty store's rules: %#v %v", rs, err)
	}
	var made []geotag.Rule
	for _, w := range []string{"Palmyra", "Jordan", "Georgia"} {
		r := geotag.Rule{Words: w, Key: geotag.NameKey(w), Action: geotag.RuleNotPlace, By: "ana", Note: "a person"}
		if err := s.CreateRule(ctx, &r); err != nil || r.ID == "" || r.Created.IsZero() || !r.Updated.Equal(r.Created) {
			t.Fatalf("create: %v %+v", err, r)
		}
		made = append(made, r)
	}
	place := &geotag.Place{ID: geotag.DeskPlaceIDBase, Name: "Camp Seven", Lat: 34, Lon: 38}
	up, err := s.UpdateRule(ctx, made[0].ID, "bo", func(r *geotag.Rule) error {
		r.Action, r.Place, r.Disabled = geotag.RulePlace, place, true
		return nil
	})
	if err != nil || !up.Disabled || up.By != "ana" || up.ID != made[0].ID || up.Updated.Before(up.Created) || up.Place == nil {
		t.Fatalf("update: %v %+v", err, up)
	}
	boom := errors.New("boom")
	if _, err := s.UpdateRule(ctx, made[1].ID, "bo", func(r *geotag.Rule) error { r.Note = "changed"; return boom }); !errors.Is(err, boom) {
		t.Errorf("fn's error: %v", err)
	}
	if err := s.DeleteRule(ctx, made[2].ID, "cy"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteRule(ctx, made[2].ID, "cy"), geotag.ENOTFOUND, "second delete")
	wantCode(t, s.DeleteRule(ctx, "\xff", "cy"), geotag.ENOTFOUND, "delete of a malformed id")
	_, err = s.UpdateRule(ctx, "nope", "x", func(*geotag.Rule) error { return nil })
	wantCode(t, err, geotag.ENOTFOUND, "update of none")
	rs, err := s.Rules(ctx)
	if err != nil || len(rs) != 2 || rs[0].ID != made[0].ID || rs[1].ID != made[1].ID {
		t.Fatalf("rules, oldest first: %v %+v", err, rs)
	}
	if r := rs[0]; !r.Disabled || r.Place == nil || r.Place.ID != place.ID || r.Action != geotag.RulePlace || r.Key != "palmyra" {
		t.Errorf("stored rule %+v", r)
	}
	if r := rs[1]; r.Note != "a person" || r.By != "ana" || !r.Created.Equal(made[1].Created) {
		t.Errorf("a rule fn refused to change: %+v", r)
	}
}

func testDeskPlaces(t *testing.T, s DeskStore) {
	if ds, err := s.DeskPlaces(ctx); err != nil || ds == nil || len(ds) != 0 {
		t.Fatalf("an empty store's desk places: %#v %v", ds, err)
	}
	d := geotag.DeskPlace{Names: []string{"Camp Seven", "Kamp 7"}, Lat: 34, Lon: 38, Country: "SY", Feature: "S.MILB", By: "ana"}
	if err := s.CreateDeskPlace(ctx, &d); err != nil || d.ID != geotag.DeskPlaceIDBase || d.Created.IsZero() {
		t.Fatalf("%v %+v", err, d)
	}
	d2 := geotag.DeskPlace{Names: []string{"Checkpoint 4"}, Lat: 33, Lon: 36}
	if err := s.CreateDeskPlace(ctx, &d2); err != nil || d2.ID != geotag.DeskPlaceIDBase-1 {
		t.Fatalf("%v %+v", err, d2)
	}
	up, err := s.UpdateDeskPlace(ctx, d.ID, "bo", func(d *geotag.DeskPlace) error { d.Lat = 34.5; return nil })
	if err != nil || up.Lat != 34.5 || up.ID != d.ID || up.By != "ana" {
		t.Fatalf("update: %v %+v", err, up)
	}
	if err := s.DeleteDeskPlace(ctx, d2.ID, "bo"); err != nil {
		t.Fatal(err)
	}
	// A deleted place's id is not given again: rules and reports may name it.
	d3 := geotag.DeskPlace{Names: []string{"Camp Nine"}, Lat: 35, Lon: 39}
	if err := s.CreateDeskPlace(ctx, &d3); err != nil || d3.ID != geotag.DeskPlaceIDBase-2 {
		t.Fatalf("after a delete: %v %+v", err, d3)
	}
	wantCode(t, s.DeleteDeskPlace(ctx, d2.ID, "bo"), geotag.ENOTFOUND, "second delete")
	wantCode(t, s.DeleteDeskPlace(ctx, 5, "bo"), geotag.ENOTFOUND, "a gazetteer id")
	_, err = s.UpdateDeskPlace(ctx, geotag.DeskPlaceIDBase-99, "bo", func(*geotag.DeskPlace) error { return nil })
	wantCode(t, err, geotag.ENOTFOUND, "update of none")
	ds, err := s.DeskPlaces(ctx)
	if err != nil || len(ds) != 2 || ds[0].ID != d.ID || ds[1].ID != d3.ID {
		t.Fatalf("desk places, oldest first: %v %+v", err, ds)
	}
	if p := ds[0]; p.Lat != 34.5 || len(p.Names) != 2 || p.Country != "SY" || p.Feature != "S.MILB" || p.By != "ana" {
		t.Errorf("stored %+v", p)
	}
}

// testDeskAudit: every change is an entry, newest first, filtered by kind and
// id, paged by seq.
func testDeskAudit(t *testing.T, s DeskStore) {
	r := geotag.Rule{Words: "Palmyra", Key: "palmyra", Action: geotag.RuleNotPlace, By: "ana"}
	if err := s.CreateRule(ctx, &r); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateRule(ctx, r.ID, "bo", func(r *geotag.Rule) error { r.Disabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	d := geotag.DeskPlace{Names: []string{"Checkpoint 4"}, Lat: 33, Lon: 36, By: "ana"}
	if err := s.CreateDeskPlace(ctx, &d); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDeskPlace(ctx, d.ID, "cy"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRule(ctx, r.ID, "cy"); err != nil {
		t.Fatal(err)
	}
	es, err := s.Audit(ctx, geotag.AuditFilter{})
	if err != nil || len(es) != 5 {
		t.Fatalf("%v: %d entries", err, len(es))
	}
	for i := 1; i < len(es); i++ {
		if es[i].Seq >= es[i-1].Seq || es[i].At.After(es[i-1].At) {
			t.Errorf("entries not newest first: %+v", es)
		}
	}
	if e := es[0]; e.Kind != geotag.AuditRule || e.Action != "delete" || e.By != "cy" || e.After != nil || !bytes.Contains(e.Before, []byte(`"disabled":true`)) {
		t.Errorf("newest = %+v", e)
	}
	if e := es[1]; e.Kind != geotag.AuditDeskPlace || e.ID != strconv.FormatInt(d.ID, 10) || !bytes.Contains(e.Before, []byte("Checkpoint 4")) {
		t.Errorf("second = %+v", e)
	}
	ru, _ := s.Audit(ctx, geotag.AuditFilter{Kind: geotag.AuditRule, ID: r.ID})
	if len(ru) != 3 || ru[1].Action != "update" || ru[1].By != "bo" || !bytes.Contains(ru[1].After, []byte(`"disabled":true`)) ||
		ru[2].Action != "create" || ru[2].Before != nil || ru[2].By != "ana" {
		t.Errorf("rule's entries = %+v", ru)
	}
	older, _ := s.Audit(ctx, geotag.AuditFilter{Before: es[1].Seq, Limit: 2})
	if len(older) != 2 || older[0].Seq != es[2].Seq || older[1].Seq != es[3].Seq {
		t.Errorf("page before %d = %+v", es[1].Seq, older)
	}
	if none, err := s.Audit(ctx, geotag.AuditFilter{ID: "\xff"}); err != nil || len(none) != 0 {
		t.Errorf("a malformed id: %v %+v", err, none)
	}
	for _, f := range []geotag.AuditFilter{{Kind: "x"}, {Limit: -1}, {Limit: 1001}} {
		_, err := s.Audit(ctx, f)
		wantCode(t, err, geotag.EINVALID, "audit filter")
	}
}

// testDeskConcurrent: rules and places created at once all get distinct
// ids, and every change is audited once.
func testDeskConcurrent(t *testing.T, s DeskStore) {
	const n = 8
	var wg sync.WaitGroup
	rules := make([]geotag.Rule, n)
	places := make([]geotag.DeskPlace, n)
	errs := make([]error, 2*n)
	for i := range n {
		wg.Go(func() {
			rules[i] = geotag.Rule{Words: "word " + strconv.Itoa(i), Key: "word " + strconv.Itoa(i), Action: geotag.RuleNotPlace}
			errs[i] = s.CreateRule(ctx, &rules[i])
		})
		wg.Go(func() {
			places[i] = geotag.DeskPlace{Names: []string{"Post " + strconv.Itoa(i)}, Lat: 1, Lon: 2}
			errs[n+i] = s.CreateDeskPlace(ctx, &places[i])
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	ruleIDs, placeIDs := map[string]bool{}, map[int64]bool{}
	for i := range n {
		ruleIDs[rules[i].ID], placeIDs[places[i].ID] = true, true
		if places[i].ID > geotag.DeskPlaceIDBase || places[i].ID <= geotag.DeskPlaceIDBase-n {
			t.Errorf("place id %d", places[i].ID)
		}
	}
	rs, _ := s.Rules(ctx)
	ds, _ := s.DeskPlaces(ctx)
	es, _ := s.Audit(ctx, geotag.AuditFilter{Limit: 1000})
	if len(ruleIDs) != n || len(placeIDs) != n || len(rs) != n || len(ds) != n || len(es) != 2*n {
		t.Errorf("%d rule ids, %d place ids, %d rules, %d places, %d audit entries; want %d, %d", len(ruleIDs), len(placeIDs), len(rs), len(ds), len(es), n, 2*n)
	}
	for i := 1; i < len(ds); i++ {
		if ds[i].ID >= ds[i-1].ID {
			t.Errorf("desk places not oldest first: %d after %d", ds[i].ID, ds[i-1].ID)
		}
	}
}
