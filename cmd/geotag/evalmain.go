package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/geotag/geotag"
)

// mainGold is a gold document with the point of its main location: where
// the reported events happened. Lines of a gold file without "main" are
// skipped.
type mainGold struct {
	ID    string     `json:"id"`
	Title string     `json:"title"`
	Text  string     `json:"text"`
	Main  *goldPoint `json:"main"`
}

type goldPoint struct {
	Name string  `json:"name"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

// mainScore is how often the automatic main location lies near the gold
// main point.
type mainScore struct {
	Docs, Found, Within25, Within161 int
	Misses                           []string // "id: chose X (why), want Y, N km"
}

// readMainGold reads the documents of a JSONL gold file that have a main
// point.
func readMainGold(path string) ([]mainGold, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []mainGold
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var g mainGold
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if g.Main != nil {
			out = append(out, g)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no document has a \"main\" point", path)
	}
	return out, nil
}

// scoreMain tags each document's title with its text, as the service
// does, takes the automatic main location (geotag.AutoLocation) and
// measures its distance to the gold main point.
func scoreMain(ctx context.Context, t geotag.Tagger, gold []mainGold) (mainScore, error) {
	var s mainScore
	for _, g := range gold {
		doc, _ := geotag.TitledText(g.Title, g.Text)
		ms, err := t.Tag(ctx, doc, geotag.TagOptions{})
		if err != nil {
			return s, fmt.Errorf("%s: %w", g.ID, err)
		}
		r := &geotag.Report{Title: g.Title, Text: g.Text}
		r.TitleMentions, r.Mentions = geotag.SplitTitled(g.Title, ms)
		l := geotag.AutoLocation(r, t.Version(), time.Time{})
		s.Docs++
		if l == nil {
			s.Misses = append(s.Misses, fmt.Sprintf("%s: no place, want %s", g.ID, g.Main.Name))
			continue
		}
		s.Found++
		d := geotag.DistanceKm(l.Lat, l.Lon, g.Main.Lat, g.Main.Lon)
		if d <= 161 {
			s.Within161++
		}
		if d <= 25 {
			s.Within25++
			continue
		}
		s.Misses = append(s.Misses, fmt.Sprintf("%s: chose %s (%s), want %s, %.0f km", g.ID, l.Name, l.Why, g.Main.Name, d))
	}
	return s, nil
}

// write prints the figures in the eval's format, then the misses.
func (s mainScore) write(w io.Writer) {
	n := float64(max(s.Docs, 1))
	fmt.Fprintf(w, "%-24s %d\n", "main_documents", s.Docs)
	fmt.Fprintf(w, "%-24s %d\n", "main_found", s.Found)
	fmt.Fprintf(w, "%-24s %.4f\n", "main_acc25", float64(s.Within25)/n)
	fmt.Fprintf(w, "%-24s %.4f\n", "main_acc161", float64(s.Within161)/n)
	for _, m := range s.Misses {
		fmt.Fprintf(w, "main_miss  %s\n", m)
	}
}
