package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// A second-tag filter on the tag listing looks the tag up in its index
// instead of decoding every matching report (a report with 30,000 tags,
// decoded once per tag, made one anonymous listing take 37 s): with a
// budget that decodes would overrun, the listing is complete.
func TestTagsAlsoTagLooksUpTheIndex(t *testing.T) {
	var rs []*geotag.Report
	for i := range 300 {
		rs = append(rs, &geotag.Report{Title: fmt.Sprint("r", i), Text: strings.Repeat("text ", 1000), Tags: []string{"a", "b"}})
	}
	db := openTagDB(t, rs)
	got, err := db.tags(context.Background(), geotag.ReportFilter{Tag: "A"}, "", 10, tagBounds{count: 10000, tags: 5000, entries: 1500})
	if err != nil {
		t.Fatal(err)
	}
	want := []geotag.TagCount{{Tag: "a", Count: 300}, {Tag: "b", Count: 300}}
	if got.Truncated || fmt.Sprint(got.Tags) != fmt.Sprint(want) {
		t.Errorf("got %+v, want %v, not truncated", got, want)
	}
	// A text filter does decode, at a cost that grows with the record.
	got, err = db.tags(context.Background(), geotag.ReportFilter{Q: "text"}, "", 10, tagBounds{count: 10000, tags: 5000, entries: 1500})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Truncated {
		t.Errorf("a text filter over 600 decodes of 5 KB records was not cut by a budget of 1,500 entries: %+v", got)
	}
}
