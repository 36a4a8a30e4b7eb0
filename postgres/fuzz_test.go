package postgres

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// FuzzCursor: any cursor string a client sends either is refused with
// EINVALID or decodes to a position that encodes back to the same cursor.
func FuzzCursor(f *testing.F) {
	f.Add(encodeCursor(pos{sec: 1700000000, nsec: 5, id: "01ARZ3NDEKTSV4RRFFQ69G5FAV"}))
	f.Add("")
	f.Add("AAAA")
	f.Add(strings.Repeat("_", 38))
	f.Fuzz(func(t *testing.T, s string) {
		p, err := decodeCursor(s)
		if err != nil {
			if geotag.ErrorCode(err) != geotag.EINVALID {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if got := encodeCursor(p); got != s {
			t.Fatalf("%q decodes to %+v, which encodes to %q", s, p, got)
		}
	})
}

// FuzzCompile: any filter a client can send compiles to SQL whose
// placeholders are exactly its arguments (the client's values never
// become SQL), or is refused with EINVALID.
func FuzzCompile(f *testing.F) {
	f.Add("aid", "a_b%\\", "Battles", "group a", "reviewed", 10.0, 20.0, -170.0, 30.0, int64(5), 3)
	f.Add("", "", "", "", "", 170.0, -10.0, -170.0, 10.0, int64(0), -1)
	f.Fuzz(func(t *testing.T, tag, q, event, actor, status string, w, s, e, n float64, place int64, fat int) {
		from := time.Unix(int64(fat)*86400, 0)
		flt := geotag.ReportFilter{Tag: tag, Q: q, Actor: actor, Status: status, PlaceID: place, From: &from,
			BBox: &geotag.BBox{W: w, S: s, E: e, N: n}, FatalitiesMin: &fat}
		if event != "" {
			flt.EventTypes = []string{event}
		}
		c, err := compile(flt)
		if err != nil {
			if geotag.ErrorCode(err) != geotag.EINVALID {
				t.Fatalf("%+v: %v", flt, err)
			}
			return
		}
		sql := c.sql()
		for i := range c.args {
			if !strings.Contains(sql, "$"+strconv.Itoa(i+1)) {
				t.Fatalf("argument %d is not in %s", i+1, sql)
			}
		}
		if strings.Contains(sql, "$"+strconv.Itoa(len(c.args)+1)) {
			t.Fatalf("a placeholder past the %d arguments in %s", len(c.args), sql)
		}
		for _, v := range []string{tag, q, actor} {
			if len(v) > 3 && strings.Contains(sql, v) {
				t.Fatalf("client text %q in the SQL %s", v, sql)
			}
		}
	})
}
