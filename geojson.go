package geotag

import (
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// GeoJSON output of reports, RFC 7946.
//
// Exports of a million reports go through here, so the encoder is written by
// hand: it appends straight into a reused buffer (no reflection, no
// intermediate orb.FeatureCollection), which measures about 10–20× faster
// than marshalling orb features with encoding/json and keeps memory constant
// however many features are written. The output decodes with encoding/json
// and orb/geojson to the same values (see geojson_test.go).
//
// One Feature per report:
//
//	{"type":"Feature","id":"01J…",
//	 "geometry":{"type":"Point","coordinates":[lon,lat]},   // null without a location
//	 "properties":{"id":"01J…","title":…,"time":"2024-05-01T10:00:00Z", // null when unknown
//	   "source":…,"status":"unreviewed","tags":[…],"mentions":["Aleppo",…],
//	   "precision":1,"place_id":170063,"location":"Aleppo","method":"auto",
//	   "event_type":"Battles","sub_event_type":"Armed clash","fatalities":3, // null when not coded
//	   "created":…,"updated":…}}
//
// With FeatureOptions.Full, ACLED's "actor1", "assoc_actor_1", "actor2",
// "assoc_actor_2" and "civilian_targeting" follow "fatalities" (strings,
// associated actors joined by "; ", null when empty).
//
// With FeatureOptions.Full (exports and OGC items), three properties follow
// "id", "title" and "time": "external_id" (null when the report has none),
// "text", and "time_precision" ("day", "month" or "year" for a time known
// to that precision, null for an exact one):
//
//	"properties":{"id":"01J…","external_id":"ext-1","title":…,"text":"…",
//	   "time":"2024-05-01T00:00:00Z","time_precision":"day",…
//
// "mentions" lists the distinct names of the report's mentions (the resolved
// place's name, or the text as written when unresolved); "precision",
// "place_id", "location" and "method" describe the main location and are
// null without one. Strings are escaped as encoding/json escapes them,
// including <, > and &, so the output is safe to embed in HTML; invalid UTF-8
// becomes U+FFFD.

// FeatureOptions chooses the optional properties of a report's Feature. The
// zero value is the map's feature (GET /api/v1/reports): what a marker and
// its list need, a few hundred bytes, however long the report's text.
type FeatureOptions struct {
	// Full adds "external_id", "text" and "time_precision": the whole
	// report's attributes, as
	// exports and OGC API – Features items give them to GIS tools and as
	// POST /api/v1/import reads them back.
	Full bool
}

// FullFeature is the options of exports and OGC items.
var FullFeature = FeatureOptions{Full: true}

// AppendReportFeature appends r as one GeoJSON Feature, as the map's
// marker pages carry it (zero FeatureOptions), to dst and returns the
// extended buffer.
func AppendReportFeature(dst []byte, r *Report) []byte {
	return AppendReportFeatureWith(dst, r, FeatureOptions{})
}

// AppendReportFeatureWith appends r as one GeoJSON Feature with the
// properties opt chooses to dst and returns the extended buffer.
func AppendReportFeatureWith(dst []byte, r *Report, opt FeatureOptions) []byte {
	dst = append(dst, `{"type":"Feature","id":`...)
	dst = appendJSONString(dst, r.ID)
	dst = append(dst, `,"geometry":`...)
	if l := r.Location; l != nil {
		dst = append(dst, `{"type":"Point","coordinates":[`...)
		dst = appendFloat(dst, l.Lon)
		dst = append(dst, ',')
		dst = appendFloat(dst, l.Lat)
		dst = append(dst, "]}"...)
	} else {
		dst = append(dst, "null"...)
	}
	dst = append(dst, `,"properties":{"id":`...)
	dst = appendJSONString(dst, r.ID)
	if opt.Full {
		dst = append(dst, `,"external_id":`...)
		dst = appendJSONStringOrNull(dst, r.ExternalID)
	}
	dst = append(dst, `,"title":`...)
	dst = appendJSONString(dst, r.Title)
	if opt.Full {
		dst = append(dst, `,"text":`...)
		dst = appendJSONString(dst, r.Text)
	}
	dst = append(dst, `,"time":`...)
	dst = appendTime(dst, r.Time)
	if opt.Full {
		dst = append(dst, `,"time_precision":`...)
		dst = appendJSONStringOrNull(dst, r.TimePrecision)
	}
	dst = append(dst, `,"source":`...)
	dst = appendJSONString(dst, r.Source)
	dst = append(dst, `,"status":`...)
	dst = appendJSONString(dst, r.Status)
	dst = append(dst, `,"tags":[`...)
	for i, t := range r.Tags {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, t)
	}
	dst = append(dst, `],"mentions":[`...)
	n := 0
	for i := range r.Mentions {
		name := mentionName(&r.Mentions[i])
		if name == "" || seenMentionName(r.Mentions[:i], name) {
			continue
		}
		if n > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, name)
		n++
	}
	dst = append(dst, ']')
	if l := r.Location; l != nil {
		dst = append(dst, `,"precision":`...)
		dst = strconv.AppendInt(dst, int64(l.Precision), 10)
		dst = append(dst, `,"place_id":`...)
		if l.PlaceID != 0 {
			dst = strconv.AppendInt(dst, l.PlaceID, 10)
		} else {
			dst = append(dst, "null"...)
		}
		dst = append(dst, `,"location":`...)
		dst = appendJSONString(dst, l.Name)
		dst = append(dst, `,"method":`...)
		dst = appendJSONString(dst, l.Provenance.Method)
	} else {
		dst = append(dst, `,"precision":null,"place_id":null,"location":null,"method":null`...)
	}
	dst = appendEventProperties(dst, &r.Event, opt)
	dst = append(dst, `,"created":`...)
	dst = appendTime(dst, r.Created)
	dst = append(dst, `,"updated":`...)
	dst = appendTime(dst, r.Updated)
	return append(dst, "}}"...)
}

