package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/geotag/geotag"
)

// discardWriter is a ResponseWriter that throws the body away, so that
// benchmarks measure the handler, not a buffer.
type discardWriter struct {
	h http.Header
	n int64
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(int)             {}
func (w *discardWriter) Write(b []byte) (int, error) { w.n += int64(len(b)); return len(b), nil }

func benchReports(n int) []*geotag.Report {
	rs := make([]*geotag.Report, n)
	base := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range rs {
		a, b := aleppo, amman
		rs[i] = &geotag.Report{
			ID: "01J" + strconv.Itoa(1000000+i), Title: "Shelling reported near Aleppo, convoy leaves Amman",
			Text:   "Heavy shelling was reported overnight in Aleppo while an aid convoy left Amman for the border.",
			Source: "https://example.org/live/" + strconv.Itoa(i), Time: base.Add(time.Duration(i) * time.Minute),
			Status: geotag.StatusUnreviewed, Tags: []string{"shelling"},
			Mentions: []geotag.Mention{
				{Start: 40, End: 46, Text: "Aleppo", Kind: geotag.KindPlace, Confidence: 0.9, Precision: 1, Place: &a},
				{Start: 75, End: 80, Text: "Amman", Kind: geotag.KindPlace, Confidence: 0.8, Precision: 1, Place: &b},
			},
			Location: &geotag.Location{Lat: a.Lat, Lon: a.Lon, Precision: 1, Name: a.Name, PlaceID: a.ID,
				Provenance: geotag.Provenance{Method: geotag.MethodAuto, Tagger: "bench"}},
			Created: base, Updated: base,
		}
	}
	return rs
}

// benchEnv serves an export of n reports from memory.
func benchEnv(b *testing.B, n int) *Server {
	rs := benchReports(n)
	m := newMemReports()
	m.eachFn = func(ctx context.Context, f geotag.ReportFilter, fn func(*geotag.Report) error) error {
		for _, r := range rs {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	return New(Config{Reports: m, Tagger: &fakeTagger{}, Places: fakePlaces{}, RateIP: -1, RateToken: -1})
}

func runExport(b *testing.B, srv *Server, path string) {
	h := srv.Handler()
	req := httptest.NewRequest("GET", path, nil)
	var bytes int64
	b.ReportAllocs()
	for b.Loop() {
		w := &discardWriter{h: http.Header{}}
		h.ServeHTTP(w, req)
		bytes = w.n
	}
	b.SetBytes(bytes)
}

// BenchmarkExport measures the streamed exports of 10,000 reports. The
// baseline, orb-marshal, is what a handler built on orb's geojson types
// would do: build the whole FeatureCollection, then json.Marshal it.
// Compare ns/op and B/op of geojson against orb-marshal.
func BenchmarkExport(b *testing.B) {
	const n = 10000
	srv := benchEnv(b, n)
	b.Run("geojson", func(b *testing.B) { runExport(b, srv, "/api/v1/export/geojson") })
	b.Run("geojsonseq", func(b *testing.B) { runExport(b, srv, "/api/v1/export/geojsonseq") })
	b.Run("csv", func(b *testing.B) { runExport(b, srv, "/api/v1/export/csv") })
	b.Run("orb-marshal", func(b *testing.B) {
		rs := benchReports(n)
		var bytes int64
		b.ReportAllocs()
		for b.Loop() {
			fc := geojson.NewFeatureCollection()
			for _, r := range rs {
				f := geojson.NewFeature(orb.Point{r.Location.Lon, r.Location.Lat})
				f.ID = r.ID
				f.Properties = geojson.Properties{
					"id": r.ID, "title": r.Title, "time": r.Time, "source": r.Source, "status": r.Status,
					"tags": r.Tags, "mentions": mentionNames(r.Mentions), "precision": r.Location.Precision,
					"place_id": r.Location.PlaceID, "location": r.Location.Name, "method": r.Location.Provenance.Method,
					"created": r.Created, "updated": r.Updated,
				}
				fc.Append(f)
			}
			out, err := json.Marshal(fc)
			if err != nil {
				b.Fatal(err)
			}
			n, _ := io.Discard.Write(out)
			bytes = int64(n)
		}
		b.SetBytes(bytes)
	})
}
