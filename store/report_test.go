package store_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

func TestCreateReport(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := mustOpen(t)
		r := newGen(1).report()
		before := time.Now().Add(-time.Second)
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		if len(r.ID) != 26 {
			t.Errorf("ID=%q, want a 26-character ULID", r.ID)
		}
		if r.Status != geotag.StatusUnreviewed && r.Status != geotag.StatusReviewed {
			t.Errorf("Status=%q", r.Status)
		}
		if r.Created.Before(before) || !r.Updated.Equal(r.Created) {
			t.Errorf("Created=%v Updated=%v", r.Created, r.Updated)
		}
		got, err := db.FindReportByID(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		} else if !reflect.DeepEqual(got, r) {
			t.Fatalf("stored\n%+v\nwant\n%+v", got, r)
		}
	})
	t.Run("DefaultStatus", func(t *testing.T) {
		db := mustOpen(t)
		r := &geotag.Report{Title: "t"}
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		} else if r.Status != geotag.StatusUnreviewed {
			t.Fatalf("Status=%q, want unreviewed", r.Status)
		}
	})
	t.Run("SortableIDs", func(t *testing.T) {
		db := mustOpen(t)
		var ids []string
		for i := 0; i < 50; i++ {
			r := &geotag.Report{Title: "t"}
			if err := db.CreateReport(ctx, r); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		if !sort.StringsAreSorted(ids) {
			t.Fatalf("IDs not in creation order: %v", ids)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		db := mustOpen(t)
		for _, r := range []*geotag.Report{
			{},
			{Title: "t", Status: "done"},
			{Title: "t", Location: &geotag.Location{Lat: 91}},
			{Title: "t", Tags: []string{"a\x00b"}},
			{Title: "t", ExternalID: string(make([]byte, 2000))},
		} {
			if err := db.CreateReport(ctx, r); geotag.ErrorCode(err) != geotag.EINVALID {
				t.Errorf("%+v: err=%v, want EINVALID", r, err)
			}
		}
		if n, _ := db.Count(); n != 0 {
			t.Fatalf("Count=%d after invalid creates", n)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		db := mustOpen(t)
		a := &geotag.Report{Title: "first", ExternalID: "feed:1"}
		if err := db.CreateReport(ctx, a); err != nil {
			t.Fatal(err)
		}
		b := &geotag.Report{Title: "second", ExternalID: "feed:1"}
		if err := db.CreateReport(ctx, b); geotag.ErrorCode(err) != geotag.ECONFLICT {
			t.Fatalf("err=%v, want ECONFLICT", err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("conflicting report set to\n%+v\nwant the stored\n%+v", b, a)
		}
		if n, _ := db.Count(); n != 1 {
			t.Fatalf("Count=%d, want 1", n)
		}
	})
}

func TestFindReportByID_ErrNotFound(t *testing.T) {
	db := mustOpen(t)
	for _, id := range []string{"", "nope", "01HZZZZZZZZZZZZZZZZZZZZZZZ", "01J0000000000000000000000Z"} {
		if _, err := db.FindReportByID(ctx, id); geotag.ErrorCode(err) != geotag.ENOTFOUND {
			t.Errorf("%q: err=%v, want ENOTFOUND", id, err)
		}
	}
}

func TestUpdateReport(t *testing.T) {
	db := mustOpen(t)
	r := &geotag.Report{Title: "t", ExternalID: "x:1", Tags: []string{"a"}, Time: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := db.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	other := &geotag.Report{Title: "other", ExternalID: "x:2"}
	if err := db.CreateReport(ctx, other); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		got, err := db.UpdateReport(ctx, r.ID, func(r *geotag.Report) error {
			r.ID, r.Created = "hijack", time.Time{} // ignored
			r.Status = geotag.StatusReviewed
			r.Tags = []string{"b"}
			r.Location = &geotag.Location{Lat: 1, Lon: 2, Mention: -1, Provenance: geotag.Provenance{Method: geotag.MethodManual, By: "ana"}}
			r.Time = r.Time.Add(time.Hour)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != r.ID || !got.Created.Equal(r.Created) || got.Updated.Before(r.Updated) {
			t.Fatalf("ID/Created/Updated not kept: %+v", got)
		}
		again, _ := db.FindReportByID(ctx, r.ID)
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("stored %+v, returned %+v", again, got)
		}
		// The indexes follow.
		for _, tt := range []struct {
			f    geotag.ReportFilter
			want int
		}{
			{geotag.ReportFilter{Tag: "a"}, 0},
			{geotag.ReportFilter{Tag: "B"}, 1},
			{geotag.ReportFilter{Status: geotag.StatusReviewed}, 1},
			{geotag.ReportFilter{BBox: &geotag.BBox{W: 1, S: 0, E: 3, N: 2}}, 1},
		} {
			if p, err := db.FindReports(ctx, tt.f); err != nil || p.Total != tt.want {
				t.Errorf("%+v: total=%d err=%v, want %d", tt.f, p.Total, err, tt.want)
			}
		}
	})
	t.Run("FnError", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := db.UpdateReport(ctx, r.ID, func(r *geotag.Report) error { r.Title = "changed"; return boom })
		if err != boom {
			t.Fatalf("err=%v, want fn's error", err)
		}
		if got, _ := db.FindReportByID(ctx, r.ID); got.Title != "t" {
			t.Fatalf("title=%q stored despite fn's error", got.Title)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := db.UpdateReport(ctx, r.ID, func(r *geotag.Report) error { r.Status = "bogus"; return nil })
		if geotag.ErrorCode(err) != geotag.EINVALID {
			t.Fatalf("err=%v, want EINVALID", err)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := db.UpdateReport(ctx, r.ID, func(r *geotag.Report) error { r.ExternalID = "x:2"; return nil })
		if geotag.ErrorCode(err) != geotag.ECONFLICT {
			t.Fatalf("err=%v, want ECONFLICT", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := db.UpdateReport(ctx, "01J0000000000000000000000Z", func(*geotag.Report) error { return nil })
		if geotag.ErrorCode(err) != geotag.ENOTFOUND {
			t.Fatalf("err=%v, want ENOTFOUND", err)
		}
	})
}

func TestDeleteReport(t *testing.T) {
	db := mustOpen(t)
	r := newGen(2).report()
	r.ExternalID = "feed:9"
	if err := db.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteReport(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindReportByID(ctx, r.ID); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Fatalf("err=%v after delete, want ENOTFOUND", err)
	}
	if err := db.DeleteReport(ctx, r.ID); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Fatalf("second delete: err=%v, want ENOTFOUND", err)
	}
	// The external id is free again.
	again := &geotag.Report{Title: "again", ExternalID: "feed:9"}
	if err := db.CreateReport(ctx, again); err != nil {
		t.Fatal(err)
	}
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geotag.db")
	db, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(3)
	var want []*geotag.Report
	for i := 0; i < 20; i++ {
		r := g.report()
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = mustOpenPath(t, path)
	for _, w := range want {
		got, err := db.FindReportByID(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		} else if !reflect.DeepEqual(got, w) {
			t.Fatalf("after reopen\n%+v\nwant\n%+v", got, w)
		}
	}
	if n, _ := db.Count(); n != len(want) {
		t.Fatalf("Count=%d, want %d", n, len(want))
	}
}

func TestOpen_ErrUnavailable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geotag.db")
	db := mustOpenPath(t, path)
	_ = db
	_, err := store.Open(path, &store.Options{Timeout: 50 * time.Millisecond})
	if geotag.ErrorCode(err) != geotag.EUNAVAILABLE {
		t.Fatalf("err=%v, want EUNAVAILABLE while the file is open", err)
	}
}
