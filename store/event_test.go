package store_test

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
	bolt "go.etcd.io/bbolt"
)

// TestEventIndex_Update moves a report between event types and fatality
// counts: the filters follow, and Verify (at cleanup) finds the event index
// equal to what the records want.
func TestEventIndex_Update(t *testing.T) {
	db := mustOpen(t)
	r := &geotag.Report{Text: "clashes", Event: geotag.Event{EventType: "Battles", Fatalities: iptr(4)}}
	if err := db.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	count := func(f geotag.ReportFilter) int {
		p, err := db.FindReports(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Reports)
	}
	battles := geotag.ReportFilter{EventTypes: []string{"Battles"}}
	riots := geotag.ReportFilter{EventTypes: []string{"Riots"}}
	if count(battles) != 1 || count(riots) != 0 || count(geotag.ReportFilter{FatalitiesMin: iptr(5)}) != 0 {
		t.Fatal("before the update")
	}
	if _, err := db.UpdateReport(ctx, r.ID, func(r *geotag.Report) error {
		r.EventType, r.Fatalities = "Riots", iptr(9)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if count(battles) != 0 || count(riots) != 1 || count(geotag.ReportFilter{FatalitiesMin: iptr(5)}) != 1 {
		t.Fatal("after the update")
	}
	if _, err := db.UpdateReport(ctx, r.ID, func(r *geotag.Report) error {
		r.Event = geotag.Event{}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if count(riots) != 0 || count(geotag.ReportFilter{FatalitiesMin: iptr(0)}) != 0 {
		t.Fatal("after clearing the event")
	}
	got, err := db.FindReportByID(ctx, r.ID)
	if err != nil || !got.Event.IsZero() {
		t.Fatalf("cleared event: %+v, %v", got, err)
	}
}

// TestEventIndex_Tags counts tags of the reports of an event type only.
func TestEventIndex_Tags(t *testing.T) {
	db := mustOpen(t)
	for _, r := range []*geotag.Report{
		{Text: "a", Tags: []string{"x"}, Event: geotag.Event{EventType: "Battles"}},
		{Text: "b", Tags: []string{"x"}, Event: geotag.Event{EventType: "Riots"}},
		{Text: "c", Tags: []string{"x"}},
	} {
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	tl, err := db.Tags(ctx, geotag.ReportFilter{EventTypes: []string{"Riots"}}, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Tags) != 1 || tl.Tags[0].Count != 1 {
		t.Fatalf("tags of riots: %+v", tl.Tags)
	}
}

// TestOpen_MigrateFrom3 opens a schema 3 file, without the event index
// (and so without events, which its geotag could not write): Open adds the
// index, reports with events are then stored and found, and Verify (at
// cleanup) agrees.
func TestOpen_MigrateFrom3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geotag.db")
	db, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"a", "b", "c"} {
		if err := db.CreateReport(ctx, &geotag.Report{Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	withBolt(t, path, func(tx *bolt.Tx) error {
		for _, name := range []string{"ix_event", "ix_actor"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 3))
	})
	db = mustOpenPath(t, path)
	if err := db.CreateReport(ctx, &geotag.Report{Text: "d", Event: geotag.Event{EventType: "Battles",
		Actors: []geotag.Actor{{Name: "HTS", Side: 1}}}}); err != nil {
		t.Fatal(err)
	}
	p, err := db.FindReports(ctx, geotag.ReportFilter{EventTypes: []string{"Battles"}, Actor: "hts"})
	if err != nil || len(p.Reports) != 1 || p.Reports[0].Text != "d" {
		t.Fatalf("after migration: %+v, %v", p.Reports, err)
	}
}
