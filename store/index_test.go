package store_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// TestIndexesRandomOps runs random creates, imports, updates and deletes
// and checks, after each round, every index against the records (Verify)
// and random queries against a full scan of an in-memory copy.
func TestIndexesRandomOps(t *testing.T) {
	for _, s := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed", s), func(t *testing.T) {
			db := mustOpen(t)
			g := newGen(s)
			rnd := rand.New(rand.NewPCG(s, 42))
			o := oracle{}
			ids := func() []string {
				var ids []string
				for id := range o {
					ids = append(ids, id)
				}
				slices.Sort(ids)
				return ids
			}
			for round := 0; round < 8; round++ {
				for op := 0; op < 60; op++ {
					switch k := rnd.IntN(10); {
					case k < 4 || len(o) == 0:
						r := g.report()
						if rnd.IntN(3) == 0 {
							r.ExternalID = fmt.Sprint("ext:", rnd.IntN(40))
						}
						err := db.CreateReport(ctx, r)
						if geotag.ErrorCode(err) == geotag.ECONFLICT {
							if o[r.ID] == nil || o[r.ID].ExternalID != r.ExternalID {
								t.Fatalf("conflict returned %+v", r)
							}
							continue
						} else if err != nil {
							t.Fatal(err)
						}
						o[r.ID] = r
					case k < 5:
						rs := []*geotag.Report{g.report(), g.report(), g.report()}
						rs[0].ExternalID = fmt.Sprint("ext:", rnd.IntN(40))
						if _, err := db.Import(ctx, rs); err != nil {
							t.Fatal(err)
						}
						for _, r := range rs {
							o[r.ID] = r
						}
					case k < 8:
						all := ids()
						id := all[rnd.IntN(len(all))]
						fresh := g.report()
						got, err := db.UpdateReport(ctx, id, func(r *geotag.Report) error {
							switch rnd.IntN(5) {
							case 0:
								r.Location = fresh.Location
							case 1:
								r.Tags = fresh.Tags
								r.Status = fresh.Status
							case 2:
								r.Time = fresh.Time
							case 3:
								r.Mentions = fresh.Mentions
							case 4:
								r.ExternalID = fmt.Sprint("upd:", rnd.IntN(1000000))
							}
							return nil
						})
						if err != nil {
							t.Fatal(err)
						}
						o[id] = got
					default:
						all := ids()
						id := all[rnd.IntN(len(all))]
						if err := db.DeleteReport(ctx, id); err != nil {
							t.Fatal(err)
						}
						delete(o, id)
					}
				}
				if err := db.Verify(); err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				if n, _ := db.Count(); n != len(o) {
					t.Fatalf("Count=%d, want %d", n, len(o))
				}
				for q := 0; q < 10; q++ {
					f := randomFilter(rnd, g)
					got, total := findAll(t, db, f)
					want := o.find(f)
					if !slices.Equal(got, want) || total != len(want) {
						t.Fatalf("round %d filter %+v: got %d (total %d), want %d", round, f, len(got), total, len(want))
					}
				}
				for _, id := range ids() {
					got, err := db.FindReportByID(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if got.Title != o[id].Title || !got.Time.Equal(o[id].Time) || got.ExternalID != o[id].ExternalID {
						t.Fatalf("report %s differs from the last write", id)
					}
				}
			}
		})
	}
}

func randomFilter(rnd *rand.Rand, g *gen) geotag.ReportFilter {
	f := geotag.ReportFilter{Limit: 1 + rnd.IntN(40)}
	if rnd.IntN(2) == 0 {
		c := centers[rnd.IntN(len(centers))]
		w, h := rnd.Float64()*5, rnd.Float64()*5
		b := geotag.BBox{W: c.lon - w, S: max(-90, c.lat-h), E: c.lon + w, N: min(90, c.lat+h)}
		if b.W < -180 {
			b.W += 360
		}
		if b.E > 180 {
			b.E -= 360
		}
		f.BBox = &b
	}
	if rnd.IntN(3) == 0 {
		from := g.base.Add(time.Duration(rnd.IntN(3*365*24)) * time.Hour)
		f.From = &from
	}
	if rnd.IntN(3) == 0 {
		to := g.base.Add(time.Duration(rnd.IntN(3*365*24)) * time.Hour)
		f.To = &to
	}
	if rnd.IntN(5) == 0 {
		f.PlaceID = centers[rnd.IntN(len(centers))].place
	}
	if rnd.IntN(5) == 0 {
		f.Status = []string{geotag.StatusReviewed, geotag.StatusUnreviewed}[rnd.IntN(2)]
	}
	if rnd.IntN(5) == 0 {
		f.Tag = tags[rnd.IntN(len(tags))]
	}
	if rnd.IntN(6) == 0 {
		f.Q = []string{"fighting", "ITEM 1", "quiet"}[rnd.IntN(3)]
	}
	return f
}
