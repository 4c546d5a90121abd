package inlet

import (
	"errors"
	"fmt"
)

// Error codes. They are the whole vocabulary of failure that crosses a package
// boundary; the HTTP layer maps each to one status and the CLI to one exit code.
const (
	EINVALID      = "EINVALID"      // the input is wrong; the message says how to fix it
	ENOTFOUND     = "ENOTFOUND"     // the named object does not exist (or is not visible)
	ECONFLICT     = "ECONFLICT"     // the object exists already, or changed underneath
	EFORBIDDEN    = "EFORBIDDEN"    // signed in, but not allowed
	EUNAUTHORIZED = "EUNAUTHORIZED" // not signed in
	ETOOLARGE     = "ETOOLARGE"     // over a configured limit
	ETOOMANY      = "ETOOMANY"      // too many attempts: wait and try again
	EINTERNAL     = "EINTERNAL"     // a bug or an outage; details go to the log only
)

// Error is an application error: a code plus a message that is safe to show
// to the user. Messages never contain raw cell values, which may be PII.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Fields names the offending inputs, e.g. {"table": "must be lowercase"}.
	Fields map[string]string `json:"fields,omitempty"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the first *Error in err's
// chain, and "internal error" for anything else, so internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
