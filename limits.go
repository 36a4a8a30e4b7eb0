package geotag

import (
	"fmt"
	"slices"
)

// Default report limits (ReportLimits): what one stored report may hold.
const (
	DefaultMaxTextBytes    = 1 << 20  // a report's text, in bytes
	DefaultMaxTags         = 100      // distinct tags of a report
	DefaultMaxTagBytes     = 256      // bytes of one tag
	DefaultMaxMentions     = 5000     // mentions of a report
	DefaultMaxAlternatives = 10       // alternatives of one mention
	DefaultMaxRevisions    = 500      // revisions kept in a report's history
	DefaultMaxHistoryBytes = 4 << 20  // bytes of the revisions kept, about
	DefaultMaxReportBytes  = 16 << 20 // bytes of a stored report, everything together
)

// ReportLimits bound what one stored report may hold, so that no report
// costs a write, a read or an answer more than a fixed amount. Zero fields
// mean the Default* values; negative ones mean no limit (for tests only).
//
// Text, tags, mentions and alternatives over their limits are refused
// (Check, EUNPROCESSABLE). The history is not refused but trimmed
// (TrimHistory): only the newest revisions are kept, and the oldest text
// edits lose what undo needs first.
type ReportLimits struct {
	MaxTextBytes    int
	MaxTags         int
	MaxTagBytes     int
	MaxMentions     int
	MaxAlternatives int
	MaxRevisions    int
	MaxHistoryBytes int
	// MaxReportBytes bounds a report as stored, everything together (the
	// store checks its encoded record, CheckSize): what the other limits
	// leave open, such as long place names in mentions a client sent.
	MaxReportBytes int
}

// OrDefault returns l with its zero fields set to the defaults.
func (l ReportLimits) OrDefault() ReportLimits {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&l.MaxTextBytes, DefaultMaxTextBytes)
	def(&l.MaxTags, DefaultMaxTags)
	def(&l.MaxTagBytes, DefaultMaxTagBytes)
	def(&l.MaxMentions, DefaultMaxMentions)
	def(&l.MaxAlternatives, DefaultMaxAlternatives)
	def(&l.MaxRevisions, DefaultMaxRevisions)
	def(&l.MaxHistoryBytes, DefaultMaxHistoryBytes)
	def(&l.MaxReportBytes, DefaultMaxReportBytes)
	return l
}

// over reports whether n exceeds the limit max (zero: the default d,
// negative: none).
func over(n, max, d int) bool {
	if max == 0 {
		max = d
	}
	return max > 0 && n > max
}

// CheckInput checks what a client writes before anything is derived from
// it: the text's bytes and the tags' number and bytes (tags as given; the
// service trims and de-duplicates them before). It returns an
// EUNPROCESSABLE *Error naming the field ("text" or "tags"), or nil. It
// costs one pass over the tags.
func (l ReportLimits) CheckInput(r *Report) error {
	if over(len(r.Text), l.MaxTextBytes, DefaultMaxTextBytes) {
		return FieldErrorf(EUNPROCESSABLE, "text", "the text is %d bytes, over the limit of %d: split it", len(r.Text), l.OrDefault().MaxTextBytes)
	}
	if over(len(r.Tags), l.MaxTags, DefaultMaxTags) {
		return FieldErrorf(EUNPROCESSABLE, "tags", "a report may have at most %d tags, not %d", l.OrDefault().MaxTags, len(r.Tags))
	}
	for _, t := range r.Tags {
		if over(len(t), l.MaxTagBytes, DefaultMaxTagBytes) {
			return FieldErrorf(EUNPROCESSABLE, "tags", "a tag may be at most %d bytes, not %d (%.40q…)", l.OrDefault().MaxTagBytes, len(t), t)
		}
	}
	return nil
}

// Check checks r against every limit it can be refused for: CheckInput,
// then the number of mentions and of each mention's alternatives. It
// returns an EUNPROCESSABLE *Error naming the field, or nil.
func (l ReportLimits) Check(r *Report) error {
	if err := l.CheckInput(r); err != nil {
		return err
	}
	if over(len(r.Mentions), l.MaxMentions, DefaultMaxMentions) {
		return FieldErrorf(EUNPROCESSABLE, "mentions", "a report may have at most %d place mentions, not %d: split the text", l.OrDefault().MaxMentions, len(r.Mentions))
	}
	for i := range r.Mentions {
		if n := len(r.Mentions[i].Alternatives); over(n, l.MaxAlternatives, DefaultMaxAlternatives) {
			return FieldErrorf(EUNPROCESSABLE, fmt.Sprintf("mentions[%d].alternatives", i),
				"a mention may have at most %d alternatives, not %d", l.OrDefault().MaxAlternatives, n)
		}
	}
	return nil
}

