package postgres

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"sync"
	"time"

	"github.com/geotag/geotag"
	"github.com/oklog/ulid/v2"
)

// idGen makes report IDs: ULIDs, as the bbolt store does, so IDs sort by
// creation and a store can be moved between backends keeping them. Within
// one millisecond they increase monotonically in one process; servers
// sharing a database draw theirs at random (80 bits).
type idGen struct {
	mu      sync.Mutex
	entropy *ulid.MonotonicEntropy
}

func newIDGen() *idGen { return &idGen{entropy: ulid.Monotonic(rand.Reader, 0)} }

func (g *idGen) next(t time.Time) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	id, err := ulid.New(ulid.Timestamp(t), g.entropy)
	if err != nil { // monotonic overflow within one ms: a fresh random run
		g.entropy = ulid.Monotonic(rand.Reader, 0)
		id = ulid.MustNew(ulid.Timestamp(t), g.entropy)
	}
	return id.String()
}

// pos is a report's position in every listing: event time, then ID,
// newest first.
type pos struct {
	sec  int64
	nsec int32
	id   string
}

func posOf(r *geotag.Report) pos {
	return pos{sec: r.Time.Unix(), nsec: int32(r.Time.Nanosecond()), id: r.ID}
}

// Cursors are the bbolt store's: base64url of the time (seconds,
// sign-flipped big-endian, then nanoseconds) and the binary ULID, so a
// cursor means the same position in both stores.
const cursorLen = 12 + 16

func encodeCursor(p pos) string {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, cursorLen), uint64(p.sec)^(1<<63))
	b = binary.BigEndian.AppendUint32(b, uint32(p.nsec))
	id, err := ulid.ParseStrict(p.id)
	if err != nil { // never: IDs are made by idGen
		return ""
	}
	return base64.RawURLEncoding.EncodeToString(append(b, id[:]...))
}

func decodeCursor(s string) (pos, error) {
	// One spelling per position: strict padding bits, and no line breaks
	// (which the base64 decoder skips even when strict).
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != cursorLen || strings.ContainsAny(s, "\r\n") {
		return pos{}, geotag.FieldErrorf(geotag.EINVALID, "cursor", "invalid cursor")
	}
	var id ulid.ULID
	copy(id[:], b[12:])
	return pos{
		sec:  int64(binary.BigEndian.Uint64(b) ^ (1 << 63)),
		nsec: int32(binary.BigEndian.Uint32(b[8:])),
		id:   id.String(),
	}, nil
}

// pgText makes s storable in a text column, which cannot hold NUL: NUL
// becomes U+FFFD, in stored keys and in the filters compared with them
// alike.
func pgText(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}

// tagKey and actorKey are a tag's and an actor name's indexed forms, the
// bbolt store's.
func tagKey(tag string) string    { return pgText(strings.ToLower(strings.TrimSpace(tag))) }
func actorKey(name string) string { return pgText(strings.ToLower(strings.TrimSpace(name))) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
