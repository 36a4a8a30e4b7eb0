package geotag

import (
	"context"
	"time"
)

// Token is an API credential. The secret is shown once, when it is
// created; only its hash is stored. ID is a short public handle that names
// the token in lists, logs and revisions.
type Token struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	ReadOnly bool      `json:"read_only"`
	Created  time.Time `json:"created"`
}

// TokenService issues and checks bearer tokens. Implementations are safe for
// concurrent use.
type TokenService interface {
	// CreateToken stores a new token and returns it with its secret, which
	// cannot be recovered later. Returns EINVALID for an empty name.
	CreateToken(ctx context.Context, name string, readOnly bool) (secret string, t *Token, err error)

	// Authenticate returns the token whose secret this is, or
	// EUNAUTHORIZED when no stored token has it (unknown or revoked).
	Authenticate(ctx context.Context, secret string) (*Token, error)

	// ListTokens returns every stored token, oldest first.
	ListTokens(ctx context.Context) ([]*Token, error)

	// RevokeToken deletes the token with the id; ENOTFOUND if none has it.
	RevokeToken(ctx context.Context, id string) error
}
