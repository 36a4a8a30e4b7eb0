package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// day0 is the fixtures' first day.
var day0 = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

// places are the fixtures' locations: some across the antimeridian, some
// on a cell edge, one at the poles' and the date line's limits.
var places = []geotag.Place{
	{ID: 101, Name: "Alpha", Lat: 36.2, Lon: 37.15},
	{ID: 102, Name: "Bravo", Lat: 33.51, Lon: 36.29},
	{ID: 103, Name: "Charlie", Lat: -17.8, Lon: 178.4},
	{ID: 104, Name: "Delta", Lat: -18.1, Lon: -178.2},
	{ID: 105, Name: "Echo", Lat: 50.45, Lon: 30.52},
	{ID: 106, Name: "Foxtrot", Lat: 0, Lon: 0},
	{ID: 107, Name: "Golf", Lat: 45, Lon: 180},
	{ID: 108, Name: "Hotel", Lat: -33.87, Lon: 151.21},
}

var words = []string{"shelling", "Protest", "convoy", "ÉCOLE", "market", "bridge", "ceasefire", "100%", "a_b"}
var tagPool = []string{"Aid", "aid ", "Flood", "front", "Front-Line", "ÉTÉ", "water"}
var actorPool = []string{"Group A", "group b", "Militia C", "Police"}

// reportAt makes fixture report i, deterministic in i.
func reportAt(rng *rand.Rand, i int) *geotag.Report {
	r := &geotag.Report{
		ExternalID: fmt.Sprintf("ext-%d", i),
		Title:      fmt.Sprintf("%s %d", words[rng.IntN(len(words))], i),
		Text:       fmt.Sprintf("Report %d about the %s near the %s.", i, words[rng.IntN(len(words))], words[rng.IntN(len(words))]),
		// Times share seconds and days, and reach back across a year.
		Time: day0.Add(-time.Duration(rng.IntN(400*24)) * time.Hour).Add(time.Duration(rng.IntN(3)) * time.Nanosecond),
	}
	if rng.IntN(4) == 0 {
		r.Status = geotag.StatusReviewed
	}
	for range rng.IntN(3) {
		r.Tags = append(r.Tags, tagPool[rng.IntN(len(tagPool))])
	}
	if rng.IntN(6) > 0 {
		p := places[rng.IntN(len(places))]
		jitter := float64(rng.IntN(5)) * 0.01
		if p.Lon == 180 || p.Lat == 0 {
			jitter = 0
		}
		r.Mentions = []geotag.Mention{{Start: 0, End: 1, Text: p.Name, Kind: "place", Confidence: 0.9, Precision: 1, Place: &p}}
		// Every precision class, for the clusters' split by precision.
		r.Location = &geotag.Location{Lat: p.Lat + jitter, Lon: p.Lon - jitter, Precision: 1 + i%3, Name: p.Name, PlaceID: p.ID,
			Provenance: geotag.Provenance{Method: geotag.MethodAuto}}
	}
	if rng.IntN(3) == 0 {
		r.EventType = geotag.EventTypes[rng.IntN(len(geotag.EventTypes))].Name
	}
	if rng.IntN(3) == 0 {
		f := rng.IntN(20)
		r.Fatalities = &f
	}
	if rng.IntN(3) == 0 {
		r.Actors = []geotag.Actor{{Name: actorPool[rng.IntN(len(actorPool))], Side: 1}}
	}
	return r
}

// seed stores n fixture reports and returns them as stored.
func seed(t *testing.T, s geotag.ReportService, n int) []*geotag.Report {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	out := make([]*geotag.Report, 0, n)
	for i := range n {
		r := reportAt(rng, i)
		if err := s.CreateReport(context.Background(), r); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
		out = append(out, r)
	}
	return out
}
