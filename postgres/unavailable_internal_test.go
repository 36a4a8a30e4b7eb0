package postgres

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestUnavailableCodes: lost connections and a server that refuses them
// become EUNAVAILABLE; SQL errors, fn's errors, geotag errors and
// cancellations stay as they are.
func TestUnavailableCodes(t *testing.T) {
	stale := errors.New("stale")
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "57P01"}, true},                 // admin_shutdown
		{&pgconn.PgError{Code: "08006"}, true},                 // connection_failure
		{&pgconn.PgError{Code: "53300"}, true},                 // too_many_connections
		{fmt.Errorf("read: %w", syscall.ECONNRESET), true},     // dropped
		{&pgconn.PgError{Code: "23505"}, false},                // unique_violation
		{&pgconn.PgError{Code: "42P01"}, false},                // undefined_table: a bug
		{stale, false},                                         // fn's
		{geotag.Errorf(geotag.ENOTFOUND, "x"), false},          // ours
		{context.Canceled, false},                              // the client left
		{fmt.Errorf("q: %w", context.DeadlineExceeded), false}, // the request's deadline
	} {
		err := c.err
		unavailable(&err)
		if got := geotag.ErrorCode(err) == geotag.EUNAVAILABLE; got != c.want {
			t.Errorf("%v: unavailable %v, want %v", c.err, got, c.want)
		}
		if !c.want && err != c.err {
			t.Errorf("%v changed to %v", c.err, err)
		}
	}
}
