package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// mustOpen opens a store in a temporary directory; cleanup verifies it
// and closes it.
func mustOpen(tb testing.TB) *store.DB {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "geotag.db"))
}

func mustOpenPath(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Verify(); err != nil {
			tb.Error(err)
		}
		db.Close()
	})
	return db
}

var ctx = context.Background()

// gen makes random reports spread over a few clusters, the antimeridian
// and no location at all, with repeated times, places, tags and statuses.
type gen struct {
	rnd  *rand.Rand
	base time.Time
	n    int
}

func newGen(seed uint64) *gen {
	return &gen{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		base: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)}
}

var centers = []struct {
	lat, lon float64
	place    int64
	name     string
}{
	{36.2, 37.16, 170063, "Aleppo"},
	{31.95, 35.93, 250441, "Amman"},
	{43.7, 7.27, 2990440, "Nice"},
	{-17.7, 179.9, 2198148, "Fiji east"},
	{-17.8, -179.9, 4035000, "Fiji west"},
	{50.45, 30.52, 703448, "Kyiv"},
}

var tags = []string{"shelling", "Shelling", "airstrike", "protest", "ceasefire"}

func (g *gen) report() *geotag.Report {
	g.n++
	r := &geotag.Report{
		Title:  fmt.Sprintf("report %d", g.n),
		Text:   fmt.Sprintf("Something happened, item %d. %s", g.n, []string{"Heavy Fighting", "quiet day", "Floods"}[g.rnd.IntN(3)]),
		Source: "https://example.org/" + fmt.Sprint(g.n),
		// Whole hours over three years: many reports share a time.
		Time: g.base.Add(time.Duration(g.rnd.IntN(3*365*24)) * time.Hour),
	}
	if g.rnd.IntN(4) == 0 {
		r.Status = geotag.StatusReviewed
	}
	for i := g.rnd.IntN(3); i > 0; i-- {
		r.Tags = append(r.Tags, tags[g.rnd.IntN(len(tags))])
	}
	for i := g.rnd.IntN(3); i > 0; i-- {
		c := centers[g.rnd.IntN(len(centers))]
		r.Mentions = append(r.Mentions, geotag.Mention{Text: c.name, Kind: geotag.KindPlace, Confidence: 0.9,
			Place: &geotag.Place{ID: c.place, Name: c.name, Lat: c.lat, Lon: c.lon, Feature: "P.PPL"}})
	}
	if g.rnd.IntN(10) > 0 {
		c := centers[g.rnd.IntN(len(centers))]
		lat := c.lat + g.rnd.NormFloat64()*0.3
		lon := c.lon + g.rnd.NormFloat64()*0.3
		if lon > 180 {
			lon -= 360
		} else if lon < -180 {
			lon += 360
		}
		r.Location = &geotag.Location{Lat: lat, Lon: lon, Precision: 1, Name: c.name, PlaceID: c.place, Mention: -1,
			Provenance: geotag.Provenance{Method: geotag.MethodAuto, Tagger: "test"}}
	}
	genEvent(r, g.n)
	return r
}

// genEvent codes an event on some reports, from n alone so that the random
// stream the other fields draw from stays as it was: two in three have a
// type, one in three of those fatalities (one in nine of the untyped
// ones), one in four an actor.
func genEvent(r *geotag.Report, n int) {
	h := uint(n) * 2654435761
	if h%3 != 0 {
		r.EventType = geotag.EventTypes[h/3%6].Name
	}
	if (r.EventType != "" && h/18%3 == 0) || (r.EventType == "" && h/18%9 == 0) {
		f := int(h / 54 % 40)
		r.Fatalities = &f
	}
	if h/7%4 == 0 {
		r.Actors = []geotag.Actor{{Name: []string{"HTS", "Wagner Group", "RSF"}[h/11%3], Side: 1}}
	}
}

// oracle answers filters by a full scan of an in-memory copy.
type oracle map[string]*geotag.Report

func (o oracle) find(f geotag.ReportFilter) []string {
	var ids []string
	for _, r := range o {
		if f.Match(r) {
			ids = append(ids, r.ID)
		}
	}
	slices.SortFunc(ids, func(a, b string) int {
		ra, rb := o[a], o[b]
		if c := rb.Time.Compare(ra.Time); c != 0 {
			return c
		}
		return strings.Compare(b, a)
	})
	return ids
}

// findAll pages through FindReports and returns the ids in order.
func findAll(t *testing.T, db *store.DB, f geotag.ReportFilter) (ids []string, total int) {
	t.Helper()
	total = -1
	for pages := 0; ; pages++ {
		p, err := db.FindReports(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if total >= 0 && p.Total != total {
			t.Fatalf("total changed between pages: %d, %d", total, p.Total)
		}
		total = p.Total
		for _, r := range p.Reports {
			ids = append(ids, r.ID)
		}
		if p.Next == "" {
			return ids, total
		}
		if len(p.Reports) == 0 || pages > 10000 {
			t.Fatalf("page %d: cursor %q with %d reports", pages, p.Next, len(p.Reports))
		}
		f.Cursor = p.Next
	}
}

func ptime(t time.Time) *time.Time { return &t }
