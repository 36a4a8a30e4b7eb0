package main

import (
	"context"
	"fmt"
	"os"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
	"github.com/geotag/geotag/geo"
)

// desk is the desk's layer over the bundled gazetteer and tagger: its
// places laid over the gazetteer (for tagging and search) and its rules
// applied to the tagger's mentions, both kept in the store and reloaded
// after every change. On a store that keeps no rules or desk places
// (PostgreSQL, for now) rules and deskPlaces are nil and the layer is
// empty: the server leaves their routes out.
type desk struct {
	places     *geotag.DeskGazetteer
	tagger     *geotag.RuleTagger
	rules      geotag.RuleService      // a geotag.SyncRules, or nil
	deskPlaces geotag.DeskPlaceService // a geotag.SyncDeskPlaces, or nil
}

// openDesk wires the desk over gaz and loads its rules and places from db
// when db keeps them.
func openDesk(ctx context.Context, gaz *gazetteer.Gazetteer, db any) (*desk, error) {
	places := geotag.NewDeskGazetteer(gaz)
	tagger := geotag.NewRuleTagger(geo.NewTagger(places))
	d := &desk{places: places, tagger: tagger}
	if ps, ok := db.(geotag.DeskPlaceService); ok {
		sp := geotag.SyncDeskPlaces{DeskPlaceService: ps, Gazetteer: places, Tagger: tagger}
		if err := sp.Reload(ctx); err != nil {
			return nil, err
		}
		d.deskPlaces = sp
	}
	if rs, ok := db.(geotag.RuleService); ok {
		sr := geotag.SyncRules{RuleService: rs, Tagger: tagger}
		if err := sr.Reload(ctx); err != nil {
			return nil, err
		}
		d.rules = sr
	}
	return d, nil
}

// withRules returns t with the desk rules of the file at path applied
// (geotag tag --rules).
func withRules(t geotag.Tagger, gaz geotag.Gazetteer, path string) (geotag.Tagger, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--rules: %w", err)
	}
	defer f.Close()
	rules, err := geotag.ReadRules(f, gaz)
	if err != nil {
		return nil, fmt.Errorf("--rules %s: %w", path, err)
	}
	rt := geotag.NewRuleTagger(t)
	rt.SetRules(rules)
	return rt, nil
}
