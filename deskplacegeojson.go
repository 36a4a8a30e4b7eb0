package geotag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// DeskPlaceFeature is a desk place as a GeoJSON Feature: a Point
// ([lon, lat]) and its fields as properties (DeskPlace.GeoJSON). ParseDeskPlaces reads it
// back.
type DeskPlaceFeature struct {
	Type       string         `json:"type"`
	ID         int64          `json:"id"`
	Geometry   pointGeometry  `json:"geometry"`
	Properties deskProperties `json:"properties"`
}

type pointGeometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

type deskProperties struct {
	ID      int64     `json:"id,omitempty"`
	Name    string    `json:"name"` // the label: the first name
	Names   []string  `json:"names"`
	Country string    `json:"country,omitempty"`
	Feature string    `json:"feature,omitempty"`
	Parent  int64     `json:"parent,omitempty"`
	Note    string    `json:"note,omitempty"`
	By      string    `json:"by,omitempty"`
	Created time.Time `json:"created,omitzero"`
	Updated time.Time `json:"updated,omitzero"`
	Desk    bool      `json:"desk"` // always true: a desk place, not the gazetteer's
}

// GeoJSON returns d as a GeoJSON Feature.
func (d DeskPlace) GeoJSON() DeskPlaceFeature {
	name := ""
	if len(d.Names) > 0 {
		name = d.Names[0]
	}
	return DeskPlaceFeature{Type: "Feature", ID: d.ID,
		Geometry: pointGeometry{Type: "Point", Coordinates: [2]float64{d.Lon, d.Lat}},
		Properties: deskProperties{ID: d.ID, Name: name, Names: d.Names, Country: d.Country, Feature: d.Feature,
			Parent: d.Parent, Note: d.Note, By: d.By, Created: d.Created, Updated: d.Updated, Desk: true}}
}

// ParseDeskPlaces reads desk places from GeoJSON: a FeatureCollection or
// one Feature, each a Point with "names" (or one "name") and the other
// properties DeskPlace.GeoJSON writes; ids, authors and times in the file
// are ignored (the store gives its own). Each place is normalised. It
// returns EINVALID naming the feature at fault, and ETOOLARGE for more
// than max features.
func ParseDeskPlaces(body []byte, max int) ([]DeskPlace, error) {
	var doc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	body = bytes.TrimSpace(body)
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, FieldErrorf(EINVALID, "body", "desk places are a GeoJSON FeatureCollection or Feature: %v", err)
	}
	switch doc.Type {
	case "Feature":
		doc.Features = []json.RawMessage{body}
	case "FeatureCollection":
	default:
		return nil, FieldErrorf(EINVALID, "type", "desk places are a GeoJSON FeatureCollection or Feature, not %.40q", doc.Type)
	}
	if len(doc.Features) > max {
		return nil, Errorf(ETOOLARGE, "at most %d desk places at once, not %d", max, len(doc.Features))
	}
	out := make([]DeskPlace, 0, len(doc.Features))
	for i, raw := range doc.Features {
		d, err := parseDeskFeature(raw)
		if err != nil {
			return nil, FieldErrorf(EINVALID, fmt.Sprintf("features[%d]", i), "feature %d: %s", i, ErrorMessage(err))
		}
		out = append(out, d)
	}
	return out, nil
}

func parseDeskFeature(raw []byte) (DeskPlace, error) {
	var f struct {
		Type     string `json:"type"`
		Geometry *struct {
			Type        string    `json:"type"`
			Coordinates []float64 `json:"coordinates"`
		} `json:"geometry"`
		Properties deskProperties `json:"properties"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return DeskPlace{}, FieldErrorf(EINVALID, "feature", "not a Feature: %v", err)
	}
	if f.Type != "Feature" || f.Geometry == nil || f.Geometry.Type != "Point" || len(f.Geometry.Coordinates) < 2 {
		return DeskPlace{}, FieldErrorf(EINVALID, "geometry", "a desk place is a Feature with a Point geometry")
	}
	p := f.Properties
	names := p.Names
	if len(names) == 0 && p.Name != "" {
		names = []string{p.Name}
	}
	d := DeskPlace{Names: names, Lon: f.Geometry.Coordinates[0], Lat: f.Geometry.Coordinates[1], Country: p.Country,
		Feature: p.Feature, Parent: p.Parent, Note: p.Note}
	return d, d.Normalize()
}
