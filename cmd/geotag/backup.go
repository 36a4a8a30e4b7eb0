package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

const backupUsage = `Usage:

	geotag backup [--data DIR] [--wait DURATION] FILE
	geotag backup --url URL --token-file TOKENFILE FILE

backup writes a consistent copy of a store (reports, indexes and API token
hashes) to FILE, which must not exist, and syncs it to disk. The copy is
itself a store: to restore, stop the service, put the copy in place of
DIR/geotag.db and start it. "geotag verify --file" checks a copy.

With --data, backup copies the store of a stopped service (or one about to
stop: --wait waits that long for the lock, which "geotag serve" holds).

With --url, backup downloads a copy from the running service at URL
(GET /api/v1/backup), which needs the admin token in TOKENFILE. The
download goes to FILE.partial, is synced, and must have exactly the size
the service announced, open as a store and pass "geotag verify"; only then
is it renamed to FILE. Otherwise FILE.partial is removed and backup fails.
The service keeps serving; while the download runs, a write that must grow
the store's memory map waits for it to end (rare: once per GiB of growth).

Either way the copy is taken in one read transaction: writes made while it
runs are not in it, and the store is never left half copied.
`

// runBackup copies the store of a data directory, or of a running service,
// to a new file.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, backupUsage); fs.PrintDefaults() }
	data := fs.String("data", "geotag-data", "data `DIR`ectory of a stopped service")
	wait := fs.Duration("wait", time.Second, "how long to wait for the store's lock")
	url := fs.String("url", "", "download from the running service at `URL` (http://host:port) instead")
	tokenFile := fs.String("token-file", "", "with --url: the `FILE` holding an admin token")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("backup takes one argument: the FILE to write")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *url != "" {
		if set["data"] || set["wait"] {
			return errors.New("backup: --url downloads from a service; --data and --wait are for a stopped one")
		}
		return backupURL(ctx, *url, *tokenFile, fs.Arg(0), stdout)
	}
	if set["token-file"] {
		return errors.New("backup: --token-file goes with --url")
	}
	db, err := openExisting(*data, *wait)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Count()
	if err != nil {
		return err
	}
	size, err := db.BackupFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("backup to %s: %w", fs.Arg(0), err)
	}
	fmt.Fprintf(stdout, "wrote %s: %d reports, %d bytes\n", fs.Arg(0), n, size)
	return nil
}

// openExisting opens the store of a data directory that must exist (these
// commands must not create an empty store by mistake).
func openExisting(dir string, wait time.Duration) (*store.DB, error) {
	path := filepath.Join(dir, "geotag.db")
	if _, err := statFile(path); err != nil {
		return nil, fmt.Errorf("no store in %s: %w", dir, err)
	}
	return store.Open(path, &store.Options{Timeout: wait})
}

// backupURL downloads a snapshot from the service at base (GET
// /api/v1/backup with the admin token in tokenFile) into file, which must
// not exist: into file.partial first, synced, checked (the announced size,
// then store.Open and Verify), then renamed. On any failure, or when ctx
// ends, file.partial is removed and file is not created.
func backupURL(ctx context.Context, base, tokenFile, file string, stdout io.Writer) error {
	if tokenFile == "" {
		return errors.New("backup: --url needs --token-file, a file holding an admin token")
	}
	b, err := os.ReadFile(tokenFile)
	if err != nil {
		return fmt.Errorf("backup: reading the token: %w", err)
	}
	token := strings.TrimSpace(string(b))
	if token == "" {
		return fmt.Errorf("backup: %s holds no token", tokenFile)
	}
	u, err := neturl.Parse(strings.TrimRight(base, "/") + "/api/v1/backup")
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("backup: --url %q must be http://HOST:PORT or https://…", base)
	}
	if _, err := os.Lstat(file); err == nil {
		return fmt.Errorf("backup: %s exists; backup never overwrites a file", file)
	} else if !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	partial := file + ".partial"
	f, err := os.OpenFile(partial, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, iofs.ErrExist) {
		return fmt.Errorf("backup: %s exists: another backup is running, or one was cut short; remove it if not", partial)
	} else if err != nil {
		return err
	}
	start := time.Now()
	size, err := download(ctx, f, u, token)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var reports int
	if err == nil {
		reports, err = checkBackup(partial)
	}
	if err == nil {
		err = publish(partial, file)
	}
	if err != nil {
		os.Remove(partial)
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d reports, %d bytes from %s in %v\n", file, reports, size,
		base, time.Since(start).Round(time.Millisecond))
	return nil
}

// download writes the body of GET url to f and syncs it. It fails unless
// the service answers 200 with a Content-Length and exactly that many
// bytes arrive; a refusal is returned with the service's problem detail.
func download(ctx context.Context, f *os.File, u *neturl.URL, token string) (int64, error) {
	shown := u.Redacted() // never a password in a message
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Encoding", "identity")
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = time.Minute
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var p struct{ Detail, Code string }
		json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&p)
		if resp.StatusCode == http.StatusNotFound {
			p.Detail = "the service has no backup route: it is an older geotag, or runs without tokens"
		}
		if p.Code == "" {
			p.Code = geotag.EINTERNAL
		}
		return 0, geotag.Errorf(p.Code, "backup: %s answered %s: %s", shown, resp.Status, p.Detail)
	}
	want := resp.ContentLength
	if want < 0 || resp.Header.Get("Content-Encoding") != "" {
		return 0, fmt.Errorf("backup: %s sent no exact Content-Length (encoding %q), so a cut download could pass unseen",
			shown, resp.Header.Get("Content-Encoding"))
	}
	n, err := io.Copy(f, resp.Body)
	if err == nil && n != want {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return n, fmt.Errorf("backup: download cut short at %d of %d bytes: %w", n, want, err)
	}
	if err := f.Sync(); err != nil {
		return n, err
	}
	return n, nil
}

// checkBackup opens a downloaded copy as a store, verifies its pages and
// indexes, and returns its number of reports.
func checkBackup(path string) (int, error) {
	db, err := store.Open(path, nil)
	if err != nil {
		return 0, fmt.Errorf("backup: the download is not a store: %w", err)
	}
	defer db.Close()
	if err := db.Verify(); err != nil {
		return 0, fmt.Errorf("backup: the download fails verification: %w", err)
	}
	return db.Count()
}

// publish moves partial to file, never over an existing file, and syncs
// the directory so that the new name survives a crash.
func publish(partial, file string) error {
	err := os.Link(partial, file)
	switch {
	case err == nil:
		os.Remove(partial)
	case errors.Is(err, iofs.ErrExist):
	default: // no hard links on this file system: check, then rename
		if _, serr := os.Lstat(file); serr == nil {
			err = iofs.ErrExist
		} else {
			err = os.Rename(partial, file)
		}
	}
	if errors.Is(err, iofs.ErrExist) {
		return fmt.Errorf("backup: %s appeared during the download; backup never overwrites a file", file)
	} else if err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(file))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
