package main

import (
	"context"
	"fmt"

	"github.com/geotag/geotag"
)

// The migration steps of what a store keeps besides reports and tokens.
// Each asserts what it needs of both stores (both backends implement it),
// copies its noun as the source kept it (IDs, times, cursors) and checks
// that every one is in the target, identical.

// bothEnds returns the source and target as T, or an error naming the noun
// when a store cannot hold it.
func bothEnds[T any](m *migration, noun string) (T, T, error) {
	s, ok1 := m.src.db.(T)
	d, ok2 := m.dst.db.(T)
	if !ok1 || !ok2 {
		var zero T
		return zero, zero, fmt.Errorf("a store here cannot copy %s", noun)
	}
	return s, d, nil
}

// feedCopier is a store whose feeds and feed items migrate copies.
type feedCopier interface {
	geotag.FeedService
	RestoreFeed(ctx context.Context, f *geotag.Feed) error
	EachFeedItem(ctx context.Context, feedID string, fn func(hash []byte, st geotag.FeedItemState) error) error
	RestoreFeedItems(ctx context.Context, feedID string, items map[string]geotag.FeedItemState) error
}

// migrateFeeds copies every feed and its items' states.
func migrateFeeds(ctx context.Context, m *migration) (string, error) {
	src, dst, err := bothEnds[feedCopier](m, "feeds")
	if err != nil {
		return "", err
	}
	fs, err := src.ListFeeds(ctx)
	if err != nil {
		return "", err
	}
	items := 0
	for _, f := range fs {
		if err := dst.RestoreFeed(ctx, f); err != nil {
			return "", err
		}
		got, err := dst.FindFeedByID(ctx, f.ID)
		if err != nil || !sameJSON(f, got) {
			return "", fmt.Errorf("feed %s is not in the target as in the source (%v): is its URL another feed's there?", f.ID, err)
		}
		n, err := copyFeedItems(ctx, src, dst, f.ID)
		if err != nil {
			return "", err
		}
		items += n
	}
	return fmt.Sprintf("%d feeds, %d item states; every one present", len(fs), items), nil
}

// copyFeedItems copies one feed's item states and checks the target holds
// each as the source does.
func copyFeedItems(ctx context.Context, src, dst feedCopier, feedID string) (int, error) {
	want := map[string]geotag.FeedItemState{}
	err := src.EachFeedItem(ctx, feedID, func(h []byte, st geotag.FeedItemState) error {
		want[string(h)] = st
		return nil
	})
	if err == nil {
		err = dst.RestoreFeedItems(ctx, feedID, want)
	}
	if err != nil {
		return 0, err
	}
	found := 0
	err = dst.EachFeedItem(ctx, feedID, func(h []byte, st geotag.FeedItemState) error {
		if w, ok := want[string(h)]; ok && sameJSON(w, st) {
			found++
		}
		return nil
	})
	if err == nil && found != len(want) {
		err = fmt.Errorf("feed %s: %d of its %d item states are in the target", feedID, found, len(want))
	}
	return len(want), err
}

// viewCopier is a store whose saved views migrate copies.
type viewCopier interface {
	geotag.ViewService
	RestoreView(ctx context.Context, v *geotag.View) error
}

// migrateViews copies every saved view with its webhook (secret and
// cursor).
func migrateViews(ctx context.Context, m *migration) (string, error) {
	src, dst, err := bothEnds[viewCopier](m, "views")
	if err != nil {
		return "", err
	}
	vs, err := src.FindViews(ctx)
	if err != nil {
		return "", err
	}
	for _, v := range vs {
		if err := dst.RestoreView(ctx, v); err != nil {
			return "", err
		}
		got, err := dst.FindViewByID(ctx, v.ID)
		if err != nil || !sameJSON(v, got) || (v.Webhook != nil && got.Webhook.Secret != v.Webhook.Secret) {
			return "", fmt.Errorf("view %s is not in the target as in the source (%v)", v.ID, err)
		}
	}
	return fmt.Sprintf("%d saved views; every one present", len(vs)), nil
}

// deliveryCopier is a store whose webhook delivery log migrate copies.
type deliveryCopier interface {
	EachDelivery(ctx context.Context, fn func(*geotag.WebhookDelivery) error) error
	RestoreDeliveries(ctx context.Context, ds []*geotag.WebhookDelivery) error
}

// migrateDeliveries copies the webhook delivery log.
func migrateDeliveries(ctx context.Context, m *migration) (string, error) {
	src, dst, err := bothEnds[deliveryCopier](m, "webhook deliveries")
	if err != nil {
		return "", err
	}
	want := map[string]*geotag.WebhookDelivery{}
	var batch []*geotag.WebhookDelivery // the log is bounded (10,000): one batch
	err = src.EachDelivery(ctx, func(d *geotag.WebhookDelivery) error {
		want[d.ID] = d
		batch = append(batch, d)
		return nil
	})
	if err == nil {
		err = dst.RestoreDeliveries(ctx, batch)
	}
	if err != nil {
		return "", err
	}
	found := 0
	err = dst.EachDelivery(ctx, func(d *geotag.WebhookDelivery) error {
		if w := want[d.ID]; w != nil && sameJSON(w, d) {
			found++
		}
		return nil
	})
	if err == nil && found != len(want) {
		err = fmt.Errorf("%d of %d deliveries are in the target", found, len(want))
	}
	return fmt.Sprintf("%d webhook deliveries; every one present", len(want)), err
}

// auditCopier is a store whose audit log migrate copies.
type auditCopier interface {
	geotag.AuditLog
	RestoreAudit(ctx context.Context, e geotag.AuditEntry) error
}

// migrateAudit copies the audit log, a page at a time from the newest,
// keeping each entry's sequence number.
func migrateAudit(ctx context.Context, m *migration) (string, error) {
	src, dst, err := bothEnds[auditCopier](m, "the audit log")
	if err != nil {
		return "", err
	}
	n := 0
	for before := uint64(0); ; {
		es, err := src.Audit(ctx, geotag.AuditFilter{Before: before, Limit: 1000})
		if err != nil || len(es) == 0 {
			return fmt.Sprintf("%d audit entries; every one present", n), err
		}
		for _, e := range es {
			if err := dst.RestoreAudit(ctx, e); err != nil {
				return "", err
			}
		}
		got, err := dst.Audit(ctx, geotag.AuditFilter{Before: before, Limit: 1000})
		if err != nil {
			return "", err
		}
		if !sameJSON(es, got) {
			return "", fmt.Errorf("the audit entries before %d differ in the target", es[0].Seq+1)
		}
		n += len(es)
		before = es[len(es)-1].Seq
	}
}

// bulkCopier is a store whose bulk correction records migrate copies.
type bulkCopier interface {
	geotag.BulkLog
	EachBulk(ctx context.Context, fn func(geotag.BulkRecord) error) error
}

// migrateBulks copies the records of finished bulk corrections, so that
// they can be undone on the target.
func migrateBulks(ctx context.Context, m *migration) (string, error) {
	src, dst, err := bothEnds[bulkCopier](m, "bulk corrections")
	if err != nil {
		return "", err
	}
	n := 0
	err = src.EachBulk(ctx, func(b geotag.BulkRecord) error {
		n++
		if err := dst.SaveBulk(ctx, b); err != nil {
			return err
		}
		got, err := dst.FindBulk(ctx, b.ID)
		if err != nil || !sameJSON(b, got) {
			return fmt.Errorf("bulk record %s is not in the target as in the source (%v)", b.ID, err)
		}
		return nil
	})
	return fmt.Sprintf("%d bulk correction records; every one present", n), err
}