// CheckSize checks the size in bytes of a report as stored against
// MaxReportBytes: an EUNPROCESSABLE *Error, or nil.
func (l ReportLimits) CheckSize(n int) error {
	if over(n, l.MaxReportBytes, DefaultMaxReportBytes) {
		return FieldErrorf(EUNPROCESSABLE, "body", "the report would take %d bytes, over the limit of %d: shorten its text or places", n, l.OrDefault().MaxReportBytes)
	}
	return nil
}

// TrimHistory bounds r's history, keeping its newest revisions: first at
// most MaxRevisions of them, then at most about MaxHistoryBytes (as
// RevisionBytes counts them). Revisions are dropped oldest first and in
// whole groups (those one request recorded: the same time and author), so
// that undo never meets half a group; the newest group is never dropped.
// When the count alone is not enough, the oldest text edits first lose
// the text and mentions they replaced (BeforeText, BeforeMentions), which
// is what makes them undoable: undo then stops at them as it does at the
// creation. It reports whether it changed anything, and costs one pass
// over the history. It never changes the revisions r.History held: a
// trimmed history is a new slice.
func (l ReportLimits) TrimHistory(r *Report) bool {
	l = l.OrDefault()
	h := r.History
	changed, copied := false, false
	if l.MaxRevisions > 0 && len(h) > l.MaxRevisions {
		h = h[groupEnd(h, len(h)-l.MaxRevisions):]
		changed = true
	}
	if l.MaxHistoryBytes > 0 {
		sizes := make([]int, len(h))
		total := 0
		for i := range h {
			sizes[i] = RevisionBytes(&h[i])
			total += sizes[i]
		}
		for i := 0; i < len(h) && total > l.MaxHistoryBytes; i++ {
			if h[i].BeforeText == nil && h[i].BeforeMentions == nil {
				continue
			}
			if !copied { // never write through to the caller's array
				h, copied = slices.Clone(h), true
			}
			h[i].BeforeText, h[i].BeforeMentions = nil, nil
			total -= sizes[i]
			sizes[i] = RevisionBytes(&h[i])
			total += sizes[i]
			changed = true
		}
		drop := 0
		for drop < len(h) && total > l.MaxHistoryBytes {
			total -= sizes[drop]
			drop++
		}
		if drop > 0 {
			h = h[groupEnd(h, drop):]
			changed = true
		}
	}
	if changed {
		r.History = append(make([]Revision, 0, len(h)), h...)
	}
	return changed
}

// groupEnd returns where to cut h to drop at least its first n revisions:
// n moved on past the rest of the group h[n-1] belongs to, but never past
// the start of the newest group.
func groupEnd(h []Revision, n int) int {
	if n <= 0 {
		return 0
	}
	last := len(h) - 1
	for last > 0 && sameGroup(&h[last-1], &h[len(h)-1]) {
		last--
	}
	n = min(n, last)
	for n > 0 && n < last && sameGroup(&h[n], &h[n-1]) {
		n++
	}
	return n
}

// sameGroup reports whether two revisions were recorded by one request.
func sameGroup(a, b *Revision) bool { return a.At.Equal(b.At) && a.By == b.By }

// RevisionBytes is about the bytes rv takes in the store: its strings and
// a fixed cost for each number, time, mention, place and location.
func RevisionBytes(rv *Revision) int {
	n := 32 + len(rv.By) + len(rv.Action)
	n += mentionBytes(rv.Before) + mentionBytes(rv.After)
	n += locationBytes(rv.BeforeLocation) + locationBytes(rv.AfterLocation)
	if rv.BeforeText != nil {
		n += len(*rv.BeforeText)
	}
	for i := range rv.BeforeMentions {
		n += mentionBytes(&rv.BeforeMentions[i])
	}
	for _, cs := range [][]Carry{rv.Carried, rv.Dropped} {
		for i := range cs {
			n += 32 + len(cs[i].Action) + len(cs[i].Text) + len(cs[i].By) + placeBytes(cs[i].Place)
		}
	}
	return n
}

func mentionBytes(m *Mention) int {
	if m == nil {
		return 1
	}
	n := 32 + len(m.Text) + len(m.Kind) + placeBytes(m.Place)
	for i := range m.Alternatives {
		n += 8 + placeBytes(&m.Alternatives[i].Place)
	}
	return n
}

func placeBytes(p *Place) int {
	if p == nil {
		return 1
	}
	return 48 + len(p.Name) + len(p.Country) + len(p.CountryName) + len(p.Admin1) + len(p.Admin1Code) + len(p.Feature)
}

func locationBytes(l *Location) int {
	if l == nil {
		return 1
	}
	return 48 + len(l.Name) + len(l.Provenance.Method) + len(l.Provenance.Tagger) + len(l.Provenance.By)
}
