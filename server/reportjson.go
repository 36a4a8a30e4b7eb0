package server

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/geotag/geotag"
)

// objectWriter streams JSON objects member by member, and lists element
// by element, through a small buffer, so that an answer as large as a
// report with thousands of mentions and revisions is never built whole in
// memory (json.Marshal of the report held it all, and then some: four
// reads of a 120 MB report took 1.3 GB). Values are encoded as
// json.Marshal encodes them; elements are followed by a newline (JSON
// whitespace). The first error sticks and is returned by end.
type objectWriter struct {
	w      *bufio.Writer
	enc    *json.Encoder
	counts []int // members written so far in each open object, innermost last
	err    error
}

func newObjectWriter(w io.Writer) *objectWriter {
	bw := bufio.NewWriterSize(w, 32<<10)
	o := &objectWriter{w: bw, enc: json.NewEncoder(bw)}
	o.raw("{")
	o.counts = append(o.counts, 0)
	return o
}

func (o *objectWriter) raw(s string) {
	if o.err == nil {
		_, o.err = o.w.WriteString(s)
	}
}

// key starts a member of the innermost object.
func (o *objectWriter) key(name string) {
	if o.counts[len(o.counts)-1] > 0 {
		o.raw(",")
	}
	o.counts[len(o.counts)-1]++
	b, _ := json.Marshal(name)
	o.raw(string(b) + ":")
}

// encode writes one value.
func (o *objectWriter) encode(v any) {
	if o.err == nil {
		o.err = o.enc.Encode(v)
	}
}

// member writes a member whose value is v.
func (o *objectWriter) member(name string, v any) {
	o.key(name)
	o.encode(v)
}

// object opens a member whose value is an object; end closes it.
func (o *objectWriter) object(name string) {
	o.key(name)
	o.raw("{")
	o.counts = append(o.counts, 0)
}

// end closes the innermost object; closing the outermost one flushes and
// returns the first error.
func (o *objectWriter) end() error {
	o.raw("}")
	o.counts = o.counts[:len(o.counts)-1]
	if len(o.counts) > 0 {
		return o.err
	}
	o.raw("\n")
	if o.err == nil {
		o.err = o.w.Flush()
	}
	return o.err
}

// list writes a member whose value is xs, one element at a time: null
// for a nil slice, as json.Marshal writes it.
func list[T any](o *objectWriter, name string, xs []T) {
	o.key(name)
	if xs == nil {
		o.raw("null")
		return
	}
	o.raw("[")
	for i := range xs {
		if i > 0 {
			o.raw(",")
		}
		o.encode(&xs[i])
	}
	o.raw("]")
}

// writeReportJSON streams r as geotag.Report marshals to JSON.
func writeReportJSON(w io.Writer, r *geotag.Report) error {
	o := newObjectWriter(w)
	o.member("id", r.ID)
	if r.ExternalID != "" {
		o.member("external_id", r.ExternalID)
	}
	o.member("title", r.Title)
	o.member("text", r.Text)
	if r.Source != "" {
		o.member("source", r.Source)
	}
	o.member("time", r.Time)
	if r.TimePrecision != "" {
		o.member("time_precision", r.TimePrecision)
	}
	o.member("created", r.Created)
	o.member("updated", r.Updated)
	o.member("status", r.Status)
	if len(r.Tags) > 0 {
		o.member("tags", r.Tags)
	}
	list(o, "mentions", r.Mentions)
	if len(r.TitleMentions) > 0 {
		list(o, "title_mentions", r.TitleMentions)
	}
	o.member("location", r.Location)
	writeEventJSON(o, &r.Event)
	if len(r.History) > 0 {
		list(o, "history", r.History)
	}
	return o.end()
}

// writeReportFeature streams r as fullReportFeature marshals to JSON: a
// Feature with every property.
func writeReportFeature(w io.Writer, r *geotag.Report) error {
	f := fullReportFeature(r)
	p := f.Properties.(ReportProperties)
	o := newObjectWriter(w)
	o.member("type", f.Type)
	o.member("id", f.ID)
	o.member("geometry", f.Geometry)
	o.object("properties")
	o.member("id", p.ID)
	if p.ExternalID != "" {
		o.member("external_id", p.ExternalID)
	}
	o.member("title", p.Title)
	o.member("text", p.Text)
	o.member("time", p.Time)
	if p.TimePrecision != "" {
		o.member("time_precision", p.TimePrecision)
	}
	o.member("source", p.Source)
	o.member("status", p.Status)
	o.member("tags", p.Tags)
	o.member("mention_names", p.MentionNames)
	list(o, "mentions", p.Mentions)
	if len(p.TitleMentions) > 0 {
		list(o, "title_mentions", p.TitleMentions)
	}
	o.member("location", p.Location)
	o.member("precision", p.Precision)
	o.member("place_id", p.PlaceID)
	o.member("method", p.Method)
	writeEventJSON(o, &p.Event)
	list(o, "history", p.History)
	o.member("created", p.Created)
	o.member("updated", p.Updated)
	o.end()
	return o.end()
}

// writeEventJSON writes the event's members as geotag.Event marshals them.
func writeEventJSON(o *objectWriter, e *geotag.Event) {
	if e.EventType != "" {
		o.member("event_type", e.EventType)
	}
	if e.SubEventType != "" {
		o.member("sub_event_type", e.SubEventType)
	}
	o.member("fatalities", e.Fatalities)
	if len(e.Actors) > 0 {
		list(o, "actors", e.Actors)
	}
	if e.CivilianTargeting {
		o.member("civilian_targeting", true)
	}
}
