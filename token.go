package geotag

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
)

// Token is an API credential. The secret is shown once, when it is
// created; only its hash is stored. ID is a short public handle that names
// the token in lists, logs and revisions. A token may read and write
// reports, only read them (ReadOnly), or also manage tokens (Admin).
type Token struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	ReadOnly bool      `json:"read_only"`
	Admin    bool      `json:"admin,omitempty"`
	Created  time.Time `json:"created"`
}

// TokenService issues and checks bearer tokens. Implementations are safe for
// concurrent use.
type TokenService interface {
	// CreateToken stores a new token and returns it with its secret, which
	// cannot be recovered later. Returns EINVALID for an empty name.
	CreateToken(ctx context.Context, name string, readOnly bool) (secret string, t *Token, err error)

	// IssueToken is CreateToken with the name and rights of t (its ID and
	// Created are assigned). Returns EINVALID for an empty name or an
	// admin token that is read-only.
	IssueToken(ctx context.Context, t Token) (secret string, issued *Token, err error)

	// Authenticate returns the token whose secret this is, or
	// EUNAUTHORIZED when no stored token has it (unknown or revoked).
	Authenticate(ctx context.Context, secret string) (*Token, error)

	// ListTokens returns every stored token, oldest first.
	ListTokens(ctx context.Context) ([]*Token, error)

	// RevokeToken deletes the token with the id; ENOTFOUND if none has it.
	RevokeToken(ctx context.Context, id string) error
}

// TokenPrefix marks geotag secrets, so that secret scanners and people can
// recognise a leaked one.
const TokenPrefix = "gt_"

// HashTokenSecret is the SHA-256 of a secret: what a store keeps of it.
func HashTokenSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// NewToken checks tmpl (a name, not both admin and read-only) and mints a
// token for it: a random secret (TokenPrefix and 32 random bytes), its hash
// (to store) and the token, whose ID is the hash's first six bytes in hex
// and Created now. Returns EINVALID for an empty name or a read-only admin.
func NewToken(tmpl Token, now time.Time) (secret string, hash []byte, t *Token, err error) {
	name := strings.TrimSpace(tmpl.Name)
	if name == "" {
		return "", nil, nil, FieldErrorf(EINVALID, "name", "a token needs a name")
	}
	if tmpl.Admin && tmpl.ReadOnly {
		return "", nil, nil, FieldErrorf(EINVALID, "admin", "an admin token cannot be read-only")
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", nil, nil, err
	}
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	hash = HashTokenSecret(secret)
	t = &Token{ID: hex.EncodeToString(hash[:6]), Name: name, ReadOnly: tmpl.ReadOnly, Admin: tmpl.Admin, Created: now}
	return secret, hash, t, nil
}
