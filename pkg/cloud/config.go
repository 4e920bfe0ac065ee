// Package cloud holds what every product adapter shares: client configuration
// and credentials, the classified Error type, and retry/poll policies. The
// product adapters live in pkg/cloud/{alb,clb,dns,ecs}.
package cloud

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/credentials-go/credentials"
)

// Config says where and as whom to call the cloud.
type Config struct {
	Region string
	// Endpoint, when set, sends every product to one URL (http://127.0.0.1:18080),
	// e.g. a wsdeploy fakecloud. Empty means Alibaba Cloud's own endpoints.
	Endpoint string
	// Credential must be safe for concurrent use: build it with
	// StaticCredential, DefaultCredential or Locked.
	Credential credentials.Credential
	// Retry is the policy for retryable errors of single calls.
	Retry Retry
	// PageSize is the page size of list calls; 0 means 100, the APIs' maximum
	// (fewest calls). Tests set it small to exercise pagination.
	PageSize int
	// Trace, if set, is told about every API call (for request counting).
	Trace func(Call)
	// Waits paces the waits for asynchronous work and learns from them:
	// one per run, shared by its clients (NewWaits). Nil: each client
	// keeps its own.
	Waits *Waits
	// Debug, if set, gets one line per HTTP request: product, action,
	// parameters, status, request ID and duration. Credentials and signatures
	// travel in headers, which are never written.
	Debug *DebugLog
}

// Call describes one finished API call, for tracing. It holds no secrets.
type Call struct {
	Product, Action string
	Write           bool
	Err             error
	Millis          int64
}

// Page is the page size to ask list calls for.
func (c Config) Page() int32 {
	if c.PageSize > 0 && c.PageSize < 100 {
		return int32(c.PageSize)
	}
	return 100
}

// ParseEndpoint checks an --endpoint value and returns the scheme and host:port.
func ParseEndpoint(raw string) (scheme, host string, err error) {
	if !strings.Contains(raw, "://") {
		return "", "", fmt.Errorf("endpoint %q: want a URL such as http://127.0.0.1:18080", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("endpoint %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", fmt.Errorf("endpoint %q: scheme must be http or https", raw)
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return "", "", fmt.Errorf("endpoint %q: want only scheme, host and port, such as http://127.0.0.1:18080", raw)
	}
	return u.Scheme, u.Host, nil
}

// OpenAPI builds the SDK configuration for one product.
func (c Config) OpenAPI() (*openapiutil.Config, error) {
	oc := &openapiutil.Config{
		RegionId:       tea.String(c.Region),
		Credential:     c.Credential,
		ConnectTimeout: tea.Int(5000),
		ReadTimeout:    tea.Int(30000),
	}
	// Our own HTTP client: the SDK's shared default client has its Timeout
	// written on every call, which races when calls run in parallel.
	oc.HttpClient = &httpDoer{c: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(), Timeout: 35 * time.Second}, debug: c.Debug}
	if c.Endpoint != "" {
		scheme, host, err := ParseEndpoint(c.Endpoint)
		if err != nil {
			return nil, err
		}
		oc.Endpoint = tea.String(host)
		oc.Protocol = tea.String(strings.ToUpper(scheme))
	}
	return oc, nil
}

// StaticCredential returns an access-key credential (used for the local fake cloud).
func StaticCredential(id, secret string) (credentials.Credential, error) {
	c, err := credentials.NewCredential(&credentials.Config{
		Type:            tea.String("access_key"),
		AccessKeyId:     tea.String(id),
		AccessKeySecret: tea.String(secret),
	})
	return Locked(c), err
}

// Classify is Classify with what the configuration knows about the call:
// its region, and the endpoint when --endpoint sent it elsewhere.
func (c Config) Classify(product, action string, err error) error {
	err = Classify(product, action, err)
	var e *Error
	if errors.As(err, &e) {
		e.Region = c.Region
		if c.Endpoint != "" {
			e.Custom, e.Endpoint = true, c.Endpoint
		}
	}
	return err
}

// httpDoer adapts an *http.Client to the SDK's dara.HttpClient, and writes
// the --debug log.
type httpDoer struct {
	c     *http.Client
	debug *DebugLog
}

func (h *httpDoer) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	if h.debug == nil {
		return h.c.Do(req)
	}
	params := req.URL.Query()
	if req.Body != nil && strings.HasPrefix(req.Header.Get("content-type"), "application/x-www-form-urlencoded") {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		if form, err := url.ParseQuery(string(body)); err == nil {
			for k, v := range form {
				params[k] = v
			}
		}
	}
	secretValue := strings.HasSuffix(header(req, "x-acs-action"), "SecretParameter") // OOS: Value is the secret
	for k := range params {
		if secretParam(k) || (secretValue && k == "Value") {
			params[k] = []string{"REDACTED"}
		}
	}
	start := time.Now()
	resp, err := h.c.Do(req)
	line := DebugLine{
		Product: productOf(header(req, "x-acs-version")), Action: header(req, "x-acs-action"),
		Params: params.Encode(), Millis: time.Since(start).Milliseconds(),
	}
	if err != nil {
		line.Error = err.Error()
	} else {
		line.Status = resp.StatusCode
		line.RequestID = resp.Header.Get("x-acs-request-id")
		if line.RequestID == "" {
			line.RequestID = "-"
		}
	}
	h.debug.write(line)
	return resp, err
}

// DebugLog writes --debug lines; safe for concurrent use.
type DebugLog struct {
	mu   sync.Mutex
	w    io.Writer
	emit func(DebugLine)
}

// NewDebugLog writes debug lines to w.
func NewDebugLog(w io.Writer) *DebugLog { return &DebugLog{w: w} }

// NewDebugLogFunc hands every debug line to emit (which formats it), one call at a time.
func NewDebugLogFunc(emit func(DebugLine)) *DebugLog { return &DebugLog{emit: emit} }

// DebugLine is one API call in the debug log.
type DebugLine struct {
	Product, Action, Params, RequestID, Error string
	Status                                    int
	Millis                                    int64
}

func (d *DebugLog) write(l DebugLine) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.emit != nil {
		d.emit(l)
		return
	}
	if l.Error != "" {
		fmt.Fprintf(d.w, "debug: %s %s error=%q %dms params=%s\n", l.Product, l.Action, l.Error, l.Millis, l.Params)
		return
	}
	fmt.Fprintf(d.w, "debug: %s %s status=%d requestId=%s %dms params=%s\n", l.Product, l.Action, l.Status, l.RequestID, l.Millis, l.Params)
}

func productOf(version string) string {
	switch version {
	case "2020-06-16":
		return "alb"
	case "2014-05-15":
		return "slb"
	case "2015-01-09":
		return "alidns"
	case "2014-05-26":
		return "ecs"
	case "2019-06-01":
		return "oos"
	case "2015-04-01":
		return "sts"
	}
	return version
}

// header reads a request header the SDK may have set without canonicalising its name.
func header(req *http.Request, name string) string {
	if v := req.Header.Get(name); v != "" {
		return v
	}
	if v := req.Header[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// secretParam reports parameter names whose values must never be logged
// (certificate private keys, passwords, security tokens).
func secretParam(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"secret", "password", "privatekey", "securitytoken", "accesskey"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
