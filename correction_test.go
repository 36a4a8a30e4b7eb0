package geotag_test

import (
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// places is a gazetteer of the test fixtures.
type places []geotag.Place

func (ps places) Lookup(key string) []geotag.Place {
	var out []geotag.Place
	for _, p := range ps {
		if geotag.NameKey(p.Name) == key {
			out = append(out, p)
		}
	}
	return out
}
func (ps places) Alias(string) (geotag.Place, string, bool) { return geotag.Place{}, "", false }
func (ps places) Place(id int64) (geotag.Place, bool) {
	for _, p := range ps {
		if p.ID == id {
			return p, true
		}
	}
	return geotag.Place{}, false
}
func (ps places) Search(geotag.PlaceQuery) []geotag.Candidate { return nil }
func (ps places) Version() string                             { return "test" }

func corrector() geotag.Corrector {
	now := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	return geotag.Corrector{Places: places{townP, districtP, countryP}, Tagger: "t1", By: "ann",
		Now: func() time.Time { now = now.Add(time.Second); return now }}
}

func ptr[T any](v T) *T { return &v }

// newReport is a report on "Inland and Harbourtown, Harbourtown." with
// its automatic location.
func newReport() *geotag.Report {
	text := "Inland and Harbourtown, Harbourtown."
	ms := []geotag.Mention{at(countryP, 0.9), at(townP, 0.3), at(townP, 0.3)}
	ms[0].Start, ms[0].End = 0, 6
	ms[1].Start, ms[1].End = 11, 22
	ms[2].Start, ms[2].End = 24, 35
	r := &geotag.Report{Text: text, Mentions: ms}
	r.Location = geotag.AutoLocation(r, "t0", time.Time{})
	return r
}

func TestCorrect(t *testing.T) {
	k := corrector()
	r := newReport()
	if r.Location.Mention != 0 {
		t.Fatalf("automatic main %d, want the only confident mention", r.Location.Mention)
	}
	// Picking the district for every "Harbourtown" makes both confident
	// and finer than the country: the automatic main location follows.
	revs, err := k.Correct(r, geotag.Correction{Action: geotag.ActionPick, Mention: ptr(1), PlaceID: districtP.ID, All: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[1].AfterLocation == nil || r.Location.Mention != 1 || r.Location.PlaceID != districtP.ID {
		t.Fatalf("pick: revs %+v, location %+v", revs, r.Location)
	}
	if m := r.Mentions[2]; !m.Manual || m.Confidence != 1 || m.Precision != 2 || len(m.Alternatives) != 1 || m.Alternatives[0].ID != townP.ID {
		t.Errorf("picked mention %+v", m)
	}
	r.History = append(r.History, revs...)

	// Removing mention 1 moves the automatic choice to the next one.
	revs, err = k.Correct(r, geotag.Correction{Action: geotag.ActionRemove, Mention: ptr(1)})
	if err != nil {
		t.Fatal(err)
	}
	r.History = append(r.History, revs...)
	if len(r.Mentions) != 2 || r.Location.Mention != 1 {
		t.Fatalf("remove: %d mentions, location %+v", len(r.Mentions), r.Location)
	}
	// Undo puts it back, and the location as it was.
	revs, err = k.Correct(r, geotag.Correction{Action: geotag.ActionUndo})
	if err != nil {
		t.Fatal(err)
	}
	r.History = append(r.History, revs...)
	if len(r.Mentions) != 3 || r.Mentions[1].Text != "Harbourtown" || r.Location.Mention != 1 {
		t.Fatalf("undo: %+v, location %+v", r.Mentions, r.Location)
	}

	// Errors name the field at fault.
	for _, tt := range []struct {
		cr    geotag.Correction
		code  string
		field string
	}{
		{geotag.Correction{Action: "rename"}, geotag.EINVALID, "action"},
		{geotag.Correction{Action: geotag.ActionPick}, geotag.EINVALID, "mention"},
		{geotag.Correction{Action: geotag.ActionPick, Mention: ptr(7), PlaceID: 1}, geotag.EUNPROCESSABLE, "mention"},
		{geotag.Correction{Action: geotag.ActionPick, Mention: ptr(0), PlaceID: 99}, geotag.EUNPROCESSABLE, "place_id"},
		{geotag.Correction{Action: geotag.ActionPick, Mention: ptr(0), Text: "Elsewhere", PlaceID: 1}, geotag.ECONFLICT, "text"},
		{geotag.Correction{Action: geotag.ActionPoint, Lat: ptr(95.0), Lon: ptr(0.0)}, geotag.EUNPROCESSABLE, "lat"},
		{geotag.Correction{Action: geotag.ActionAdd, Start: ptr(0), End: ptr(3), PlaceID: 1}, geotag.ECONFLICT, "start"},
	} {
		_, err := k.Correct(newReport(), tt.cr)
		if geotag.ErrorCode(err) != tt.code || geotag.ErrorField(err) != tt.field {
			t.Errorf("%+v: %v (%s %s), want %s %s", tt.cr, err, geotag.ErrorCode(err), geotag.ErrorField(err), tt.code, tt.field)
		}
	}
}

// An add with All stops at the report's mention limit.
func TestCorrectAddAllLimit(t *testing.T) {
	k := corrector()
	k.Limits.MaxMentions = 2
	r := &geotag.Report{Text: "Inland, Inland, Inland", Mentions: []geotag.Mention{}}
	_, err := k.Correct(r, geotag.Correction{Action: geotag.ActionAdd, Start: ptr(0), End: ptr(6), All: true})
	if geotag.ErrorField(err) != "all" {
		t.Fatalf("add all over the limit: %v", err)
	}
	k.Limits.MaxMentions = 3
	r = &geotag.Report{Text: "Inland, Inland, Inland", Mentions: []geotag.Mention{}}
	revs, err := k.Correct(r, geotag.Correction{Action: geotag.ActionAdd, Start: ptr(0), End: ptr(6), All: true})
	if err != nil || len(revs) != 3 || r.Location == nil || r.Location.PlaceID != countryP.ID {
		t.Fatalf("add all: %v, %d revisions, location %+v", err, len(revs), r.Location)
	}
}
