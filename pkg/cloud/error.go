package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/alibabacloud-go/tea/tea"
)

// Error is a classified Alibaba Cloud API error. It is built once, from the
// SDK's *tea.SDKError (never from message text), by Classify.
type Error struct {
	Product    string // alb, slb, alidns, ecs
	Action     string // CreateListener
	Code       string // Throttling.User
	HTTPStatus int
	RequestID  string
	Message    string
	Retryable  bool
	err        error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Product, e.Action)
	if e.Code != "" {
		b.WriteString(e.Code)
		if e.HTTPStatus != 0 {
			fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
		}
	} else if e.err != nil {
		b.WriteString(e.err.Error())
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request %s)", e.RequestID)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.err }

// retryableCodes are transient conditions: throttling, server-side trouble and
// "busy" states that clear once a pending operation finishes (facts sheet §0, §2.7, §3.6, §4).
var retryableCodes = map[string]bool{
	"Throttling": true, "Throttling.User": true, "Throttling.Api": true, "Rejected.Throttling": true,
	"ServiceUnavailable": true, "InternalError": true, "SystemBusy": true, "OperationBusy": true,
	"IncorrectStatus.ServerGroup": true, "IncorrectStatus.serverGroup": true, "IncorrectStatus.Listener": true,
	"IncorrectStatus.LoadBalancer": true, "IncorrectBusinessStatus.LoadBalancer": true,
	"ResourceInConfiguring.Listener": true, "IdempotenceProcessing": true, "Conflict.Lock": true,
	"VipStatusNotSupport": true, "ServiceIsConfiguring": true, "VServerGroupProcessing": true,
	"BackendServer.configuring": true, "ServiceIsStopping": true, "LastOperationNotFinished": true,
	"RecordForbidden.DNSChange": true,
}

// notFoundCodes say the named resource does not exist.
var notFoundCodes = map[string]bool{
	"ResourceNotFound.LoadBalancer": true, "ResourceNotFound.Listener": true, "ResourceNotFound.ServerGroup": true,
	"ResourceNotFound.BackendServer": true, "DomainRecordNotBelongToUser": true, "InvalidRR.NoExist": true,
	"ListenerNotFound": true, "InvalidLoadBalancerId.NotFound": true,
}

// Classify turns an SDK error into an *Error. Context cancellation and nil pass through.
func Classify(product, action string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	e := &Error{Product: product, Action: action, err: err}
	var sdk *tea.SDKError
	if errors.As(err, &sdk) {
		e.Code = tea.StringValue(sdk.Code)
		e.HTTPStatus = tea.IntValue(sdk.StatusCode)
		var body struct {
			RequestID string `json:"RequestId"`
			Message   string `json:"Message"`
		}
		if sdk.Data != nil && json.Unmarshal([]byte(*sdk.Data), &body) == nil {
			e.RequestID = body.RequestID
			e.Message = body.Message
		}
		e.Retryable = retryableCodes[e.Code] || e.HTTPStatus >= 500
		if e.HTTPStatus == 0 && e.Code == "" {
			// The SDK wraps transport failures too; those carry no HTTP status.
			e.Retryable = isTransport(err)
		}
		return e
	}
	e.Retryable = isTransport(err)
	return e
}

// isTransport reports a failure to get an answer at all (refused, reset,
// timed out, closed without a response): typed errors only, never message text.
func isTransport(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) {
		return true // *url.Error, *net.OpError, timeouts
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE)
}

// CodeOf returns the cloud error code of err, or "".
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// HasCode reports whether err is a cloud error with one of codes.
func HasCode(err error, codes ...string) bool {
	c := CodeOf(err)
	for _, x := range codes {
		if c == x {
			return true
		}
	}
	return false
}

// IsNotFound reports whether err says the addressed resource does not exist.
// An unknown access key is a 404 too, and is not "not found".
func IsNotFound(err error) bool {
	return notFoundCodes[CodeOf(err)]
}

// IsRetryable reports whether err is worth retrying.
func IsRetryable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Retryable
}

// Hint says what the user can do about well-known error codes.
func (e *Error) Hint() string {
	switch {
	case e.Code == "SignatureDoesNotMatch" || e.Code == "InvalidAccessKeyId.NotFound" || e.Code == "InvalidAccessKeyId" || e.Code == "IncompleteSignature":
		return "check the access key pair wsdeploy found (ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, --profile, or the RAM role)"
	case e.Code == "InvalidTimeStamp.Expired":
		return "this machine's clock is off by more than 15 minutes: sync it (e.g. with NTP) and retry"
	case strings.HasPrefix(e.Code, "Forbidden") || e.HTTPStatus == 403:
		return "the RAM user or role lacks a permission for " + e.Product + ":" + e.Action + "; grant it and retry"
	case e.Retryable:
		return "the cloud was busy or throttling; run the same command again: it continues from what exists"
	case e.Code == "" && e.HTTPStatus == 0:
		return "the API endpoint could not be reached: check the network, --endpoint / WSDEPLOY_ENDPOINT, and --region"
	}
	return ""
}
