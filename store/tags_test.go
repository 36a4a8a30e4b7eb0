package store

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
)

// tagDay0 is the first event day of tagReports.
var tagDay0 = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

// tagReports makes n reports whose tags follow a Zipf law over vocab
// tags ("tag-0007", some capitalised, so that one tag comes in two
// spellings), with 0…3 tags each (a repeat in another case included),
// over two years, mostly located around a few places, a quarter reviewed.
func tagReports(rng *rand.Rand, n, vocab int) []*geotag.Report {
	z := rand.NewZipf(rng, 1.1, 2, uint64(vocab-1))
	places := []struct {
		lat, lon float64
		id       int64
	}{{36.2, 37.16, 170063}, {50.45, 30.52, 703448}, {-33.9, 18.4, 3369157}, {0.2, 179.99, 2198148}}
	rs := make([]*geotag.Report, n)
	for i := range rs {
		r := &geotag.Report{Title: fmt.Sprint("report ", i), Text: []string{"quiet day", "Heavy fighting", "floods"}[rng.IntN(3)],
			Time: tagDay0.Add(time.Duration(rng.Int64N(int64(730 * 24 * time.Hour))))}
		if rng.IntN(4) == 0 {
			r.Status = geotag.StatusReviewed
		}
		for j := rng.IntN(4); j > 0; j-- {
			t := fmt.Sprintf("tag-%04d", z.Uint64())
			if rng.IntN(5) == 0 {
				t = strings.ToUpper(t)
			}
			r.Tags = append(r.Tags, t)
		}
		if rng.IntN(10) > 0 {
			p := places[rng.IntN(len(places))]
			r.Location = &geotag.Location{Lat: p.lat + rng.NormFloat64()*0.5, Lon: min(180, p.lon+rng.NormFloat64()*0.5), PlaceID: p.id, Mention: -1}
		}
		rs[i] = r
	}
	return rs
}

