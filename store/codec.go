package store

import (
	"cmp"
	"encoding/binary"
	"math"
	"time"

	"github.com/geotag/geotag"
)

// Record encoding. A record is a version byte followed by the report's
// fields in declaration order: integers as varints, floats as 8 bytes, strings
// and slices length-prefixed (slice lengths are stored plus one, so that a
// nil slice stays nil), optional structs behind a presence byte, times as
// seconds and nanoseconds in UTC. The ID is the record's key and is not
// repeated.
//
// Decoding copies the record into one string and slices every string field
// out of it: one allocation for all strings, however many mentions a report
// has. codec_test.go fills every exported field of every type by reflection
// and checks the round trip, so a field added to a root type without being
// added here fails the tests instead of being silently dropped.
//
// Version 2 adds to each revision, after AfterLocation, the fields a text
// edit records: BeforeText (behind a presence byte), BeforeMentions,
// Carried and Dropped. Version 1 records, written before, still decode,
// with those fields nil.
//
// Version 3 adds the report's Event after its Location (type, sub-type,
// fatalities behind a presence byte, actors, civilian targeting) and
// to each revision, after Dropped, BeforeEvent and AfterEvent behind
// presence bytes. Older records decode with a zero Event.
//
// Version 4 adds to each mention, after Manual, the desk rule that decided
// it (behind a presence byte: its ID, By and At); to each revision, after
// AfterEvent, SplitFrom and SplitInto (a split's reports) and the Bulk id
// (a bulk correction's); and, after the history, the report's
// TitleMentions and the Why of each location present: the report's, then
// each revision's before and after. Those come last so that the feature
// encoding, which stops before the history, reads a record of any version
// alike. Older records decode with none of them.
const recordVersion = 4

// knownVersion says whether a record's version byte is one this codec
// decodes.
func knownVersion(v byte) bool { return v >= 1 && v <= recordVersion }

// encoder appends a record; version, when set, writes an older layout
// (for the tests of old records).
type encoder struct {
	b       []byte
	version byte
}

// v4 says whether e writes version 4's fields.
func (e *encoder) v4() bool { return e.version == 0 || e.version >= 4 }

