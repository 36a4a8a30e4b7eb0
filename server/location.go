package server

import (
	"math"
	"time"

	"github.com/geotag/geotag"
)

// confident is the confidence above which a mention counts as a sure
// enough place for the main location to prefer its precision.
const confident = 0.5

// mentionPrecision returns m's precision, from its place when unset.
func mentionPrecision(m *geotag.Mention) int {
	if m.Precision > 0 {
		return m.Precision
	}
	if m.Place != nil {
		return m.Place.Precision()
	}
	return 3
}

// isPlaceMention reports whether m is a resolved toponym: demonyms and
// abbreviations never become a report's main location.
func isPlaceMention(m *geotag.Mention) bool {
	return m.Place != nil && (m.Kind == geotag.KindPlace || m.Kind == "")
}

// pickMain returns the index of the mention that should be a report's main
// location, or -1 when none is a resolved place. Among confident mentions
// (confidence ≥ 0.5) the finest precision wins, then the earliest in the
// text, since news leads with where things happened; when none is
// confident, the most confident one wins. Demonyms and abbreviations never
// count.
func pickMain(ms []geotag.Mention) int {
	pick := -1
	sure := false
	for i := range ms {
		m := &ms[i]
		if !isPlaceMention(m) {
			continue
		}
		if m.Confidence >= confident {
			if !sure || mentionPrecision(m) < mentionPrecision(&ms[pick]) {
				pick, sure = i, true
			}
			continue
		}
		if !sure && (pick < 0 || m.Confidence > ms[pick].Confidence) {
			pick = i
		}
	}
	return pick
}

// mentionLocation returns a location at mention i of ms.
func mentionLocation(ms []geotag.Mention, i int, prov geotag.Provenance) *geotag.Location {
	m := &ms[i]
	return &geotag.Location{
		Lat:        m.Place.Lat,
		Lon:        m.Place.Lon,
		Precision:  mentionPrecision(m),
		Name:       m.Place.Name,
		PlaceID:    m.Place.ID,
		Mention:    i,
		Provenance: prov,
	}
}

// autoLocation returns the automatic main location of ms, nil if none.
func autoLocation(ms []geotag.Mention, tagger string, at time.Time) *geotag.Location {
	i := pickMain(ms)
	if i < 0 {
		return nil
	}
	return mentionLocation(ms, i, geotag.Provenance{Method: geotag.MethodAuto, Tagger: tagger, At: at})
}

// validateMentions checks client-supplied mentions against the text:
// spans in code points inside the text and in order, text matching the
// span (filled in when empty), confidence within 0..1 and places at valid
// coordinates. Kind defaults to place.
func validateMentions(text string, ms []geotag.Mention) error {
	runes := []rune(text)
	for i := range ms {
		m := &ms[i]
		field := func(name string) string { return "mentions[" + itoa(i) + "]." + name }
		if m.Start < 0 || m.End <= m.Start || m.End > len(runes) {
			return geotag.FieldErrorf(geotag.EUNPROCESSABLE, field("start"),
				"mention span %d..%d is not inside the text of %d characters", m.Start, m.End, len(runes))
		}
		span := string(runes[m.Start:m.End])
		if m.Text == "" {
			m.Text = span
		} else if m.Text != span {
			return geotag.FieldErrorf(geotag.EUNPROCESSABLE, field("text"),
				"mention text %q does not match the text at %d..%d, %q (offsets count Unicode code points)", m.Text, m.Start, m.End, span)
		}
		switch m.Kind {
		case "":
			m.Kind = geotag.KindPlace
		case geotag.KindPlace, geotag.KindDemonym, geotag.KindAbbreviation:
		default:
			return geotag.FieldErrorf(geotag.EINVALID, field("kind"), "kind must be place, demonym or abbreviation")
		}
		if !(m.Confidence >= 0 && m.Confidence <= 1) {
			return geotag.FieldErrorf(geotag.EINVALID, field("confidence"), "confidence must be within 0..1")
		}
		if m.Precision < 0 || m.Precision > 3 {
			return geotag.FieldErrorf(geotag.EINVALID, field("precision"), "precision must be 1, 2 or 3")
		}
		if m.Place != nil {
			if err := validPoint(m.Place.Lat, m.Place.Lon, field("place.")); err != nil {
				return err
			}
		}
		for j, a := range m.Alternatives {
			if err := validPoint(a.Lat, a.Lon, field("alternatives["+itoa(j)+"].")); err != nil {
				return err
			}
		}
		if m.Alternatives == nil {
			m.Alternatives = []geotag.Candidate{}
		}
	}
	return nil
}

// validPoint checks a latitude and longitude, naming prefix+"lat" or
// prefix+"lon" when one is out of range or not a number.
func validPoint(lat, lon float64, prefix string) error {
	if math.IsNaN(lat) || lat < -90 || lat > 90 {
		return geotag.FieldErrorf(geotag.EUNPROCESSABLE, prefix+"lat", "latitude must be a number within ±90")
	}
	if math.IsNaN(lon) || lon < -180 || lon > 180 {
		return geotag.FieldErrorf(geotag.EUNPROCESSABLE, prefix+"lon", "longitude must be a number within ±180")
	}
	return nil
}
