package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
	"github.com/jackc/pgx/v5"
)

// TestVerifyServices: Verify finds an audit sequence behind its entries
// and a record that does not name its row, and Tables counts the rows.
func TestVerifyServices(t *testing.T) {
	dsn := postgres.FreshDSN(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateView(ctx, &geotag.View{Name: "v"}); err != nil {
		t.Fatal(err)
	}
	if err := db.RestoreAudit(ctx, geotag.AuditEntry{Seq: 7, Kind: geotag.AuditRule, ID: "r", Action: "create"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := db.Tables(ctx)
	if err != nil || n["views"] != 1 || n["audit"] != 1 || n["feeds"] != 0 {
		t.Fatalf("tables: %v, %v", n, err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT setval('audit_seq', 3); UPDATE views SET id = 'other'`); err != nil {
		t.Fatal(err)
	}
	err = db.Verify(ctx)
	if err == nil || !strings.Contains(err.Error(), "audit sequence") || !strings.Contains(err.Error(), "views: 1 records") {
		t.Fatalf("Verify of a sequence behind and a renamed view: %v", err)
	}
}

// TestClaim: one owner at a time holds a lease; a lapsed lease is taken
// over; a release frees it; concurrent claims by two stores give one.
func TestClaim(t *testing.T) {
	dsn := postgres.FreshDSN(t)
	ctx := context.Background()
	var dbs [2]*postgres.DB
	for i := range dbs {
		db, err := postgres.Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	if _, _, err := dbs[0].Claim(ctx, geotag.ClaimFeed, "f", 0); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Fatalf("ttl 0: %v", err)
	}
	for range 5 {
		oks := make([]bool, 2)
		rels := make([]func(), 2)
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Go(func() {
				rel, ok, err := db.Claim(ctx, geotag.ClaimWebhook, "v", time.Minute)
				if err != nil {
					t.Error(err)
				}
				oks[i], rels[i] = ok, rel
			})
		}
		wg.Wait()
		if oks[0] == oks[1] {
			t.Fatalf("two claims at once: %v, want exactly one", oks)
		}
		for _, rel := range rels {
			if rel != nil {
				rel()
			}
		}
	}
	if _, ok, _ := dbs[0].Claim(ctx, geotag.ClaimFeed, "f", time.Millisecond); !ok {
		t.Fatal("a free lease was not taken")
	}
	if _, ok, _ := dbs[1].Claim(ctx, geotag.ClaimFeed, "g", time.Minute); !ok {
		t.Fatal("another thing's lease was not taken")
	}
	time.Sleep(5 * time.Millisecond) // the first lease lapses
	if _, ok, _ := dbs[1].Claim(ctx, geotag.ClaimFeed, "f", time.Minute); !ok {
		t.Fatal("a lapsed lease was not taken over")
	}
	if _, ok, _ := dbs[0].Claim(ctx, geotag.ClaimFeed, "f", time.Minute); ok {
		t.Fatal("a held lease was taken")
	}
}

// BenchmarkAddDelivery adds deliveries to a full log (MaxDeliveries), each
// dropping the oldest.
func BenchmarkAddDelivery(b *testing.B) {
	ctx := context.Background()
	db := postgres.OpenFresh(b)
	if _, err := db.Exec(ctx, `INSERT INTO webhook_deliveries
		SELECT lpad(i::text, 26, '0'), 'v', 'delivered', '{}' FROM generate_series(1, $1) i`, postgres.MaxDeliveries); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := db.AddDelivery(ctx, &geotag.WebhookDelivery{ViewID: "v", URL: "https://h.example/", State: "pending"}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	ds, _ := db.ListDeliveries(ctx, "", "", 1)
	if n, _ := db.Tables(ctx); n["webhook_deliveries"] != postgres.MaxDeliveries || len(ds) != 1 {
		b.Fatalf("the log holds %d", n["webhook_deliveries"])
	}
}
