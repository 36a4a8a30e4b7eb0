package storetest

import (
	"testing"

	"github.com/geotag/geotag"
)

// RunTokens runs the token service contract on fresh services made by
// open.
func RunTokens(t *testing.T, open func(t *testing.T) geotag.TokenService) {
	s := open(t)
	_, _, err := s.CreateToken(ctx, "  ", false)
	wantCode(t, err, geotag.EINVALID, "empty name")
	_, _, err = s.IssueToken(ctx, geotag.Token{Name: "x", Admin: true, ReadOnly: true})
	wantCode(t, err, geotag.EINVALID, "read-only admin")
	secret, tok, err := s.CreateToken(ctx, "desk", true)
	if err != nil {
		t.Fatal(err)
	}
	asecret, admin, err := s.IssueToken(ctx, geotag.Token{Name: "root", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	if secret == asecret || tok.ID == admin.ID || tok.ID == "" {
		t.Fatalf("two tokens share a secret or an id: %+v %+v", tok, admin)
	}
	got, err := s.Authenticate(ctx, secret)
	if err != nil || got.ID != tok.ID || !got.ReadOnly || got.Admin || got.Name != "desk" {
		t.Fatalf("authenticate: %+v, %v", got, err)
	}
	if got, err := s.Authenticate(ctx, asecret); err != nil || !got.Admin {
		t.Fatalf("authenticate admin: %+v, %v", got, err)
	}
	_, err = s.Authenticate(ctx, secret+"x")
	wantCode(t, err, geotag.EUNAUTHORIZED, "wrong secret")
	list, err := s.ListTokens(ctx)
	if err != nil || len(list) != 2 || list[0].ID == list[1].ID || (list[0].ID != tok.ID && list[0].ID != admin.ID) ||
		(list[1].ID != tok.ID && list[1].ID != admin.ID) || list[1].Created.Before(list[0].Created) {
		t.Fatalf("list: %+v, %v", list, err)
	}
	if err := s.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.RevokeToken(ctx, tok.ID), geotag.ENOTFOUND, "second revoke")
	_, err = s.Authenticate(ctx, secret)
	wantCode(t, err, geotag.EUNAUTHORIZED, "revoked secret")
}
