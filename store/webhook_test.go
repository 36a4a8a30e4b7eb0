package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/geotag/geotag"
)

func TestWebhookDeliveries(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "w.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if ds, err := db.ListDeliveries(ctx, "", "", 10); err != nil || len(ds) != 0 {
		t.Fatalf("empty log: %v %v", ds, err)
	}
	var ids []string
	for _, v := range []string{"v1", "v2", "v1"} {
		d := &geotag.WebhookDelivery{ViewID: v, URL: "https://hook.example/x", Reports: []string{"r1"}, State: geotag.DeliveryPending}
		if err := db.AddDelivery(ctx, d); err != nil || d.ID == "" || d.Created.IsZero() {
			t.Fatalf("add: %+v %v", d, err)
		}
		ids = append(ids, d.ID)
	}
	up, err := db.UpdateDelivery(ctx, ids[0], func(d *geotag.WebhookDelivery) error {
		d.State, d.Attempts, d.LastStatus = geotag.DeliveryDelivered, 2, 200
		return nil
	})
	if err != nil || up.State != geotag.DeliveryDelivered || up.ID != ids[0] {
		t.Fatalf("update: %+v %v", up, err)
	}
	if _, err := db.UpdateDelivery(ctx, "nope", func(*geotag.WebhookDelivery) error { return nil }); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Fatalf("update unknown: %v", err)
	}
	ds, err := db.ListDeliveries(ctx, "v1", "", 10)
	if err != nil || len(ds) != 2 || ds[0].ID != ids[2] || ds[1].ID != ids[0] || ds[1].Attempts != 2 {
		t.Fatalf("v1, newest first: %+v %v", ds, err)
	}
	if ds, _ := db.ListDeliveries(ctx, "", geotag.DeliveryPending, 10); len(ds) != 2 {
		t.Fatalf("pending: %+v", ds)
	}
	if ds, _ := db.ListDeliveries(ctx, "", "", 1); len(ds) != 1 || ds[0].ID != ids[2] {
		t.Fatalf("limit 1: %+v", ds)
	}
	if _, err := db.ListDeliveries(ctx, "", "", 0); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Fatalf("limit 0: %v", err)
	}
}