// appendEventProperties appends the event's properties: "event_type",
// "sub_event_type" and "fatalities" (null when not coded), and with
// opt.Full ACLED's actor columns and "civilian_targeting", as strings
// (null when empty), flat so that GIS tools read them as plain fields.
func appendEventProperties(dst []byte, e *Event, opt FeatureOptions) []byte {
	dst = append(dst, `,"event_type":`...)
	dst = appendJSONStringOrNull(dst, e.EventType)
	dst = append(dst, `,"sub_event_type":`...)
	dst = appendJSONStringOrNull(dst, e.SubEventType)
	dst = append(dst, `,"fatalities":`...)
	if e.Fatalities != nil {
		dst = strconv.AppendInt(dst, int64(*e.Fatalities), 10)
	} else {
		dst = append(dst, "null"...)
	}
	if !opt.Full {
		return dst
	}
	a1, as1, a2, as2 := e.ACLEDActors()
	for _, kv := range [...][2]string{{"actor1", a1}, {"assoc_actor_1", as1}, {"actor2", a2}, {"assoc_actor_2", as2}} {
		dst = append(dst, `,"`...)
		dst = append(dst, kv[0]...)
		dst = append(dst, `":`...)
		dst = appendJSONStringOrNull(dst, kv[1])
	}
	dst = append(dst, `,"civilian_targeting":`...)
	if e.CivilianTargeting {
		return appendJSONString(dst, CivilianTargeting)
	}
	return append(dst, "null"...)
}

// WriteReportFeature writes r as one GeoJSON Feature to w.
func WriteReportFeature(w io.Writer, r *Report) error {
	var buf [1024]byte
	_, err := w.Write(AppendReportFeature(buf[:0], r))
	return err
}

