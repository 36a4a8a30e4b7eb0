package store_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// Views are created, listed oldest first, updated through a function,
// deleted; the webhook secret survives a reopen but is never in the JSON;
// every outcome the interface names is returned.
func TestViews(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geotag.db")
	db, err := store.Open(path, &store.Options{MaxViews: 2})
	if err != nil {
		t.Fatal(err)
	}
	a := &geotag.View{Name: " Aleppo ", Query: "bbox=36,36,38,37", Webhook: &geotag.Webhook{URL: "https://hooks.example/a", Secret: "s3cret", Enabled: true}}
	if err := db.CreateView(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || a.Created.IsZero() || a.Name != "Aleppo" || !a.Webhook.SecretSet {
		t.Errorf("created %+v", a)
	}
	if err := db.CreateView(ctx, &geotag.View{Name: ""}); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("no name: %v", err)
	}
	if err := db.CreateView(ctx, &geotag.View{Name: "x", Webhook: &geotag.Webhook{URL: "file:///etc/passwd"}}); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("bad webhook: %v", err)
	}
	b := &geotag.View{Name: "Tagged", Query: "tag=x"}
	if err := db.CreateView(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateView(ctx, &geotag.View{Name: "third"}); geotag.ErrorCode(err) != geotag.EUNPROCESSABLE {
		t.Errorf("past the maximum: %v", err)
	}
	boom := errors.New("boom")
	if _, err := db.UpdateView(ctx, b.ID, func(v *geotag.View) error { v.Name = "changed"; return boom }); err != boom {
		t.Errorf("fn's error: %v", err)
	}
	if _, err := db.UpdateView(ctx, b.ID, func(v *geotag.View) error { v.Name = " "; return nil }); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("invalid update: %v", err)
	}
	if _, err := db.UpdateView(ctx, "nope", func(*geotag.View) error { return nil }); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Errorf("update unknown: %v", err)
	}
	if _, err := db.UpdateView(ctx, a.ID, func(v *geotag.View) error { v.Webhook.After = "01J0000000000000000000000Z"; return nil }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db = mustOpenPath(t, path)
	vs, err := db.FindViews(ctx)
	if err != nil || len(vs) != 2 || vs[0].ID != a.ID || vs[1].Name != "Tagged" {
		t.Fatalf("views %+v %v", vs, err)
	}
	got, err := db.FindViewByID(ctx, a.ID)
	if err != nil || got.Webhook.Secret != "s3cret" || got.Webhook.After != "01J0000000000000000000000Z" || !got.Updated.After(got.Created) && got.Updated != got.Created {
		t.Errorf("reopened %+v %v", got, err)
	}
	if err := db.DeleteView(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteView(ctx, b.ID); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Errorf("delete twice: %v", err)
	}
	if _, err := db.FindViewByID(ctx, b.ID); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Errorf("find deleted: %v", err)
	}
}
