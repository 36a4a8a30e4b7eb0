package geotag_test

import (
	"context"
	"sync"
	"testing"

	"github.com/geotag/geotag"
)

// TestRuleTaggerSetConcurrently: rules and desk places handed over at the
// same time (two servers' changes reloaded at once) are both applied:
// neither replacement loses the other.
func TestRuleTaggerSetConcurrently(t *testing.T) {
	rules := []geotag.Rule{{ID: "r1", Words: "Homs", Key: "homs", Action: geotag.RuleNotPlace}}
	desk := []geotag.DeskPlace{{ID: geotag.DeskPlaceIDBase, Names: []string{"Camp Seven"}, Lat: 34, Lon: 38, Feature: "S.CMP"}}
	for i := range 300 {
		_, rt := ruleFixture()
		var wg sync.WaitGroup
		wg.Go(func() { rt.SetRules(rules) })
		wg.Go(func() { rt.SetDeskPlaces(desk) })
		wg.Wait()
		ms, err := rt.Tag(context.Background(), "Shelling in Homs and at Camp Seven.", geotag.TagOptions{})
		if err != nil {
			t.Fatal(err)
		}
		homs, camp := false, false
		for _, m := range ms {
			homs = homs || (m.Text == "Homs" && m.Place != nil)
			camp = camp || (m.Place != nil && m.Place.ID == geotag.DeskPlaceIDBase)
		}
		if homs || !camp {
			t.Fatalf("round %d: Homs a place %v, Camp Seven found %v: %+v", i, homs, camp, ms)
		}
	}
}
