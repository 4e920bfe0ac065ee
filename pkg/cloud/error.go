package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/alibabacloud-go/tea/tea"
)

// Class is what kind of failure an Error is; each class has its own hint.
// It is decided from types and codes, never from message text.
type Class int

const (
	// ClassAPI: the API answered, with an error code.
	ClassAPI Class = iota
	// ClassUnreachable: no connection could be made (refused, no route,
	// name not resolved, connect timed out).
	ClassUnreachable
	// ClassNoAnswer: connected, but no answer came back (reset, closed,
	// read timed out).
	ClassNoAnswer
	// ClassStopped: the call's context ended (Ctrl-C, --timeout) first.
	ClassStopped
)

// Error is a classified Alibaba Cloud API error. It is built once, from the
// SDK's *tea.SDKError or the transport's typed errors (never from message
// text), by Classify.
type Error struct {
	Product    string // alb, slb, alidns, ecs
	Action     string // CreateListener
	Class      Class
	Code       string // Throttling.User
	HTTPStatus int
	RequestID  string
	Message    string
	Retryable  bool
	// Region and Endpoint say where the call went (set by Config.Classify).
	// Endpoint is the --endpoint URL when Custom, else the host that was dialled.
	Region   string
	Endpoint string
	Custom   bool
	// Attempts and Elapsed are set when retries ran out (Attempts > 1).
	Attempts int
	Elapsed  time.Duration
	// stop is the context's error when it ended while the call was being retried.
	stop error
	err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Product, e.Action)
	switch {
	case e.Code != "":
		b.WriteString(e.Code)
		if e.HTTPStatus != 0 {
			fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
		}
	case e.Class == ClassUnreachable || e.Class == ClassNoAnswer:
		b.WriteString(e.Reason())
		if e.err != nil {
			b.WriteString(": ")
			b.WriteString(transportText(e.err))
		}
	case e.err != nil:
		b.WriteString(transportText(e.err))
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request %s)", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (gave up after %d attempts in %s)", e.Attempts, e.Elapsed.Round(100*time.Millisecond))
	}
	if e.stop != nil {
		fmt.Fprintf(&b, " (stopped retrying: %v)", e.stop)
	}
	return b.String()
}

// Reason says in a few words why the call failed: "cannot reach HOST",
// "no answer from HOST", or the error code.
func (e *Error) Reason() string {
	where := e.Endpoint
	if where == "" {
		where = "the API endpoint"
	}
	switch e.Class {
	case ClassUnreachable:
		return "cannot reach " + where
	case ClassNoAnswer:
		return "no answer from " + where
	case ClassStopped:
		return "stopped"
	}
	if e.Code != "" {
		return e.Code
	}
	return fmt.Sprintf("HTTP %d", e.HTTPStatus)
}

// Unwrap exposes the SDK or transport error and, when the call was stopped
// while being retried, the context's error.
func (e *Error) Unwrap() []error {
	var out []error
	if e.err != nil {
		out = append(out, e.err)
	}
	if e.stop != nil {
		out = append(out, e.stop)
	}
	return out
}

// transportText is the shortest faithful text of a transport error: the
// *url.Error's cause, without the request URL and its parameters.
func transportText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
}

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

// Classify turns an SDK error into an *Error. nil stays nil; a
// *CredentialError passes through (its text and hint are its own).
func Classify(product, action string, err error) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	var cred *CredentialError
	if errors.As(err, &cred) {
		return err
	}
	e := &Error{Product: product, Action: action, err: err, Endpoint: hostOf(err)}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		e.Class = ClassStopped
		return e
	}
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
			e.Class = transportClass(err)
			e.Retryable = e.Class != ClassAPI
		}
		return e
	}
	e.Class = transportClass(err)
	e.Retryable = e.Class != ClassAPI
	return e
}

// transportClass tells a failure to connect from a connection that gave no
// answer, from typed errors only (never message text). ClassAPI means
// neither: an error of another kind.
func transportClass(err error) Class {
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dns),
		errors.As(err, &op) && op.Op == "dial",
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return ClassUnreachable
	case isTransport(err):
		return ClassNoAnswer
	}
	return ClassAPI
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

