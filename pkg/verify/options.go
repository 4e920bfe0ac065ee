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
	// CNAME is the name the looked-up name is an alias of, when it is one.
	CNAME string `json:"cname,omitempty"`
	// Chain are the further aliases from CNAME on, in order: the last one is
	// the canonical name. A resolver may know only some of them (the system's
	// may tell the canonical name alone).
	Chain []string `json:"chain,omitempty"`
	Addrs []string `json:"addrs,omitempty"`
}

// aliases are CNAME and Chain.
func (a Answer) aliases() []string {
	if a.CNAME == "" {
		return nil
	}
	return append([]string{a.CNAME}, a.Chain...)
}

// canonical is the last alias, or name itself when a is no alias.
func (a Answer) canonical(name string) string {
	if al := a.aliases(); len(al) > 0 {
		return al[len(al)-1]
	}
	return name
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
	// ExpectDNS is where the name must lead: the ALB's DNS name (the name's
	// CNAME chain must reach it, or the name must resolve to the same
	// addresses) or the CLB's address (the name must resolve to it and to
	// nothing else). Empty: the answer cannot be judged, and the dns check
	// is skipped saying ExpectDNSUnknown (why ExpectDNS is not known).
	ExpectDNS        string
	ExpectDNSUnknown string
	// NoDNS, when set, says the targets are the load balancer's own address
	// (a stack without dns:): the dns check is skipped with it as its summary.
	NoDNS string
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
	return LookupResolver(net.DefaultResolver)(ctx, host)
}

// Lookup is the part of a *net.Resolver the dns check uses.
type Lookup interface {
	LookupCNAME(ctx context.Context, host string) (string, error)
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// maxAliases bounds the CNAME chain LookupResolver follows.
const maxAliases = 8

// LookupResolver resolves with l: it follows the name's CNAME chain alias by
// alias as far as l tells it (Go's resolver answers LookupCNAME with the
// next alias or with the canonical name, the system's C library with the
// canonical name), then looks the name's addresses up.
func LookupResolver(l Lookup) Resolver {
	return func(ctx context.Context, host string) (Answer, error) {
		var a Answer
		seen := map[string]bool{canonKey(host): true}
		for name := host; len(a.aliases()) < maxAliases; {
			next, err := l.LookupCNAME(ctx, name)
			if err != nil || seen[canonKey(next)] {
				break
			}
			seen[canonKey(next)] = true
			if next = strings.TrimSuffix(next, "."); a.CNAME == "" {
				a.CNAME = next
			} else {
				a.Chain = append(a.Chain, next)
			}
			name = next
		}
		addrs, err := l.LookupHost(ctx, host)
		if err != nil {
			return a, err
		}
		a.Addrs = addrs
		return a, nil
	}
}

// ServerResolver resolves through the DNS server at addr (host:port, or an
// IP address for port 53) instead of the system's: over UDP, and TCP when an
// answer is too long for UDP.
func ServerResolver(addr string) (Resolver, error) {
	server, err := serverAddr(addr)
	if err != nil {
		return nil, err
	}
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, server)
	}}
	return LookupResolver(serverLookup{r: r, server: server}), nil
}

func serverAddr(addr string) (string, error) {
	if ip := net.ParseIP(strings.Trim(addr, "[]")); ip != nil {
		return net.JoinHostPort(ip.String(), "53"), nil
	}
	host, port, err := net.SplitHostPort(addr)
	if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("DNS server %q: want an IP address or host:port, e.g. 223.5.5.5 or 8.8.8.8:53", addr)
	}
	return addr, nil
}

// serverLookup names the server it asked in its errors: Go's resolver names
// the system's first nameserver there, whatever it dialled.
type serverLookup struct {
	r      *net.Resolver
	server string
}

func (s serverLookup) LookupCNAME(ctx context.Context, host string) (string, error) {
	cname, err := s.r.LookupCNAME(ctx, host)
	return cname, s.named(err)
}

func (s serverLookup) LookupHost(ctx context.Context, host string) ([]string, error) {
	addrs, err := s.r.LookupHost(ctx, host)
	return addrs, s.named(err)
}

func (s serverLookup) named(err error) error {
	var de *net.DNSError
	if errors.As(err, &de) {
		named := *de
		named.Server = s.server
		return &named
	}
	return err
}

// unreachable says the resolver gave no answer at all (timed out, refused,
// failed), as opposed to answering that the name does not exist.
func unreachable(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && !de.IsNotFound && (de.IsTimeout || de.IsTemporary)
}

func sameName(a, b string) bool { return canonKey(a) == canonKey(b) }

func canonKey(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) }
