package geotag

import (
	"math"
	"strconv"
	"time"
)

// confident is the confidence above which a mention counts as a sure
// enough place for the main location to prefer its precision.
const Confident = 0.5

// MentionPrecision returns m's precision, from its place when unset.
func MentionPrecision(m *Mention) int {
	if m.Precision > 0 {
		return m.Precision
	}
	if m.Place != nil {
		return m.Place.Precision()
	}
	return 3
}

// IsPlaceMention reports whether m is a resolved toponym: demonyms and
// abbreviations never become a report's main location.
func IsPlaceMention(m *Mention) bool {
	return m.Place != nil && (m.Kind == KindPlace || m.Kind == "")
}

// PickMain returns the index of the mention that should be a report's main
// location, or -1 when none is a resolved place. Among confident mentions
// (confidence ≥ 0.5) the finest precision wins, then the earliest in the
// text, since news leads with where things happened; when none is
// confident, the most confident one wins. Demonyms and abbreviations never
// count.
func PickMain(ms []Mention) int {
	pick := -1
	sure := false
	for i := range ms {
		m := &ms[i]
		if !IsPlaceMention(m) {
			continue
		}
		if m.Confidence >= Confident {
			if !sure || MentionPrecision(m) < MentionPrecision(&ms[pick]) {
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

// MentionLocation returns a location at mention i of ms.
func MentionLocation(ms []Mention, i int, prov Provenance) *Location {
	m := &ms[i]
	return &Location{
		Lat:        m.Place.Lat,
		Lon:        m.Place.Lon,
		Precision:  MentionPrecision(m),
		Name:       m.Place.Name,
		PlaceID:    m.Place.ID,
		Mention:    i,
		Provenance: prov,
	}
}

// AutoLocation returns the automatic main location of ms, nil if none.
func AutoLocation(ms []Mention, tagger string, at time.Time) *Location {
	i := PickMain(ms)
	if i < 0 {
		return nil
	}
	return MentionLocation(ms, i, Provenance{Method: MethodAuto, Tagger: tagger, At: at})
}

// ValidateMentions checks client-supplied mentions against the text:
// spans in code points inside the text and in order, text matching the
// span (filled in when empty), confidence within 0..1 and places at valid
// coordinates. Kind defaults to place.
func ValidateMentions(text string, ms []Mention) error {
	runes := []rune(text)
	for i := range ms {
		m := &ms[i]
		field := func(name string) string { return "mentions[" + strconv.Itoa(i) + "]." + name }
		if m.Start < 0 || m.End <= m.Start || m.End > len(runes) {
			return FieldErrorf(EUNPROCESSABLE, field("start"),
				"mention span %d..%d is not inside the text of %d characters", m.Start, m.End, len(runes))
		}
		span := string(runes[m.Start:m.End])
		if m.Text == "" {
			m.Text = span
		} else if m.Text != span {
			return FieldErrorf(EUNPROCESSABLE, field("text"),
				"mention text %q does not match the text at %d..%d, %q (offsets count Unicode code points)", m.Text, m.Start, m.End, span)
		}
		switch m.Kind {
		case "":
			m.Kind = KindPlace
		case KindPlace, KindDemonym, KindAbbreviation:
		default:
			return FieldErrorf(EINVALID, field("kind"), "kind must be place, demonym or abbreviation")
		}
		if !(m.Confidence >= 0 && m.Confidence <= 1) {
			return FieldErrorf(EINVALID, field("confidence"), "confidence must be within 0..1")
		}
		if m.Precision < 0 || m.Precision > 3 {
			return FieldErrorf(EINVALID, field("precision"), "precision must be 1, 2 or 3")
		}
		if m.Place != nil {
			if err := ValidPoint(m.Place.Lat, m.Place.Lon, field("place.")); err != nil {
				return err
			}
		}
		for j, a := range m.Alternatives {
			if err := ValidPoint(a.Lat, a.Lon, field("alternatives["+strconv.Itoa(j)+"].")); err != nil {
				return err
			}
		}
		if m.Alternatives == nil {
			m.Alternatives = []Candidate{}
		}
	}
	return nil
}

// ValidPoint checks a latitude and longitude, naming prefix+"lat" or
// prefix+"lon" when one is out of range or not a number.
func ValidPoint(lat, lon float64, prefix string) error {
	if math.IsNaN(lat) || lat < -90 || lat > 90 {
		return FieldErrorf(EUNPROCESSABLE, prefix+"lat", "latitude must be a number within ±90")
	}
	if math.IsNaN(lon) || lon < -180 || lon > 180 {
		return FieldErrorf(EUNPROCESSABLE, prefix+"lon", "longitude must be a number within ±180")
	}
	return nil
}