// mentionName is the name a mention shows in lists: its place's name, or the
// text as written when it is unresolved.
func mentionName(m *Mention) string {
	if m.Place != nil && m.Place.Name != "" {
		return m.Place.Name
	}
	return m.Text
}

func seenMentionName(ms []Mention, name string) bool {
	for i := range ms {
		if mentionName(&ms[i]) == name {
			return true
		}
	}
	return false
}

// FeatureWriter streams reports as one GeoJSON FeatureCollection. It buffers
// at most about 64 KiB, whatever the number of features. The zero value is
// not usable; call NewFeatureWriter.
type FeatureWriter struct {
	w      io.Writer
	buf    []byte
	n      int
	err    error
	closed bool
}

// featureWriterFlush is the buffered size at which FeatureWriter writes.
const featureWriterFlush = 64 << 10

// NewFeatureWriter returns a writer of one FeatureCollection to w. Nothing
// is written to w before the first Write, Flush or Close.
func NewFeatureWriter(w io.Writer) *FeatureWriter {
	return &FeatureWriter{w: w, buf: make([]byte, 0, featureWriterFlush+4096)}
}

// Write adds r to the collection. It returns the first error of the
// underlying writer, and keeps returning it.
func (fw *FeatureWriter) Write(r *Report) error {
	if err := fw.begin(); err != nil {
		return err
	}
	fw.buf = AppendReportFeature(fw.buf, r)
	return fw.end()
}

// WriteFeature adds one Feature already encoded as AppendReportFeature
// encodes it (what store exports produce without decoding reports). It does
// not check feature; it returns the first error of the underlying writer,
// and keeps returning it.
func (fw *FeatureWriter) WriteFeature(feature []byte) error {
	if err := fw.begin(); err != nil {
		return err
	}
	fw.buf = append(fw.buf, feature...)
	return fw.end()
}

// begin starts a feature: the collection's opening or a separator.
func (fw *FeatureWriter) begin() error {
	if fw.err != nil {
		return fw.err
	}
	if fw.closed {
		return Errorf(EINTERNAL, "geojson: write after close")
	}
	if fw.n == 0 {
		fw.buf = append(fw.buf, `{"type":"FeatureCollection","features":[`...)
	} else {
		fw.buf = append(fw.buf, ',', '\n')
	}
	return nil
}

// end counts a feature and writes out a full buffer.
func (fw *FeatureWriter) end() error {
	fw.n++
	if len(fw.buf) >= featureWriterFlush {
		return fw.flush()
	}
	return nil
}

// Count returns the number of features written so far.
func (fw *FeatureWriter) Count() int { return fw.n }

// Flush writes the buffered features to the underlying writer, so that a
// streaming HTTP response can be flushed to the client.
func (fw *FeatureWriter) Flush() error {
	if fw.err != nil {
		return fw.err
	}
	return fw.flush()
}

func (fw *FeatureWriter) flush() error {
	if len(fw.buf) == 0 {
		return nil
	}
	_, fw.err = fw.w.Write(fw.buf)
	fw.buf = fw.buf[:0]
	return fw.err
}

// Close ends the collection (an empty one if nothing was written) and
// flushes it. It does not close the underlying writer. Closing twice is a
// no-op.
func (fw *FeatureWriter) Close() error {
	if fw.err != nil || fw.closed {
		return fw.err
	}
	fw.closed = true
	if fw.n == 0 {
		fw.buf = append(fw.buf, `{"type":"FeatureCollection","features":[`...)
	}
	fw.buf = append(fw.buf, "]}\n"...)
	return fw.flush()
}

func appendFloat(dst []byte, f float64) []byte {
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}

func appendTime(dst []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(dst, "null"...)
	}
	dst = append(dst, '"')
	dst = t.UTC().AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONStringOrNull appends s as appendJSONString does, or null when
// s is empty.
func appendJSONStringOrNull(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, "null"...)
	}
	return appendJSONString(dst, s)
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (HTML-safe, invalid UTF-8 replaced by U+FFFD).
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
