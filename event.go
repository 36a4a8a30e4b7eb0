package geotag

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Event is what a report says happened, coded in ACLED's vocabulary: its
// event type and sub-event type (one of EventTypes and one of that type's
// sub-types), the people killed (nil when unknown; 0 when none were), the
// actors, and whether civilians were the target. The zero value says
// nothing is coded.
type Event struct {
	EventType         string  `json:"event_type,omitempty"`
	SubEventType      string  `json:"sub_event_type,omitempty"`
	Fatalities        *int    `json:"fatalities"`
	Actors            []Actor `json:"actors,omitempty"`
	CivilianTargeting bool    `json:"civilian_targeting,omitempty"`
}

// Actor is one party to an event. Side is 1 or 2 (ACLED's actor1 and
// actor2 sides); a primary actor (Associated false) is the side's actor1
// or actor2, an associated one one of its assoc_actor_1 or assoc_actor_2.
type Actor struct {
	Name       string `json:"name"`
	Side       int    `json:"side"`
	Associated bool   `json:"associated,omitempty"`
}

// Event limits: what one report may code.
const (
	MaxActors         = 20        // actors of one event
	MaxActorBytes     = 200       // bytes of one actor's name
	MaxFatalities     = 1_000_000 // a count above this is a typo
	CivilianTargeting = "Civilian targeting"
)

// EventType is one of ACLED's six event types and its sub-event types.
type EventType struct {
	Name     string
	SubTypes []string
}

