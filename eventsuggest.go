package geotag

// EventSuggestion is what a text suggests about its event, each part with
// the words that led to it, for an analyst to accept or change. Empty
// parts suggest nothing.
type EventSuggestion struct {
	EventType    string           `json:"event_type,omitempty"`
	SubEventType string           `json:"sub_event_type,omitempty"`
	TypeEvidence *Evidence        `json:"type_evidence,omitempty"`
	Fatalities   *int             `json:"fatalities"` // nil: the text states no death count
	FatalEvid    *Evidence        `json:"fatalities_evidence,omitempty"`
	Actors       []SuggestedActor `json:"actors,omitempty"`
}

// Evidence is the words of a text that led to a suggestion, at
// Start…End (byte offsets).
type Evidence struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// SuggestedActor is a known actor a text names, in the actor table's
// spelling, with the words that named it.
type SuggestedActor struct {
	Name     string   `json:"name"`
	Evidence Evidence `json:"evidence"`
}

// EventSuggester suggests an event from a text. SuggestEvent never fails:
// a text with nothing recognised gives an empty suggestion. Its work is
// linear in the text's length.
type EventSuggester interface {
	SuggestEvent(text string) EventSuggestion
}
