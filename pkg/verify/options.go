package verify

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Target is one listener to verify.
type Target struct {
	// Addr is host:port as clients name it: the Host header and the TLS
	// server name come from it.
	Addr string `json:"addr"`
	// Scheme is "ws" or "wss" (an HTTPS listener).
	Scheme string `json:"scheme"`
	// DialAddrs, when set, are where to connect instead of resolving Addr's
	// host: the load balancer's addresses, or the backends themselves. Test
	// clients take them in turn.
	DialAddrs []string `json:"dialAddrs,omitempty"`
	// IdleTimeout is the listener's idle timeout; the idle check stays idle
	// longer than this.
	IdleTimeout time.Duration `json:"idleTimeout,omitempty"`
}

// Answer is what a DNS name resolves to.
type Answer struct {
	CNAME string   `json:"cname,omitempty"` // the canonical name, when the name is an alias
	Addrs []string `json:"addrs,omitempty"`
}

// Resolver looks a host name up. The CLI passes one that reads the record
// through the cloud's API when the cloud is a fake.
type Resolver func(ctx context.Context, host string) (Answer, error)

// Options configure Run. Zero values take the defaults in their comments.
type Options struct {
	Targets []Target
	// Path is the WebSocket endpoint (default "/ws").
	Path string
	// Origin, when set, is sent as the Origin header.
	Origin string
	// Resolve looks names up for the DNS check (default: the system resolver).
	Resolve Resolver
	// ExpectDNS is what the name must resolve to: the load balancer's DNS
	// name (a CNAME) or address (an A record). Empty: any answer passes.
	ExpectDNS string
	// RootCAs verify TLS certificates (default: the system's); Insecure
	// reports an untrusted certificate as a warning instead of a failure.
	RootCAs  *x509.CertPool
	Insecure bool
	// Clients is how many test clients exchange messages (default 2, at least 2).
	Clients int
	// Messages is how many round trips the latency check measures (default 20).
	Messages int
	// MessageInterval paces the test messages so they stay under the app's
	// rate limit (default 100ms, which suits wschat's default of 10 per second).
	MessageInterval time.Duration
	// IdleCheck keeps a connection idle for IdleFor and checks it survived.
	IdleCheck bool
	// IdleFor defaults to the target's IdleTimeout plus 5s, or 65s (the
	// longest idle timeout ALB and CLB allow, plus 5s) when that is unknown.
	IdleFor time.Duration
	// Timeout bounds each network step (default 5s).
	Timeout time.Duration
	// Dial opens TCP connections (default: a net.Dialer).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now is the clock for certificate expiry (default time.Now).
	Now func() time.Time
}

func (o *Options) defaults() error {
	var errs []error
	if len(o.Targets) == 0 {
		errs = append(errs, errors.New("no target: give host:port to verify"))
	}
	for i := range o.Targets {
		t := &o.Targets[i]
		t.Scheme = strings.ToLower(t.Scheme)
		if t.Scheme == "" {
			t.Scheme = "ws"
		}
		if t.Scheme != "ws" && t.Scheme != "wss" {
			errs = append(errs, fmt.Errorf("target %s: scheme %q: use ws or wss", t.Addr, t.Scheme))
		}
		if _, port, err := net.SplitHostPort(t.Addr); err != nil {
			errs = append(errs, fmt.Errorf("target %q: want host:port", t.Addr))
		} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			errs = append(errs, fmt.Errorf("target %s: port %q is not 1-65535", t.Addr, port))
		}
		for _, d := range t.DialAddrs {
			if _, _, err := net.SplitHostPort(d); err != nil {
				errs = append(errs, fmt.Errorf("target %s: dial address %q: want host:port", t.Addr, d))
			}
		}
	}
	if o.Path == "" {
		o.Path = "/ws"
	}
	if !strings.HasPrefix(o.Path, "/") {
		errs = append(errs, fmt.Errorf("path %q: must start with /", o.Path))
	}
	if o.Clients == 0 {
		o.Clients = 2
	}
	if o.Clients < 2 || o.Clients > 100 {
		errs = append(errs, fmt.Errorf("clients %d: use 2-100 (a message needs someone to reach)", o.Clients))
	}
	if o.Messages == 0 {
		o.Messages = 20
	}
	if o.Messages < 1 || o.Messages > 10000 {
		errs = append(errs, fmt.Errorf("messages %d: use 1-10000", o.Messages))
	}
	if o.MessageInterval == 0 {
		o.MessageInterval = 100 * time.Millisecond
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.IdleFor < 0 {
		errs = append(errs, fmt.Errorf("idle duration %s: must be positive", o.IdleFor))
	}
	if o.Resolve == nil {
		o.Resolve = SystemResolver
	}
	if o.Dial == nil {
		d := &net.Dialer{}
		o.Dial = d.DialContext
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return errors.Join(errs...)
}

// SystemResolver resolves with the operating system's resolver.
func SystemResolver(ctx context.Context, host string) (Answer, error) {
	var r net.Resolver
	var a Answer
	if cname, err := r.LookupCNAME(ctx, host); err == nil && !sameName(cname, host) {
		a.CNAME = strings.TrimSuffix(cname, ".")
	}
	addrs, err := r.LookupHost(ctx, host)
	if err != nil {
		return a, err
	}
	a.Addrs = addrs
	return a, nil
}

func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}
