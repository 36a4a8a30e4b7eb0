package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// BenchIncidents measures the incident list (a page of 100 of 500
// incidents, all and filtered by event type) and a link (UpdateIncident
// adding a source) on a fresh store made by open, so that backends
// compare in one run.
func BenchIncidents(b *testing.B, open func(b *testing.B) IncidentStore) {
	s := open(b)
	const n = 500
	var incs []*geotag.Incident
	var spare []string
	types := []string{"Battles", "Riots", "Protests", ""}
	for i := range 2 * n {
		r := &geotag.Report{Text: fmt.Sprintf("strike %d", i), Time: day0.Add(time.Duration(i) * time.Minute)}
		if err := s.CreateReport(ctx, r); err != nil {
			b.Fatal(err)
		}
		if i >= n {
			spare = append(spare, r.ID)
			continue
		}
		inc := &geotag.Incident{Title: "Strike", Sources: []string{r.ID},
			Figures: geotag.IncidentFigures{Time: r.Time, EventType: types[i%len(types)]}}
		if err := s.CreateIncident(ctx, inc); err != nil {
			b.Fatal(err)
		}
		incs = append(incs, inc)
	}
	for _, c := range []struct {
		name string
		f    geotag.ReportFilter
	}{{"List", geotag.ReportFilter{Limit: 100}}, {"ListRiots", geotag.ReportFilter{Limit: 100, EventTypes: []string{"Riots"}}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if p, err := s.FindIncidents(ctx, c.f); err != nil || len(p.Incidents) != 100 {
					b.Fatalf("%d, %v", len(p.Incidents), err)
				}
			}
		})
	}
	b.Run("Link", func(b *testing.B) {
		i := 0
		for b.Loop() {
			id, r := incs[i%n].ID, spare[i%n]
			_, err := s.UpdateIncident(ctx, id, func(inc *geotag.Incident) error {
				if i >= n {
					inc.Sources = inc.Sources[:1] // unlink again, from the second round
				} else {
					inc.Sources = append(inc.Sources, r)
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
