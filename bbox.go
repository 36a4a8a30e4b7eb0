package geotag

import (
	"math"
	"strconv"
	"strings"
)

// BBox is a bounding box in degrees: West, South, East, North. A box whose
// West is greater than its East crosses the antimeridian.
type BBox struct {
	W, S, E, N float64
}

// ParseBBox parses "W,S,E,N" in degrees, as OGC API Features and most web
// maps write a bounding box. It returns an EINVALID *Error for anything
// that is not four finite numbers within ±180 longitude and ±90 latitude
// with South ≤ North.
func ParseBBox(s string) (BBox, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return BBox{}, FieldErrorf(EINVALID, "bbox", "bbox must be four numbers W,S,E,N")
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return BBox{}, FieldErrorf(EINVALID, "bbox", "bbox value %q is not a finite number", p)
		}
		v[i] = f
	}
	b := BBox{W: v[0], S: v[1], E: v[2], N: v[3]}
	return b, b.Validate()
}

// Validate reports whether b is a usable box.
func (b BBox) Validate() error {
	for _, x := range []float64{b.W, b.S, b.E, b.N} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return FieldErrorf(EINVALID, "bbox", "bbox values must be finite numbers")
		}
	}
	if b.W < -180 || b.W > 180 || b.E < -180 || b.E > 180 {
		return FieldErrorf(EINVALID, "bbox", "bbox longitudes must be within ±180")
	}
	if b.S < -90 || b.S > 90 || b.N < -90 || b.N > 90 {
		return FieldErrorf(EINVALID, "bbox", "bbox latitudes must be within ±90")
	}
	if b.S > b.N {
		return FieldErrorf(EINVALID, "bbox", "bbox south must not be greater than north")
	}
	return nil
}

// CrossesAntimeridian reports whether the box wraps from +180 to -180.
func (b BBox) CrossesAntimeridian() bool { return b.W > b.E }

// Split returns b as boxes that do not cross the antimeridian: b alone, or
// its part east of W up to +180 and its part from -180 to E.
func (b BBox) Split() []BBox {
	if b.CrossesAntimeridian() {
		return []BBox{{W: b.W, S: b.S, E: 180, N: b.N}, {W: -180, S: b.S, E: b.E, N: b.N}}
	}
	return []BBox{b}
}

// Contains reports whether the point lies inside the box, edges included.
func (b BBox) Contains(lat, lon float64) bool {
	if lat < b.S || lat > b.N {
		return false
	}
	if b.CrossesAntimeridian() {
		return lon >= b.W || lon <= b.E
	}
	return lon >= b.W && lon <= b.E
}

// String writes the box as "W,S,E,N".
func (b BBox) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	return f(b.W) + "," + f(b.S) + "," + f(b.E) + "," + f(b.N)
}