func openTagDB(tb testing.TB, rs []*geotag.Report) *DB {
	tb.Helper()
	db, err := Open(filepath.Join(tb.TempDir(), "geotag.db"), &Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Import(context.Background(), rs); err != nil {
		tb.Fatal(err)
	}
	return db
}

// tagOracle counts, for each tag key with the prefix, the reports that
// EachReport gives for f, sorted as Tags sorts them.
func tagOracle(t *testing.T, db *DB, f geotag.ReportFilter, prefix string) []geotag.TagCount {
	t.Helper()
	n := map[string]int{}
	err := db.EachReport(context.Background(), f, func(r *geotag.Report) error {
		seen := map[string]bool{}
		for _, tag := range r.Tags {
			if k := tagKey(tag); !seen[k] && strings.HasPrefix(k, strings.ToLower(prefix)) {
				seen[k] = true
				n[k]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := []geotag.TagCount{}
	for k, c := range n {
		out = append(out, geotag.TagCount{Tag: k, Count: c})
	}
	slices.SortFunc(out, compareTagCounts)
	return out
}

func TestTags(t *testing.T) {
	ctx := context.Background()
	rs := tagReports(rand.New(rand.NewPCG(7, 8)), 3000, 400)
	db := openTagDB(t, rs)
	from, to := tagDay0.AddDate(0, 3, 0), tagDay0.AddDate(0, 9, 0)
	for _, tt := range []struct {
		name   string
		f      geotag.ReportFilter
		prefix string
		limit  int
	}{
		{"All", geotag.ReportFilter{}, "", 100},
		{"AllFew", geotag.ReportFilter{}, "", 7},
		{"Prefix", geotag.ReportFilter{}, "tag-00", 100},
		{"PrefixUpperCase", geotag.ReportFilter{}, "  TAG-001", 100},
		{"PrefixOneTag", geotag.ReportFilter{}, "tag-0002", 100},
		{"PrefixNone", geotag.ReportFilter{}, "zzz", 20},
		{"BBox", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 30, E: 40, N: 40}}, "", 100},
		{"BBoxAntimeridian", geotag.ReportFilter{BBox: &geotag.BBox{W: 179, S: -5, E: -179, N: 5}}, "", 50},
		{"Window", geotag.ReportFilter{From: &from, To: &to}, "", 100},
		{"Reviewed", geotag.ReportFilter{Status: geotag.StatusReviewed}, "tag-0", 100},
		{"Unreviewed", geotag.ReportFilter{Status: geotag.StatusUnreviewed}, "", 30},
		{"Place", geotag.ReportFilter{PlaceID: 703448}, "", 100},
		{"Text", geotag.ReportFilter{Q: "FIGHTING"}, "", 100},
		{"AlsoTag", geotag.ReportFilter{Tag: "Tag-0003"}, "", 100},
		{"Combined", geotag.ReportFilter{BBox: &geotag.BBox{W: -10, S: -60, E: 60, N: 60}, From: &from, Status: geotag.StatusUnreviewed, Q: "day"}, "tag", 100},
		{"NothingMatches", geotag.ReportFilter{BBox: &geotag.BBox{W: 1, S: 1, E: 1.001, N: 1.001}}, "", 100},
		{"EmptyWindow", geotag.ReportFilter{From: &to, To: &from}, "", 100},
		{"Limit0MeansIgnored", geotag.ReportFilter{Limit: 5, Cursor: "junk"}, "tag-01", 100},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Tags(ctx, tt.f, tt.prefix, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			f := tt.f
			f.Limit, f.Cursor = 0, ""
			want := tagOracle(t, db, f, strings.TrimSpace(tt.prefix))
			if len(want) > tt.limit {
				want = want[:tt.limit]
			}
			if got.Truncated {
				t.Error("truncated")
			}
			if !slices.Equal(got.Tags, want) {
				t.Fatalf("got %d tags %v\nwant %d %v", len(got.Tags), got.Tags, len(want), want)
			}
			if got.Tags == nil {
				t.Error("nil list, want empty")
			}
			for i := 1; i < len(got.Tags); i++ { // the order, checked apart from compareTagCounts
				if a, b := got.Tags[i-1], got.Tags[i]; a.Count < b.Count || a.Count == b.Count && a.Tag >= b.Tag {
					t.Fatalf("%v before %v", a, b)
				}
			}
		})
	}
	// The data must exercise what the table claims.
	if all := tagOracle(t, db, geotag.ReportFilter{}, ""); len(all) < 100 || all[0].Count < 200 {
		t.Fatalf("generated data too thin: %d tags, top %v", len(all), all[0])
	}

	for _, lim := range []int{0, -1, MaxTagLimit + 1} {
		if _, err := db.Tags(ctx, geotag.ReportFilter{}, "", lim); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("limit %d: err=%v, want EINVALID", lim, err)
		}
	}
	if _, err := db.Tags(ctx, geotag.ReportFilter{Status: "done"}, "", 10); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("bad status: err=%v, want EINVALID", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.Tags(cctx, geotag.ReportFilter{}, "", 10); err == nil {
		t.Error("cancelled context: no error")
	}
}

// TestTags_Bounds lowers the caps: counts stop at the count cap with
// AtLeast set, and the listing stops, Truncated, after the tag or entry
// budget, having listed only tags it looked at, in key order.
func TestTags_Bounds(t *testing.T) {
	ctx := context.Background()
	rs := tagReports(rand.New(rand.NewPCG(9, 10)), 2000, 200)
	db := openTagDB(t, rs)
	bbox := geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 30, E: 40, N: 40}}
	big := tagBounds{TagCountCap, TagScanTags, TagScanEntries}

	for _, tt := range []struct {
		name string
		f    geotag.ReportFilter
	}{{"All", geotag.ReportFilter{}}, {"BBox", bbox}, {"Text", geotag.ReportFilter{Q: "day"}}} {
		t.Run("CountCap"+tt.name, func(t *testing.T) {
			const cap = 12
			got, err := db.tags(ctx, tt.f, "", MaxTagLimit, tagBounds{cap, TagScanTags, TagScanEntries})
			if err != nil {
				t.Fatal(err)
			}
			exact := tagOracle(t, db, tt.f, "")
			var want []geotag.TagCount
			for _, tc := range exact {
				if tc.Count > cap {
					tc.Count, tc.AtLeast = cap, true
				}
				want = append(want, tc)
			}
			slices.SortFunc(want, compareTagCounts)
			want = want[:min(len(want), MaxTagLimit)]
			if !slices.Equal(got.Tags, want) || got.Truncated {
				t.Fatalf("got %v (truncated %v)\nwant %v", got.Tags, got.Truncated, want)
			}
			if !want[0].AtLeast || want[len(want)-1].AtLeast {
				t.Fatalf("cap %d does not split the counts: %v", cap, want)
			}
		})
	}

	t.Run("TagCap", func(t *testing.T) {
		got, err := db.tags(ctx, geotag.ReportFilter{}, "tag-00", MaxTagLimit, tagBounds{TagCountCap, 10, TagScanEntries})
		if err != nil {
			t.Fatal(err)
		}
		all := tagOracle(t, db, geotag.ReportFilter{}, "tag-00")
		slices.SortFunc(all, func(a, b geotag.TagCount) int { return strings.Compare(a.Tag, b.Tag) })
		if len(all) <= 10 {
			t.Fatalf("only %d tags with the prefix", len(all))
		}
		want := slices.Clone(all[:10])
		slices.SortFunc(want, compareTagCounts)
		if !got.Truncated || !slices.Equal(got.Tags, want) {
			t.Fatalf("got %v (truncated %v)\nwant the first ten keys %v", got.Tags, got.Truncated, want)
		}
		// Exactly as many tags as the cap: all seen, nothing truncated.
		exact, err := db.tags(ctx, geotag.ReportFilter{}, "tag-00", MaxTagLimit, tagBounds{TagCountCap, len(all), TagScanEntries})
		if err != nil || exact.Truncated || len(exact.Tags) != len(all) {
			t.Fatalf("cap = %d tags: %d tags, truncated %v, err %v", len(all), len(exact.Tags), exact.Truncated, err)
		}
	})

	for _, tt := range []struct {
		name string
		f    geotag.ReportFilter
	}{{"All", geotag.ReportFilter{}}, {"Place", geotag.ReportFilter{PlaceID: 170063}}} {
		t.Run("EntryBudget"+tt.name, func(t *testing.T) {
			full, err := db.tags(ctx, tt.f, "", MaxTagLimit, big)
			if err != nil || full.Truncated {
				t.Fatalf("unbounded: truncated %v, err %v", full.Truncated, err)
			}
			exact := map[string]int{}
			for _, tc := range tagOracle(t, db, tt.f, "") {
				exact[tc.Tag] = tc.Count
			}
			got, err := db.tags(ctx, tt.f, "", MaxTagLimit, tagBounds{TagCountCap, TagScanTags, 300})
			if err != nil {
				t.Fatal(err)
			}
			if !got.Truncated || len(got.Tags) == 0 || len(got.Tags) >= len(exact) {
				t.Fatalf("budget 300: truncated %v, %d of %d tags", got.Truncated, len(got.Tags), len(exact))
			}
			atLeast := 0
			for _, tc := range got.Tags {
				switch {
				case tc.AtLeast && tc.Count <= exact[tc.Tag]:
					atLeast++
				case !tc.AtLeast && tc.Count == exact[tc.Tag]:
				default:
					t.Errorf("%v: exact count %d", tc, exact[tc.Tag])
				}
			}
			if atLeast > 1 {
				t.Errorf("%d partial counts, want at most the last tag's", atLeast)
			}
		})
	}
}

