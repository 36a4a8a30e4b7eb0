package server

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// eventInput is the event part of a report's JSON input. An absent member
// keeps the report's value (PATCH) or clears it (PUT); "fatalities": null
// says the count is unknown.
type eventInput struct {
	EventType         *string         `json:"event_type"`
	SubEventType      *string         `json:"sub_event_type"`
	Fatalities        json.RawMessage `json:"fatalities,omitempty"`
	Actors            *[]geotag.Actor `json:"actors"`
	CivilianTargeting *bool           `json:"civilian_targeting"`
}

// given reports whether any event member was sent.
func (in *eventInput) given() bool {
	return in.EventType != nil || in.SubEventType != nil || in.Fatalities != nil || in.Actors != nil || in.CivilianTargeting != nil
}

// replaceAll makes every absent member an empty one, for PUT.
func (in *eventInput) replaceAll() {
	empty, no := "", false
	if in.EventType == nil {
		in.EventType = &empty
	}
	if in.SubEventType == nil {
		in.SubEventType = &empty
	}
	if in.Fatalities == nil {
		in.Fatalities = json.RawMessage("null")
	}
	if in.Actors == nil {
		in.Actors = &[]geotag.Actor{}
	}
	if in.CivilianTargeting == nil {
		in.CivilianTargeting = &no
	}
}

// event returns old with the members sent replaced. A sub-event type sent
// without a type finds its type; a type sent without a sub-type clears a
// sub-type of another type. It returns EINVALID for fatalities that are
// not a whole number or null.
func (in *eventInput) event(old geotag.Event) (geotag.Event, error) {
	e := old.Clone()
	if in.EventType != nil {
		e.EventType = *in.EventType
		if in.SubEventType == nil {
			if _, _, ok := geotag.CanonicalEventType(e.EventType, e.SubEventType); !ok {
				e.SubEventType = ""
			}
		}
	}
	if in.SubEventType != nil {
		e.SubEventType = *in.SubEventType
		if in.EventType == nil && e.SubEventType != "" {
			e.EventType = ""
		}
	}
	if in.Fatalities != nil {
		if bytes.Equal(bytes.TrimSpace(in.Fatalities), []byte("null")) {
			e.Fatalities = nil
		} else {
			var n int
			if err := json.Unmarshal(in.Fatalities, &n); err != nil {
				return e, geotag.FieldErrorf(geotag.EINVALID, "fatalities", "fatalities must be a whole number or null")
			}
			e.Fatalities = &n
		}
	}
	if in.Actors != nil {
		e.Actors = *in.Actors
		if len(e.Actors) == 0 {
			e.Actors = nil
		}
	}
	if in.CivilianTargeting != nil {
		e.CivilianTargeting = *in.CivilianTargeting
	}
	return e, nil
}

// createRevision is the "create" revision of a new report r: its main
// location and, when coded, its event.
func createRevision(r *geotag.Report, who string, at time.Time) geotag.Revision {
	rv := geotag.Revision{At: at, By: who, Action: "create", Mention: -1, AfterLocation: r.Location}
	if !r.Event.IsZero() {
		ev := r.Event.Clone()
		rv.AfterEvent = &ev
	}
	return rv
}

// recordEvent adds an event revision by who to r when its event is no
// longer before.
func recordEvent(r *geotag.Report, before geotag.Event, who string, at time.Time) error {
	if before.Equal(&r.Event) {
		return nil
	}
	after := r.Event
	r.Event = before
	_, err := r.SetEvent(after, who, at)
	return err
}

// eventFields are the event columns of an import (ACLED's names), as read.
type eventFields struct {
	subEventType, fatalities, actor1, assoc1, actor2, assoc2, civilian string
}

// slot returns where an event column's value goes, nil for another field.
func (f *eventFields) slot(field string) *string {
	switch field {
	case "sub_event_type":
		return &f.subEventType
	case "fatalities":
		return &f.fatalities
	case "actor1":
		return &f.actor1
	case "assoc_actor_1":
		return &f.assoc1
	case "actor2":
		return &f.actor2
	case "assoc_actor_2":
		return &f.assoc2
	case "civilian_targeting":
		return &f.civilian
	}
	return nil
}

