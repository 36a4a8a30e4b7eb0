package server

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/geotag/geotag"
)

// readJSONImport reads an import sent as application/json or
// application/geo+json into at most max+1 records: a JSON array whose
// elements are report bodies or GeoJSON Features (itemRecord), a GeoJSON
// FeatureCollection, or one Feature. A leading UTF-8 byte order mark is
// skipped. An element that is not a report is a record with its error.
//
// The whole input is refused (EINVALID, no records) when it is not one
// JSON value, or is some other JSON value; the columns are the features'
// property names (nil when no Feature was read).
func readJSONImport(body []byte, max int) ([]importRecord, *ImportColumns, error) {
	body = bytes.TrimSpace(bytes.TrimPrefix(body, utf8BOM))
	cols := &ImportColumns{Used: []string{}, Ignored: []string{}}
	var recs []importRecord
	var err error
	switch {
	case len(body) > 0 && body[0] == '[':
		recs, err = readJSONArray(body, max, cols)
	case len(body) > 0 && body[0] == '{':
		var doc struct {
			Type     string          `json:"type"`
			Features json.RawMessage `json:"features"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			return nil, nil, jsonError(err)
		}
		switch doc.Type {
		case "Feature":
			recs = []importRecord{featureRecord(body, cols)}
		case "FeatureCollection":
			if f := bytes.TrimSpace(doc.Features); len(f) == 0 || f[0] != '[' {
				return nil, nil, geotag.FieldErrorf(geotag.EINVALID, "features", "a FeatureCollection needs a features array")
			}
			recs, err = readJSONArray(doc.Features, max, cols)
		default:
			err = geotag.FieldErrorf(geotag.EINVALID, "body", "a JSON import is an array of reports, a GeoJSON FeatureCollection or a Feature, not an object of type %.40q", doc.Type)
		}
	default:
		if err := json.Unmarshal(body, new(json.RawMessage)); err != nil {
			return nil, nil, jsonError(err)
		}
		err = geotag.FieldErrorf(geotag.EINVALID, "body", "a JSON import is an array of reports, a GeoJSON FeatureCollection or a Feature")
	}
	if err != nil {
		return nil, nil, err
	}
	return recs, usedColumns(cols), nil
}

// readJSONArray decodes a JSON array one element at a time, stopping after
// max+1; the array must be the whole of body.
func readJSONArray(body []byte, max int, cols *ImportColumns) ([]importRecord, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil { // [
		return nil, jsonError(err)
	}
	var recs []importRecord
	for dec.More() {
		if len(recs) > max {
			return recs, nil // the caller refuses the whole import
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, jsonError(err)
		}
		recs = append(recs, itemRecord(raw, cols))
	}
	if _, err := dec.Token(); err != nil { // ]
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); err == nil || dec.More() {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "body", "the import holds more than one JSON value")
	}
	return recs, nil
}

// readSeqImport reads JSON texts, each a report body or a GeoJSON Feature
// (itemRecord), at most max+1 of them, each with the line it starts on. With
// rs (RFC 7464 / RFC 8142 sequences) and a record separator (0x1E) in the
// body, texts are what lies between separators and may span lines;
// otherwise each line is one text (JSON Lines), a leading separator
// ignored. Blank texts are skipped. It never refuses the whole input.
func readSeqImport(body []byte, rs bool, max int) ([]importRecord, *ImportColumns, error) {
	body = bytes.TrimPrefix(body, utf8BOM)
	sep := byte('\n')
	if rs && bytes.IndexByte(body, 0x1e) >= 0 {
		sep = 0x1e
	}
	cols := &ImportColumns{Used: []string{}, Ignored: []string{}}
	var recs []importRecord
	line := 1
	for rest := body; len(rest) > 0 && len(recs) <= max; {
		text := rest
		if i := bytes.IndexByte(rest, sep); i >= 0 {
			text, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		start := line + bytes.Count(text[:len(text)-len(bytes.TrimLeft(text, " \t\r\n\x1e"))], []byte{'\n'})
		line += bytes.Count(text, []byte{'\n'})
		if sep == '\n' {
			line++
		}
		if t := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(text), []byte{0x1e})); len(t) > 0 {
			rec := itemRecord(t, cols)
			rec.Line = start
			recs = append(recs, rec)
		}
	}
	return recs, usedColumns(cols), nil
}

// usedColumns is cols when a feature's properties were read, else nil.
func usedColumns(cols *ImportColumns) *ImportColumns {
	if len(cols.Used) == 0 && len(cols.Ignored) == 0 {
		return nil
	}
	return cols
}

// itemRecord reads one JSON element of an import: a GeoJSON Feature
// (featureRecord), or a report body as POST /api/v1/reports takes it.
// Malformed JSON, a body of the wrong types, or null is an EINVALID record.
func itemRecord(raw []byte, cols *ImportColumns) importRecord {
	// One decode as a Feature serves both: a Feature's decoding error is
	// its record's, anything else is read again as a report body.
	var feat importFeature
	err := json.Unmarshal(raw, &feat)
	if string(feat.Type) == `"Feature"` {
		return feat.record(err, cols)
	}
	var rec importRecord
	if err := json.Unmarshal(raw, &rec.In); err != nil {
		rec.Err = jsonError(err)
	} else if string(bytes.TrimSpace(raw)) == "null" {
		rec.Err = geotag.FieldErrorf(geotag.EINVALID, "body", "a report must be a JSON object")
	}
	return rec
}

// featureRecord reads a GeoJSON Feature as a report: its properties by
// importAliases (property names recorded in cols); string or number values
// (tags also an array of strings; null is absent); the Feature's id as the
// id when the properties have none; a Point geometry as the main point,
// else the properties' latitude and longitude. A Feature that is malformed,
// has a property of another type, or a Point without two numbers is an
// EINVALID record; another geometry type is EUNPROCESSABLE.
func featureRecord(raw []byte, cols *ImportColumns) importRecord {
	var feat importFeature
	err := json.Unmarshal(raw, &feat)
	return feat.record(err, cols)
}

// importFeature is a GeoJSON Feature as an import decodes it; its type is
// checked by the caller.
type importFeature struct {
	Type       json.RawMessage            `json:"type"`
	ID         json.RawMessage            `json:"id"`
	Geometry   json.RawMessage            `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// record is featureRecord's reading of a decoded Feature; err is the
// decoding's error.
func (feat *importFeature) record(err error, cols *ImportColumns) importRecord {
	if err != nil {
		return importRecord{Err: jsonError(err)}
	}
	names := make([]string, 0, len(feat.Properties))
	for k := range feat.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	var f importFields
	for i, field := range pickColumns(names, cols) {
		v := bytes.TrimSpace(feat.Properties[names[i]])
		if field == "" || len(v) == 0 || string(v) == "null" {
			continue
		}
		if field == "tags" && v[0] == '[' {
			var tags []string
			if err := json.Unmarshal(v, &tags); err != nil {
				return importRecord{Err: geotag.FieldErrorf(geotag.EINVALID, "tags", "tags must be an array of strings or one string")}
			}
			f.tagList = &tags
			continue
		}
		s, err := jsonScalar(v)
		if err != nil {
			return importRecord{Err: geotag.FieldErrorf(geotag.EINVALID, field, "property %.40q must be a string or a number", names[i])}
		}
		*f.slot(field) = s
	}
	if f.id == "" && len(feat.ID) > 0 && string(feat.ID) != "null" {
		s, err := jsonScalar(feat.ID)
		if err != nil {
			return importRecord{Err: geotag.FieldErrorf(geotag.EINVALID, "id", "a feature's id must be a string or a number")}
		}
		f.id = s
	}
	if g := bytes.TrimSpace(feat.Geometry); len(g) > 0 && string(g) != "null" {
		var geom struct {
			Type        string            `json:"type"`
			Coordinates []json.RawMessage `json:"coordinates"`
		}
		if err := json.Unmarshal(g, &geom); err != nil {
			return importRecord{Err: geotag.FieldErrorf(geotag.EINVALID, "geometry", "the geometry is malformed: %v", geotag.ErrorMessage(jsonError(err)))}
		}
		if geom.Type != "Point" {
			return importRecord{Err: geotag.FieldErrorf(geotag.EUNPROCESSABLE, "geometry", "only a Point (or no geometry) can be a report's location, not %.40q", geom.Type)}
		}
		var lonlat [2]json.Number
		for i := range lonlat {
			if len(geom.Coordinates) < 2 || json.Unmarshal(geom.Coordinates[i], &lonlat[i]) != nil {
				return importRecord{Err: geotag.FieldErrorf(geotag.EINVALID, "geometry", "a Point's coordinates must be two numbers, longitude and latitude")}
			}
		}
		f.lon, f.lat = lonlat[0].String(), lonlat[1].String()
	}
	return f.record()
}

// jsonScalar returns a JSON string's value or a number's text.
func jsonScalar(v json.RawMessage) (string, error) {
	if len(v) > 0 && v[0] == '"' {
		var s string
		err := json.Unmarshal(v, &s)
		return s, err
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return "", err
	}
	return strings.TrimSpace(n.String()), nil
}
