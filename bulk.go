package geotag

import (
	"slices"
	"strings"
	"time"
)

// BulkCorrection is the body of POST /api/v1/corrections/bulk: the same
// correction made to every stored report where the same words resolved
// to the same place. Words match as NameKey keys them ("al-Fardos" and
// "Fardos" are the same words); PlaceID is the place they resolved to.
// Action is ActionPick (the place To), ActionPoint (Lat, Lon, Name) or
// ActionRemove ("not a place").
type BulkCorrection struct {
	Words   string   `json:"words"`
	PlaceID int64    `json:"place_id"`
	Action  string   `json:"action"`
	To      int64    `json:"to_place_id,omitempty"`
	Lat     *float64 `json:"lat,omitempty"`
	Lon     *float64 `json:"lon,omitempty"`
	Name    string   `json:"name,omitempty"`
	// Filter narrows the reports, in the query language of GET
	// /api/v1/reports ("bbox=…&from=…&tag=…"); empty: every report.
	Filter string `json:"filter,omitempty"`
	// DryRun counts the reports and mentions it would change and changes
	// nothing.
	DryRun bool `json:"dry_run,omitempty"`

	// Rule, when a desk rule's re-tag made the correction, is the rule:
	// the mentions it changes become the rule's (Mention.Rule), not a
	// person's, so that a later change of the rule can re-tag them again.
	Rule *RuleRef `json:"-"`
}

// Validate checks the fields: EINVALID naming the field at fault.
func (b BulkCorrection) Validate() error {
	if NameKey(b.Words) == "" {
		return FieldErrorf(EINVALID, "words", "words, the mention's words, are required")
	}
	if len(b.Words) > 200 {
		return FieldErrorf(EINVALID, "words", "words are at most 200 bytes")
	}
	if b.PlaceID == 0 {
		return FieldErrorf(EINVALID, "place_id", "place_id, the place the words resolved to, is required")
	}
	switch b.Action {
	case ActionPick:
		if b.To == 0 {
			return FieldErrorf(EINVALID, "to_place_id", "pick needs to_place_id")
		}
	case ActionPoint:
		if b.Lat == nil || b.Lon == nil {
			return FieldErrorf(EINVALID, "lat", "point needs lat and lon")
		}
		return ValidPoint(*b.Lat, *b.Lon, "")
	case ActionRemove:
	default:
		return FieldErrorf(EINVALID, "action", "a bulk action is pick, point or remove, not %q", b.Action)
	}
	return nil
}

// Mentions returns the indices of r's mentions the bulk correction
// applies to, ascending: those with its words resolved to its place and
// not corrected by a person (manual corrections are never overwritten).
func (b BulkCorrection) Mentions(r *Report) []int {
	key := NameKey(b.Words)
	var out []int
	for i, m := range r.Mentions {
		if m.Manual || m.Place == nil || m.Place.ID != b.PlaceID {
			continue
		}
		if NameKey(m.Text) == key {
			out = append(out, i)
		}
	}
	return out
}

// CorrectBulk makes the bulk correction b, of the bulk id, to r: one
// correction of each mention Mentions names, all recorded at the same
// time by the same author so that an undo reverts them together, each
// revision carrying the id. It returns no revisions, and leaves r alone,
// when no mention matches; the errors are Correct's (EUNPROCESSABLE for a
// place To that does not exist).
func (k Corrector) CorrectBulk(r *Report, b BulkCorrection, id string) ([]Revision, error) {
	idx := b.Mentions(r)
	if len(idx) == 0 {
		return nil, nil
	}
	now := k.Now().UTC()
	k.Now = func() time.Time { return now } // one time for the whole group
	var revs []Revision
	for _, i := range slices.Backward(idx) { // removals shift the later ones
		cr := Correction{Action: b.Action, Mention: &i, PlaceID: b.To, Lat: b.Lat, Lon: b.Lon, Name: strings.TrimSpace(b.Name)}
		rs, err := k.Correct(r, cr)
		if err != nil {
			return nil, err
		}
		if b.Rule != nil && b.Action == ActionPick {
			m := &r.Mentions[i]
			m.Manual, m.Rule = false, b.Rule
			rs[len(rs)-1].After = cloneMention(*m)
		}
		revs = append(rs, revs...)
	}
	for i := range revs {
		revs[i].Bulk = id
	}
	return revs, nil
}

// UndoBulk reverts the bulk correction id on r when it is still r's
// latest change, and records the undo revisions with the bulk id undoID.
// It returns false (r must then be dropped: it may be half changed) when r has no revision of the
// bulk, when the bulk was already undone there, or when r changed since
// (a later correction or edit: that report is skipped, not reverted).
func UndoBulk(r *Report, id, undoID, by string, now time.Time) ([]Revision, bool) {
	h := r.History
	if len(h) == 0 || h[len(h)-1].Bulk != id || h[len(h)-1].Action == ActionUndo {
		return nil, false
	}
	revs, err := undo(r, by, now)
	if err != nil {
		return nil, false
	}
	for i := range revs {
		revs[i].Bulk = undoID
	}
	return revs, true
}
