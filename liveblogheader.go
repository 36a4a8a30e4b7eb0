package geotag

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxHeaderBytes is how much of a line the header reader looks at: a
// header is short, so a long paragraph costs no more than a short one.
const maxHeaderBytes = 200

// blogHeader is what starts an update on a line of a live blog.
type blogHeader struct {
	keyword    bool // "UPDATE", "Posted at", "Оновлення", "تحديث"…
	original   bool // "ORIGINAL ENTRY": the first update, at the bottom of a page newest first
	clock      bool // Hour and Min were read
	hour, min  int
	loc        *time.Location // the zone written after the clock; nil for none
	zone       string
	date       pageDate // a date on the line (a dated heading, or a date before the clock)
	hasDate    bool
	restRunes  int // the runes of the line the header took
	onlyHeader bool
}

// headerKeywords start an update (lower case), longest first where one is
// the prefix of another.
var headerKeywords = []string{
	"original entry", "original post", "updated at", "update at", "posted at", "updated", "update", "posted",
	"обновление", "обновлено", "оновлення", "оновлено", "تحديث",
}

// dayWords follow a date before its clock: "16 July 2016 at 14:32".
var dayWords = []string{"at", "в", "о", "об", "في", "الساعة"}

// ampmWords follow a 12-hour clock; the bool says afternoon.
var ampmWords = []struct {
	word string
	pm   bool
}{{"a.m.", false}, {"p.m.", true}, {"a.m", false}, {"p.m", true}, {"am", false}, {"pm", true}, {"ص", false}, {"م", true}}

// readHeader reads the header at the start of line, if it has one.
func readHeader(line string) (blogHeader, bool) {
	var h blogHeader
	if line == "" {
		return h, false
	}
	head := line
	if len(head) > maxHeaderBytes {
		head = head[:maxHeaderBytes]
		for len(head) > 0 && !utf8.ValidString(head[len(head)-1:]) && !utf8.RuneStart(head[len(head)-1]) {
			head = head[:len(head)-1]
		}
	}
	norm, low := normalizeHeader(head)
	i := skipBullets(low, 0)
	sep := false
	for _, kw := range headerKeywords {
		if strings.HasPrefix(low[i:], kw) && !letterAt(low, i+len(kw)) {
			h.keyword = true
			h.original = strings.HasPrefix(kw, "original")
			i += len(kw)
			i, sep = skipSeparators(low, i)
			break
		}
	}
	if d, n := datedAt(low[i:]); n > 0 {
		h.date, h.hasDate = d, true
		i += n
		i, sep = skipSeparators(low, i)
		for _, w := range dayWords {
			if strings.HasPrefix(low[i:], w+" ") {
				i = skipSpace(low, i+len(w))
			}
		}
	}
	start := i
	if j, ok := h.readClock(low, norm, i); ok {
		i = j
		i, sep = skipSeparators(low, i)
	}
	rest := strings.TrimSpace(low[i:]) == ""
	switch {
	case h.clock:
		bare := !h.keyword && h.loc == nil && !h.hasDate
		if bare && !rest && !sep && !strings.Contains(low[start:i], ":") {
			return h, false // "14.32 per cent" is no header; "14:32 Rebels…" is
		}
	case h.hasDate && h.keyword, h.hasDate && (rest || sep):
	case h.keyword && sep:
	default:
		return h, false
	}
	h.onlyHeader = rest
	h.restRunes = utf8.RuneCountInString(low[:i])
	return h, true
}

// datedAt reads a date at the start of s, after a weekday if there is
// one ("Saturday, 16 July 2016", "суббота, 16 июля").
func datedAt(s string) (pageDate, int) {
	if d, n := dateAt(s); n > 0 {
		return d, n
	}
	w := wordAt(s, 0)
	if w == "" {
		return pageDate{}, 0
	}
	i := len(w)
	if i < len(s) && s[i] == ',' {
		i++
	}
	i = skipSpace(s, i)
	if d, n := dateAt(s[i:]); n > 0 {
		return d, i + n
	}
	return pageDate{}, 0
}

