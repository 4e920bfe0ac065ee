package cloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/tea"
)

func sdkErr(code string, status int) error {
	return tea.NewSDKError(map[string]interface{}{
		"code":       code,
		"statusCode": status,
		"message":    "code: " + fmt.Sprint(status) + ", boom request id: REQ-1",
		"data":       map[string]interface{}{"RequestId": "REQ-1", "Code": code, "Message": "boom", "HostId": "alb.cn-hangzhou.aliyuncs.com"},
	})
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		code      string
		retryable bool
		notFound  bool
	}{
		{"throttling", sdkErr("Throttling.User", 400), "Throttling.User", true, false},
		{"busy listener", sdkErr("IncorrectStatus.Listener", 400), "IncorrectStatus.Listener", true, false},
		{"server error", sdkErr("InternalError", 500), "InternalError", true, false},
		{"unknown 503", sdkErr("Whatever", 503), "Whatever", true, false},
		{"not found", sdkErr("ResourceNotFound.Listener", 404), "ResourceNotFound.Listener", false, true},
		{"bad key is a 404 but not 'not found'", sdkErr("InvalidAccessKeyId.NotFound", 404), "InvalidAccessKeyId.NotFound", false, false},
		{"conflict", sdkErr("ResourceAlreadyExist.Listener", 400), "ResourceAlreadyExist.Listener", false, false},
		{"dns duplicate", sdkErr("DomainRecordDuplicate", 400), "DomainRecordDuplicate", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Classify("alb", "CreateListener", tt.err)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("not an *Error: %T", err)
			}
			if e.Code != tt.code || e.Retryable != tt.retryable || IsNotFound(err) != tt.notFound {
				t.Errorf("got code %s retryable %v notFound %v", e.Code, e.Retryable, IsNotFound(err))
			}
			if e.RequestID != "REQ-1" || !strings.Contains(e.Error(), "REQ-1") || !strings.Contains(e.Error(), "alb CreateListener") {
				t.Errorf("error text %q lacks action or request ID", e.Error())
			}
		})
	}
	if Classify("alb", "X", nil) != nil {
		t.Error("nil must stay nil")
	}
	if !errors.Is(Classify("alb", "X", context.Canceled), context.Canceled) {
		t.Error("cancellation must pass through")
	}
}

