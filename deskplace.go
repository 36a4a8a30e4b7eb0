package geotag

import (
	"context"
	"strings"
	"time"
)

// DeskPlaceIDBase is the id of the first desk place; the others count
// down from it. Gazetteer ids lie above -1e11 (GeoNames ids are positive,
// the gazetteer's own negative ones above -1e11), so the two never meet,
// and every desk id is an exact JavaScript number.
const DeskPlaceIDBase = -1_000_000_000_000

// IsDeskPlaceID reports whether id names a desk place.
func IsDeskPlaceID(id int64) bool { return id <= DeskPlaceIDBase }

// DeskPlace is a place the gazetteer lacks (a base, a checkpoint, a camp,
// a neighbourhood) that the desk added by hand: its names (spellings and
// languages; the first is its label) and a point. It is part of the
// desk's gazetteer for tagging and search.
type DeskPlace struct {
	ID      int64     `json:"id"`
	Names   []string  `json:"names"`
	Lat     float64   `json:"lat"`
	Lon     float64   `json:"lon"`
	Country string    `json:"country,omitempty"`
	Feature string    `json:"feature,omitempty"` // GeoNames class.code; "S.BLDG" when none is given
	Parent  int64     `json:"parent,omitempty"`  // the gazetteer place it lies in, if known
	Note    string    `json:"note,omitempty"`
	By      string    `json:"by,omitempty"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// Desk place limits.
const (
	MaxDeskPlaceNames = 20
	MaxDeskPlaceName  = 200
	MaxDeskPlaces     = 50_000
)

// Normalize trims the fields and checks the place: EINVALID naming the
// field at fault.
func (d *DeskPlace) Normalize() error {
	var names []string
	for _, n := range d.Names {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	d.Names = names
	switch {
	case len(names) == 0:
		return FieldErrorf(EINVALID, "names", "a desk place needs at least one name")
	case len(names) > MaxDeskPlaceNames:
		return FieldErrorf(EINVALID, "names", "a desk place has at most %d names", MaxDeskPlaceNames)
	case len(d.Note) > MaxRuleNote:
		return FieldErrorf(EINVALID, "note", "a desk place's note is at most %d bytes", MaxRuleNote)
	}
	for _, n := range names {
		k := NameKey(n)
		if len(n) > MaxDeskPlaceName || k == "" || strings.Count(k, " ")+1 > MaxRuleKeys {
			return FieldErrorf(EINVALID, "names", "a name has letters or digits, at most %d words and %d bytes: not %.40q", MaxRuleKeys, MaxDeskPlaceName, n)
		}
	}
	if err := ValidPoint(d.Lat, d.Lon, ""); err != nil {
		return err
	}
	d.Country = strings.ToUpper(strings.TrimSpace(d.Country))
	if d.Country != "" {
		if _, err := ParseTagOptions(d.Country, ""); err != nil || len(d.Country) != 2 {
			return FieldErrorf(EINVALID, "country", "country is one ISO 3166-1 alpha-2 code, not %q", d.Country)
		}
	}
	if d.Feature == "" {
		d.Feature = "S.BLDG"
	}
	if len(d.Feature) < 3 || len(d.Feature) > 12 || d.Feature[1] != '.' {
		return FieldErrorf(EINVALID, "feature", "feature is a GeoNames class.code like S.MILB, not %q", d.Feature)
	}
	return nil
}

// Place returns the desk place as a gazetteer Place.
func (d DeskPlace) Place() Place {
	return Place{ID: d.ID, Name: d.Names[0], Lat: d.Lat, Lon: d.Lon, Country: d.Country, Feature: d.Feature, ParentID: d.Parent}
}

// DeskPlaceService stores the desk places. Implementations are safe for
// concurrent use, and record every change in the audit log.
type DeskPlaceService interface {
	// DeskPlaces lists every desk place, oldest first.
	DeskPlaces(ctx context.Context) ([]DeskPlace, error)
	// CreateDeskPlace gives d an ID (from DeskPlaceIDBase down), Created
	// and Updated and stores it (d must be normalised). ETOOLARGE when
	// MaxDeskPlaces are stored.
	CreateDeskPlace(ctx context.Context, d *DeskPlace) error
	// UpdateDeskPlace calls fn on the place and stores the result with
	// Updated set; by is recorded in the audit log. ENOTFOUND when no
	// desk place has the id; fn's error stores nothing.
	UpdateDeskPlace(ctx context.Context, id int64, by string, fn func(*DeskPlace) error) (DeskPlace, error)
	// DeleteDeskPlace removes the place; by is recorded in the audit log.
	// ENOTFOUND when no desk place has the id.
	DeleteDeskPlace(ctx context.Context, id int64, by string) error
}
