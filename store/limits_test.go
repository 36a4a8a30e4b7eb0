package store_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// Every write refuses a report over the limits with EUNPROCESSABLE (never
// a 500 from bbolt: a tag over 32 KiB was "key too large"), and stores
// nothing.
func TestReportLimits(t *testing.T) {
	db := mustOpen(t)
	long := strings.Repeat("x", 40<<10)
	many := manyTags(geotag.DefaultMaxTags + 1)
	mentions := make([]geotag.Mention, geotag.DefaultMaxMentions+1)
	alts := []geotag.Mention{{Text: "a", Alternatives: make([]geotag.Candidate, geotag.DefaultMaxAlternatives+1)}}
	for _, tt := range []struct {
		name  string
		r     geotag.Report
		field string
	}{
		{"TagOver32KiB", geotag.Report{Title: "t", Tags: []string{long}}, "tags"},
		{"TagOverLimit", geotag.Report{Title: "t", Tags: []string{strings.Repeat("y", geotag.DefaultMaxTagBytes+1)}}, "tags"},
		{"TooManyTags", geotag.Report{Title: "t", Tags: many}, "tags"},
		{"TextOverLimit", geotag.Report{Text: strings.Repeat("z", geotag.DefaultMaxTextBytes+1)}, "text"},
		{"TooManyMentions", geotag.Report{Title: "t", Mentions: mentions}, "mentions"},
		{"TooManyAlternatives", geotag.Report{Title: "t", Mentions: alts}, "mentions[0].alternatives"},
		{"RecordOverLimit", geotag.Report{Title: "t", Source: strings.Repeat("s", geotag.DefaultMaxReportBytes)}, "body"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			err := db.CreateReport(ctx, &r)
			if geotag.ErrorCode(err) != geotag.EUNPROCESSABLE || geotag.ErrorField(err) != tt.field {
				t.Errorf("create: %v (code %s, field %q), want %s on %q", err, geotag.ErrorCode(err), geotag.ErrorField(err), geotag.EUNPROCESSABLE, tt.field)
			}
			ok := &geotag.Report{Title: "fine"}
			if err := db.CreateReport(ctx, ok); err != nil {
				t.Fatal(err)
			}
			_, err = db.UpdateReport(ctx, ok.ID, func(s *geotag.Report) error {
				id, created := s.ID, s.Created
				*s = tt.r
				s.ID, s.Created = id, created
				return nil
			})
			if geotag.ErrorCode(err) != geotag.EUNPROCESSABLE || geotag.ErrorField(err) != tt.field {
				t.Errorf("update: %v, want %s on %q", err, geotag.EUNPROCESSABLE, tt.field)
			}
			if got, _ := db.FindReportByID(ctx, ok.ID); got == nil || got.Title != "fine" {
				t.Errorf("the refused update changed the report: %+v", got)
			}
			r = tt.r
			_, err = db.Import(ctx, []*geotag.Report{{Title: "a"}, &r})
			if geotag.ErrorCode(err) != geotag.EUNPROCESSABLE || tt.field != "body" && !strings.Contains(err.Error(), "report 1") {
				t.Errorf("import: %v, want %s naming report 1", err, geotag.EUNPROCESSABLE)
			}
		})
	}
	// Limits are options: a store may allow more, or less.
	small, err := store.Open(filepath.Join(t.TempDir(), "small.db"), &store.Options{Limits: geotag.ReportLimits{MaxTags: 2, MaxTagBytes: -1}})
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	if err := small.CreateReport(ctx, &geotag.Report{Title: "t", Tags: []string{"a", "b", "c"}}); geotag.ErrorCode(err) != geotag.EUNPROCESSABLE {
		t.Errorf("three tags over a limit of 2: %v", err)
	}
	if err := small.CreateReport(ctx, &geotag.Report{Title: "t", Tags: []string{"a", strings.Repeat("b", 1000)}}); err != nil {
		t.Errorf("a long tag with the tag length limit off: %v", err)
	}
}

// The history of a report is trimmed on every write: the newest
// revisions are kept, the oldest edits lose their undo data first, so a
// report edited again and again stays bounded (an import record of 1.9 MB
// had grown to 120 MB).
func TestHistoryBounded(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "h.db"), &store.Options{NoSync: true,
		Limits: geotag.ReportLimits{MaxRevisions: 50, MaxHistoryBytes: 256 << 10}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := &geotag.Report{Title: "t", Text: "v0"}
	if err := db.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	text := strings.Repeat("w", 20<<10)
	for i := range 200 {
		out, err := db.UpdateReport(ctx, r.ID, func(s *geotag.Report) error {
			before := s.Text
			s.Text = text + string(rune('a'+i%26))
			s.History = append(s.History, geotag.Revision{At: at.Add(time.Duration(i) * time.Second), Action: "edit", Mention: -1, BeforeText: &before})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		r = out
	}
	if n := len(r.History); n > 50 || n < 10 {
		t.Errorf("%d revisions kept, want at most 50 and not all gone", n)
	}
	size := 0
	for i := range r.History {
		size += geotag.RevisionBytes(&r.History[i])
	}
	if size > 256<<10 {
		t.Errorf("history of %d bytes, over the budget of 256 KiB", size)
	}
	last := r.History[len(r.History)-1]
	if last.BeforeText == nil || last.At != at.Add(199*time.Second) {
		t.Errorf("the newest revision lost its undo data or is not the newest: %+v", last.At)
	}
	if r.History[0].BeforeText != nil {
		t.Errorf("the oldest edit kept its undo data while the history was over its budget")
	}
	got, err := db.FindReportByID(ctx, r.ID)
	if err != nil || len(got.History) != len(r.History) {
		t.Errorf("stored history %d revisions, answered %d: %v", len(got.History), len(r.History), err)
	}
}
