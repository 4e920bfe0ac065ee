package fakecloud

import (
	"errors"
	"fmt"
	"net/http"
)

// APIError is an error answer of the real API: HTTP status, Code and Message.
type APIError struct {
	HTTPStatus int
	Code       string
	Message    string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.HTTPStatus, e.Code, e.Message) }

// Errorf builds an APIError.
func Errorf(status int, code, format string, args ...any) *APIError {
	return &APIError{HTTPStatus: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// MissingParameter is the real "required parameter absent" error.
func MissingParameter(name string) *APIError {
	return Errorf(http.StatusBadRequest, "MissingParameter", "The input parameter \"%s\" that is mandatory for processing this request is not supplied.", name)
}

// InvalidParameter is the real "bad parameter value" error.
func InvalidParameter(name, value, allowed string) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified parameter %s is not valid: %q (expected %s).", name, value, allowed)
}

// AsAPIError unwraps err to an *APIError.
func AsAPIError(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}