func (e *encoder) uvarint(x uint64) { e.b = binary.AppendUvarint(e.b, x) }
func (e *encoder) varint(x int64)   { e.b = binary.AppendVarint(e.b, x) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) f64(f float64)    { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(f)) }
func (e *encoder) boolean(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.varint(t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
}

// length writes a slice length, 0 for a nil slice.
func (e *encoder) length(n int, isNil bool) {
	if isNil {
		e.uvarint(0)
	} else {
		e.uvarint(uint64(n) + 1)
	}
}

func (e *encoder) strs(ss []string) {
	e.length(len(ss), ss == nil)
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) place(p *geotag.Place) {
	e.varint(p.ID)
	e.str(p.Name)
	e.f64(p.Lat)
	e.f64(p.Lon)
	e.str(p.Country)
	e.str(p.CountryName)
	e.str(p.Admin1)
	e.str(p.Admin1Code)
	e.str(p.Feature)
	e.varint(p.Population)
	e.varint(p.ParentID)
}

func (e *encoder) mention(m *geotag.Mention) {
	e.varint(int64(m.Start))
	e.varint(int64(m.End))
	e.str(m.Text)
	e.str(m.Kind)
	e.f64(m.Confidence)
	e.varint(int64(m.Precision))
	e.boolean(m.Place != nil)
	if m.Place != nil {
		e.place(m.Place)
	}
	e.length(len(m.Alternatives), m.Alternatives == nil)
	for i := range m.Alternatives {
		e.place(&m.Alternatives[i].Place)
		e.f64(m.Alternatives[i].Score)
	}
	e.boolean(m.Manual)
	if !e.v4() {
		return
	}
	e.boolean(m.Rule != nil)
	if m.Rule != nil {
		e.str(m.Rule.ID)
		e.str(m.Rule.By)
		e.time(m.Rule.At)
	}
}

func (e *encoder) optMention(m *geotag.Mention) {
	e.boolean(m != nil)
	if m != nil {
		e.mention(m)
	}
}

func (e *encoder) location(l *geotag.Location) {
	e.boolean(l != nil)
	if l == nil {
		return
	}
	e.f64(l.Lat)
	e.f64(l.Lon)
	e.varint(int64(l.Precision))
	e.str(l.Name)
	e.varint(l.PlaceID)
	e.varint(int64(l.Mention))
	e.str(l.Provenance.Method)
	e.str(l.Provenance.Tagger)
	e.str(l.Provenance.By)
	e.time(l.Provenance.At)
}

// encodeReport appends the record of r to dst.
func encodeReport(dst []byte, r *geotag.Report) []byte { return encodeReportAs(dst, r, 0) }

// encodeReportAs is encodeReport in the mention layout of an older
// version (0: the current), for the tests of old records.
func encodeReportAs(dst []byte, r *geotag.Report, version byte) []byte {
	e := encoder{b: dst, version: version}
	e.b = append(e.b, cmp.Or(version, recordVersion))
	e.str(r.ExternalID)
	e.str(r.Title)
	e.str(r.Text)
	e.str(r.Source)
	e.time(r.Time)
	e.str(r.TimePrecision)
	e.time(r.Created)
	e.time(r.Updated)
	e.str(r.Status)
	e.strs(r.Tags)
	e.length(len(r.Mentions), r.Mentions == nil)
	for i := range r.Mentions {
		e.mention(&r.Mentions[i])
	}
	e.location(r.Location)
	e.event(&r.Event)
	e.length(len(r.History), r.History == nil)
	for i := range r.History {
		h := &r.History[i]
		e.time(h.At)
		e.str(h.By)
		e.str(h.Action)
		e.varint(int64(h.Mention))
		e.optMention(h.Before)
		e.optMention(h.After)
		e.location(h.BeforeLocation)
		e.location(h.AfterLocation)
		e.boolean(h.BeforeText != nil)
		if h.BeforeText != nil {
			e.str(*h.BeforeText)
		}
		e.length(len(h.BeforeMentions), h.BeforeMentions == nil)
		for i := range h.BeforeMentions {
			e.mention(&h.BeforeMentions[i])
		}
		e.carries(h.Carried)
		e.carries(h.Dropped)
		e.optEvent(h.BeforeEvent)
		e.optEvent(h.AfterEvent)
		if e.v4() {
			e.str(h.SplitFrom)
			e.strs(h.SplitInto)
			e.str(h.Bulk)
		}
	}
	if e.v4() {
		e.titleAndWhys(r)
	}
	return e.b
}

// titleAndWhys encodes what version 4 added at the record's end.
func (e *encoder) titleAndWhys(r *geotag.Report) {
	e.length(len(r.TitleMentions), r.TitleMentions == nil)
	for i := range r.TitleMentions {
		e.mention(&r.TitleMentions[i])
	}
	forEachLocation(r, func(l *geotag.Location) { e.str(l.Why) })
}

// forEachLocation calls fn for each location of r present, in record
// order: the report's, then each revision's before and after.
func forEachLocation(r *geotag.Report, fn func(*geotag.Location)) {
	if r.Location != nil {
		fn(r.Location)
	}
	for i := range r.History {
		for _, l := range []*geotag.Location{r.History[i].BeforeLocation, r.History[i].AfterLocation} {
			if l != nil {
				fn(l)
			}
		}
	}
}

func (e *encoder) event(ev *geotag.Event) {
	e.str(ev.EventType)
	e.str(ev.SubEventType)
	e.boolean(ev.Fatalities != nil)
	if ev.Fatalities != nil {
		e.varint(int64(*ev.Fatalities))
	}
	e.length(len(ev.Actors), ev.Actors == nil)
	for _, a := range ev.Actors {
		e.str(a.Name)
		e.varint(int64(a.Side))
		e.boolean(a.Associated)
	}
	e.boolean(ev.CivilianTargeting)
}

func (e *encoder) optEvent(ev *geotag.Event) {
	e.boolean(ev != nil)
	if ev != nil {
		e.event(ev)
	}
}

func (e *encoder) carries(cs []geotag.Carry) {
	e.length(len(cs), cs == nil)
	for i := range cs {
		c := &cs[i]
		e.str(c.Action)
		e.str(c.Text)
		e.varint(int64(c.Start))
		e.varint(int64(c.End))
		e.varint(int64(c.Mention))
		e.boolean(c.Place != nil)
		if c.Place != nil {
			e.place(c.Place)
		}
		e.str(c.By)
		e.time(c.At)
	}
}

// errCorrupt is returned for a record that does not decode.
var errCorrupt = geotag.Errorf(geotag.EINTERNAL, "store: corrupt report record")

type decoder struct {
	s       string
	i       int
	err     error
	version byte // the record's; 0 reads as the current one
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.i = len(d.s)
}

func (d *decoder) byte() byte {
	if d.i >= len(d.s) {
		d.fail()
		return 0
	}
	b := d.s[d.i]
	d.i++
	return b
}

func (d *decoder) uvarint() uint64 {
	var x uint64
	var s uint
	for n := 0; n < binary.MaxVarintLen64; n++ {
		b := d.byte()
		if d.err != nil {
			return 0
		}
		if b < 0x80 {
			return x | uint64(b)<<s
		}
		x |= uint64(b&0x7f) << s
		s += 7
	}
	d.fail()
	return 0
}

func (d *decoder) varint() int64 {
	ux := d.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (d *decoder) str() string {
	n := d.uvarint()
	if n > uint64(len(d.s)-d.i) {
		d.fail()
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s
}

func (d *decoder) f64() float64 {
	if len(d.s)-d.i < 8 {
		d.fail()
		return 0
	}
	s := d.s[d.i:]
	d.i += 8
	return math.Float64frombits(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
}

func (d *decoder) boolean() bool { return d.byte() != 0 }

func (d *decoder) time() time.Time {
	if d.byte() == 0 {
		return time.Time{}
	}
	sec := d.varint()
	nsec := d.uvarint()
	return time.Unix(sec, int64(nsec)).UTC()
}

// length reads a slice length; ok is false for a nil slice. Lengths larger
// than the bytes left are corrupt (every element takes at least one byte).
func (d *decoder) length() (n int, ok bool) {
	x := d.uvarint()
	if x == 0 {
		return 0, false
	}
	if x-1 > uint64(len(d.s)-d.i) {
		d.fail()
		return 0, false
	}
	return int(x - 1), true
}

func (d *decoder) strs() []string {
	n, ok := d.length()
	if !ok {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}

func (d *decoder) place(p *geotag.Place) {
	p.ID = d.varint()
	p.Name = d.str()
	p.Lat = d.f64()
	p.Lon = d.f64()
	p.Country = d.str()
	p.CountryName = d.str()
	p.Admin1 = d.str()
	p.Admin1Code = d.str()
	p.Feature = d.str()
	p.Population = d.varint()
	p.ParentID = d.varint()
}

// mention decodes into m, overwriting it; place is storage for m.Place.
// Without alts the alternatives are read past, not kept (m.Alternatives
// stays nil), so that nothing is allocated.
func (d *decoder) mention(m *geotag.Mention, place *geotag.Place, alts bool) {
	*m = geotag.Mention{}
	m.Start = int(d.varint())
	m.End = int(d.varint())
	m.Text = d.str()
	m.Kind = d.str()
	m.Confidence = d.f64()
	m.Precision = int(d.varint())
	if d.boolean() {
		d.place(place)
		m.Place = place
	}
	if n, ok := d.length(); ok {
		if alts {
			m.Alternatives = make([]geotag.Candidate, n)
		}
		var skip geotag.Candidate
		for i := 0; i < n && d.err == nil; i++ {
			c := &skip
			if alts {
				c = &m.Alternatives[i]
			}
			d.place(&c.Place)
			c.Score = d.f64()
		}
	}
	m.Manual = d.boolean()
	if d.version >= 4 && d.boolean() {
		m.Rule = &geotag.RuleRef{ID: d.str(), By: d.str(), At: d.time()}
	}
}

func (d *decoder) optMention() *geotag.Mention {
	if !d.boolean() {
		return nil
	}
	m := new(geotag.Mention)
	d.mention(m, new(geotag.Place), true)
	return m
}

func (d *decoder) location() *geotag.Location {
	if !d.boolean() {
		return nil
	}
	l := new(geotag.Location)
	d.locationFields(l)
	return l
}

// locationFields decodes the fields of a location that is present into l.
func (d *decoder) locationFields(l *geotag.Location) {
	l.Lat = d.f64()
	l.Lon = d.f64()
	l.Precision = int(d.varint())
	l.Name = d.str()
	l.PlaceID = d.varint()
	l.Mention = int(d.varint())
	l.Provenance.Method = d.str()
	l.Provenance.Tagger = d.str()
	l.Provenance.By = d.str()
	l.Provenance.At = d.time()
}

// head decodes the fields that open a record, ExternalID to Status, into r.
func (d *decoder) head(r *geotag.Report) {
	r.ExternalID = d.str()
	r.Title = d.str()
	r.Text = d.str()
	r.Source = d.str()
	r.Time = d.time()
	r.TimePrecision = d.str()
	r.Created = d.time()
	r.Updated = d.time()
	r.Status = d.str()
}

// decodeReport decodes a record. id is the record's key.
func decodeReport(key, rec []byte) (*geotag.Report, error) {
	if len(key) != idLen {
		return nil, errCorrupt
	}
	if len(rec) == 0 || !knownVersion(rec[0]) {
		return nil, errCorrupt
	}
	d := decoder{s: string(rec), i: 1, version: rec[0]}
	r := new(geotag.Report)
	r.ID = idString(key)
	d.head(r)
	r.Tags = d.strs()
	if n, ok := d.length(); ok {
		r.Mentions = make([]geotag.Mention, n)
		places := make([]geotag.Place, n)
		for i := range r.Mentions {
			d.mention(&r.Mentions[i], &places[i], true)
		}
	}
	r.Location = d.location()
	if d.version >= 3 {
		d.event(&r.Event)
	}
	if n, ok := d.length(); ok {
		r.History = make([]geotag.Revision, n)
		for i := range r.History {
			h := &r.History[i]
			h.At = d.time()
			h.By = d.str()
			h.Action = d.str()
			h.Mention = int(d.varint())
			h.Before = d.optMention()
			h.After = d.optMention()
			h.BeforeLocation = d.location()
			h.AfterLocation = d.location()
			if d.version >= 2 {
				d.revisionEdit(h)
			}
			if d.version >= 3 {
				h.BeforeEvent = d.optEvent()
				h.AfterEvent = d.optEvent()
			}
			if d.version >= 4 {
				h.SplitFrom = d.str()
				h.SplitInto = d.strs()
				h.Bulk = d.str()
			}
		}
	}
	if d.version >= 4 {
		d.titleAndWhys(r)
	}
	if d.err == nil && d.i != len(d.s) {
		d.err = errCorrupt
	}
	if d.err != nil {
		return nil, d.err
	}
	return r, nil
}

// titleAndWhys decodes what version 4 added at the record's end into r.
func (d *decoder) titleAndWhys(r *geotag.Report) {
	if n, ok := d.length(); ok {
		r.TitleMentions = make([]geotag.Mention, n)
		places := make([]geotag.Place, n)
		for i := 0; i < n && d.err == nil; i++ {
			d.mention(&r.TitleMentions[i], &places[i], true)
		}
	}
	forEachLocation(r, func(l *geotag.Location) { l.Why = d.str() })
}

// revisionEdit decodes the fields version 2 added to a revision into h.
func (d *decoder) revisionEdit(h *geotag.Revision) {
	if d.boolean() {
		t := d.str()
		h.BeforeText = &t
	}
	if n, ok := d.length(); ok {
		h.BeforeMentions = make([]geotag.Mention, n)
		places := make([]geotag.Place, n)
		for i := 0; i < n && d.err == nil; i++ {
			d.mention(&h.BeforeMentions[i], &places[i], true)
		}
	}
	h.Carried = d.carries()
	h.Dropped = d.carries()
}

// event decodes a version 3 event into ev.
func (d *decoder) event(ev *geotag.Event) {
	ev.EventType = d.str()
	ev.SubEventType = d.str()
	if d.boolean() {
		n := int(d.varint())
		ev.Fatalities = &n
	}
	if n, ok := d.length(); ok {
		ev.Actors = make([]geotag.Actor, n)
		for i := 0; i < n && d.err == nil; i++ {
			a := &ev.Actors[i]
			a.Name = d.str()
			a.Side = int(d.varint())
			a.Associated = d.boolean()
		}
	}
	ev.CivilianTargeting = d.boolean()
}

func (d *decoder) optEvent() *geotag.Event {
	if !d.boolean() {
		return nil
	}
	ev := new(geotag.Event)
	d.event(ev)
	return ev
}

func (d *decoder) carries() []geotag.Carry {
	n, ok := d.length()
	if !ok {
		return nil
	}
	cs := make([]geotag.Carry, n)
	for i := 0; i < n && d.err == nil; i++ {
		c := &cs[i]
		c.Action = d.str()
		c.Text = d.str()
		c.Start = int(d.varint())
		c.End = int(d.varint())
		c.Mention = int(d.varint())
		if d.boolean() {
			c.Place = new(geotag.Place)
			d.place(c.Place)
		}
		c.By = d.str()
		c.At = d.time()
	}
	return cs
}

func idString(key []byte) string {
	var u [idLen]byte
	copy(u[:], key)
	return ulidString(u)
}
