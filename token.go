package geotag

import (
	"context"
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