// hostOf is the host[:port] a failed request went to, from its *url.Error.
func hostOf(err error) string {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return ""
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil {
		return ""
	}
	return u.Host
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

// lbNotFoundCodes say the load balancer itself does not exist (in this region).
var lbNotFoundCodes = map[string]bool{"ResourceNotFound.LoadBalancer": true, "InvalidLoadBalancerId.NotFound": true}

// zoneNotFoundCodes say the DNS zone is not in the account of the access key.
var zoneNotFoundCodes = map[string]bool{"InvalidDomainName.NoExist": true, "IncorrectDomainUser": true}

// Hint says what the user can do next; each class of error has its own.
func (e *Error) Hint() string {
	fix, rerun := e.hint()
	return fix + rerun
}

// Fix is the hint without its last step, running the command again: for
// the apply engine, whose error names the command to run again itself.
func (e *Error) Fix() string {
	fix, _ := e.hint()
	return fix
}

// hint is the hint in two parts: what to fix, and the re-run that follows.
func (e *Error) hint() (fix, rerun string) {
	switch {
	case e.Class == ClassStopped:
		return "", "" // Ctrl-C or --timeout: the CLI says which, and how to resume
	case e.Class == ClassUnreachable:
		if e.Custom {
			return fmt.Sprintf("nothing answers at %s (--endpoint / WSDEPLOY_ENDPOINT): start the fake cloud there "+
				"(`wsdeploy fakecloud --addr %s`) or correct the URL; the region in use is %s", e.Endpoint, strings.TrimPrefix(strings.TrimPrefix(e.Endpoint, "http://"), "https://"), e.regionName()), ""
		}
		return fmt.Sprintf("%s is Alibaba Cloud's %s endpoint for region %s: check the region (region: in the stack file, or --region) "+
			"and that this machine can reach it (network, DNS, HTTPS_PROXY); or send the calls elsewhere with --endpoint", e.endpointName(), e.Product, e.regionName()), ""
	case e.Class == ClassNoAnswer:
		return fmt.Sprintf("%s took the connection but sent no answer (region %s): check the network or proxy in between", e.endpointName(), e.regionName()),
			", then run the same command again: it continues from what exists"
	case e.Code == "SignatureDoesNotMatch" || e.Code == "InvalidAccessKeyId.NotFound" || e.Code == "InvalidAccessKeyId" || e.Code == "IncompleteSignature":
		return "check the access key pair wsdeploy found (ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, --profile, or the RAM role)", ""
	case e.Code == "InvalidTimeStamp.Expired":
		return "this machine's clock is off by more than 15 minutes: sync it (e.g. with NTP)", " and retry"
	case strings.HasPrefix(e.Code, "Forbidden") || e.HTTPStatus == 403:
		return "the RAM user or role lacks a permission for " + e.Product + ":" + e.Action + ": grant it", " and retry"
	case lbNotFoundCodes[e.Code]:
		kind, field := "ALB", "alb.id"
		if e.Product == "slb" {
			kind, field = "CLB", "clb.id"
		}
		return fmt.Sprintf("there is no %s with that ID in region %s: check %s in the stack file and the region "+
			"(region: or --region); the console lists load balancers per region", kind, e.regionName(), field), ""
	case zoneNotFoundCodes[e.Code]:
		return "the DNS zone is not in the account of this access key: check dns.domain in the stack file " +
			"(the zone, such as example.com, not the full name) and that the access key belongs to the account that holds the zone in Alibaba Cloud DNS", ""
	case strings.HasSuffix(e.Code, "HaltSales"): // PayBySpecSlbHaltSales, ShareSlbHaltSales
		return "Alibaba Cloud no longer sells pay-by-spec (or shared) CLB instances to new load balancers (nothing was created): remove clb.create.spec " +
			"and payType from the stack file (a new CLB is then pay-by-CLCU)", " and run `wsdeploy up` again"
	case strings.HasPrefix(e.Code, "QuotaExceeded"):
		return "the account has reached a quota for " + e.Product + ": delete load balancers or resources it no longer needs, " +
			"or raise the quota in the Quota Center console", ", then run the same command again"
	case e.Retryable && e.stop == nil:
		return "the cloud was busy or throttling", "; run the same command again: it continues from what exists"
	}
	return "", ""
}

func (e *Error) regionName() string {
	if e.Region == "" {
		return "(none set)"
	}
	return e.Region
}

func (e *Error) endpointName() string {
	if e.Endpoint == "" {
		return "the " + e.Product + " API endpoint"
	}
	return e.Endpoint
}
