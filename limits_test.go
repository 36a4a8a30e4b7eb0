package geotag_test

import (
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func TestTrimHistoryKeepsWholeGroups(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var h []geotag.Revision
	add := func(sec, n int, by string) {
		for range n {
			h = append(h, geotag.Revision{At: t0.Add(time.Duration(sec) * time.Second), By: by, Action: "pick"})
		}
	}
	add(0, 1, "a") // create
	add(1, 3, "a") // one request's three picks
	add(2, 2, "b")
	add(3, 6, "c") // the newest group
	l := geotag.ReportLimits{MaxRevisions: 9}
	r := &geotag.Report{History: h}
	if !l.TrimHistory(r) {
		t.Fatal("a history of 12 revisions was not trimmed to 9")
	}
	// Dropping 3 would split the group of second 1: the whole group goes.
	if len(r.History) != 8 || r.History[0].By != "b" {
		t.Errorf("kept %d revisions from %q, want 8 from b's", len(r.History), r.History[0].By)
	}
	r = &geotag.Report{History: h}
	geotag.ReportLimits{MaxRevisions: 2}.TrimHistory(r)
	if len(r.History) != 6 || r.History[0].By != "c" {
		t.Errorf("kept %d revisions, want the newest group of 6 whole", len(r.History))
	}
	r = &geotag.Report{History: h[:4]}
	if (geotag.ReportLimits{}).TrimHistory(r) || len(r.History) != 4 {
		t.Errorf("a short history was changed")
	}
}

func TestTrimHistoryDropsUndoDataFirst(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	text := strings.Repeat("x", 1000)
	var h []geotag.Revision
	for i := range 10 {
		h = append(h, geotag.Revision{At: t0.Add(time.Duration(i) * time.Second), Action: "edit", BeforeText: &text})
	}
	r := &geotag.Report{History: h}
	geotag.ReportLimits{MaxHistoryBytes: 3500}.TrimHistory(r)
	if len(r.History) != 10 {
		t.Fatalf("%d revisions kept, want all 10: undo data goes first", len(r.History))
	}
	kept := 0
	for i, rv := range r.History {
		if rv.BeforeText != nil {
			kept++
		} else if kept > 0 {
			t.Errorf("revision %d lost its undo data after a newer one kept it", i)
		}
	}
	if kept != 3 {
		t.Errorf("%d edits keep their text, want the newest 3 (3,500 bytes hold three of ~1,040 and seven stripped ones of ~40)", kept)
	}
}

func TestReportLimitsCheck(t *testing.T) {
	l := geotag.ReportLimits{MaxTags: 2, MaxTagBytes: 3, MaxTextBytes: 5, MaxMentions: 1, MaxAlternatives: 1}
	for _, tt := range []struct {
		r     geotag.Report
		field string
	}{
		{geotag.Report{Text: "12345"}, ""},
		{geotag.Report{Text: "123456"}, "text"},
		{geotag.Report{Tags: []string{"a", "b", "c"}}, "tags"},
		{geotag.Report{Tags: []string{"abcd"}}, "tags"},
		{geotag.Report{Mentions: make([]geotag.Mention, 2)}, "mentions"},
		{geotag.Report{Mentions: []geotag.Mention{{Alternatives: make([]geotag.Candidate, 2)}}}, "mentions[0].alternatives"},
	} {
		err := l.Check(&tt.r)
		if geotag.ErrorField(err) != tt.field || (err != nil) != (tt.field != "") || err != nil && geotag.ErrorCode(err) != geotag.EUNPROCESSABLE {
			t.Errorf("%+v: %v, want field %q", tt.r, err, tt.field)
		}
	}
	if err := (geotag.ReportLimits{MaxTags: -1}).Check(&geotag.Report{Tags: make([]string, 1000)}); err != nil {
		t.Errorf("a negative limit is none: %v", err)
	}
}

func TestTrimHistoryLeavesTheCallersRevisions(t *testing.T) {
	text := strings.Repeat("x", 1000)
	h := make([]geotag.Revision, 10)
	for i := range h {
		h[i] = geotag.Revision{At: time.Unix(int64(i), 0), Action: "edit", BeforeText: &text}
	}
	r := &geotag.Report{History: h}
	geotag.ReportLimits{MaxRevisions: 8, MaxHistoryBytes: 2000}.TrimHistory(r)
	for i := range h {
		if h[i].BeforeText == nil {
			t.Fatalf("revision %d of the caller's slice was stripped", i)
		}
	}
	if len(r.History) != 8 || r.History[0].BeforeText != nil {
		t.Errorf("trimmed history: %d revisions, the oldest stripped: %v", len(r.History), r.History[0].BeforeText == nil)
	}
}

// FuzzTrimHistory: whatever the history and limits, the result is the
// input's newest revisions (some stripped of undo data), never splits a
// group nor drops the newest one, holds at most MaxRevisions unless the
// newest group alone is larger, fits the byte budget unless only the
// newest group is left, and trimming again changes nothing.
func FuzzTrimHistory(f *testing.F) {
	f.Add([]byte{0, 0, 1, 2, 2, 2, 3}, uint8(3), uint16(2000), uint16(300))
	f.Add([]byte{5, 5, 5, 5}, uint8(1), uint16(100), uint16(0))
	f.Add([]byte{}, uint8(0), uint16(0), uint16(0))
	f.Fuzz(func(t *testing.T, groups []byte, maxRevs uint8, budget uint16, textLen uint16) {
		if len(groups) > 200 {
			groups = groups[:200]
		}
		text := strings.Repeat("x", int(textLen)%5000)
		t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		h := make([]geotag.Revision, len(groups))
		sec := 0
		for i, g := range groups {
			if i > 0 && g != groups[i-1] {
				sec++ // a new group: a later request
			}
			h[i] = geotag.Revision{At: t0.Add(time.Duration(sec) * time.Second), By: "p", Action: "edit", Mention: i}
			if g%2 == 0 {
				h[i].BeforeText = &text
			}
		}
		l := geotag.ReportLimits{MaxRevisions: int(maxRevs) + 1, MaxHistoryBytes: int(budget) + 1}
		r := &geotag.Report{History: h}
		l.TrimHistory(r)
		got := r.History
		newest := 0 // the newest group's size
		for i := len(h) - 1; i >= 0 && h[i].At.Equal(h[len(h)-1].At); i-- {
			newest++
		}
		if len(got) < min(newest, len(h)) {
			t.Fatalf("%d revisions kept, fewer than the newest group's %d", len(got), newest)
		}
		cut := len(h) - len(got)
		for i := range got {
			if got[i].Mention != h[cut+i].Mention {
				t.Fatalf("revision %d is not the input's %d", i, cut+i)
			}
		}
		if cut > 0 && cut < len(h) && h[cut].At.Equal(h[cut-1].At) {
			t.Fatalf("the group at %d was split", cut)
		}
		if len(got) > l.MaxRevisions && len(got) != newest {
			t.Fatalf("%d revisions kept, over %d, and not only the newest group", len(got), l.MaxRevisions)
		}
		size := 0
		for i := range got {
			size += geotag.RevisionBytes(&got[i])
		}
		if size > l.MaxHistoryBytes && len(got) != newest {
			t.Fatalf("%d bytes kept, over %d, and not only the newest group", size, l.MaxHistoryBytes)
		}
		if l.TrimHistory(r) && len(r.History) != len(got) {
			t.Fatalf("trimming again dropped %d more revisions", len(got)-len(r.History))
		}
	})
}
