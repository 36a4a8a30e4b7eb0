package store

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"math"
	"sync"
	"time"

	"github.com/geotag/geotag"
	"github.com/oklog/ulid/v2"
)

// Key sizes.
const (
	idLen   = 16              // binary ULID
	timeLen = 12              // seconds (sign-flipped, big-endian) and nanoseconds
	posLen  = timeLen + idLen // a report's position in every index
)

// idGen makes report IDs: ULIDs, whose text form sorts like their binary
// form and like creation time. Within one millisecond they increase
// monotonically, so a burst of inserts still appends to the B+tree.
type idGen struct {
	mu      sync.Mutex
	entropy *ulid.MonotonicEntropy
}

func newIDGen() *idGen { return &idGen{entropy: ulid.Monotonic(rand.Reader, 0)} }

func (g *idGen) next(t time.Time) ulid.ULID {
	g.mu.Lock()
	defer g.mu.Unlock()
	id, err := ulid.New(ulid.Timestamp(t), g.entropy)
	if err != nil { // monotonic overflow within one ms: start a fresh random run
		g.entropy = ulid.Monotonic(rand.Reader, 0)
		id = ulid.MustNew(ulid.Timestamp(t), g.entropy)
	}
	return id
}

// parseID decodes a report ID. ok is false for anything that is not a ULID.
func parseID(s string) (ulid.ULID, bool) {
	id, err := ulid.ParseStrict(s)
	return id, err == nil
}

// appendTimeKey appends t so that byte order is time order.
func appendTimeKey(dst []byte, t time.Time) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(t.Unix())^(1<<63))
	return binary.BigEndian.AppendUint32(dst, uint32(t.Nanosecond()))
}

func timeFromKey(k []byte) time.Time {
	sec := int64(binary.BigEndian.Uint64(k) ^ (1 << 63))
	return time.Unix(sec, int64(binary.BigEndian.Uint32(k[8:]))).UTC()
}

// position is a report's place in every index: event time, then ID.
func position(r *geotag.Report, id []byte) []byte {
	return append(appendTimeKey(make([]byte, 0, posLen), r.Time), id...)
}

// Cursors are positions, base64url-encoded.
func encodeCursor(pos []byte) string { return base64.RawURLEncoding.EncodeToString(pos) }

func decodeCursor(s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != posLen {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "cursor", "invalid cursor")
	}
	return b, nil
}

// entryLen is the size of an index entry value: flags, latitude,
// longitude, and the location's precision class (geotag.PrecisionClass, 0
// without a location), which the cluster counts split by.
const entryLen = 18

// Entry flags: bits 0 and 1; bits 2–4 hold the event type code
// (geotag.EventTypeCode, 0 for none) and bits 5–7 the fatality class
// (fatalClass), so that any index walk can filter by event type and by a
// fatality bound on a class edge without reading the report.
const (
	entryLocated   = 1 << 0
	entryReviewed  = 1 << 1
	entryTypeShift = 2
	entryFatShift  = 5
)

// entry is what every index stores with a key: enough to filter by bbox,
// status, event type and fatality class without reading the report.
func entry(r *geotag.Report) []byte {
	var e [entryLen]byte
	if r.Status == geotag.StatusReviewed {
		e[0] |= entryReviewed
	}
	e[0] |= byte(geotag.EventTypeCode(r.EventType))<<entryTypeShift | fatalClass(r.Fatalities)<<entryFatShift
	if l := r.Location; l != nil {
		e[0] |= entryLocated
		binary.LittleEndian.PutUint64(e[1:], math.Float64bits(l.Lat))
		binary.LittleEndian.PutUint64(e[9:], math.Float64bits(l.Lon))
		e[17] = byte(geotag.PrecisionClass(l.Precision))
	}
	return e[:]
}

// entryMix is the precision class (1–3) and event type code of an index
// entry's report, as a cluster counts it; precision 3 for an entry
// without one.
func entryMix(e []byte) (precision, typeCode int) {
	precision = 3
	if len(e) >= entryLen && e[17] >= 1 && e[17] <= 3 {
		precision = int(e[17])
	}
	typeCode = int(e[0]>>entryTypeShift) & 7
	if typeCode >= numEventCodes {
		typeCode = 0
	}
	return precision, typeCode
}

func entryLatLon(e []byte) (lat, lon float64, ok bool) {
	if len(e) < entryLen || e[0]&entryLocated == 0 {
		return 0, 0, false
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(e[1:])),
		math.Float64frombits(binary.LittleEndian.Uint64(e[9:])), true
}

// Spatial cells: a plain latitude/longitude grid, 2^level columns over 360°
// of longitude and 2^level rows over 180° of latitude.
var cellLevels = [...]uint8{4, 8, 12}

func cellXY(level uint8, lat, lon float64) (x, y uint32) {
	n := float64(uint32(1) << level)
	fx := math.Floor((lon + 180) / 360 * n)
	fy := math.Floor((lat + 90) / 180 * n)
	x = uint32(math.Max(0, math.Min(fx, n-1)))
	y = uint32(math.Max(0, math.Min(fy, n-1)))
	return x, y
}

func cellPrefix(dst []byte, level uint8, x, y uint32) []byte {
	dst = append(dst, level)
	return binary.BigEndian.AppendUint32(dst, y<<level|x)
}

func placePrefix(dst []byte, id int64) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(id)^(1<<63))
}

// tagKey is the indexed form of a tag: geotag.TagKey, the form
// ReportFilter.Match compares in.
func tagKey(tag string) string { return geotag.TagKey(tag) }

func stringPrefix(dst []byte, s string) []byte {
	return append(append(dst, s...), 0)
}

// prefixEnd returns the smallest key greater than every key with prefix p,
// or nil when there is none.
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

func ulidString(u [idLen]byte) string { return ulid.ULID(u).String() }
