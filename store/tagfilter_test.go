package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// Several tags: any of them meets a report with two of them once (pages,
// totals, cells, histogram and tag counts agree), all of them only
// reports with every one, in any case, alone or beside a place or text
// filter that makes the walk read the reports instead.
func TestFindReports_SeveralTags(t *testing.T) {
	db := mustOpen(t)
	base := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	tagsOf := [][]string{{"Shelling"}, {"shelling", "convoy"}, {"convoy"}, {"vigil"}, {"convoy", "vigil", "SHELLING"}, nil}
	for i, tags := range tagsOf {
		r := &geotag.Report{Title: fmt.Sprint("r", i), Text: "text", Tags: tags, Time: base.Add(time.Duration(i) * time.Hour),
			Location: &geotag.Location{Lat: 36.2, Lon: 37.15, Precision: 1}}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		f    geotag.ReportFilter
		want []string
	}{
		{geotag.ReportFilter{Tag: "shelling"}, []string{"r0", "r1", "r4"}},
		{geotag.ReportFilter{Tag: "shelling", Tags: []string{"Convoy"}}, []string{"r0", "r1", "r2", "r4"}},
		{geotag.ReportFilter{Tag: "shelling", Tags: []string{"convoy", "shelling"}}, []string{"r0", "r1", "r2", "r4"}},
		{geotag.ReportFilter{Tag: "shelling", Tags: []string{"convoy"}, TagsAll: true}, []string{"r1", "r4"}},
		{geotag.ReportFilter{Tag: "vigil", Tags: []string{"convoy", "shelling"}, TagsAll: true}, []string{"r4"}},
		{geotag.ReportFilter{Tags: []string{"vigil", "nothing"}}, []string{"r3", "r4"}},
		{geotag.ReportFilter{Tags: []string{"vigil", "nothing"}, TagsAll: true}, nil},
		{geotag.ReportFilter{Tag: "vigil", Tags: []string{"convoy"}, Q: "text"}, []string{"r1", "r2", "r3", "r4"}},
		{geotag.ReportFilter{Tag: "vigil", Tags: []string{"convoy"}, Q: "text", TagsAll: true}, []string{"r4"}},
	} {
		for _, limit := range []int{1, 100} {
			var got []string
			f := c.f
			f.Limit = limit
			total := -1
			for {
				p, err := db.FindReports(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if total < 0 {
					total = p.Total
				}
				for _, r := range p.Reports {
					got = append(got, r.Title)
				}
				if p.Next == "" {
					break
				}
				f.Cursor = p.Next
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) || total != len(c.want) {
				t.Errorf("%+v limit %d: %v (total %d), want %v", c.f, limit, got, total, c.want)
			}
		}
		cells, err := db.Cells(ctx, c.f, 8)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, cl := range cells {
			n += cl.Count
		}
		if n != len(c.want) {
			t.Errorf("%+v: cells count %d, want %d", c.f, n, len(c.want))
		}
		h, err := db.Histogram(ctx, c.f, 10)
		if err != nil {
			t.Fatal(err)
		}
		if h.Total != len(c.want) {
			t.Errorf("%+v: histogram counts %d, want %d", c.f, h.Total, len(c.want))
		}
		tl, err := db.Tags(ctx, c.f, "vigil", 10)
		if err != nil {
			t.Fatal(err)
		}
		vigil := 0
		for _, want := range c.want {
			if want == "r3" || want == "r4" {
				vigil++
			}
		}
		if got := 0; len(tl.Tags) > 0 {
			got = tl.Tags[0].Count
			if got != vigil {
				t.Errorf("%+v: vigil counted %d, want %d", c.f, got, vigil)
			}
		} else if vigil > 0 {
			t.Errorf("%+v: vigil not listed, want %d", c.f, vigil)
		}
	}
	if _, err := db.FindReports(ctx, geotag.ReportFilter{Tags: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}}); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("nine tags: %v, want EINVALID", err)
	}
}
