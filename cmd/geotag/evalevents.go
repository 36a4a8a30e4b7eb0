package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/geotag/geotag/geo"
)

// runEvalEvents scores the event suggestions on a dev set (geo.EventGold
// lines) and prints precision and recall per field and the share of
// reports given a death count their text does not state.
func runEvalEvents(path string, asJSON bool, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	gold, err := geo.ReadEventGold(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	sc := geo.ScoreEvents(geo.NewEventSuggester(), gold)
	invented := 0.0
	if len(gold) > 0 {
		invented = float64(sc.Invented) / float64(len(gold))
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(map[string]any{
			"reports": len(gold), "event_type_precision": sc.Type.Precision(), "event_type_recall": sc.Type.Recall(),
			"sub_event_type_precision": sc.SubType.Precision(), "sub_event_type_recall": sc.SubType.Recall(),
			"fatalities_precision": sc.Fatalities.Precision(), "fatalities_recall": sc.Fatalities.Recall(),
			"fatalities_invented": invented,
		})
	}
	fmt.Fprintf(stdout, "reports          %d\n", len(gold))
	fmt.Fprintf(stdout, "field            precision  recall\n")
	for _, r := range []struct {
		name string
		f    geo.FieldScore
	}{{"event_type", sc.Type}, {"sub_event_type", sc.SubType}, {"fatalities", sc.Fatalities}} {
		fmt.Fprintf(stdout, "%-16s %9.3f  %6.3f   (%d right of %d suggested, %d coded)\n", r.name, r.f.Precision(), r.f.Recall(),
			r.f.Correct, r.f.Suggested, r.f.Gold)
	}
	_, err = fmt.Fprintf(stdout, "fatalities invented for %d of %d reports (%.1f%%)\n", sc.Invented, len(gold), 100*invented)
	return err
}
