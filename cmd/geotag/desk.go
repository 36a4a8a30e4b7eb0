package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
	"github.com/geotag/geotag/geo"
)

// desk is the desk's layer over the bundled gazetteer and tagger: its
// places laid over the gazetteer (for tagging and search) and its rules
// applied to the tagger's mentions, both kept in the store and reloaded
// after every change. On a store that keeps no rules or desk places
// rules and deskPlaces are nil and the layer is empty: the server leaves
// their routes out. On a store shared by several servers (PostgreSQL) the
// changes another server makes are picked up by follow.
type desk struct {
	places     *geotag.DeskGazetteer
	tagger     *geotag.RuleTagger
	rules      geotag.RuleService      // a geotag.SyncRules, or nil
	deskPlaces geotag.DeskPlaceService // a geotag.SyncDeskPlaces, or nil
	reloads    []func(context.Context) error

	shared deskVersioner // nil for a store of one process
	seen   int64         // shared's count at the last reload
	logger *slog.Logger
}

// deskVersioner is a store that other servers may change: it counts the
// committed changes of its rules and desk places
// (postgres.DB.DeskVersion).
type deskVersioner interface {
	DeskVersion(ctx context.Context) (int64, error)
}

// deskSyncEvery is how often a server on a shared store looks whether
// another server changed the desk's rules or places: one read of a
// one-row table; a change reaches every tagger within about this long.
const deskSyncEvery = time.Second

// openDesk wires the desk over gaz and loads its rules and places from db
// when db keeps them.
func openDesk(ctx context.Context, gaz *gazetteer.Gazetteer, db any, logger *slog.Logger) (*desk, error) {
	places := geotag.NewDeskGazetteer(gaz)
	tagger := geotag.NewRuleTagger(geo.NewTagger(places))
	d := &desk{places: places, tagger: tagger, logger: logger}
	if v, ok := db.(deskVersioner); ok {
		// the count before the load: a change made meanwhile is reloaded again
		n, err := v.DeskVersion(ctx)
		if err != nil {
			return nil, err
		}
		d.shared, d.seen = v, n
	}
	if ps, ok := db.(geotag.DeskPlaceService); ok {
		sp := geotag.SyncDeskPlaces{DeskPlaceService: ps, Gazetteer: places, Tagger: tagger}
		d.deskPlaces, d.reloads = sp, append(d.reloads, sp.Reload)
	}
	if rs, ok := db.(geotag.RuleService); ok {
		sr := geotag.SyncRules{RuleService: rs, Tagger: tagger}
		d.rules, d.reloads = sr, append(d.reloads, sr.Reload)
	}
	return d, d.reload(ctx)
}

// reload reads the rules and desk places again and hands them on.
func (d *desk) reload(ctx context.Context) error {
	for _, fn := range d.reloads {
		if err := fn(ctx); err != nil {
			return err
		}
	}
	return nil
}

// follow reloads the desk whenever the shared store's change count moves
// (another server, or this one, changed a rule or desk place), looking
// every interval until ctx ends; a failed look is logged and tried again.
// On a store of one process it returns at once: every change goes through
// this server's SyncRules and SyncDeskPlaces.
func (d *desk) follow(ctx context.Context, every time.Duration) {
	if d.shared == nil {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := d.sync(ctx); err != nil && ctx.Err() == nil {
			d.logger.Warn("desk: reloading rules and desk places", "err", err)
		}
	}
}

// sync reloads the desk if the shared store's change count moved.
func (d *desk) sync(ctx context.Context) error {
	n, err := d.shared.DeskVersion(ctx)
	if err != nil || n == d.seen {
		return err
	}
	if err := d.reload(ctx); err != nil {
		return err
	}
	d.seen = n
	return nil
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
