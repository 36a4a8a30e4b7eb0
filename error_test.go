package geotag_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/geotag/geotag"
)

func TestErrorCodeAndMessage(t *testing.T) {
	wrapped := fmt.Errorf("load: %w", geotag.FieldErrorf(geotag.ENOTFOUND, "id", "report %q not found", "x1"))
	tests := []struct {
		err              error
		code, msg, field string
	}{
		{nil, "", "", ""},
		{geotag.Errorf(geotag.EINVALID, "bad %s", "thing"), geotag.EINVALID, "bad thing", ""},
		{wrapped, geotag.ENOTFOUND, `report "x1" not found`, "id"},
		{errors.New("open /var/db: permission denied"), geotag.EINTERNAL, "Internal error.", ""},
	}
	for _, tt := range tests {
		if got := geotag.ErrorCode(tt.err); got != tt.code {
			t.Errorf("ErrorCode(%v)=%q, want %q", tt.err, got, tt.code)
		}
		if got := geotag.ErrorMessage(tt.err); got != tt.msg {
			t.Errorf("ErrorMessage(%v)=%q, want %q", tt.err, got, tt.msg)
		}
		if got := geotag.ErrorField(tt.err); got != tt.field {
			t.Errorf("ErrorField(%v)=%q, want %q", tt.err, got, tt.field)
		}
	}
}

func TestPlacePrecision(t *testing.T) {
	tests := []struct {
		feature string
		want    int
	}{
		{"P.PPLA", 1}, {"P.PPL", 1}, {"P.PPLX", 2}, {"S.MILB", 1},
		{"A.ADM1", 3}, {"A.PCLI", 3}, {"H.SEA", 3}, {"L.CONT", 3}, {"", 3},
	}
	for _, tt := range tests {
		if got := (geotag.Place{Feature: tt.feature}).Precision(); got != tt.want {
			t.Errorf("Precision(%q)=%d, want %d", tt.feature, got, tt.want)
		}
	}
}