// BenchmarkTags lists tags on 50,000 reports with 0…3 tags each from a
// Zipf law over 3,000 tags, against the baseline of counting them from
// EachReport (what a client without the listing would do).
func BenchmarkTags(b *testing.B) {
	ctx := context.Background()
	db := openTagDB(b, tagReports(rand.New(rand.NewPCG(1, 2)), 50000, 3000))
	from := tagDay0.AddDate(1, 0, 0)
	for _, bb := range []struct {
		name   string
		f      geotag.ReportFilter
		prefix string
	}{
		{"All", geotag.ReportFilter{}, ""},
		{"Prefix", geotag.ReportFilter{}, "tag-01"},
		{"BBox", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 30, E: 40, N: 40}}, ""},
		{"BBoxFromPrefix", geotag.ReportFilter{BBox: &geotag.BBox{W: 30, S: 30, E: 40, N: 40}, From: &from}, "tag-0"},
		{"Text", geotag.ReportFilter{Q: "fighting"}, "tag-00"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.Tags(ctx, bb.f, bb.prefix, 20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("BaselineEachReportAll", func(b *testing.B) {
		for b.Loop() {
			n := map[string]int{}
			err := db.EachReport(ctx, geotag.ReportFilter{}, func(r *geotag.Report) error {
				for _, t := range r.Tags {
					n[tagKey(t)]++
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
