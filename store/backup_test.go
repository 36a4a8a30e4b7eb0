package store_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// WriteBackup gives the snapshot's size before its bytes, from the same
// transaction: a write committed between the two is in neither.
func TestWriteBackup(t *testing.T) {
	db := mustOpen(t)
	o := seed(t, db, newGen(9), 300)
	var buf bytes.Buffer
	var size int64 = -1
	n, err := db.WriteBackup(ctx, func(s int64) (io.Writer, error) {
		size = s
		// A write committed while the snapshot's transaction is open,
		// after its size was taken, must change neither.
		if err := db.CreateReport(ctx, &geotag.Report{Title: "during"}); err != nil {
			t.Error(err)
		}
		return &buf, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != size || int64(buf.Len()) != size || size == 0 {
		t.Fatalf("size %d, returned %d, wrote %d bytes", size, n, buf.Len())
	}
	cp := openSnapshot(t, buf.Bytes())
	if got, _ := cp.Count(); got != len(o) {
		t.Fatalf("copy has %d reports, want %d (the write during the copy excluded)", got, len(o))
	}
	if got, _ := db.Count(); got != len(o)+1 {
		t.Fatalf("store has %d reports, want %d", got, len(o)+1)
	}
}

// openSnapshot writes a snapshot to a file and opens it as a store, which
// must pass Verify.
func openSnapshot(t *testing.T, b []byte) *store.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cp := mustOpenPath(t, path)
	if err := cp.Verify(); err != nil {
		t.Fatal(err)
	}
	return cp
}

// errWriter fails every write after the first limit bytes.
type errWriter struct {
	limit, n int64
	calls    int
}

var errFull = errors.New("disk full")

func (w *errWriter) Write(p []byte) (int, error) {
	w.calls++
	if w.n+int64(len(p)) > w.limit {
		k := w.limit - w.n
		w.n = w.limit
		return int(k), errFull
	}
	w.n += int64(len(p))
	return len(p), nil
}

// WriteBackup ends at the first failure — start's, a write's, or the
// context's — and reports how far it got; the store keeps working.
func TestWriteBackupEndsEarly(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, db, newGen(10), 300)

	startErr := errors.New("no room")
	w := &errWriter{limit: 1 << 40}
	n, err := db.WriteBackup(ctx, func(int64) (io.Writer, error) { return w, startErr })
	if !errors.Is(err, startErr) || n != 0 || w.calls != 0 {
		t.Errorf("failing start: %d bytes, %d writes, %v", n, w.calls, err)
	}

	var size int64
	w = &errWriter{limit: 10000}
	n, err = db.WriteBackup(ctx, func(s int64) (io.Writer, error) { size = s; return w, nil })
	if !errors.Is(err, errFull) || n != 10000 || n >= size {
		t.Errorf("failing writer: %d of %d bytes, %v", n, size, err)
	}

	// A reader who goes away: the context is cancelled after the first
	// write, and no further write reaches the writer.
	cctx, cancel := context.WithCancel(ctx)
	w = &errWriter{limit: 1 << 40}
	n, err = db.WriteBackup(cctx, func(s int64) (io.Writer, error) {
		size = s
		return writerFunc(func(p []byte) (int, error) { cancel(); return w.Write(p) }), nil
	})
	if !errors.Is(err, context.Canceled) || w.calls != 1 || n != w.n || n >= size {
		t.Errorf("cancelled: %d of %d bytes in %d writes, %v", n, size, w.calls, err)
	}
	n, err = db.WriteBackup(cctx, func(int64) (io.Writer, error) { t.Error("start called with a done context"); return w, nil })
	if !errors.Is(err, context.Canceled) || n != 0 {
		t.Errorf("done context: %d bytes, %v", n, err)
	}

	// The read transactions are over: the store writes, and Close, which
	// waits for open transactions, returns at once.
	if err := db.CreateReport(ctx, &geotag.Report{Title: "after"}); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited 10 s: a backup's read transaction is still open")
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
