package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func TestFeeds(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "f.db")
	db, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fs, err := db.ListFeeds(ctx); err != nil || len(fs) != 0 {
		t.Fatalf("new store: %v %v", fs, err)
	}
	a := &geotag.Feed{URL: "https://a.example/rss", Interval: geotag.Interval(5 * time.Minute), Tags: []string{"wire"}}
	if err := db.CreateFeed(ctx, a); err != nil || a.ID == "" || a.Created.IsZero() {
		t.Fatalf("create: %+v %v", a, err)
	}
	b := &geotag.Feed{URL: "https://b.example/atom"}
	if err := db.CreateFeed(ctx, b); err != nil {
		t.Fatal(err)
	}
	dup := &geotag.Feed{URL: a.URL}
	if err := db.CreateFeed(ctx, dup); geotag.ErrorCode(err) != geotag.ECONFLICT || dup.ID != a.ID {
		t.Fatalf("same URL: %v, %+v", err, dup)
	}
	if _, err := db.UpdateFeed(ctx, b.ID, func(f *geotag.Feed) error { f.URL = a.URL; return nil }); geotag.ErrorCode(err) != geotag.ECONFLICT {
		t.Fatalf("update to a taken URL: %v", err)
	}
	up, err := db.UpdateFeed(ctx, b.ID, func(f *geotag.Feed) error { f.Status.ItemsStored = 3; f.ID = "x"; return nil })
	if err != nil || up.ID != b.ID || up.Status.ItemsStored != 3 {
		t.Fatalf("update: %+v %v", up, err)
	}
	if _, err := db.UpdateFeed(ctx, "nope", func(*geotag.Feed) error { return nil }); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Fatalf("update unknown: %v", err)
	}

	// Item states, per feed.
	st := geotag.FeedItemState{ReportID: "r1", Hash: "h1", Updated: time.Unix(100, 0).UTC()}
	if err := db.PutFeedItem(ctx, a.ID, "g:1", st); err != nil {
		t.Fatal(err)
	}
	if err := db.PutFeedItem(ctx, b.ID, "g:1", geotag.FeedItemState{ReportID: "r2"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutFeedItem(ctx, "gone", "g:1", st); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Fatalf("item of an unknown feed: %v", err)
	}
	got, err := db.FeedItems(ctx, a.ID, []string{"g:1", "g:2"})
	if err != nil || len(got) != 1 || got["g:1"] != st {
		t.Fatalf("items: %v %v", got, err)
	}

	// Everything survives a reopen.
	db.Close()
	if db, err = Open(path, nil); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fs, err := db.ListFeeds(ctx)
	if err != nil || len(fs) != 2 || fs[0].ID != a.ID || fs[0].Tags[0] != "wire" || fs[1].Status.ItemsStored != 3 {
		t.Fatalf("after reopen: %+v %v", fs, err)
	}
	if got, _ := db.FeedItems(ctx, a.ID, []string{"g:1"}); got["g:1"] != st {
		t.Fatalf("item after reopen: %v", got)
	}

	// Deleting a feed deletes its items, not another feed's.
	if err := db.DeleteFeed(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteFeed(ctx, a.ID); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Fatalf("delete twice: %v", err)
	}
	if _, err := db.FindFeedByID(ctx, a.ID); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Fatalf("find deleted: %v", err)
	}
	if got, _ := db.FeedItems(ctx, a.ID, []string{"g:1"}); len(got) != 0 {
		t.Fatalf("items of a deleted feed: %v", got)
	}
	if got, _ := db.FeedItems(ctx, b.ID, []string{"g:1"}); got["g:1"].ReportID != "r2" {
		t.Fatalf("other feed's items: %v", got)
	}
	if err := db.Verify(); err != nil {
		t.Fatal(err)
	}
}
