package geotag

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to one status code in one table;
// the command line prints the message.
const (
	EINVALID       = "invalid"       // bad input: 400
	EUNPROCESSABLE = "unprocessable" // well-formed but semantically wrong input: 422
	ENOTFOUND      = "not_found"     // 404
	ECONFLICT      = "conflict"      // 409
	EUNAUTHORIZED  = "unauthorized"  // no or bad credentials: 401
	EFORBIDDEN     = "forbidden"     // credentials without the right: 403
	ETOOLARGE      = "too_large"     // body or text over a limit: 413
	EUNSUPPORTED   = "unsupported"   // wrong media type: 415
	ERATELIMIT     = "rate_limited"  // 429
	EUNAVAILABLE   = "unavailable"   // not ready, locked or shutting down: 503
	EINTERNAL      = "internal"      // a bug or an I/O failure: 500
)

// Error is the application error. Code is one of the E* constants; Message is
// safe to show to a user; Field names the input at fault, when there is one.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an *Error about one named input field.
func FieldErrorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for a nil
// error, and EINTERNAL for any other error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of the
// first *Error in its chain, or "Internal error." for anything else, so that
// disk and driver messages never reach users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorField returns the field of the first *Error in err's chain, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
