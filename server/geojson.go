package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/geotag/geotag"
)

// Feature is an RFC 7946 Feature of a report or a place.
type Feature struct {
	Type       string            `json:"type"` // "Feature"
	ID         any               `json:"id,omitempty"`
	Geometry   *geojson.Geometry `json:"geometry"` // null for a report without location
	Properties any               `json:"properties"`
}

// ReportProperties are the properties of one report's Feature, as GET
// /api/v1/reports/{id} answers it: every field of the report, with the
// full mentions and main location. Lists and exports write the shorter
// properties of geotag.AppendReportFeature instead, where "mentions" are
// names and "location" is the main location's name.
type ReportProperties struct {
	ID            string            `json:"id"`
	ExternalID    string            `json:"external_id,omitempty"`
	Title         string            `json:"title"`
	Text          string            `json:"text"`
	Time          time.Time         `json:"time"`
	TimePrecision string            `json:"time_precision,omitempty"`
	Source        string            `json:"source"`
	Status        string            `json:"status"`
	Tags          []string          `json:"tags"`
	MentionNames  []string          `json:"mention_names"` // distinct resolved names, in text order
	Mentions      []geotag.Mention  `json:"mentions"`
	TitleMentions []geotag.Mention  `json:"title_mentions,omitempty"` // offsets in the title
	Location      *geotag.Location  `json:"location"`
	Precision     int               `json:"precision"` // of the main location, 0 without one
	PlaceID       int64             `json:"place_id"`
	Method        string            `json:"method"` // auto or manual
	geotag.Event                    // event_type, sub_event_type, fatalities, actors, civilian_targeting
	History       []geotag.Revision `json:"history"`
	Created       time.Time         `json:"created"`
	Updated       time.Time         `json:"updated"`
}

// mentionNames returns the distinct names of the resolved mentions, in
// order of appearance.
func mentionNames(ms []geotag.Mention) []string {
	names := []string{}
	seen := map[string]bool{}
	for _, m := range ms {
		if m.Place == nil {
			continue
		}
		n := m.Place.Name
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return names
}

func locationGeometry(l *geotag.Location) *geojson.Geometry {
	if l == nil {
		return nil
	}
	return geojson.NewGeometry(orb.Point{l.Lon, l.Lat})
}

// fullReportFeature returns r as a Feature with every property.
func fullReportFeature(r *geotag.Report) Feature {
	p := ReportProperties{
		ID: r.ID, ExternalID: r.ExternalID, Title: r.Title, Text: r.Text, Time: r.Time,
		TimePrecision: r.TimePrecision, Source: r.Source, Status: r.Status, Tags: r.Tags,
		MentionNames: mentionNames(r.Mentions), Mentions: r.Mentions, TitleMentions: r.TitleMentions, Location: r.Location,
		History: r.History, Created: r.Created, Updated: r.Updated, Event: r.Event,
	}
	if p.Tags == nil {
		p.Tags = []string{}
	}
	if p.Mentions == nil {
		p.Mentions = []geotag.Mention{}
	}
	if p.History == nil {
		p.History = []geotag.Revision{}
	}
	if l := r.Location; l != nil {
		p.Precision, p.PlaceID, p.Method = l.Precision, l.PlaceID, l.Provenance.Method
	}
	return Feature{Type: "Feature", ID: r.ID, Geometry: locationGeometry(r.Location), Properties: p}
}

// Link is a web link as OGC API and the report lists write them.
type Link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// collectionWriter streams a FeatureCollection: the head members, then
// one feature at a time, then the tail members, in constant memory.
type collectionWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
	n   int
	err error
	buf []byte
}

func newCollectionWriter(w io.Writer) *collectionWriter {
	bw := bufio.NewWriterSize(w, 32<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	cw := &collectionWriter{w: bw, enc: enc}
	_, cw.err = bw.WriteString(`{"type":"FeatureCollection","features":[`)
	return cw
}

// WriteReport adds a report's Feature with the properties opt chooses,
// written by the root package's streaming encoder.
func (cw *collectionWriter) WriteReport(r *geotag.Report, opt geotag.FeatureOptions) error {
	cw.buf = geotag.AppendReportFeatureWith(cw.buf[:0], r, opt)
	return cw.WriteFeature(cw.buf)
}

// WriteFeature adds one feature already encoded by AppendReportFeatureWith.
func (cw *collectionWriter) WriteFeature(feature []byte) error {
	if cw.err != nil {
		return cw.err
	}
	if cw.n > 0 {
		cw.w.WriteByte(',')
	}
	cw.n++
	cw.w.Write(feature)
	cw.err = cw.w.WriteByte('\n')
	return cw.err
}

// WriteFeatures adds the features of a store's feature page: each one
// AppendReportFeature's bytes followed by a newline.
func (cw *collectionWriter) WriteFeatures(features []byte) error {
	for len(features) > 0 && cw.err == nil {
		i := bytes.IndexByte(features, '\n') + 1
		if i == 0 {
			i = len(features)
		}
		if cw.n > 0 {
			cw.w.WriteByte(',')
		}
		cw.n++
		_, cw.err = cw.w.Write(features[:i])
		features = features[i:]
	}
	return cw.err
}

// Write adds one feature.
func (cw *collectionWriter) Write(f any) error {
	if cw.err != nil {
		return cw.err
	}
	if cw.n > 0 {
		cw.w.WriteByte(',')
	}
	cw.n++
	cw.err = cw.enc.Encode(f) // Encode's trailing newline is JSON whitespace
	return cw.err
}

// Close ends the features array, writes the members (key → value, in
// order) and flushes.
func (cw *collectionWriter) Close(members ...member) error {
	if cw.err != nil {
		return cw.err
	}
	cw.w.WriteByte(']')
	for _, m := range members {
		k, _ := json.Marshal(m.key)
		v, err := json.Marshal(m.value)
		if err != nil {
			return err
		}
		cw.w.WriteByte(',')
		cw.w.Write(k)
		cw.w.WriteByte(':')
		cw.w.Write(v)
	}
	cw.w.WriteString("}\n")
	return cw.w.Flush()
}

type member struct {
	key   string
	value any
}