func TestRetry(t *testing.T) {
	calls := 0
	r := Retry{Attempts: 4, Base: time.Millisecond, Max: 2 * time.Millisecond}
	err := r.Do(context.Background(), func(context.Context) error {
		calls++
		if calls < 3 {
			return Classify("alb", "X", sdkErr("Throttling.User", 400))
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("retryable: err %v after %d calls", err, calls)
	}
	calls = 0
	err = r.Do(context.Background(), func(context.Context) error {
		calls++
		return Classify("alb", "X", sdkErr("ResourceAlreadyExist.Listener", 400))
	})
	if err == nil || calls != 1 {
		t.Fatalf("non-retryable: err %v after %d calls, want 1 call", err, calls)
	}
	calls = 0
	err = r.Do(context.Background(), func(context.Context) error {
		calls++
		return Classify("alb", "X", sdkErr("SystemBusy", 400))
	})
	if !HasCode(err, "SystemBusy") || calls != 4 {
		t.Fatalf("exhausted: err %v after %d calls, want 4", err, calls)
	}
}

func TestPollStopsOnContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := Poll(ctx, time.Millisecond, time.Millisecond, func(context.Context) (bool, error) {
		n++
		if n == 3 {
			cancel()
		}
		return false, nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestParseEndpoint(t *testing.T) {
	for _, bad := range []string{"127.0.0.1:18080", "ftp://x", "http://", "http://h/path", "http://u:p@h"} {
		if _, _, err := ParseEndpoint(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if s, h, err := ParseEndpoint("http://127.0.0.1:18080"); err != nil || s != "http" || h != "127.0.0.1:18080" {
		t.Errorf("got %s %s %v", s, h, err)
	}
}

func TestClassifyTransport(t *testing.T) {
	for _, err := range []error{
		&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED},
		&url.Error{Op: "Post", URL: "http://127.0.0.1:1/", Err: io.EOF},
		fmt.Errorf("wrapped: %w", syscall.ECONNRESET),
	} {
		if !IsRetryable(Classify("alb", "ListListeners", err)) {
			t.Errorf("%v: not retryable", err)
		}
	}
	if IsRetryable(Classify("alb", "ListListeners", errors.New("connection reset by peer (only text)"))) {
		t.Error("classified by message text")
	}
}

func TestSecretParams(t *testing.T) {
	for name, secret := range map[string]bool{
		"PrivateKey": true, "AccessKeySecret": true, "SecurityToken": true, "Password": true, "DBPassword": true,
		"LoadBalancerId": false, "ClientToken": false, "CertificateId": false, "ServerCertificateId": false,
	} {
		if secretParam(name) != secret {
			t.Errorf("secretParam(%q) = %v", name, !secret)
		}
	}
}

func dialRefused() error {
	return &url.Error{Op: "Post", URL: "http://127.0.0.1:1/?Action=X", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
}

func TestClassifyClasses(t *testing.T) {
	for _, tt := range []struct {
		name  string
		err   error
		class Class
	}{
		{"refused", dialRefused(), ClassUnreachable},
		{"no such host", &url.Error{Op: "Post", URL: "https://alb.xx-nowhere-1.aliyuncs.com/", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "alb.xx-nowhere-1.aliyuncs.com"}}}, ClassUnreachable},
		{"reset", &url.Error{Op: "Post", URL: "http://h/", Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}, ClassNoAnswer},
		{"closed", &url.Error{Op: "Post", URL: "http://h/", Err: io.EOF}, ClassNoAnswer},
		{"cancelled", &url.Error{Op: "Post", URL: "http://h/", Err: context.Canceled}, ClassStopped},
		{"api", sdkErr("Throttling.User", 400), ClassAPI},
		{"text only", errors.New("dial tcp: connection refused"), ClassAPI},
	} {
		var e *Error
		if !errors.As(Classify("alb", "X", tt.err), &e) || e.Class != tt.class {
			t.Errorf("%s: class %v, want %v", tt.name, e.Class, tt.class)
		}
	}
}

func TestHintPerClass(t *testing.T) {
	cfg := Config{Region: "cn-hangzhou", Endpoint: "http://127.0.0.1:1"}
	hint := func(c Config, product string, err error) string {
		var e *Error
		errors.As(c.Classify(product, "X", err), &e)
		return e.Hint()
	}
	for _, tt := range []struct {
		name string
		got  string
		want []string
	}{
		{"unreachable --endpoint", hint(cfg, "alb", dialRefused()), []string{"nothing answers at http://127.0.0.1:1", "--endpoint", "wsdeploy fakecloud --addr 127.0.0.1:1", "cn-hangzhou"}},
		{"unreachable Alibaba Cloud", hint(Config{Region: "cn-hangzhou"}, "alb", &url.Error{Op: "Post", URL: "https://alb.cn-hangzhou.aliyuncs.com/?x", Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}),
			[]string{"alb.cn-hangzhou.aliyuncs.com is Alibaba Cloud's alb endpoint for region cn-hangzhou", "--region"}},
		{"ALB not found", hint(cfg, "alb", sdkErr("ResourceNotFound.LoadBalancer", 404)), []string{"no ALB with that ID in region cn-hangzhou", "alb.id"}},
		{"CLB not found", hint(cfg, "slb", sdkErr("InvalidLoadBalancerId.NotFound", 404)), []string{"no CLB with that ID in region cn-hangzhou", "clb.id"}},
		{"zone not found", hint(cfg, "alidns", sdkErr("InvalidDomainName.NoExist", 400)), []string{"DNS zone", "dns.domain"}},
		{"throttled", hint(cfg, "alb", sdkErr("Throttling.User", 400)), []string{"busy or throttling"}},
		{"pay-by-spec CLB end of sale", hint(cfg, "slb", sdkErr("PayBySpecSlbHaltSales", 400)), []string{"no longer sells pay-by-spec", "remove clb.create.spec", "nothing was created"}},
		{"quota", hint(cfg, "alb", sdkErr("QuotaExceeded.LoadBalancersNum", 400)), []string{"quota for alb", "Quota Center"}},
	} {
		for _, w := range tt.want {
			if !strings.Contains(tt.got, w) {
				t.Errorf("%s: hint %q lacks %q", tt.name, tt.got, w)
			}
		}
	}
}

// TestRetryGivesUpOnUnreachable: an endpoint that cannot be reached is
// retried until GiveUp, not until the attempts run out; other retryable
// errors are not bound by it.
func TestRetryGivesUpOnUnreachable(t *testing.T) {
	var reported []int
	r := Retry{Attempts: 100000, Base: time.Millisecond, Max: time.Millisecond, GiveUp: 30 * time.Millisecond,
		OnRetry: func(_ error, attempt int, _ time.Duration) { reported = append(reported, attempt) }}
	calls := 0
	err := r.Do(context.Background(), func(context.Context) error {
		calls++
		return Classify("alb", "X", dialRefused())
	})
	var e *Error
	if !errors.As(err, &e) || e.Class != ClassUnreachable || e.Attempts != calls || calls < 2 || calls >= 100000 {
		t.Fatalf("err %v after %d calls", err, calls)
	}
	if !strings.Contains(e.Error(), fmt.Sprintf("gave up after %d attempts", calls)) {
		t.Errorf("error %q does not say it gave up", e.Error())
	}
	if len(reported) != calls-1 || reported[0] != 1 {
		t.Errorf("OnRetry saw attempts %v over %d calls", reported, calls)
	}
	// Throttling is retried through every attempt, however long that takes.
	calls = 0
	r = Retry{Attempts: 5, Base: time.Millisecond, Max: time.Millisecond, GiveUp: time.Nanosecond}
	_ = r.Do(context.Background(), func(context.Context) error {
		calls++
		return Classify("alb", "X", sdkErr("Throttling.User", 400))
	})
	if calls != 5 {
		t.Errorf("throttled: %d calls, want 5", calls)
	}
}

// TestRetryGiveUpCutsAHangingAttempt: once the endpoint was unreachable, an
// attempt that hangs is ended at GiveUp, and the error says why it retried.
func TestRetryGiveUpCutsAHangingAttempt(t *testing.T) {
	r := Retry{Base: time.Millisecond, Max: time.Millisecond, GiveUp: 50 * time.Millisecond}
	calls := 0
	err := r.Do(context.Background(), func(ctx context.Context) error {
		calls++
		if calls == 1 {
			return Classify("alb", "X", dialRefused())
		}
		<-ctx.Done() // a connect that never completes
		return Classify("alb", "X", &url.Error{Op: "Post", URL: "http://127.0.0.1:1/", Err: ctx.Err()})
	})
	var e *Error
	if !errors.As(err, &e) || e.Class != ClassUnreachable || errors.Is(err, context.DeadlineExceeded) || calls != 2 {
		t.Fatalf("err %v (%d calls), want the unreachable error", err, calls)
	}
}

// TestRetryStoppedKeepsBoth: when ctx ends while retrying, the error is both
// the cloud error and the context's.
func TestRetryStoppedKeepsBoth(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := Retry{Base: time.Hour, Max: time.Hour, OnRetry: func(error, int, time.Duration) { cancel() }}
	err := r.Do(ctx, func(context.Context) error { return Classify("alb", "X", sdkErr("Throttling.User", 400)) })
	if !errors.Is(err, context.Canceled) || !HasCode(err, "Throttling.User") || !strings.Contains(err.Error(), "stopped retrying") {
		t.Fatalf("err = %v", err)
	}
}
