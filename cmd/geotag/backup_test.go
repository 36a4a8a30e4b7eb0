package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
	bolt "go.etcd.io/bbolt"
)

func runCmd(args ...string) (string, error) {
	var out, errOut bytes.Buffer
	err := Run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return out.String(), err
}

func TestBackupAndVerify(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"one", "two", "three"} {
		if err := db.CreateReport(ctx, &geotag.Report{Title: title, Text: "Shelling in Aleppo."}); err != nil {
			t.Fatal(err)
		}
	}

	// While the store is open (as by a running service) both commands fail
	// after --wait instead of hanging or copying a file being written.
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if _, err := runCmd("backup", "--data", dir, "--wait", "50ms", copyPath); geotag.ErrorCode(err) != geotag.EUNAVAILABLE {
		t.Fatalf("backup of a locked store: %v, want EUNAVAILABLE", err)
	}
	if _, err := runCmd("verify", "--data", dir, "--wait", "50ms"); geotag.ErrorCode(err) != geotag.EUNAVAILABLE {
		t.Fatalf("verify of a locked store: %v, want EUNAVAILABLE", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	out, err := runCmd("backup", "--data", dir, copyPath)
	if err != nil || !strings.Contains(out, "3 reports") {
		t.Fatalf("backup: %q %v", out, err)
	}
	if _, err := runCmd("backup", "--data", dir, copyPath); err == nil {
		t.Fatal("backup over an existing file succeeded")
	}
	if out, err := runCmd("verify", "--data", dir); err != nil || !strings.HasPrefix(out, "ok:") || !strings.Contains(out, "3 reports") {
		t.Fatalf("verify --data: %q %v", out, err)
	}
	if out, err := runCmd("verify", "--file", copyPath); err != nil || !strings.Contains(out, "3 reports") {
		t.Fatalf("verify --file of the backup: %q %v", out, err)
	}
	// The copy is a store with the same reports.
	cp, err := store.Open(copyPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	page, err := cp.FindReports(ctx, geotag.ReportFilter{})
	cp.Close()
	if err != nil || len(page.Reports) != 3 {
		t.Fatalf("reports in the copy: %d %v", len(page.Reports), err)
	}

	// Missing stores are errors, not new empty stores.
	empty := t.TempDir()
	if _, err := runCmd("backup", "--data", empty, filepath.Join(empty, "x.db")); err == nil {
		t.Error("backup of a directory without a store succeeded")
	}
	if _, err := runCmd("verify", "--data", empty); err == nil {
		t.Error("verify of a directory without a store succeeded")
	}
	if _, err := os.Stat(filepath.Join(empty, "geotag.db")); err == nil {
		t.Error("a store was created in the empty directory")
	}
	// A file that is not a store fails.
	junk := filepath.Join(empty, "junk.db")
	if err := os.WriteFile(junk, bytes.Repeat([]byte("not a store "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd("verify", "--file", junk); err == nil {
		t.Error("verify of a junk file succeeded")
	}
	if _, err := runCmd("backup", "--data", dir); err == nil {
		t.Error("backup without FILE succeeded")
	}
}

// TestVerifyCorrupt checks that verify reports a store whose index
// disagrees with its records.
func TestVerifyCorrupt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "geotag.db")
	db, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &geotag.Report{Title: "x", Text: "Aleppo"}
	if err := db.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Drop the report's key from the time index, as a bug or a damaged
	// page could.
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("ix_time"))
		k, _ := b.Cursor().First()
		if k == nil {
			return errors.New("ix_time is empty")
		}
		return b.Delete(k)
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd("verify", "--data", dir); err == nil {
		t.Fatalf("verify of a damaged store: %q, no error", out)
	}
}
