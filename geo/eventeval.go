package geo

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/geotag/geotag"
)

// EventGold is one report of an event dev set (JSONL): its text and the
// event an analyst coded, fatalities null when the text states none.
type EventGold struct {
	Text         string `json:"text"`
	EventType    string `json:"event_type"`
	SubEventType string `json:"sub_event_type"`
	Fatalities   *int   `json:"fatalities"`
}

// ReadEventGold reads an event dev set: one EventGold per line, blank
// lines skipped. A line that is not one, or codes a type or sub-type that
// is not ACLED's, is an error naming the line.
func ReadEventGold(r io.Reader) ([]EventGold, error) {
	var out []EventGold
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var g EventGold
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if _, _, ok := geotag.CanonicalEventType(g.EventType, g.SubEventType); !ok {
			return nil, fmt.Errorf("line %d: %q/%q is not an ACLED event type and sub-type", n, g.EventType, g.SubEventType)
		}
		out = append(out, g)
	}
	return out, sc.Err()
}

// FieldScore counts one field's suggestions: Suggested of Total reports
// got one, Correct of those were right; Gold reports have the field coded.
type FieldScore struct {
	Total, Gold, Suggested, Correct int
}

// Precision is Correct/Suggested (1 with no suggestions).
func (f FieldScore) Precision() float64 { return eventRatio(f.Correct, f.Suggested) }

// Recall is Correct/Gold (1 with nothing to find).
func (f FieldScore) Recall() float64 { return eventRatio(f.Correct, f.Gold) }

func eventRatio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// EventScores are the figures of an event dev set: event type, sub-event
// type, fatalities (Gold: texts that state a count; Correct: exactly that
// count), and Invented, the reports given a count whose text states none.
type EventScores struct {
	Type, SubType, Fatalities FieldScore
	Invented                  int
}

// ScoreEvents suggests an event for each report and scores the
// suggestions against the coding.
func ScoreEvents(s geotag.EventSuggester, gold []EventGold) EventScores {
	var sc EventScores
	for _, g := range gold {
		got := s.SuggestEvent(g.Text)
		count := func(f *FieldScore, want, have string) {
			f.Total++
			f.Gold++
			if have != "" {
				f.Suggested++
				if have == want {
					f.Correct++
				}
			}
		}
		count(&sc.Type, g.EventType, got.EventType)
		count(&sc.SubType, g.SubEventType, got.SubEventType)
		sc.Fatalities.Total++
		if g.Fatalities != nil {
			sc.Fatalities.Gold++
		}
		if got.Fatalities != nil {
			sc.Fatalities.Suggested++
			if g.Fatalities == nil {
				sc.Invented++
			} else if *g.Fatalities == *got.Fatalities {
				sc.Fatalities.Correct++
			}
		}
	}
	return sc
}
