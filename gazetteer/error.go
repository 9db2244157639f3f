package gazetteer

import (
	"errors"
	"fmt"
)

// Error codes. They map one-to-one onto HTTP statuses in site (docs/api.md, after
// WTF Dial's error.go).
const (
	EConflict     = "conflict"     // 409
	EInternal     = "internal"     // 500
	EInvalid      = "invalid"      // 400
	ENotFound     = "not_found"    // 404
	EUnauthorized = "unauthorized" // 401
	EForbidden    = "forbidden"    // 403
	ETooMany      = "too_many"     // 429
	EUnavailable  = "unavailable"  // 503: this node cannot do it now (a read-only replica's writes)
)

// Error is the one error type of the domain. Code is machine-readable;
// Message is safe to show to a person; Where names the file, line and field of
// bad input ("culture.jsonl:12: geometry.coordinates").
type Error struct {
	Code    string
	Message string
	Where   string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Where != "" {
		return e.Where + ": " + e.Message
	}
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the person-facing message of err. Internal errors get a
// generic message: their details are for the operator's log, never the user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}
