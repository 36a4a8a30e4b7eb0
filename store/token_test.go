package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

func TestTokens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ts, err := db.ListTokens(ctx); err != nil || len(ts) != 0 {
		t.Fatalf("new store: %v %v", ts, err)
	}
	if _, _, err := db.CreateToken(ctx, " ", false); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("empty name: %v", err)
	}
	adminSecret, admin, err := db.CreateToken(ctx, "admin", false)
	if err != nil {
		t.Fatal(err)
	}
	readSecret, reader, err := db.CreateToken(ctx, "reader", true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(adminSecret, "gt_") || len(adminSecret) < 40 || adminSecret == readSecret || admin.ID == reader.ID {
		t.Errorf("secrets %q %q ids %q %q", adminSecret, readSecret, admin.ID, reader.ID)
	}
	got, err := db.Authenticate(ctx, adminSecret)
	if err != nil || got.Name != "admin" || got.ReadOnly {
		t.Errorf("authenticate admin: %+v %v", got, err)
	}
	if got, err := db.Authenticate(ctx, readSecret); err != nil || !got.ReadOnly {
		t.Errorf("authenticate reader: %+v %v", got, err)
	}
	for _, bad := range []string{"", "gt_wrong", adminSecret + "x", strings.ToUpper(adminSecret)} {
		if _, err := db.Authenticate(ctx, bad); geotag.ErrorCode(err) != geotag.EUNAUTHORIZED {
			t.Errorf("authenticate %q: %v", bad, err)
		}
	}

	// Only hashes are on disk, and tokens survive a restart.
	db.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), adminSecret) || strings.Contains(string(raw), adminSecret[3:]) {
		t.Error("the secret is stored in the file")
	}
	db, err = Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ts, err := db.ListTokens(ctx)
	if err != nil || len(ts) != 2 {
		t.Fatalf("list: %v %v", ts, err)
	}
	if err := db.RevokeToken(ctx, admin.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, adminSecret); geotag.ErrorCode(err) != geotag.EUNAUTHORIZED {
		t.Errorf("revoked token still works: %v", err)
	}
	if err := db.RevokeToken(ctx, admin.ID); geotag.ErrorCode(err) != geotag.ENOTFOUND {
		t.Errorf("revoke twice: %v", err)
	}
	if ts, _ := db.ListTokens(ctx); len(ts) != 1 || ts[0].Name != "reader" {
		t.Errorf("after revoke: %+v", ts)
	}
	secret, boss, err := db.IssueToken(ctx, geotag.Token{Name: "boss", Admin: true})
	if err != nil || !boss.Admin {
		t.Fatalf("issue admin: %+v %v", boss, err)
	}
	if got, err := db.Authenticate(ctx, secret); err != nil || !got.Admin || got.ReadOnly {
		t.Errorf("admin token: %+v %v", got, err)
	}
	if _, _, err := db.IssueToken(ctx, geotag.Token{Name: "x", Admin: true, ReadOnly: true}); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("read-only admin: %v", err)
	}
}
