package geotag_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// CarryCorrections finds a corrected mention again by its words, keeps a
// removed name removed, drops what is gone, and changes none of its inputs.
func TestCarryCorrections(t *testing.T) {
	k := corrector()
	r := newReport()
	apply := func(cr geotag.Correction) {
		t.Helper()
		revs, err := k.Correct(r, cr)
		if err != nil {
			t.Fatal(err)
		}
		r.History = append(r.History, revs...)
	}
	apply(geotag.Correction{Action: geotag.ActionPick, Mention: ptr(1), PlaceID: districtP.ID})
	apply(geotag.Correction{Action: geotag.ActionRemove, Mention: ptr(0)})

	newText := "Yesterday Inland, then Harbourtown."
	tagged := []geotag.Mention{at(countryP, 0.9), at(townP, 0.3)}
	tagged[0].Start, tagged[0].End = 10, 16
	tagged[1].Start, tagged[1].End = 23, 34
	in := geotag.CarryInput{OldText: r.Text, Mentions: r.Mentions, Location: r.Location, History: r.History, NewText: newText, Tagged: tagged}
	before := deepCopy(t, in)
	out := geotag.CarryCorrections(in)
	if !reflect.DeepEqual(in, before) {
		t.Errorf("CarryCorrections changed its input")
	}
	if !reflect.DeepEqual(out, geotag.CarryCorrections(in)) {
		t.Errorf("CarryCorrections differs between runs")
	}
	if len(out.Mentions) != 1 || out.Mentions[0].Place.ID != districtP.ID || out.Mentions[0].Start != 23 || !out.Mentions[0].Manual {
		t.Errorf("mentions %+v", out.Mentions)
	}
	if len(out.Carried) != 2 || out.Carried[0].Action != geotag.ActionPick || out.Carried[0].By != "ann" || out.Carried[1].Action != geotag.ActionRemove {
		t.Errorf("carried %+v", out.Carried)
	}
	if len(out.Dropped) != 0 || out.Main != -1 {
		t.Errorf("dropped %+v, main %d", out.Dropped, out.Main)
	}

	// A text without the corrected words drops the correction.
	in.NewText, in.Tagged = "Nothing here.", nil
	out = geotag.CarryCorrections(in)
	if len(out.Mentions) != 0 || len(out.Dropped) != 1 || out.Dropped[0].Text != "Harbourtown" || out.Dropped[0].Mention != -1 {
		t.Errorf("gone: %+v", out)
	}
}

// Placement.Place carries corrections over for an edited text, and takes a
// manual point over any mention.
func TestPlacement(t *testing.T) {
	k := corrector()
	r := newReport()
	revs, _ := k.Correct(r, geotag.Correction{Action: geotag.ActionMain, Mention: ptr(2)})
	r.History = append(r.History, revs...)
	old := r.Text
	r.Text = "Harbourtown first. Inland."
	tagged := []geotag.Mention{at(townP, 0.3), at(countryP, 0.9)}
	tagged[0].Start, tagged[0].End = 0, 11
	tagged[1].Start, tagged[1].End = 19, 25
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	co, err := geotag.Placement{Tagged: tagged, OldText: &old, Tagger: "t2", By: "bo", At: now}.Place(r)
	if err != nil {
		t.Fatal(err)
	}
	if co == nil || co.Main != 0 || r.Location.Mention != 0 || r.Location.Provenance.Method != geotag.MethodManual {
		t.Fatalf("carried main: %+v, location %+v", co, r.Location)
	}
	co, err = geotag.Placement{Tagged: tagged, Point: &geotag.LatLon{Lat: 1, Lon: 2}, By: "bo", At: now}.Place(r)
	if err != nil || co != nil || r.Location.Mention != -1 || r.Location.Lat != 1 || r.Location.Provenance.By != "bo" {
		t.Fatalf("point: %v %+v", err, r.Location)
	}
	_, err = geotag.Placement{Mentions: &[]geotag.Mention{{Start: 0, End: 99}}, At: now}.Place(r)
	if geotag.ErrorField(err) != "mentions[0].start" {
		t.Errorf("client mentions are validated: %v", err)
	}
}

// deepCopy copies v through JSON.
func deepCopy[T any](t *testing.T, v T) T {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
