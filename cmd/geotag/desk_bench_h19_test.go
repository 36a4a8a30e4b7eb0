package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// BenchmarkTagDesk tags the generated reports of BenchmarkTag three ways in
// one run: the geo tagger alone (the baseline), behind the desk's layer
// with no rules or places (the serve default: DeskGazetteer under the geo
// tagger, RuleTagger over it), and with 501 rules (one of them on a name
// the texts hold) and 500 desk places.
// Compare the MB/s.
func BenchmarkTagDesk(b *testing.B) {
	benchSetup(b)
	per := int64(bench.bytes / len(bench.docs))
	desk := func(n int) geotag.Tagger {
		g := geotag.NewDeskGazetteer(bench.gaz)
		rt := geotag.NewRuleTagger(geo.NewTagger(g))
		var rules []geotag.Rule
		var places []geotag.DeskPlace
		for i := range n {
			r := geotag.Rule{ID: fmt.Sprint(i), Words: fmt.Sprintf("Camp %d North", i), Action: geotag.RuleNotPlace}
			if err := r.Normalize(g); err != nil {
				b.Fatal(err)
			}
			rules = append(rules, r)
			places = append(places, geotag.DeskPlace{ID: geotag.DeskPlaceIDBase - int64(i), Names: []string{fmt.Sprintf("Checkpoint %d", i)}, Lat: 34, Lon: 38})
		}
		if n > 0 {
			rules = append(rules, geotag.Rule{ID: "x", Words: "Aleppo", Key: "alepo", Action: geotag.RuleNotPlace})
		}
		g.SetDeskPlaces(places)
		rt.SetDeskPlaces(places)
		rt.SetRules(rules)
		return rt
	}
	for _, c := range []struct {
		name string
		t    geotag.Tagger
	}{{"geo", geo.NewTagger(bench.gaz)}, {"desk-empty", desk(0)}, {"desk-500", desk(500)}} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			b.SetBytes(per)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := c.t.Tag(ctx, bench.docs[i%len(bench.docs)], geotag.TagOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
