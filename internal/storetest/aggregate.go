package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/geotag/geotag"
)

func testHistogram(t *testing.T, s geotag.ReportService) {
	rs := seed(t, s, 300)
	for _, bins := range []int{1, 7, 100, 1000} {
		for _, f := range filters(rs) {
			got, err := s.Histogram(ctx, f, bins)
			if err != nil {
				t.Fatal(err)
			}
			want := oracleHistogram(rs, f, bins)
			if !got.From.Equal(want.From) || got.WidthSeconds != want.WidthSeconds || got.Total != want.Total ||
				!slices.Equal(got.Counts, want.Counts) {
				t.Fatalf("%d bins, %+v: got from %v width %d total %d %v, the oracle from %v width %d total %d %v", bins, f,
					got.From, got.WidthSeconds, got.Total, got.Counts, want.From, want.WidthSeconds, want.Total, want.Counts)
			}
		}
	}
}

// oracleHistogram bins the matches' minutes: power-of-two-minute bins
// anchored at the minute after the newest match, the narrowest that fit.
func oracleHistogram(rs []*geotag.Report, f geotag.ReportFilter, bins int) geotag.Histogram {
	var mins []int64
	for _, r := range rs {
		if Match(f, r) {
			sec := r.Time.Unix()
			m := sec / 60
			if sec%60 < 0 {
				m--
			}
			mins = append(mins, m)
		}
	}
	if len(mins) == 0 {
		return geotag.Histogram{Counts: []int{}}
	}
	anchor, oldest := slices.Max(mins)+1, slices.Min(mins)
	width := int64(1)
	for (anchor-1-oldest)/width >= int64(bins) {
		width *= 2
	}
	n := (anchor-1-oldest)/width + 1
	h := geotag.Histogram{From: time.Unix((anchor-n*width)*60, 0).UTC(), WidthSeconds: width * 60, Counts: make([]int, n)}
	for _, m := range mins {
		h.Counts[n-1-(anchor-1-m)/width]++
		h.Total++
	}
	return h
}

func testTags(t *testing.T, s geotag.ReportService) {
	rs := seed(t, s, 300)
	for _, prefix := range []string{"", "f", " FR", "é", "zzz"} {
		for _, f := range filters(rs)[:16] {
			got, err := s.Tags(ctx, f, prefix, 4)
			if err != nil {
				t.Fatal(err)
			}
			want := oracleTags(rs, f, prefix, 4)
			if got.Truncated || !slices.Equal(got.Tags, want) {
				t.Fatalf("prefix %q %+v: got %+v, the oracle %+v", prefix, f, got, want)
			}
		}
	}
}

// oracleTags counts the matches' distinct lower-cased tags with the
// prefix, most used first, ties by tag.
func oracleTags(rs []*geotag.Report, f geotag.ReportFilter, prefix string, limit int) []geotag.TagCount {
	pfx := strings.ToLower(strings.TrimLeftFunc(prefix, unicode.IsSpace))
	n := map[string]int{}
	for _, r := range rs {
		if !Match(f, r) {
			continue
		}
		seen := map[string]bool{}
		for _, tag := range r.Tags {
			k := norm(tag)
			if k != "" && !seen[k] && strings.HasPrefix(k, pfx) {
				seen[k] = true
				n[k]++
			}
		}
	}
	out := []geotag.TagCount{}
	for k, c := range n {
		out = append(out, geotag.TagCount{Tag: k, Count: c})
	}
	slices.SortFunc(out, func(a, b geotag.TagCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Tag, b.Tag)
	})
	return out[:min(len(out), limit)]
}
