package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// tokenKey is the gin context key of the authenticated *geotag.Token.
const tokenKey = "geotag.token"

// Rights a route needs.
const (
	rightRead  = iota // any valid token (or none, where reads are public)
	rightWrite        // a token that is not read-only
	rightAdmin        // an admin token
)

// authenticate returns middleware that reads an "Authorization: Bearer"
// token. With required, a missing or unknown token is refused with 401;
// with write, a read-only token is refused with 403. Without required, a
// valid token is still recorded (for who, and the per-token rate limit)
// and a bad one refused, so that mistakes do not pass silently. When the
// server has no TokenService, nothing is checked.
func (s *Server) authenticate(required, write bool) gin.HandlerFunc {
	return s.authorize(required, map[bool]int{false: rightRead, true: rightWrite}[write])
}

// authorize is authenticate with the right the route needs; a token
// without it is refused with 403.
func (s *Server) authorize(required bool, right int) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.tokens == nil {
			c.Next()
			return
		}
		h := c.GetHeader("Authorization")
		if h == "" {
			if required {
				s.writeError(c, geotag.Errorf(geotag.EUNAUTHORIZED, "this request needs an Authorization: Bearer token"))
				return
			}
			c.Next()
			return
		}
		scheme, secret, _ := strings.Cut(h, " ")
		var tok *geotag.Token
		var err error = geotag.Errorf(geotag.EUNAUTHORIZED, "the Authorization header must be \"Bearer TOKEN\"")
		if strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(secret) != "" {
			tok, err = s.tokens.Authenticate(c.Request.Context(), strings.TrimSpace(secret))
		}
		if err != nil {
			if s.allowIP(c) { // failed attempts count against the address
				s.writeError(c, err)
			}
			return
		}
		if right >= rightWrite && tok.ReadOnly {
			s.writeError(c, geotag.Errorf(geotag.EFORBIDDEN, "token %q is read-only", tok.Name))
			return
		}
		if right == rightAdmin && !tok.Admin {
			s.writeError(c, geotag.Errorf(geotag.EFORBIDDEN, "token %q may not manage tokens; use an admin token", tok.Name))
			return
		}
		c.Set(tokenKey, tok)
		if !s.allowToken(c, tok) {
			return
		}
		c.Next()
	}
}

// mayWrite checks, inside a read route, that the request may do what a
// write route does: EUNAUTHORIZED without a token, EFORBIDDEN with a
// read-only one (nil when the server checks no tokens).
func (s *Server) mayWrite(c *gin.Context) error {
	if s.tokens == nil {
		return nil
	}
	v, ok := c.Get(tokenKey)
	if !ok {
		return geotag.Errorf(geotag.EUNAUTHORIZED, "this request needs an Authorization: Bearer token")
	}
	if tok := v.(*geotag.Token); tok.ReadOnly {
		return geotag.Errorf(geotag.EFORBIDDEN, "token %q is read-only", tok.Name)
	}
	return nil
}

// who names the author of a change: the token's name, or "anonymous".
func who(c *gin.Context) string {
	if v, ok := c.Get(tokenKey); ok {
		return v.(*geotag.Token).Name
	}
	return "anonymous"
}

// whoOrNone names the token of a request for logs: its id, or "".
func whoOrNone(c *gin.Context) string {
	if v, ok := c.Get(tokenKey); ok {
		return v.(*geotag.Token).ID
	}
	return ""
}

// me answers the token the request carries: its id, name and rights.
func (s *Server) me(c *gin.Context) {
	v, ok := c.Get(tokenKey)
	if !ok {
		c.JSON(http.StatusOK, gin.H{"authenticated": false, "auth_required": s.tokens != nil})
		return
	}
	t := v.(*geotag.Token)
	c.JSON(http.StatusOK, gin.H{"authenticated": true, "id": t.ID, "name": t.Name, "read_only": t.ReadOnly, "admin": t.Admin})
}

// tokenRequest is the body of POST /api/v1/tokens.
type tokenRequest struct {
	Name     string `json:"name"`
	ReadOnly bool   `json:"read_only"`
	Admin    bool   `json:"admin"`
}

// createToken issues a token and answers its secret, once.
func (s *Server) createToken(c *gin.Context) {
	var req tokenRequest
	if err := decodeJSON(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	secret, t, err := s.tokens.IssueToken(c.Request.Context(), geotag.Token{Name: req.Name, ReadOnly: req.ReadOnly, Admin: req.Admin})
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.logger.Info("token created", "id", t.ID, "name", t.Name, "by", who(c))
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, gin.H{"token": secret, "id": t.ID, "name": t.Name, "read_only": t.ReadOnly, "admin": t.Admin, "created": t.Created})
}

// listTokens answers every token, never their secrets.
func (s *Server) listTokens(c *gin.Context) {
	ts, err := s.tokens.ListTokens(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tokens": ts})
}

// revokeToken deletes a token: it stops working at once.
func (s *Server) revokeToken(c *gin.Context) {
	if err := s.tokens.RevokeToken(c.Request.Context(), c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	s.logger.Info("token revoked", "id", c.Param("id"), "by", who(c))
	c.Status(http.StatusNoContent)
}
