package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestTokenPromises proves the token promises on the real service (a
// "geotag serve" child process) and its files:
//
//   - secrets are stored hashed: the tokens bucket's keys are the SHA-256
//     of the secrets, and no file of the data directory holds a secret;
//   - comparison is constant time: a presented secret is never compared
//     with a stored one; it is hashed, and the hash is looked up as a
//     B+tree key, so lookup timing can only depend on bytes of a SHA-256
//     digest the caller cannot steer, never on how much of a secret was
//     guessed right (this test checks the lookup is by that hash);
//   - a revoked token stops at once: the very next request with it, on the
//     same keep-alive connection, is refused with 401;
//   - secrets never appear in the logs, whether valid, wrong, revoked or
//     sent in the wrong place (query string, Basic auth), even at debug
//     level.
func TestTokenPromises(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	tokenFile := filepath.Join(dir, "admin-token")
	ch := startChild(t, data, "--admin-token-file", tokenFile, "--log-level", "debug", "--rate-ip", "-1", "--rate-token", "-1")
	b, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	admin := strings.TrimSpace(string(b))
	client := &http.Client{Timeout: 30 * time.Second} // keeps connections alive between requests
	do := func(method, path, token, body string, headers ...string) (int, []byte) {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequest(method, ch.base+path, rd)
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for _, h := range headers {
			k, v, _ := strings.Cut(h, ":")
			req.Header.Set(k, strings.TrimSpace(v))
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		rb, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, rb
	}

	// A token made through the running service.
	code, body := do("POST", "/api/v1/tokens", admin, `{"name":"newsroom-bot"}`)
	if code != http.StatusCreated {
		t.Fatalf("create token: %d %s", code, body)
	}
	var tok struct {
		Token string `json:"token"`
		ID    string `json:"id"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.Token == "" || tok.ID == "" {
		t.Fatalf("create token: %s", body)
	}
	secrets := []string{admin, tok.Token}

	if code, body := do("POST", "/api/v1/reports", tok.Token, `{"title":"by the bot","text":"Shelling hit Aleppo."}`); code != http.StatusCreated {
		t.Fatalf("write with the new token: %d %s", code, body)
	}
	// Secrets in the wrong places, and near misses, which are logged as
	// failures but must not be logged themselves.
	wrong := []string{tok.Token[:len(tok.Token)-1] + "x", "gt_" + strings.Repeat("Z", 43), strings.ToUpper(tok.Token)}
	for _, w := range wrong {
		if code, _ := do("POST", "/api/v1/reports", w, `{"text":"x"}`); code != http.StatusUnauthorized {
			t.Errorf("near-miss token: %d, want 401", code)
		}
	}
	secrets = append(secrets, wrong...)
	do("GET", "/api/v1/reports?token="+tok.Token+"&access_token="+admin, "", "")
	do("GET", "/api/v1/me", "", "", "Authorization: Basic "+tok.Token)
	do("GET", "/api/v1/me", "", "", "Authorization: Token "+admin)
	do("GET", "/api/v1/no-such-route?key="+tok.Token, tok.Token, "")

	// Revocation: the next request, on the same connection, fails.
	if code, _ := do("GET", "/api/v1/me", tok.Token, ""); code != http.StatusOK {
		t.Fatalf("/me before revoking: %d", code)
	}
	if code, body := do("DELETE", "/api/v1/tokens/"+tok.ID, admin, ""); code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", code, body)
	}
	for _, p := range []struct{ method, path, body string }{
		{"GET", "/api/v1/me", ""},
		{"POST", "/api/v1/reports", `{"text":"after revocation"}`},
		{"GET", "/api/v1/reports", ""},
	} {
		if code, body := do(p.method, p.path, tok.Token, p.body); code != http.StatusUnauthorized {
			t.Errorf("%s %s with the revoked token: %d %s, want 401", p.method, p.path, code, body)
		}
	}
	if code, _ := do("GET", "/api/v1/me", admin, ""); code != http.StatusOK {
		t.Errorf("the admin token stopped working too: %d", code)
	}

	// Stop the service cleanly, then read its logs and files.
	ch.cmd.Process.Signal(os.Interrupt)
	select {
	case <-ch.done:
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop on SIGINT")
	}
	logs := ch.stderr.String()
	if !strings.Contains(logs, "newsroom-bot") || !strings.Contains(logs, "/api/v1/tokens") {
		t.Errorf("the log does not record the token's creation and requests (so the check below proves little):\n%.3000s", logs)
	}
	for _, s := range secrets {
		for _, part := range []string{s, strings.TrimPrefix(s, "gt_")[:20]} {
			if strings.Contains(logs, part) {
				t.Errorf("the log holds a secret (%.8s…):\n%.3000s", part, logs)
			}
		}
	}

	// Files: no secret anywhere; the tokens bucket is keyed by SHA-256.
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || path == tokenFile {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			return nil
		}
		for _, s := range secrets[:2] {
			if bytes.Contains(raw, []byte(s)) || bytes.Contains(raw, []byte(strings.TrimPrefix(s, "gt_"))) {
				t.Errorf("%s holds a secret", path)
			}
		}
		return nil
	})
	db, err := bolt.Open(filepath.Join(data, "geotag.db"), 0o600, &bolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var keys [][]byte
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("tokens"))
		if b == nil {
			t.Fatal("no tokens bucket")
		}
		return b.ForEach(func(k, v []byte) error {
			keys = append(keys, bytes.Clone(k))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	adminKey := sha256.Sum256([]byte(admin))
	botKey := sha256.Sum256([]byte(tok.Token))
	var haveAdmin, haveBot bool
	for _, k := range keys {
		haveAdmin = haveAdmin || bytes.Equal(k, adminKey[:])
		haveBot = haveBot || bytes.Equal(k, botKey[:])
	}
	if !haveAdmin {
		t.Errorf("no tokens key is the SHA-256 of the admin secret; keys %x", keys)
	}
	if haveBot {
		t.Error("the revoked token's hash is still stored")
	}
}
