package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/geotag/geotag"
)

// The desk's steps of geotag migrate: incidents (with their links), desk
// rules, desk places and the audit log, each copied from the source's
// root service into the destination as it is (ids, times, versions:
// rules, reports and other rules name desk places by id), then verified
// by count and by comparing every record. Each step takes the two stores
// and does nothing when either lacks the service.

// deskRestorer is a destination that stores desk records as another
// store kept them (postgres.DB and store.DB): each call reports false
// when one with its id is there already.
type deskRestorer interface {
	RestoreIncident(ctx context.Context, inc *geotag.Incident) (bool, error)
	RestoreRule(ctx context.Context, r geotag.Rule) (bool, error)
	RestoreDeskPlace(ctx context.Context, d geotag.DeskPlace) (bool, error)
}

// deskCopied counts one step's records: stored now, and there already.
type deskCopied struct{ stored, there int }

func (c *deskCopied) add(stored bool) {
	if stored {
		c.stored++
	} else {
		c.there++
	}
}

// deskStep is one desk noun's copy from a store to a deskRestorer.
type deskStep struct {
	noun string
	run  func(context.Context, any, deskRestorer) (deskCopied, error)
}

// deskSteps are the desk's nouns, in the order they are copied.
func deskSteps() []deskStep {
	return []deskStep{
		{"incidents", migrateIncidents},
		{"desk rules", migrateRules},
		{"desk places", migrateDeskPlaces},
	}
}

// step is s as a step of geotag migrate (migrateSteps).
func (s deskStep) step() migrateStep {
	return migrateStep{noun: s.noun, copy: func(ctx context.Context, m *migration) (string, error) {
		to, ok := m.dst.db.(deskRestorer)
		if !ok {
			return "no " + s.noun + " (the target keeps none)", nil
		}
		c, err := s.run(ctx, m.src.db, to)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d %s copied, %d there already; verified", c.stored, s.noun, c.there), nil
	}}
}

// migrateIncidents copies every incident, then checks that each is in
// the destination, identical, and the source of each of its reports.
func migrateIncidents(ctx context.Context, src any, dst deskRestorer) (deskCopied, error) {
	from, ok1 := src.(geotag.IncidentService)
	to, ok2 := dst.(geotag.IncidentService)
	var c deskCopied
	if !ok1 || !ok2 {
		return c, nil
	}
	all, err := deskIncidents(ctx, from)
	if err != nil {
		return c, err
	}
	for _, inc := range all {
		stored, err := dst.RestoreIncident(ctx, inc)
		if err != nil {
			return c, fmt.Errorf("incident %s: %w", inc.ID, err)
		}
		c.add(stored)
	}
	got, err := deskIncidents(ctx, to)
	if err != nil {
		return c, err
	}
	if len(got) < len(all) {
		return c, fmt.Errorf("the source has %d incidents, the destination %d", len(all), len(got))
	}
	for _, inc := range all {
		if err := sameIncident(ctx, inc, to); err != nil {
			return c, err
		}
	}
	return c, nil
}

// deskIncidents reads every incident, newest first, page by page.
func deskIncidents(ctx context.Context, s geotag.IncidentService) ([]*geotag.Incident, error) {
	var out []*geotag.Incident
	f := geotag.ReportFilter{Limit: 10000}
	for {
		p, err := s.FindIncidents(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Incidents...)
		if p.Next == "" {
			return out, nil
		}
		f.Cursor = p.Next
	}
}

// sameIncident checks that the destination holds inc as it is, as the
// incident of each of its sources.
func sameIncident(ctx context.Context, inc *geotag.Incident, to geotag.IncidentService) error {
	got, err := to.FindIncidentByID(ctx, inc.ID)
	if err != nil {
		return fmt.Errorf("incident %s is not in the destination: %w", inc.ID, err)
	}
	if !deskSameJSON(inc, got) {
		return fmt.Errorf("incident %s differs in the destination", inc.ID)
	}
	for _, r := range inc.Sources {
		if of, err := to.IncidentOf(ctx, r); err != nil || of != inc.ID {
			return fmt.Errorf("report %s is not linked to incident %s in the destination (%q, %v)", r, inc.ID, of, err)
		}
	}
	return nil
}

// migrateRules copies every desk rule and checks they are all there.
func migrateRules(ctx context.Context, src any, dst deskRestorer) (deskCopied, error) {
	from, ok1 := src.(geotag.RuleService)
	to, ok2 := dst.(geotag.RuleService)
	var c deskCopied
	if !ok1 || !ok2 {
		return c, nil
	}
	rs, err := from.Rules(ctx)
	if err != nil {
		return c, err
	}
	for _, r := range rs {
		stored, err := dst.RestoreRule(ctx, r)
		if err != nil {
			return c, fmt.Errorf("rule %s: %w", r.ID, err)
		}
		c.add(stored)
	}
	got, err := to.Rules(ctx)
	if err != nil {
		return c, err
	}
	return c, deskContains(rs, got, func(r geotag.Rule) string { return r.ID })
}

// migrateDeskPlaces copies every desk place and checks they are all
// there.
func migrateDeskPlaces(ctx context.Context, src any, dst deskRestorer) (deskCopied, error) {
	from, ok1 := src.(geotag.DeskPlaceService)
	to, ok2 := dst.(geotag.DeskPlaceService)
	var c deskCopied
	if !ok1 || !ok2 {
		return c, nil
	}
	ds, err := from.DeskPlaces(ctx)
	if err != nil {
		return c, err
	}
	for _, d := range ds {
		stored, err := dst.RestoreDeskPlace(ctx, d)
		if err != nil {
			return c, fmt.Errorf("desk place %d: %w", d.ID, err)
		}
		c.add(stored)
	}
	got, err := to.DeskPlaces(ctx)
	if err != nil {
		return c, err
	}
	return c, deskContains(ds, got, func(d geotag.DeskPlace) string { return fmt.Sprint(d.ID) })
}

// deskAudit reads the whole audit log, newest first.
func deskAudit(ctx context.Context, s geotag.AuditLog) ([]geotag.AuditEntry, error) {
	var out []geotag.AuditEntry
	f := geotag.AuditFilter{Limit: 1000}
	for {
		es, err := s.Audit(ctx, f)
		if err != nil || len(es) == 0 {
			return out, err
		}
		out = append(out, es...)
		f.Before = es[len(es)-1].Seq
	}
}

// contains checks that got holds every record of want, identical.
func deskContains[T any](want, got []T, id func(T) string) error {
	have := make(map[string]T, len(got))
	for _, g := range got {
		have[id(g)] = g
	}
	if len(got) < len(want) {
		return fmt.Errorf("the source has %d, the destination %d", len(want), len(got))
	}
	for _, w := range want {
		g, ok := have[id(w)]
		if !ok {
			return fmt.Errorf("%s is not in the destination", id(w))
		}
		if !deskSameJSON(w, g) {
			return fmt.Errorf("%s differs in the destination", id(w))
		}
	}
	return nil
}

// deskSameJSON reports whether a and b encode alike.
func deskSameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}
