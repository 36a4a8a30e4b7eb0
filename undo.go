package geotag

import (
	"slices"
	"time"
)

// undo reverts the latest group of correction revisions (one request's)
// that no later undo has reverted, and records the reversal as "undo"
// revisions. An edit is undone too: its text, mentions and main location
// come back, and the corrections before it can be undone next. The
// report's creation, and an edit recorded before edits kept what they
// replaced (no BeforeText), cannot be undone: ECONFLICT.
func undo(r *Report, by string, now time.Time) ([]Revision, error) {
	h := r.History
	skip := 0
	end := len(h)
	for end > 0 {
		start := end - 1
		for start > 0 && h[start-1].At.Equal(h[end-1].At) && h[start-1].By == h[end-1].By && (h[start-1].Action == ActionUndo) == (h[end-1].Action == ActionUndo) {
			start--
		}
		group := h[start:end]
		final := slices.ContainsFunc(group, func(rv Revision) bool {
			return rv.Action == "create" || (rv.Action == ActionEdit && rv.BeforeText == nil)
		})
		switch a := group[0].Action; {
		case final:
			return nil, Errorf(ECONFLICT, "nothing to undo: no correction since the report was created or its text edited")
		case a == ActionUndo:
			skip++
		case skip > 0:
			skip--
		default:
			return revert(r, group, by, now)
		}
		end = start
	}
	return nil, Errorf(ECONFLICT, "nothing to undo")
}

// revert applies the inverse of group, newest first.
func revert(r *Report, group []Revision, by string, now time.Time) ([]Revision, error) {
	var out []Revision
	var restore *Location
	locChanged := false
	// Removals are recorded at their indices before the removal, in
	// ascending order: put them back in that order. Everything else is
	// undone newest first (additions at their final, ascending indices).
	order := make([]int, len(group))
	for k := range order {
		order[k] = len(group) - 1 - k
	}
	if group[0].Action == ActionRemove {
		slices.Reverse(order)
	}
	for _, k := range order {
		rv := group[k]
		if rv.BeforeLocation != nil || rv.AfterLocation != nil {
			restore, locChanged = rv.BeforeLocation, true
		}
		undo := Revision{At: now, By: by, Action: ActionUndo, Mention: rv.Mention, Before: rv.After, After: rv.Before}
		if !undoOne(r, rv, &undo) {
			return nil, Errorf(ECONFLICT, "the report changed in a way this undo cannot follow")
		}
		out = append(out, undo)
	}
	if locChanged {
		out[len(out)-1].BeforeLocation, out[len(out)-1].AfterLocation = r.Location, restore
		r.Location = restore
	}
	return out, nil
}

// undoOne applies the inverse of revision rv to r (its location apart),
// recording in undo what an edit's undo replaces. It reports false when r
// changed in a way the inverse cannot follow.
func undoOne(r *Report, rv Revision, undo *Revision) bool {
	i := rv.Mention
	switch rv.Action {
	case ActionPick, ActionPoint:
		if i < 0 {
			return true // the report's own point: its location is restored by revert
		}
		if i >= len(r.Mentions) || rv.Before == nil || r.Mentions[i].Start != rv.Before.Start {
			return false
		}
		r.Mentions[i] = *cloneMention(*rv.Before)
	case ActionAdd:
		if i >= len(r.Mentions) || rv.After == nil || r.Mentions[i].Start != rv.After.Start {
			return false
		}
		r.Mentions = slices.Delete(r.Mentions, i, i+1)
	case ActionRemove:
		if i > len(r.Mentions) || rv.Before == nil {
			return false
		}
		r.Mentions = slices.Insert(r.Mentions, i, *cloneMention(*rv.Before))
	case ActionEdit:
		if rv.BeforeText == nil {
			return false
		}
		text := r.Text
		undo.BeforeText, undo.BeforeMentions = &text, r.Mentions
		r.Text = *rv.BeforeText
		r.Mentions = []Mention{}
		for _, m := range rv.BeforeMentions {
			r.Mentions = append(r.Mentions, *cloneMention(m))
		}
	case ActionReview:
		r.Status = StatusUnreviewed
	case ActionUnreview:
		r.Status = StatusReviewed
	}
	return true
}
