package geotag

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ActionSplit is the revision action of a split: on the original report it
// names the reports made of its text (SplitInto), on each new report the
// report it came from (SplitFrom).
const ActionSplit = "split"

// MaxSplitParts bounds the parts one split makes.
const MaxSplitParts = 50

// SplitPart is a span of a report's text, in Unicode code points (as
// mentions count them), End exclusive, that becomes a report of its own.
type SplitPart struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// PlanSplit cuts the parts out of text: it returns each part's text
// (trimmed) and the rest, the text left between and around the parts,
// its pieces trimmed and joined by a blank line. It returns EINVALID for
// no parts or more than MaxSplitParts, parts out of order, overlapping or
// outside the text, a part with nothing but spaces, or no text left. Its
// work is linear in the text.
func PlanSplit(text string, parts []SplitPart) (rest string, pieces []string, err error) {
	if len(parts) == 0 || len(parts) > MaxSplitParts {
		return "", nil, FieldErrorf(EINVALID, "parts", "a split takes 1…%d parts", MaxSplitParts)
	}
	cps := utf8.RuneCountInString(text)
	byteAt := make([]int, 0, cps+1) // code point → byte offset
	for i := range text {
		byteAt = append(byteAt, i)
	}
	byteAt = append(byteAt, len(text))
	var left []string
	prev := 0
	for i, p := range parts {
		if p.Start < prev || p.End <= p.Start || p.End > cps {
			return "", nil, FieldErrorf(EINVALID, "parts", "part %d (%d…%d) must lie within the text (0…%d), after the part before it", i, p.Start, p.End, cps)
		}
		piece := strings.TrimSpace(text[byteAt[p.Start]:byteAt[p.End]])
		if piece == "" {
			return "", nil, FieldErrorf(EINVALID, "parts", "part %d is only spaces", i)
		}
		pieces = append(pieces, piece)
		if s := strings.TrimSpace(text[byteAt[prev]:byteAt[p.Start]]); s != "" {
			left = append(left, s)
		}
		prev = p.End
	}
	if s := strings.TrimSpace(text[byteAt[prev]:]); s != "" {
		left = append(left, s)
	}
	if len(left) == 0 {
		return "", nil, FieldErrorf(EINVALID, "parts", "the parts take the whole text: leave some in the report")
	}
	return strings.Join(left, "\n\n"), pieces, nil
}

// SplitReport returns the new report a split makes of piece, part n (from
// 1) of r: r's source, time and its precision, and tags, title "<r's
// title> (part n)", unreviewed, with no places yet (the caller tags it)
// and a split revision naming r, by who at at.
func SplitReport(r *Report, piece string, n int, who string, at time.Time) *Report {
	title := r.Title
	if title == "" {
		title = "Untitled report"
	}
	return &Report{
		Title: title + " (part " + strconv.Itoa(n) + ")", Text: piece, Source: r.Source, Time: r.Time, TimePrecision: r.TimePrecision,
		Tags: append([]string{}, r.Tags...), Status: StatusUnreviewed,
		History: []Revision{{At: at, By: who, Action: ActionSplit, Mention: -1, SplitFrom: r.ID}},
	}
}
