package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag/store"
)

func TestTokenCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := Run(ctx, append([]string{"token"}, args...), strings.NewReader(""), &out, &errOut)
		return out.String(), err
	}
	secret, err := run("create", "--data", dir, "--name", "newsroom-bot")
	if err != nil || !strings.HasPrefix(secret, "gt_") {
		t.Fatalf("create: %q %v", secret, err)
	}
	secret = strings.TrimSpace(secret)
	if _, err := run("create", "--data", dir, "--name", "viewer", "--read-only"); err != nil {
		t.Fatal(err)
	}
	if out, err := run("create", "--data", dir, "--name", "ops", "--admin"); err != nil || !strings.HasPrefix(out, "gt_") {
		t.Fatalf("create admin: %q %v", out, err)
	}
	if _, err := run("create", "--data", dir); err == nil {
		t.Error("create without a name succeeded")
	}
	list, err := run("list", "--data", dir)
	if err != nil || !strings.Contains(list, "newsroom-bot") || !strings.Contains(list, "read-only") || !strings.Contains(list, "admin") || strings.Contains(list, secret) {
		t.Fatalf("list: %q %v", list, err)
	}

	// A service on that directory accepts the token and creates no admin.
	var id string
	for _, line := range strings.Split(list, "\n") {
		if strings.Contains(line, "newsroom-bot") {
			id = strings.Fields(line)[0]
		}
	}
	base, stop := runService(t, dir)
	if code, b, _ := apiDo(t, "POST", base+"/api/v1/reports", secret, `{"text":"Aleppo"}`); code != http.StatusCreated {
		t.Fatalf("POST with created token: %d %s", code, b)
	}
	stop()
	list, _ = run("list", "--data", dir)
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[1] == "admin" {
			t.Errorf("the service created an admin token although tokens existed: %q", list)
		}
	}

	if _, err := run("revoke", "--data", dir, id); err != nil {
		t.Fatal(err)
	}
	if _, err := run("revoke", "--data", dir, id); err == nil {
		t.Error("revoking twice succeeded")
	}
	if list, _ := run("list", "--data", dir); strings.Contains(list, "newsroom-bot") {
		t.Errorf("revoked token listed: %q", list)
	}
}

func TestFirstStart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	file := filepath.Join(dir, "tok")
	var out bytes.Buffer
	if err := firstStart(ctx, db, "http://localhost:8080", file, true, &out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	secret := strings.TrimSpace(string(b))
	if !strings.Contains(out.String(), "http://localhost:8080/#token="+secret) {
		t.Errorf("no login link in %q", out.String())
	}
	if tok, err := db.Authenticate(ctx, secret); err != nil || tok.ReadOnly || !tok.Admin || tok.Name != "admin" {
		t.Errorf("admin token: %+v %v", tok, err)
	}
	out.Reset()
	if err := firstStart(ctx, db, "http://localhost:8080", "", true, &out); err != nil || out.Len() != 0 {
		t.Errorf("second start printed %q, %v", out.String(), err)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v", fi.Mode())
	}
	for _, tt := range []struct {
		flag string
		ip   net.IP
		want string
	}{
		{":8080", net.IPv4zero, "http://localhost:8080"},
		{"0.0.0.0:8080", net.IPv4zero, "http://localhost:8080"},
		{"localhost:8080", net.IPv4(127, 0, 0, 1), "http://localhost:8080"},
		{"geotag.example.org:8080", net.IPv4(192, 0, 2, 7), "http://geotag.example.org:8080"},
		{"127.0.0.1:8080", net.IPv4(127, 0, 0, 1), "http://127.0.0.1:8080"},
	} {
		if got := loginBase(tt.flag, &net.TCPAddr{IP: tt.ip, Port: 8080}); got != tt.want {
			t.Errorf("loginBase(%q) = %q, want %q", tt.flag, got, tt.want)
		}
	}
}

// TestAdminTokenFileSafe: the admin token file ends up 0600 whatever was
// there, a symlink at its path is refused (its target untouched), and the
// banner prints the secret only to a terminal.
func TestAdminTokenFileSafe(t *testing.T) {
	ctx := context.Background()
	open := func() *store.DB {
		db, err := store.Open(filepath.Join(t.TempDir(), "geotag.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	dir := t.TempDir()

	// A file already there, readable by all.
	file := filepath.Join(dir, "tok")
	if err := os.WriteFile(file, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := firstStart(ctx, open(), "https://geotag.example.org", file, false, &out); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	secret := strings.TrimSpace(string(b))
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 || !strings.HasPrefix(secret, "gt_") {
		t.Errorf("token file over a 0644 one: %v %v %q", fi.Mode(), err, secret)
	}
	if strings.Contains(out.String(), secret) || !strings.Contains(out.String(), file) ||
		!strings.Contains(out.String(), "https://geotag.example.org/#token=") {
		t.Errorf("banner without a terminal: %q", out.String())
	}

	// A symlink to a file others read.
	target := filepath.Join(dir, "public.txt")
	os.WriteFile(target, []byte("public\n"), 0o644)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	db := open()
	out.Reset()
	if err := firstStart(ctx, db, "http://localhost:8080", link, true, &out); err == nil {
		t.Errorf("a symlink token file was accepted")
	}
	if b, _ := os.ReadFile(target); string(b) != "public\n" || strings.Contains(out.String(), "gt_") {
		t.Errorf("through the symlink: target %q, banner %q", b, out.String())
	}
	if ts, _ := db.ListTokens(ctx); len(ts) != 0 {
		t.Errorf("a token was issued that nobody was given: %+v", ts)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v", err)
	}
	// A directory or a device.
	for _, p := range []string{dir, os.DevNull} {
		if err := writeSecretFile(p, "x"); err == nil {
			t.Errorf("wrote a secret to %s", p)
		}
	}
}

// TestServeBannerNotTerminal: under a service manager (stdout not a
// terminal) serve prints no secret; it writes the admin token to
// DIR/admin-token (0600) and says so, with the --public-url login link.
func TestServeBannerNotTerminal(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--public-url", "https://geotag.example.org/"},
			strings.NewReader(""), &out, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	var base string
	for i := 0; i < 600 && base == ""; i++ {
		for _, l := range strings.Split(out.String(), "\n") {
			if rest, ok := strings.CutPrefix(l, "geotag: serving "); ok {
				base, _, _ = strings.Cut(rest, " ")
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if base == "" {
		t.Fatalf("serve did not start: %q", out.String())
	}
	file := filepath.Join(data, "admin-token")
	b, err := os.ReadFile(file)
	secret := strings.TrimSpace(string(b))
	if err != nil || secret == "" {
		t.Fatalf("admin token file: %v", err)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	if s := out.String(); strings.Contains(s, secret) || strings.Contains(s, "gt_") || !strings.Contains(s, file) ||
		!strings.Contains(s, "https://geotag.example.org/#token=") {
		t.Errorf("stdout: %q", s)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `"admin":true`) {
		t.Errorf("the file's token: %s", body)
	}
}
