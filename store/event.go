package store

import (
	"encoding/binary"
	"slices"
	"strings"

	"github.com/geotag/geotag"
)

// The event index, ix_event, holds one key per report whose event is coded
// (an event type or a fatality count), and one more for a known count:
//
//	ix_event  type code, position → entry, fatalities
//	ix_event  cellFatKind | fatality class, position → entry, fatalities
//
// The type code is geotag.EventTypeCode (0 for a report with fatalities and
// no type); the value is the report's entry followed by its fatalities as
// 4 big-endian bytes, noFatalities when unknown. Event-type filters walk
// the prefixes of their types merged by position, fatality filters those
// of the classes their range overlaps (eventFilter.kinds), checking the
// value, so neither decodes a report.
const (
	eventEntryLen = entryLen + 4
	noFatalities  = 0xFFFFFFFF
	numEventCodes = len(geotag.EventTypes) + 1
)

// eventKey returns the report's event index key prefix and value, or ok
// false when its event is not coded.
func eventKey(r *geotag.Report, e []byte) (prefix, value []byte, ok bool) {
	code := geotag.EventTypeCode(r.EventType)
	if code == 0 && r.Fatalities == nil {
		return nil, nil, false
	}
	f := uint32(noFatalities)
	if r.Fatalities != nil && *r.Fatalities >= 0 && *r.Fatalities < noFatalities {
		f = uint32(*r.Fatalities)
	}
	value = binary.BigEndian.AppendUint32(append(make([]byte, 0, eventEntryLen), e...), f)
	return []byte{byte(code)}, value, true
}

// The actor index, ix_actor, holds one key per distinct actor of a report,
// like the tag index:
//
//	ix_actor  lower-cased actor name, 0, position → entry

// actorKey is an actor name's index form, the one ReportFilter.Match
// compares in.
func actorKey(name string) string { return geotag.TagKey(name) }

// fatalClassFloor[c] is the least count of fatality class c (1…7); class
// 0 is unknown. Counts within a class share it in index entries.
var fatalClassFloor = [...]int{-1, 0, 1, 3, 10, 30, 100, 1000}

// fatalClass is the class of a fatality count for index entries: 0
// unknown, then 0, 1–2, 3–9, 10–29, 30–99, 100–999, 1000 and more.
func fatalClass(f *int) byte {
	if f == nil || *f < 0 {
		return 0
	}
	c := byte(1)
	for c < 7 && *f >= fatalClassFloor[c+1] {
		c++
	}
	return c
}

// eventFilter is the compiled event part of a ReportFilter.
type eventFilter struct {
	codes  []byte // wanted type codes; nil for any
	fatMin uint32 // with hasFat: fatalities known and ≥ fatMin
	fatMax uint32 // with hasMax too: and ≤ fatMax
	hasMax bool
	hasFat bool
	actor  string // lower-cased actor name
}

// compileEvent compiles the event conditions of the valid f
// (geotag.ReportFilter.Validate).
func compileEvent(f geotag.ReportFilter) eventFilter {
	var ef eventFilter
	seen := [numEventCodes]bool{}
	for _, t := range f.EventTypes {
		if c := geotag.EventTypeCode(strings.TrimSpace(t)); !seen[c] {
			seen[c] = true
			ef.codes = append(ef.codes, byte(c))
		}
	}
	if m := f.FatalitiesMin; m != nil {
		ef.hasFat, ef.fatMin = true, uint32(*m)
	}
	if m := f.FatalitiesMax; m != nil {
		ef.hasFat, ef.hasMax, ef.fatMax = true, true, uint32(*m)
	}
	ef.actor = actorKey(f.Actor)
	return ef
}

// onEntry reports whether index entries alone answer the filter's type and
// fatality conditions exactly: any types, and fatality bounds on class
// edges (a minimum at a class floor, a maximum one below the next).
func (ef *eventFilter) onEntry() bool {
	edge := func(n uint32) bool {
		for _, f := range fatalClassFloor[1:] {
			if uint32(f) == n {
				return true
			}
		}
		return false
	}
	return ef.indexed() && (!ef.hasFat || edge(ef.fatMin)) && (!ef.hasMax || edge(ef.fatMax+1))
}

// keepEntry checks the type and fatality conditions on an index entry's
// flags, for a filter that onEntry accepts (its bounds on class edges).
func (ef *eventFilter) keepEntry(flags byte) bool {
	code := flags >> entryTypeShift & 7
	if ef.codes != nil && !slices.Contains(ef.codes, code) {
		return false
	}
	if !ef.hasFat {
		return true
	}
	c := flags >> entryFatShift
	return c != 0 && fatalClassFloor[c] >= int(ef.fatMin) && (!ef.hasMax || fatalClassFloor[c] <= int(ef.fatMax))
}

// indexed reports whether the event index can answer the filter's type and
// fatality conditions.
func (ef *eventFilter) indexed() bool { return ef.codes != nil || ef.hasFat }

// any reports whether the filter has event conditions.
func (ef *eventFilter) any() bool { return ef.indexed() || ef.actor != "" }

// prefixes lists the event index prefixes to walk: the wanted types', or
// the fatality classes (eventFilter.kinds).
func (ef *eventFilter) prefixes() [][]byte {
	var ps [][]byte
	for _, k := range ef.kinds() {
		ps = append(ps, []byte{k})
	}
	return ps
}

// keepValue checks the fatality condition on an event index value.
func (ef *eventFilter) keepValue(v []byte) bool {
	if !ef.hasFat {
		return true
	}
	if len(v) != eventEntryLen {
		return false
	}
	f := binary.BigEndian.Uint32(v[entryLen:])
	return f != noFatalities && f >= ef.fatMin && (!ef.hasMax || f <= ef.fatMax)
}

// keepReport checks the conditions on a decoded report; onIndex says the
// type and fatality conditions were checked on the event index already,
// onActor the actor on the actor index.
func (ef *eventFilter) keepReport(r *geotag.Report, onIndex, onActor bool) bool {
	if !onIndex {
		if ef.codes != nil {
			c := byte(geotag.EventTypeCode(r.EventType))
			found := false
			for _, w := range ef.codes {
				found = found || w == c
			}
			if !found {
				return false
			}
		}
		if ef.hasFat && (r.Fatalities == nil || *r.Fatalities < 0 || uint32(*r.Fatalities) < ef.fatMin || (ef.hasMax && uint32(*r.Fatalities) > ef.fatMax)) {
			return false
		}
	}
	if ef.actor == "" || onActor {
		return true
	}
	for _, a := range r.Actors {
		if actorKey(a.Name) == ef.actor {
			return true
		}
	}
	return false
}
