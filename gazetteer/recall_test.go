package gazetteer_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/geotag/geotag"
)

// TestGoldRecall measures the gazetteer against the gold toponyms of the
// LGL and GeoVirus evaluation sets when they sit beside the checkout
// (../shared/eval): how many gold names have candidates at all, how many
// have the gold geonameid (LGL) or a candidate within 161 km of the gold
// point among them, and how often the most important candidate alone is
// within 161 km: the prior the geotagger starts from. A demonym or
// abbreviation counts its Alias as the first candidate. It is skipped
// without the sets; they are never copied into the repository.
func TestGoldRecall(t *testing.T) {
	g := open(t)
	for _, tc := range []struct {
		file                     string
		minNamed, minNear, minAt float64
	}{
		{"lgl.jsonl", 0.83, 0.77, 0.54},
		{"geovirus.jsonl", 0.93, 0.80, 0.74},
	} {
		path := filepath.Join("..", "..", "shared", "eval", tc.file)
		f, err := os.Open(path)
		if err != nil {
			t.Logf("%s: skipped (%v)", tc.file, err)
			continue
		}
		var n, named, withID, idFound, near, first int
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var doc struct {
				Toponyms []struct {
					Name      string  `json:"name"`
					Lat       float64 `json:"lat"`
					Lon       float64 `json:"lon"`
					Geonameid *int64  `json:"geonameid"`
				} `json:"toponyms"`
			}
			if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			for _, tp := range doc.Toponyms {
				n++
				key := geotag.NameKey(tp.Name)
				ps := g.Lookup(key)
				if a, _, ok := g.Alias(key); ok {
					ps = append([]geotag.Place{a}, ps...) // "U.S.", "Syrians"
				}
				if len(ps) > 0 {
					named++
				}
				if tp.Geonameid != nil {
					withID++
					if has(ps, *tp.Geonameid) {
						idFound++
					}
				}
				for i, p := range ps {
					if geotag.DistanceKm(p.Lat, p.Lon, tp.Lat, tp.Lon) <= 161 {
						near++
						if i == 0 {
							first++
						}
						break
					}
				}
			}
		}
		f.Close()
		if n == 0 {
			t.Fatalf("%s: no toponyms", tc.file)
		}
		r := func(a, b int) float64 { return float64(a) / float64(max(b, 1)) }
		t.Logf("%s: %d toponyms; named %.3f; gold id among candidates %.3f (of %d with ids); a candidate within 161 km %.3f; most important candidate within 161 km %.3f",
			tc.file, n, r(named, n), r(idFound, withID), withID, r(near, n), r(first, n))
		if r(named, n) < tc.minNamed || r(near, n) < tc.minNear || r(first, n) < tc.minAt {
			t.Errorf("%s: recall fell below %.2f / %.2f / %.2f", tc.file, tc.minNamed, tc.minNear, tc.minAt)
		}
	}
}
