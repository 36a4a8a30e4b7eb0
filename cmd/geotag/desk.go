package main

import (
	"context"
	"fmt"
	"os"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
	"github.com/geotag/geotag/geo"
	"github.com/geotag/geotag/store"
)

// desk is the desk's layer over the bundled gazetteer and tagger: its
// places laid over the gazetteer (for tagging and search) and its rules
// applied to the tagger's mentions, both kept in the store and reloaded
// after every change.
type desk struct {
	places *geotag.DeskGazetteer
	tagger *geotag.RuleTagger
	rules  geotag.SyncRules
	desk   geotag.SyncDeskPlaces
}

// openDesk wires the desk over gaz and loads its rules and places from db.
func openDesk(ctx context.Context, gaz *gazetteer.Gazetteer, db *store.DB) (*desk, error) {
	places := geotag.NewDeskGazetteer(gaz)
	tagger := geotag.NewRuleTagger(geo.NewTagger(places))
	d := &desk{places: places, tagger: tagger,
		rules: geotag.SyncRules{RuleService: db, Tagger: tagger},
		desk:  geotag.SyncDeskPlaces{DeskPlaceService: db, Gazetteer: places, Tagger: tagger}}
	if err := d.desk.Reload(ctx); err != nil {
		return nil, err
	}
	if err := d.rules.Reload(ctx); err != nil {
		return nil, err
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
