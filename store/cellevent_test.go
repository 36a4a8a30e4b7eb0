package store_test

import (
	"encoding/binary"
	"path/filepath"
	"slices"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
	bolt "go.etcd.io/bbolt"
)

// TestOpen_MigrateFrom5 opens a schema 5 file, without the cell-event
// index and the event index's fatality class keys: Open puts them from the
// records, so a map view with an event type or a fatality range, and a
// list by deaths, find the reports stored before, and Verify (at cleanup)
// agrees.
func TestOpen_MigrateFrom5(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geotag.db")
	db, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	twelve := 12
	for _, r := range []*geotag.Report{
		{Text: "strike", Location: &geotag.Location{Lat: 36.2, Lon: 37.1}, Event: geotag.Event{EventType: "Explosions/Remote violence", Fatalities: &twelve}},
		{Text: "clash", Location: &geotag.Location{Lat: 36.3, Lon: 37.2}, Event: geotag.Event{EventType: "Battles"}},
		{Text: "far", Location: &geotag.Location{Lat: 10, Lon: 10}, Event: geotag.Event{EventType: "Battles", Fatalities: &twelve}},
		{Text: "uncoded", Location: &geotag.Location{Lat: 36.2, Lon: 37.1}},
	} {
		if err := db.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	withBolt(t, path, func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("ix_cell_event")); err != nil {
			return err
		}
		ev := tx.Bucket([]byte("ix_event"))
		var classKeys [][]byte
		ev.ForEach(func(k, _ []byte) error {
			if k[0] >= 0x10 {
				classKeys = append(classKeys, slices.Clone(k))
			}
			return nil
		})
		if len(classKeys) != 2 {
			t.Errorf("%d class keys in the event index, want 2", len(classKeys))
		}
		for _, k := range classKeys {
			if err := ev.Delete(k); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 5))
	})
	db = mustOpenPath(t, path)
	box := &geotag.BBox{W: 36, S: 35, E: 38, N: 37}
	ten := 10
	for _, tt := range []struct {
		f    geotag.ReportFilter
		want string
	}{
		{geotag.ReportFilter{BBox: box, EventTypes: []string{"Battles"}}, "clash"},
		{geotag.ReportFilter{BBox: box, FatalitiesMin: &ten}, "strike"},
		{geotag.ReportFilter{FatalitiesMin: &ten, EventTypes: []string{"Battles"}}, "far"}, // the event index's class keys
	} {
		p, err := db.FindReports(ctx, tt.f)
		if err != nil || len(p.Reports) != 1 || p.Reports[0].Text != tt.want || p.Total != 1 {
			t.Errorf("%+v after migration: %+v (total %d), %v; want %q", tt.f, p.Reports, p.Total, err, tt.want)
		}
	}
}
