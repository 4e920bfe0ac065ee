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
