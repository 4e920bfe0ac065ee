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

// Authentication errors answer the same Code everywhere but, per the
// products' own error-code pages, not the same HTTP status. The gateway's
// common table (help.aliyun.com/document_detail/51132.html; the ALB, CLB
// and ECS error pages list no other status for these codes) has
// SignatureDoesNotMatch 400, InvalidAccessKeyId.NotFound 404 and
// IncompleteSignature 400; Alidns' own page
// (help.aliyun.com/en/dns/error-code) has SignatureDoesNotMatch 403 and
// InvalidAccessKeyId.NotFound 400. Clients must key on the Code.
var authStatuses = map[string]map[string]int{
	ProductAlidns: {
		"SignatureDoesNotMatch":       http.StatusForbidden,
		"InvalidAccessKeyId.NotFound": http.StatusBadRequest,
	},
}

// authError is e, an authentication failure, with the HTTP status product
// answers it with. Every signature check (ACS3, v1) passes its error through
// here.
func authError(product string, e *APIError) *APIError {
	if e == nil {
		return nil
	}
	if status, ok := authStatuses[product][e.Code]; ok && status != e.HTTPStatus {
		c := *e
		c.HTTPStatus = status
		return &c
	}
	return e
}
