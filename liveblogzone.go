package geotag

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// zoneAbbrevs are the time zone abbreviations live blogs write after a
// clock time, with their offsets east of UTC in minutes. Ambiguous ones
// (IST: India, Ireland or Israel; AST: Arabia or Atlantic; CST: China or
// Central) are left out, except CST, which English-language blogs use for
// US Central time.
var zoneAbbrevs = map[string]int{
	"GMT": 0, "UTC": 0, "Z": 0, "WET": 0,
	"BST": 60, "WEST": 60, "CET": 60, "WAT": 60,
	"CEST": 120, "EET": 120, "SAST": 120, "CAT": 120,
	"EEST": 180, "MSK": 180, "EAT": 180, "TRT": 180, "AST": 180,
	"GST": 240, "PKT": 300,
	"JST": 540, "KST": 540, "AEST": 600, "AEDT": 660,
	"EST": -300, "EDT": -240, "ET": -300, "CST": -360, "CDT": -300,
	"MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "PT": -480,
}

// zonePhrases are the words other languages use for a zone after a clock
// time (lower case), with their offsets in minutes. "ت.غ" and "غرينتش" are
// Arabic for GMT; "мск" and "по московскому времени" Russian for Moscow
// time (UTC+3 since 2014); "за київським часом" Ukrainian for Kyiv time,
// which has summer time and so is read as Europe/Kyiv (kyiv below).
var zonePhrases = []struct {
	phrase string
	offset int
	kyiv   bool
}{
	{"по московскому времени", 180, false},
	{"по москве", 180, false},
	{"мск", 180, false},
	{"за київським часом", 0, true},
	{"за києвом", 0, true},
	{"بتوقيت غرينتش", 0, false},
	{"بتوقيت جرينتش", 0, false},
	{"بتوقيت غرينيتش", 0, false},
	{"غرينتش", 0, false},
	{"ت.غ", 0, false},
	{"بتوقيت مكة المكرمة", 180, false},
	{"بتوقيت مكة", 180, false},
}

// ParseZone reads a zone as a client names it: an IANA name
// ("Europe/London"), an abbreviation from the live-blog table ("BST",
// "MSK"), or an offset ("+03:00", "-0500", "UTC+3", "GMT-4"). It returns
// the location and its canonical name. Returns EINVALID for anything else.
func ParseZone(s string) (*time.Location, string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return nil, "", FieldErrorf(EINVALID, "zone", "zone must be an IANA name (Europe/London), an abbreviation (BST) or an offset (+03:00), not %q", s)
	}
	if loc, name, n := zoneAt(s); n == len(s) {
		return loc, name, nil
	}
	if strings.Contains(s, "/") || s == "Local" {
		if loc, err := time.LoadLocation(s); err == nil && s != "Local" {
			return loc, s, nil
		}
	}
	return nil, "", FieldErrorf(EINVALID, "zone", "unknown zone %q: use an IANA name (Europe/London), an abbreviation (BST) or an offset (+03:00)", s)
}

// zoneAt reads a zone at the start of s (an abbreviation in upper case, an
// abbreviation with an offset, a bare offset, or a phrase of zonePhrases)
// and returns its location, its name and the bytes it took; n is 0 when
// there is none. An abbreviation must end at a non-letter.
func zoneAt(s string) (loc *time.Location, name string, n int) {
	low := strings.ToLower(s)
	for _, p := range zonePhrases {
		if strings.HasPrefix(low, p.phrase) && !letterAt(s, len(p.phrase)) {
			if p.kyiv {
				if l, err := time.LoadLocation("Europe/Kyiv"); err == nil {
					return l, "Europe/Kyiv", len(p.phrase)
				}
				return time.FixedZone("EET", 120*60), "EET", len(p.phrase)
			}
			return fixedZone(p.offset), offsetName(p.offset), len(p.phrase)
		}
	}
	i := 0
	for i < len(s) && i < 5 && s[i] >= 'A' && s[i] <= 'Z' {
		i++
	}
	if i > 0 {
		off, ok := zoneAbbrevs[s[:i]]
		if !ok || letterAt(s, i) {
			return nil, "", 0
		}
		if (s[:i] == "GMT" || s[:i] == "UTC") && i < len(s) && (s[i] == '+' || s[i] == '-') {
			if o, m := offsetAt(s[i:], true); m > 0 {
				return fixedZone(o), offsetName(o), i + m
			}
		}
		return time.FixedZone(s[:i], off*60), s[:i], i
	}
	if o, m := offsetAt(s, false); m > 0 {
		return fixedZone(o), offsetName(o), m
	}
	return nil, "", 0
}

// offsetAt reads "+3", "+03", "+0300" or "+03:00" (hours alone only when
// short is set, as after GMT) and returns the offset in minutes and the
// bytes it took.
func offsetAt(s string, short bool) (int, int) {
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return 0, 0
	}
	sign := 1
	if s[0] != '+' {
		sign = -1
	}
	i := 1
	d := digitsAt(s[i:], 4)
	var h, m int
	switch {
	case len(d) == 4:
		h, _ = strconv.Atoi(d[:2])
		m, _ = strconv.Atoi(d[2:])
		i += 4
	case len(d) == 2 && len(s) >= i+5 && s[i+2] == ':' && len(digitsAt(s[i+3:], 2)) == 2:
		h, _ = strconv.Atoi(d)
		m, _ = strconv.Atoi(s[i+3 : i+5])
		i += 5
	case short && (len(d) == 1 || len(d) == 2):
		h, _ = strconv.Atoi(d)
		i += len(d)
	default:
		return 0, 0
	}
	if h > 14 || m > 59 || letterAt(s, i) || (i < len(s) && s[i] >= '0' && s[i] <= '9') {
		return 0, 0
	}
	return sign * (h*60 + m), i
}

// digitsAt returns the ASCII digits at the start of s, at most max.
func digitsAt(s string, max int) string {
	i := 0
	for i < len(s) && i < max && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// letterAt reports whether s has a letter (ASCII, or any multi-byte rune)
// at byte i.
func letterAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func fixedZone(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	return time.FixedZone(offsetName(off), off*60)
}

// offsetName writes an offset in minutes as "UTC", "+03:00" or "-05:30".
func offsetName(off int) string {
	if off == 0 {
		return "UTC"
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return string(sign) + pad2(off/60) + ":" + pad2(off%60)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
