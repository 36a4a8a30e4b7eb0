package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	if err := firstStart(ctx, db, "http://localhost:8080", file, &out); err != nil {
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
	if err := firstStart(ctx, db, "http://localhost:8080", "", &out); err != nil || out.Len() != 0 {
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
