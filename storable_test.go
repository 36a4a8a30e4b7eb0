package geotag_test

import (
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func TestStorable(t *testing.T) {
	ok := func() *geotag.Report {
		return &geotag.Report{Title: "Shelling", Text: "Shelling hit the town.", Time: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}
	}
	var l geotag.ReportLimits
	if err := l.Storable(ok()); err != nil {
		t.Fatalf("a plain report: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*geotag.Report)
		code  string
		field string
	}{
		{"ExternalIDTooLong", func(r *geotag.Report) { r.ExternalID = strings.Repeat("x", geotag.MaxExternalIDBytes+1) }, geotag.EINVALID, "external_id"},
		{"ControlInTag", func(r *geotag.Report) { r.Tags = []string{"ok", "bad\x07"} }, geotag.EINVALID, "tags"},
		{"TagOverLimit", func(r *geotag.Report) { r.Tags = []string{strings.Repeat("t", geotag.DefaultMaxTagBytes+1)} }, geotag.EUNPROCESSABLE, "tags"},
	} {
		r := ok()
		tc.edit(r)
		err := l.Storable(r)
		if geotag.ErrorCode(err) != tc.code || geotag.ErrorField(err) != tc.field {
			t.Errorf("%s: %v, want %s on %s", tc.name, err, tc.code, tc.field)
		}
	}
	r := ok()
	r.ExternalID = strings.Repeat("x", geotag.MaxExternalIDBytes)
	if err := l.Storable(r); err != nil {
		t.Errorf("an external id of exactly the limit: %v", err)
	}
}