// readClock reads a clock time at byte i of low ("14:32", "14.32", "6:45
// p.m.", "6pm", and "1800" when a keyword or a zone goes with it), then a
// zone, from norm (the same line in its own case). It returns the byte
// after them.
func (h *blogHeader) readClock(low, norm string, i int) (int, bool) {
	d := digitsAt(low[i:], 5)
	hh, mm, j, ok := clockDigits(low, i, d)
	if !ok {
		return i, false
	}
	hh, j, ampm, ok := readAMPM(low, hh, j)
	if !ok || (!ampm && len(d) < 4 && j == i+len(d)) { // a bare number
		return i, false
	}
	if hh > 23 || mm > 59 {
		return i, false
	}
	j = h.readZone(low, norm, j)
	if len(d) == 4 && !h.keyword && h.loc == nil {
		return i, false
	}
	h.clock, h.hour, h.min = true, hh, mm
	return j, true
}

// clockDigits reads the hour and minute of a clock whose first digits d
// start at byte i of low: "1800", "14:32", "14.32", "14h32", or an hour
// alone ("6", for "6pm"). It returns the byte after them.
func clockDigits(low string, i int, d string) (hh, mm, j int, ok bool) {
	j = i + len(d)
	switch {
	case len(d) == 4:
		hh, _ = strconv.Atoi(d[:2])
		mm, _ = strconv.Atoi(d[2:])
	case (len(d) == 1 || len(d) == 2) && j+2 < len(low) && (low[j] == ':' || low[j] == '.' || low[j] == 'h') && len(digitsAt(low[j+1:], 3)) == 2:
		hh, _ = strconv.Atoi(d)
		mm, _ = strconv.Atoi(low[j+1 : j+3])
		j += 3
	case len(d) == 1 || len(d) == 2:
		hh, _ = strconv.Atoi(d) // "6pm": only with am or pm
	default:
		return 0, 0, i, false
	}
	return hh, mm, j, true
}

// readAMPM reads an "am" or "pm" word after byte j of low and makes hh a
// 24-hour hour; ok is false for an hour outside 1…12 before one.
func readAMPM(low string, hh, j int) (hour, end int, ampm, ok bool) {
	k := skipSpace(low, j)
	for _, a := range ampmWords {
		if !strings.HasPrefix(low[k:], a.word) || letterAt(low, k+len(a.word)) {
			continue
		}
		if hh < 1 || hh > 12 {
			return hh, j, false, false
		}
		if a.pm && hh != 12 {
			hh += 12
		} else if !a.pm && hh == 12 {
			hh = 0
		}
		return hh, k + len(a.word), true, true
	}
	return hh, j, false, true
}

// readZone reads a zone after byte j of norm ("GMT", "(BST)", "+03:00"),
// setting h's, or the words for local time; it returns the byte after.
func (h *blogHeader) readZone(low, norm string, j int) int {
	k := skipSpace(low, j)
	if k < len(norm) && norm[k] == '(' {
		k++
	}
	if loc, name, n := zoneAt(norm[k:]); n > 0 {
		h.loc, h.zone = loc, name
		j = k + n
		if j < len(norm) && norm[j] == ')' {
			j++
		}
		return j
	}
	for _, w := range []string{"local time", "по местному времени", "за місцевим часом", "بالتوقيت المحلي"} {
		if strings.HasPrefix(low[skipSpace(low, j):], w) {
			j = skipSpace(low, j) + len(w)
		}
	}
	return j
}

// normalizeHeader returns s with Arabic-Indic and Persian digits made
// ASCII (rune for rune), and the same in lower case, byte for byte aligned
// with it: a rune whose lower case is longer or shorter stays as it is.
func normalizeHeader(s string) (norm, low string) {
	var nb, lb strings.Builder
	for _, r := range s {
		switch {
		case r >= '٠' && r <= '٩':
			r = '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			r = '0' + (r - '۰')
		case r == '：':
			r = ':'
		}
		nb.WriteRune(r)
		l := unicode.ToLower(r)
		if utf8.RuneLen(l) != utf8.RuneLen(r) {
			l = r
		}
		lb.WriteRune(l)
	}
	return nb.String(), lb.String()
}

// skipBullets skips the marks before a header: bullets, bold markers,
// heading hashes, quote marks and spaces.
func skipBullets(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) && !strings.ContainsRune("*•#>·|[_", r) {
			break
		}
		i += n
	}
	return i
}

// skipSeparators skips spaces and the marks between a header's parts
// (":", ",", "-", "–", "—", "|", "."), and reports whether a mark other
// than a space or a comma was among them.
func skipSeparators(s string, i int) (int, bool) {
	sep := false
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case strings.ContainsRune(":-–—|.*_]", r):
			sep = true
		case unicode.IsSpace(r) || r == ',' || r == '،':
		default:
			return i, sep
		}
		i += n
	}
	return i, sep
}