// EventTypes is ACLED's taxonomy, in ACLED's order. The order is stored:
// the store's event index keys a type by its position here plus one, so
// types are only ever appended.
var EventTypes = [...]EventType{
	{"Battles", []string{"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}},
	{"Explosions/Remote violence", []string{"Chemical weapon", "Air/drone strike", "Suicide bomb",
		"Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"}},
	{"Violence against civilians", []string{"Sexual violence", "Attack", "Abduction/forced disappearance"}},
	{"Protests", []string{"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}},
	{"Riots", []string{"Violent demonstration", "Mob violence"}},
	{"Strategic developments", []string{"Agreement", "Arrests", "Change to group/activity",
		"Disrupted weapons use", "Headquarters or base established", "Looting/property destruction",
		"Non-violent transfer of territory", "Other"}},
}

// EventTypeCode returns the position of the event type named name in
// EventTypes plus one, matched without regard to case; 0 for "" and for a
// name that is not an event type.
func EventTypeCode(name string) int {
	for i := range EventTypes {
		if strings.EqualFold(EventTypes[i].Name, name) {
			return i + 1
		}
	}
	return 0
}

// CanonicalEventType returns the taxonomy's spelling of the event type and
// sub-event type given in any case, and ok false when either is unknown or
// the sub-type is not one of the type's. A sub-type without a type is
// looked up among all types. Empty names stay empty.
func CanonicalEventType(typ, sub string) (string, string, bool) {
	if typ == "" && sub == "" {
		return "", "", true
	}
	for _, t := range EventTypes {
		if typ != "" && !strings.EqualFold(t.Name, typ) {
			continue
		}
		if sub == "" {
			return t.Name, "", true
		}
		for _, s := range t.SubTypes {
			if strings.EqualFold(s, sub) {
				return t.Name, s, true
			}
		}
		if typ != "" {
			return "", "", false
		}
	}
	return "", "", false
}

// Validate checks the event and puts its type and sub-type in the
// taxonomy's spelling. It returns EINVALID for an unknown type or
// sub-type, a sub-type of another type, a negative or absurd fatality
// count, more than MaxActors actors, an empty or overlong actor name, a
// side other than 1 or 2, or two primary actors on one side.
func (e *Event) Validate() error {
	t, s, ok := CanonicalEventType(strings.TrimSpace(e.EventType), strings.TrimSpace(e.SubEventType))
	if !ok {
		if e.EventType != "" && EventTypeCode(strings.TrimSpace(e.EventType)) == 0 {
			return FieldErrorf(EINVALID, "event_type", "unknown event type %q", e.EventType)
		}
		return FieldErrorf(EINVALID, "sub_event_type", "%q is not a sub-event type of %q", e.SubEventType, e.EventType)
	}
	e.EventType, e.SubEventType = t, s
	if f := e.Fatalities; f != nil && (*f < 0 || *f > MaxFatalities) {
		return FieldErrorf(EINVALID, "fatalities", "fatalities must be within 0…%d", MaxFatalities)
	}
	if len(e.Actors) > MaxActors {
		return FieldErrorf(EINVALID, "actors", "an event may have at most %d actors, not %d", MaxActors, len(e.Actors))
	}
	var primary [3]bool
	for i := range e.Actors {
		a := &e.Actors[i]
		a.Name = strings.TrimSpace(a.Name)
		switch {
		case a.Name == "" || len(a.Name) > MaxActorBytes || !utf8.ValidString(a.Name):
			return FieldErrorf(EINVALID, "actors", "an actor's name must be 1…%d bytes of UTF-8", MaxActorBytes)
		case a.Side != 1 && a.Side != 2:
			return FieldErrorf(EINVALID, "actors", "an actor's side must be 1 or 2")
		case !a.Associated && primary[a.Side]:
			return FieldErrorf(EINVALID, "actors", "side %d has two primary actors", a.Side)
		}
		if !a.Associated {
			primary[a.Side] = true
		}
	}
	return nil
}

// IsZero reports whether nothing is coded.
func (e *Event) IsZero() bool {
	return e.EventType == "" && e.SubEventType == "" && e.Fatalities == nil && len(e.Actors) == 0 && !e.CivilianTargeting
}

// Equal reports whether two events code the same.
func (e *Event) Equal(o *Event) bool {
	if e.EventType != o.EventType || e.SubEventType != o.SubEventType || e.CivilianTargeting != o.CivilianTargeting ||
		(e.Fatalities == nil) != (o.Fatalities == nil) || (e.Fatalities != nil && *e.Fatalities != *o.Fatalities) ||
		len(e.Actors) != len(o.Actors) {
		return false
	}
	for i := range e.Actors {
		if e.Actors[i] != o.Actors[i] {
			return false
		}
	}
	return true
}

// ACLEDActors returns the actors in ACLED's four columns: actor1, actor2,
// and the associated actors of each side joined by "; ". An actor of a
// side other than 2 counts as side 1's.
func (e *Event) ACLEDActors() (actor1, assoc1, actor2, assoc2 string) {
	var as [3][]string
	for _, a := range e.Actors {
		side := 1
		if a.Side == 2 {
			side = 2
		}
		if a.Associated {
			as[side] = append(as[side], a.Name)
		} else if side == 1 {
			actor1 = a.Name
		} else {
			actor2 = a.Name
		}
	}
	return actor1, strings.Join(as[1], "; "), actor2, strings.Join(as[2], "; ")
}

// ActorsFromACLED is the inverse of ACLEDActors: the actors named in
// ACLED's four columns, side 1 first, empty names left out.
func ActorsFromACLED(actor1, assoc1, actor2, assoc2 string) []Actor {
	var out []Actor
	add := func(name string, side int, assoc bool) {
		if name = strings.TrimSpace(name); name != "" {
			out = append(out, Actor{Name: name, Side: side, Associated: assoc})
		}
	}
	add(actor1, 1, false)
	for _, n := range strings.Split(assoc1, ";") {
		add(n, 1, true)
	}
	add(actor2, 2, false)
	for _, n := range strings.Split(assoc2, ";") {
		add(n, 2, true)
	}
	return out
}

// HasActor reports whether one of the actors is named name, compared
// without regard to case.
func (e *Event) HasActor(name string) bool {
	for _, a := range e.Actors {
		if strings.EqualFold(a.Name, name) {
			return true
		}
	}
	return false
}

// ActionEvent is the revision action of a change to a report's event.
const ActionEvent = "event"

// SetEvent validates e and makes it the report's event. When it differs
// from the event the report had, it records an ActionEvent revision by who
// at at with the event before and after, and reports true; an equal event
// changes nothing. It returns Validate's error, the report unchanged.
func (r *Report) SetEvent(e Event, who string, at time.Time) (bool, error) {
	if err := e.Validate(); err != nil {
		return false, err
	}
	if e.Equal(&r.Event) {
		return false, nil
	}
	before, after := r.Event.Clone(), e.Clone()
	r.Event = e
	r.History = append(r.History, Revision{At: at, By: who, Action: ActionEvent, Mention: -1,
		BeforeEvent: &before, AfterEvent: &after})
	return true, nil
}

// Clone returns a copy of e that shares no memory with it.
func (e Event) Clone() Event {
	if e.Fatalities != nil {
		f := *e.Fatalities
		e.Fatalities = &f
	}
	if e.Actors != nil {
		e.Actors = append([]Actor(nil), e.Actors...)
	}
	return e
}