// input fills in from the columns and the event type: empty cells are
// absent; fatalities must be a whole number (EINVALID otherwise; ACLED's 0
// stays 0); actors come from ACLED's four columns; civilian_targeting is
// set by ACLED's "Civilian targeting" (or true, yes, 1). The type and
// sub-type are checked when the report is stored.
func (f *eventFields) input(in *eventInput, eventType string) error {
	val := func(v string) *string {
		if v = strings.TrimSpace(v); v == "" {
			return nil
		}
		return &v
	}
	in.EventType, in.SubEventType = val(eventType), val(f.subEventType)
	if n := strings.TrimSpace(f.fatalities); n != "" {
		if _, err := strconv.Atoi(n); err != nil {
			return geotag.FieldErrorf(geotag.EINVALID, "fatalities", "fatalities must be a whole number, not %.20q", n)
		}
		in.Fatalities = json.RawMessage(n)
	}
	if as := geotag.ActorsFromACLED(f.actor1, f.assoc1, f.actor2, f.assoc2); as != nil {
		in.Actors = &as
	}
	switch strings.ToLower(strings.TrimSpace(f.civilian)) {
	case "":
	case strings.ToLower(geotag.CivilianTargeting), "true", "yes", "1":
		yes := true
		in.CivilianTargeting = &yes
	default:
		return geotag.FieldErrorf(geotag.EINVALID, "civilian_targeting", "civilian_targeting must be %q or empty", geotag.CivilianTargeting)
	}
	return nil
}

// csvEventHeader names the CSV export's event columns, ACLED's names,
// after the other columns.
var csvEventHeader = []string{"event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2",
	"civilian_targeting", "fatalities"}

// csvEventCells are the cells of csvEventHeader for e: fatalities empty
// when unknown, civilian_targeting ACLED's "Civilian targeting" or empty.
func csvEventCells(e *geotag.Event) []string {
	a1, as1, a2, as2 := e.ACLEDActors()
	var civ, fat string
	if e.CivilianTargeting {
		civ = geotag.CivilianTargeting
	}
	if e.Fatalities != nil {
		fat = strconv.Itoa(*e.Fatalities)
	}
	return []string{e.EventType, e.SubEventType, safeCell(a1), safeCell(as1), safeCell(a2), safeCell(as2), civ, fat}
}

// eventTypeSchema is the OpenAPI schema of an event type: ACLED's six.
func eventTypeSchema() gin.H {
	var names []string
	for _, t := range geotag.EventTypes {
		names = append(names, t.Name)
	}
	return gin.H{"type": "string", "enum": names, "description": "ACLED event type"}
}

// subEventTypeSchema is the OpenAPI schema of a sub-event type.
func subEventTypeSchema() gin.H {
	var names []string
	for _, t := range geotag.EventTypes {
		names = append(names, t.SubTypes...)
	}
	return gin.H{"type": "string", "enum": names, "description": "ACLED sub-event type, one of the event type's"}
}

// actorsSchema is the OpenAPI schema of an event's actors.
func actorsSchema() gin.H {
	return gin.H{"type": "array", "maxItems": geotag.MaxActors, "items": gin.H{"type": "object", "properties": gin.H{
		"name": gin.H{"type": "string", "maxLength": geotag.MaxActorBytes}, "side": gin.H{"type": "integer", "enum": []int{1, 2}},
		"associated": gin.H{"type": "boolean", "description": "an assoc_actor of the side, not its actor1/actor2"}}},
		"description": "exported as ACLED's actor1, assoc_actor_1, actor2, assoc_actor_2"}
}

// eventSuggestion is the JSON of the event the text suggests, nil without
// a suggester. Its size is bounded by the tables: one type, one count and
// each known actor once, each with its words.
func (s *Server) eventSuggestion(text string) []byte {
	if s.events == nil {
		return nil
	}
	b, err := json.Marshal(s.events.SuggestEvent(text))
	if err != nil {
		return nil
	}
	return b
}

// eventSuggestionSchema is the OpenAPI schema of a tag answer's "event".
func eventSuggestionSchema() gin.H {
	evidence := gin.H{"type": "object", "description": "the words that led to the suggestion, byte offsets",
		"properties": gin.H{"text": gin.H{"type": "string"}, "start": gin.H{"type": "integer"}, "end": gin.H{"type": "integer"}}}
	return gin.H{"type": "object", "description": "the event the text suggests, each part with its words; empty parts suggest nothing",
		"properties": gin.H{"event_type": eventTypeSchema(), "sub_event_type": subEventTypeSchema(), "type_evidence": evidence,
			"fatalities":          gin.H{"type": "integer", "nullable": true, "description": "the death count the text states; null: none stated"},
			"fatalities_evidence": evidence,
			"actors": gin.H{"type": "array", "items": gin.H{"type": "object", "properties": gin.H{
				"name": gin.H{"type": "string"}, "evidence": evidence}}}}}
}

// eventTypesJSON is ACLED's taxonomy as /api/v1/config answers it, for
// the page's event fields and filters: [{"name","sub_types":[…]}].
func eventTypesJSON() []gin.H {
	out := make([]gin.H, len(geotag.EventTypes))
	for i, t := range geotag.EventTypes {
		out[i] = gin.H{"name": t.Name, "sub_types": t.SubTypes}
	}
	return out
}
