package geotag_test

import (
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func intp(n int) *int { return &n }

func TestEventValidate(t *testing.T) {
	for _, tt := range []struct {
		name     string
		e        geotag.Event
		field    string // "" for valid
		typ, sub string // canonical after Validate
	}{
		{"Empty", geotag.Event{}, "", "", ""},
		{"TypeOnly", geotag.Event{EventType: "battles"}, "", "Battles", ""},
		{"TypeAndSub", geotag.Event{EventType: "Explosions/Remote violence", SubEventType: "air/drone strike"}, "",
			"Explosions/Remote violence", "Air/drone strike"},
		{"SubOnlyFindsType", geotag.Event{SubEventType: "Peaceful protest"}, "", "Protests", "Peaceful protest"},
		{"UnknownType", geotag.Event{EventType: "Skirmish"}, "event_type", "", ""},
		{"SubOfOtherType", geotag.Event{EventType: "Battles", SubEventType: "Grenade"}, "sub_event_type", "", ""},
		{"UnknownSub", geotag.Event{SubEventType: "Picnic"}, "sub_event_type", "", ""},
		{"NegativeFatalities", geotag.Event{Fatalities: intp(-1)}, "fatalities", "", ""},
		{"AbsurdFatalities", geotag.Event{Fatalities: intp(geotag.MaxFatalities + 1)}, "fatalities", "", ""},
		{"ZeroFatalities", geotag.Event{Fatalities: intp(0)}, "", "", ""},
		{"Actors", geotag.Event{Actors: []geotag.Actor{{Name: " HTS ", Side: 1}, {Name: "X", Side: 1, Associated: true},
			{Name: "Y", Side: 2}}}, "", "", ""},
		{"ActorNoName", geotag.Event{Actors: []geotag.Actor{{Name: " ", Side: 1}}}, "actors", "", ""},
		{"ActorLongName", geotag.Event{Actors: []geotag.Actor{{Name: strings.Repeat("a", geotag.MaxActorBytes+1), Side: 1}}}, "actors", "", ""},
		{"ActorBadSide", geotag.Event{Actors: []geotag.Actor{{Name: "a", Side: 3}}}, "actors", "", ""},
		{"TwoPrimaries", geotag.Event{Actors: []geotag.Actor{{Name: "a", Side: 2}, {Name: "b", Side: 2}}}, "actors", "", ""},
		{"TooManyActors", geotag.Event{Actors: make([]geotag.Actor, geotag.MaxActors+1)}, "actors", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.e.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tt.e.EventType != tt.typ || tt.e.SubEventType != tt.sub {
					t.Errorf("got %q/%q, want %q/%q", tt.e.EventType, tt.e.SubEventType, tt.typ, tt.sub)
				}
				return
			}
			var ge *geotag.Error
			if geotag.ErrorCode(err) != geotag.EINVALID || !asError(err, &ge) || ge.Field != tt.field {
				t.Fatalf("err=%v, want EINVALID on %s", err, tt.field)
			}
		})
	}
}

func asError(err error, ge **geotag.Error) bool {
	e, ok := err.(*geotag.Error)
	*ge = e
	return ok
}

func TestEventTaxonomy(t *testing.T) {
	n := 0
	for _, et := range geotag.EventTypes {
		n += len(et.SubTypes)
	}
	if len(geotag.EventTypes) != 6 || n != 25 {
		t.Fatalf("%d types, %d sub-types; ACLED has 6 and 25", len(geotag.EventTypes), n)
	}
	if geotag.EventTypeCode("riots") != 5 || geotag.EventTypeCode("") != 0 || geotag.EventTypeCode("x") != 0 {
		t.Error("EventTypeCode")
	}
}

func TestReportValidateChecksEvent(t *testing.T) {
	r := geotag.Report{Text: "x", Event: geotag.Event{EventType: "nope"}}
	if geotag.ErrorCode(r.Validate()) != geotag.EINVALID {
		t.Fatal("an unknown event type passed Report.Validate")
	}
}

func TestACLEDActorsRoundTrip(t *testing.T) {
	e := geotag.Event{Actors: []geotag.Actor{{Name: "Wagner Group", Side: 1}, {Name: "A", Side: 1, Associated: true},
		{Name: "B", Side: 1, Associated: true}, {Name: "Civilians (Mali)", Side: 2}, {Name: "C", Side: 2, Associated: true}}}
	a1, as1, a2, as2 := e.ACLEDActors()
	if a1 != "Wagner Group" || as1 != "A; B" || a2 != "Civilians (Mali)" || as2 != "C" {
		t.Fatalf("got %q %q %q %q", a1, as1, a2, as2)
	}
	back := geotag.Event{Actors: geotag.ActorsFromACLED(a1, as1, a2, as2)}
	if !back.Equal(&e) {
		t.Errorf("round trip: %+v", back.Actors)
	}
	if !e.HasActor("wagner group") || e.HasActor("Wagner") {
		t.Error("HasActor")
	}
	if got := geotag.ActorsFromACLED("", "", "", ""); got != nil {
		t.Errorf("no actors: %v", got)
	}
}

func TestEventEqualAndZero(t *testing.T) {
	a := geotag.Event{Fatalities: intp(1)}
	b := geotag.Event{Fatalities: intp(2)}
	if a.Equal(&b) || !a.Equal(&geotag.Event{Fatalities: intp(1)}) || a.Equal(&geotag.Event{}) {
		t.Error("Equal compares fatalities")
	}
	if a.IsZero() || !(&geotag.Event{}).IsZero() {
		t.Error("IsZero")
	}
}

func TestSetEvent(t *testing.T) {
	at := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	r := geotag.Report{Text: "x"}
	changed, err := r.SetEvent(geotag.Event{EventType: "riots", Fatalities: intp(2)}, "ana", at)
	if err != nil || !changed || r.EventType != "Riots" || len(r.History) != 1 {
		t.Fatalf("changed=%v err=%v report %+v", changed, err, r)
	}
	h := r.History[0]
	if h.Action != geotag.ActionEvent || h.By != "ana" || !h.BeforeEvent.IsZero() || *h.AfterEvent.Fatalities != 2 {
		t.Errorf("revision %+v", h)
	}
	if changed, _ := r.SetEvent(geotag.Event{EventType: "Riots", Fatalities: intp(2)}, "bo", at); changed || len(r.History) != 1 {
		t.Error("an equal event recorded a revision")
	}
	if _, err := r.SetEvent(geotag.Event{EventType: "nope"}, "bo", at); err == nil || r.EventType != "Riots" {
		t.Error("an invalid event was set")
	}
	// The revision's events are copies: a later change leaves them be.
	*r.Fatalities = 7
	r.SetEvent(geotag.Event{}, "bo", at)
	if *r.History[0].AfterEvent.Fatalities != 2 {
		t.Error("the revision shares the report's fatalities")
	}
	if len(r.History) != 2 || r.History[1].BeforeEvent.EventType != "Riots" || !r.History[1].AfterEvent.IsZero() {
		t.Errorf("clearing: %+v", r.History)
	}
}
