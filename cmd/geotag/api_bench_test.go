package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
	"github.com/geotag/geotag/geo"
	"github.com/geotag/geotag/server"
	"github.com/geotag/geotag/store"
)

type benchDiscard struct {
	h http.Header
	n int
}

func (w *benchDiscard) Header() http.Header         { return w.h }
func (w *benchDiscard) WriteHeader(int)             {}
func (w *benchDiscard) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }

// BenchmarkAPIList measures the map's query, GET /api/v1/reports with a
// bbox and limit=1000, through the real server on the real store of 50,000
// reports, against the store query alone (store-only) in the same run:
// the ratio is the cost of HTTP routing, middleware and GeoJSON encoding.
func BenchmarkAPIList(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), &store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 50000
	rs := make([]*geotag.Report, n)
	for i := range rs {
		lat, lon := 30+rng.Float64()*10, 33+rng.Float64()*10
		p := geotag.Place{ID: int64(1000 + i%500), Name: "Place " + strconv.Itoa(i%500), Lat: lat, Lon: lon, Country: "SY", Feature: "P.PPL"}
		rs[i] = &geotag.Report{
			Title: "Report " + strconv.Itoa(i), Text: "Shelling was reported near " + p.Name + " overnight.",
			Source: "https://example.org/" + strconv.Itoa(i), Time: base.Add(time.Duration(i) * time.Minute),
			Status: geotag.StatusUnreviewed, Tags: []string{"shelling"},
			Mentions: []geotag.Mention{{Start: 27, End: 27 + len(p.Name), Text: p.Name, Kind: geotag.KindPlace, Confidence: 0.9, Precision: 1, Place: &p}},
			Location: &geotag.Location{Lat: lat, Lon: lon, Precision: 1, Name: p.Name, PlaceID: p.ID, Provenance: geotag.Provenance{Method: geotag.MethodAuto}},
		}
	}
	if _, err := db.Import(ctx, rs); err != nil {
		b.Fatal(err)
	}
	gaz, err := gazetteer.Open()
	if err != nil {
		b.Fatal(err)
	}
	srv := server.New(server.Config{Reports: db, Tagger: geo.NewTagger(gaz), Places: gaz, Tokens: db, RateIP: -1, RateToken: -1})
	bbox := geotag.BBox{W: 35, S: 32, E: 38, N: 35}
	b.Run("api", func(b *testing.B) {
		h := srv.Handler()
		req := httptest.NewRequest("GET", "/api/v1/reports?bbox="+bbox.String()+"&limit=1000", nil)
		b.ReportAllocs()
		for b.Loop() {
			w := &benchDiscard{h: http.Header{}}
			h.ServeHTTP(w, req)
			if w.n < 1000 {
				b.Fatal("empty answer")
			}
		}
	})
	b.Run("store-only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := db.FindReports(ctx, geotag.ReportFilter{BBox: &bbox, Limit: 1000})
			if err != nil || len(p.Reports) != 1000 {
				b.Fatal(err, len(p.Reports))
			}
		}
	})
}
