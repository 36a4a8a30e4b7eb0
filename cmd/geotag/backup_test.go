package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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

// importFiller stores n reports of about size bytes of text each through
// POST /api/v1/import and returns their ids.
func importFiller(t *testing.T, base, token string, n, size int) []string {
	t.Helper()
	text := strings.Repeat("Shelling hit Khalidiyah in Aleppo on Monday; families fled towards Idlib. ", size/73+1)
	reports := make([]map[string]string, n)
	for i := range reports {
		reports[i] = map[string]string{"title": fmt.Sprintf("filler %d", i), "text": text}
	}
	body, _ := json.Marshal(reports)
	code, b, _ := apiDo(t, "POST", base+"/api/v1/import", token, string(body))
	var res struct {
		Created int
		Items   []struct{ ID string }
	}
	if err := json.Unmarshal(b, &res); err != nil || res.Created != n {
		t.Fatalf("import: %d, created %d of %d, %v", code, res.Created, n, err)
	}
	ids := make([]string, n)
	for i, it := range res.Items {
		ids[i] = it.ID
	}
	return ids
}

// createReportErr creates one report and returns its id, or an error (it
// may run outside the test's goroutine).
func createReportErr(base, token, text string) (string, error) {
	req, _ := http.NewRequest("POST", base+"/api/v1/reports", strings.NewReader(fmt.Sprintf(`{"text":%q}`, text)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var r struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("POST /api/v1/reports: %d %v", resp.StatusCode, err)
	}
	return r.ID, nil
}

// TestBackupOnline backs up a running service with "geotag backup --url"
// while clients create reports: the copy opens, verifies, and holds every
// report acknowledged before the backup began. The service's writes never
// fail meanwhile, and bad requests leave no file behind.
func TestBackupOnline(t *testing.T) {
	base, admin := startService(t)
	dir := t.TempDir()
	adminFile := filepath.Join(dir, "admin-token")
	if err := os.WriteFile(adminFile, []byte(admin+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	acked := importFiller(t, base, admin, 500, 2000) // a store of a few MB

	// Writers run before, during and after the backup.
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id, err := createReportErr(base, admin, fmt.Sprintf("Writer %d report %d: clashes near Homs.", w, i))
				mu.Lock()
				if err == nil {
					acked = append(acked, id)
				} else if writeErr == nil {
					writeErr = err
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	for { // until the writers are under way
		mu.Lock()
		n, err := len(acked), writeErr
		mu.Unlock()
		if err != nil {
			t.Fatalf("a write failed before the backup: %v", err)
		} else if n >= 500+8 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	before := slices.Clone(acked)
	mu.Unlock()
	file := filepath.Join(dir, "copy.db")
	out, err := runCmd("backup", "--url", base, "--token-file", adminFile, file)
	mu.Lock()
	during := len(acked) - len(before)
	mu.Unlock()
	close(stop)
	wg.Wait()
	if err != nil || !strings.HasPrefix(out, "wrote "+file) {
		t.Fatalf("backup --url: %q %v", out, err)
	}
	if writeErr != nil {
		t.Fatalf("a write failed while the backup ran: %v", writeErr)
	}
	t.Logf("%s; %d writes acknowledged during the backup", strings.TrimSpace(out), during)
	if during == 0 {
		t.Error("no write was acknowledged while the backup ran: the test did not overlap them")
	}
	if _, err := os.Stat(file + ".partial"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.partial left behind: %v", file, err)
	}
	cp, err := store.Open(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if err := cp.Verify(); err != nil {
		t.Fatal(err)
	}
	for _, id := range before {
		if _, err := cp.FindReportByID(context.Background(), id); err != nil {
			t.Fatalf("report %s, acknowledged before the backup, is not in it: %v", id, err)
		}
	}
	if n, _ := cp.Count(); n < len(before) || n > len(before)+during {
		t.Errorf("the copy has %d reports; %d were acknowledged before the backup, %d more during it", n, len(before), during)
	}

	// Refusals: an existing FILE, a token without the admin right, a
	// service without the route. None leaves FILE or FILE.partial.
	fi, _ := os.Stat(file)
	if _, err := runCmd("backup", "--url", base, "--token-file", adminFile, file); err == nil {
		t.Error("backup --url over an existing file succeeded")
	} else if fi2, _ := os.Stat(file); fi2.Size() != fi.Size() || !fi2.ModTime().Equal(fi.ModTime()) {
		t.Error("the existing file changed")
	}
	code, b, _ := apiDo(t, "POST", base+"/api/v1/tokens", admin, `{"name":"writer"}`)
	var wt struct{ Token string }
	if json.Unmarshal(b, &wt); code != http.StatusCreated || wt.Token == "" {
		t.Fatalf("create a write token: %d %s", code, b)
	}
	writerFile := filepath.Join(dir, "writer-token")
	os.WriteFile(writerFile, []byte(wt.Token), 0o600)
	refused := filepath.Join(dir, "refused.db")
	for _, tt := range []struct {
		name string
		args []string
		code string
	}{
		{"write token", []string{"--url", base, "--token-file", writerFile}, geotag.EFORBIDDEN},
		{"no such route", []string{"--url", base + "/nowhere", "--token-file", adminFile}, geotag.ENOTFOUND},
		{"no token file", []string{"--url", base}, geotag.EINTERNAL},
		{"--data with --url", []string{"--url", base, "--token-file", adminFile, "--data", dir}, geotag.EINTERNAL},
	} {
		if _, err := runCmd(append(append([]string{"backup"}, tt.args...), refused)...); err == nil || geotag.ErrorCode(err) != tt.code {
			t.Errorf("%s: %v (code %q), want code %q", tt.name, err, geotag.ErrorCode(err), tt.code)
		}
		for _, p := range []string{refused, refused + ".partial"} {
			if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s: %s exists after a refused backup", tt.name, p)
			}
		}
	}
}

// TestBackupOnlineCancelled: a client that drops a download mid-way
// leaves the service healthy: writes succeed right after, and the next
// backup (which waits for the first to end) is complete.
func TestBackupOnlineCancelled(t *testing.T) {
	base, admin := startService(t)
	importFiller(t, base, admin, 600, 8000) // more than loopback buffers hold
	req, _ := http.NewRequest("GET", base+"/api/v1/backup", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.ContentLength < 32<<20 {
		t.Fatalf("backup: %d, Content-Length %d; the test needs over 32 MiB to stop mid-way", resp.StatusCode, resp.ContentLength)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close() // drops the connection with most of the body unread

	start := time.Now()
	if _, err := createReportErr(base, admin, "Right after the dropped backup: shelling in Aleppo."); err != nil {
		t.Fatal(err)
	}
	if code, b, _ := apiDo(t, "GET", base+"/readyz", "", ""); code != 200 {
		t.Fatalf("readyz: %d %s", code, b)
	}
	t.Logf("write after the dropped download: %v", time.Since(start))

	// The dropped backup's turn is given back once its transaction ends.
	tf := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tf, []byte(admin), 0o600)
	file := filepath.Join(t.TempDir(), "copy.db")
	var out string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		out, err = runCmd("backup", "--url", base, "--token-file", tf, file)
		if geotag.ErrorCode(err) != geotag.EUNAVAILABLE || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("backup after a dropped one: %v", err)
	}
	t.Log(strings.TrimSpace(out))
}

// backup --url keeps nothing that fails a check: a body shorter than its
// Content-Length, one without an exact length, or one that is not a store.
func TestBackupURLChecks(t *testing.T) {
	junk := bytes.Repeat([]byte("not a store "), 50000)
	for _, tt := range []struct {
		name, want string
		serve      func(w http.ResponseWriter)
	}{
		{"short body", "cut short", func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", strconv.Itoa(len(junk)+1))
			w.Write(junk)
		}},
		{"no Content-Length", "no exact Content-Length", func(w http.ResponseWriter) {
			w.Write(junk)
			w.(http.Flusher).Flush() // chunked
			w.Write(junk)
		}},
		{"gzipped", "no exact Content-Length", func(w http.ResponseWriter) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(len(junk)))
			w.Write(junk)
		}},
		{"not a store", "not a store", func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", strconv.Itoa(len(junk)))
			w.Write(junk)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/api/v1/backup" || r.Header.Get("Authorization") != "Bearer s3cret" {
					http.Error(w, "wrong request", http.StatusTeapot)
					return
				}
				tt.serve(w)
			}))
			defer ts.Close()
			dir := t.TempDir()
			tf := filepath.Join(dir, "token")
			os.WriteFile(tf, []byte("s3cret\n"), 0o600)
			file := filepath.Join(dir, "copy.db")
			out, err := runCmd("backup", "--url", ts.URL, "--token-file", tf, file)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("backup: %q, %v; want an error saying %q", out, err, tt.want)
			}
			for _, p := range []string{file, file + ".partial"} {
				if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s exists after a failed backup", p)
				}
			}
		})
	}
}
