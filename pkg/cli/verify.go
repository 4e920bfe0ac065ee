package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/render"
	"github.com/wsdeploy/wsdeploy/pkg/verify"
)

type verifyOptions struct {
	target    string
	dial      []string
	ca        string
	insecure  bool
	idleCheck bool
	idleFor   time.Duration
	clients   int
	messages  int
	path      string
	origin    string
	dnsServer string
}

func newCmdVerify(g *globals) *cobra.Command {
	opts := &verifyOptions{}
	cmd := &cobra.Command{
		Use:   "verify [-f <file>] [--target <host:port>] [--idle-check] [--clients <n>] [--messages <n>] [-o text|json]",
		Short: "Prove the deployed WebSocket path works, end to end",
		Long: `verify checks every listener of the stack, the way a client sees it:

  dns        the record leads to the load balancer, as the cloud's API describes
             it: a CNAME (chain) to the ALB's DNS name, an A record to the CLB's
             address; skipped, saying why, when that cannot be known (with
             --local or --endpoint the record itself is read through the API
             instead of DNS, unless --dns-server is given)
  tcp, tls   the listener accepts connections; for HTTPS, the certificate's chain,
             name and days to expiry
  upgrade    GET /ws answers 101 with a correct Sec-WebSocket-Accept
  clients    two or more clients connect; verify reports which backend each reached
  broadcast  a message from each client reaches the clients of its backend
  fan-out    a message crosses from one backend to another (that is what Redis is for)
  latency    round-trip p50 and p99 over --messages messages
  idle       with --idle-check, a connection left idle past the listener's idle
             timeout survives (the app's pings must keep it open)

The targets come from wsdeploy.yaml (dns: and listeners:), or from --target. It
exits 1 when any check fails, so CI can run it after 'wsdeploy up'.`,
		Example: `  wsdeploy verify
  wsdeploy verify --idle-check -o json
  wsdeploy verify --target wss://chat.example.com:443 --ca private-ca.pem
  wsdeploy verify --target chat.example.com:5000 --dial 10.0.0.11:5000,10.0.0.12:5000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return verifyRun(cmd, g, opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.target, "target", "", "verify host:port (or ws://host:port, wss://host:port) instead of the stack's listeners")
	f.StringSliceVar(&opts.dial, "dial", nil, "connect to these addresses (host:port, comma-separated) instead of resolving the target's name")
	f.StringVar(&opts.ca, "ca", "", "PEM file of a CA to trust for wss:// (instead of the system's)")
	f.BoolVar(&opts.insecure, "insecure", false, "report an untrusted or misnamed certificate as a warning, not a failure")
	f.BoolVar(&opts.idleCheck, "idle-check", false, "keep a connection idle past the listener's idle timeout and check it survives (takes that long)")
	f.DurationVar(&opts.idleFor, "idle-for", 0, "how long --idle-check stays idle (default: the listener's idle timeout + 5s)")
	f.IntVar(&opts.clients, "clients", 2, "test clients that exchange messages (2-100)")
	f.IntVar(&opts.messages, "messages", 20, "messages timed by the latency check")
	f.StringVar(&opts.path, "path", "/ws", "the app's WebSocket path")
	f.StringVar(&opts.origin, "origin", "", "send this Origin header (an app with an origin allow-list may require one)")
	f.StringVar(&opts.dnsServer, "dns-server", "", "resolve the record through this DNS server (IP or host:port, e.g. 223.5.5.5) instead of the system's resolver")
	g.addFlags(cmd, flagsCloudCommand)
	return cmd
}

func verifyRun(cmd *cobra.Command, g *globals, opts *verifyOptions) error {
	ctx, cancel := g.withTimeout(cmd.Context())
	defer cancel()
	format, err := g.format()
	if err != nil {
		return err
	}
	s, err := g.verifyStack(cmd, opts.target != "")
	if err != nil {
		return err
	}
	rep, err := g.verifyReport(ctx, s, opts)
	if err != nil {
		return err
	}
	if format == render.JSON {
		if err := render.WriteJSON(g.ios.Out, rep); err != nil {
			return err
		}
	} else if err := rep.WriteText(g.ios.Out); err != nil {
		return err
	}
	if !rep.OK {
		return &exitError{code: ExitError}
	}
	return nil
}

// verifyReport runs the checks against --target, or against the listeners of
// s (which may be nil with --target). `up --verify` can call it with the
// stack it just applied and &verifyOptions{} (every option at its default).
func (g *globals) verifyReport(ctx context.Context, s *config.Stack, opts *verifyOptions) (*verify.Report, error) {
	vo := verify.Options{
		Path: opts.path, Origin: opts.origin, Insecure: opts.insecure, Clients: opts.clients, Messages: opts.messages,
		IdleCheck: opts.idleCheck, IdleFor: opts.idleFor,
	}
	var err error
	if opts.ca != "" {
		if vo.RootCAs, err = readCA(opts.ca); err != nil {
			return nil, usageError(err)
		}
	}
	if vo.Targets, err = verifyTargets(s, opts); err != nil {
		return nil, err
	}
	if s != nil && (g.local || g.endpointValue() != "") && opts.dnsServer == "" {
		if vo.Resolve, vo.ExpectDNS, err = g.recordResolver(ctx, s); err != nil {
			return nil, err
		}
	} else {
		if opts.dnsServer != "" {
			if vo.Resolve, err = verify.ServerResolver(opts.dnsServer); err != nil {
				return nil, usageError(fmt.Errorf("--dns-server: %w", err))
			}
		}
		vo.ExpectDNS, vo.ExpectDNSUnknown = g.dnsExpectation(ctx, s, vo.Targets)
	}
	rep, err := verify.Run(ctx, vo)
	if err != nil {
		return nil, usageError(err)
	}
	return rep, nil
}

// verifyStack loads the stack file: always without --target, and with
// --target only when there is one (it then supplies the listener's protocol
// and idle timeout).
func (g *globals) verifyStack(cmd *cobra.Command, haveTarget bool) (*config.Stack, error) {
	if haveTarget {
		if _, err := os.Stat(g.configPath); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	return g.stack(cmd)
}

// verifyTargets turns --target, or the stack's DNS name and listeners, into targets.
func verifyTargets(s *config.Stack, opts *verifyOptions) ([]verify.Target, error) {
	for _, d := range opts.dial {
		if _, _, err := net.SplitHostPort(d); err != nil {
			return nil, usageError(fmt.Errorf("--dial %q: want host:port", d))
		}
	}
	if opts.target != "" {
		t, err := parseVerifyTarget(opts.target, s)
		if err != nil {
			return nil, usageError(err)
		}
		t.DialAddrs = opts.dial
		return []verify.Target{t}, nil
	}
	host := ""
	if s.DNS != nil {
		host = s.DNS.FQDN()
	}
	if host == "" {
		return nil, &hintError{
			err:  errors.New("the stack has no dns: section, so there is no name to verify"),
			hint: "pass --target host:port, e.g. the load balancer's DNS name that `wsdeploy up` printed",
		}
	}
	var out []verify.Target
	for _, l := range s.Listeners {
		scheme := "ws"
		if strings.EqualFold(l.Protocol, "HTTPS") {
			scheme = "wss"
		}
		out = append(out, verify.Target{
			Addr: net.JoinHostPort(host, strconv.Itoa(l.Port)), Scheme: scheme, DialAddrs: opts.dial,
			IdleTimeout: time.Duration(l.IdleTimeout) * time.Second,
		})
	}
	return out, nil
}

// parseVerifyTarget reads host:port, ws://host[:port] or wss://host[:port].
// Without a scheme, a listener of the stack on that port decides (HTTPS →
// wss), else port 443 means wss.
func parseVerifyTarget(raw string, s *config.Stack) (verify.Target, error) {
	scheme := ""
	hostport := raw
	if strings.Contains(raw, "://") {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
			return verify.Target{}, fmt.Errorf("--target %q: use host:port, ws://host:port or wss://host:port", raw)
		}
		scheme, hostport = u.Scheme, u.Host
		if u.Port() == "" {
			port := "80"
			if scheme == "wss" {
				port = "443"
			}
			hostport = net.JoinHostPort(u.Hostname(), port)
		}
	}
	host, portStr, err := net.SplitHostPort(hostport)
	port, perr := strconv.Atoi(portStr)
	if err != nil || host == "" || perr != nil || port < 1 || port > 65535 {
		return verify.Target{}, fmt.Errorf("--target %q: use host:port, ws://host:port or wss://host:port", raw)
	}
	t := verify.Target{Addr: hostport, Scheme: scheme}
	if s != nil {
		for _, l := range s.Listeners {
			if l.Port == port {
				t.IdleTimeout = time.Duration(l.IdleTimeout) * time.Second
				if t.Scheme == "" && strings.EqualFold(l.Protocol, "HTTPS") {
					t.Scheme = "wss"
				}
			}
		}
	}
	if t.Scheme == "" {
		t.Scheme = "ws"
		if port == 443 {
			t.Scheme = "wss"
		}
	}
	return t, nil
}

// recordResolver answers the dns check from the cloud's API instead of
// public DNS: the fake cloud's records resolve nowhere else. It also returns
// what the record must point at: the ALB's DNS name or the CLB's address.
func (g *globals) recordResolver(ctx context.Context, s *config.Stack) (verify.Resolver, string, error) {
	if s.DNS == nil {
		return nil, "", nil
	}
	c, err := g.connect(ctx, s)
	if err != nil {
		return nil, "", err
	}
	defer c.Close()
	expect, err := lbDestination(ctx, c, s)
	if err != nil {
		return nil, "", err
	}
	records, err := c.DNS.RecordsAt(ctx, s.DNS.Domain, s.DNS.RR)
	if err != nil {
		return nil, "", fmt.Errorf("read the DNS records at %s for the dns check: %w", s.DNS.FQDN(), err)
	}
	var a verify.Answer
	for _, r := range records {
		switch strings.ToUpper(r.Type) {
		case "CNAME":
			a.CNAME = r.Value
		case "A", "AAAA":
			a.Addrs = append(a.Addrs, r.Value)
		}
	}
	fqdn := s.DNS.FQDN()
	resolve := func(_ context.Context, host string) (verify.Answer, error) {
		if !strings.EqualFold(host, fqdn) || (a.CNAME == "" && len(a.Addrs) == 0) {
			return verify.Answer{}, fmt.Errorf("no record for %s in the cloud's DNS (read through the API; run wsdeploy up)", host)
		}
		return a, nil
	}
	return resolve, expect, nil
}

// lbDestination reads where the stack's record must lead: the ALB's DNS
// name or the CLB's address.
func lbDestination(ctx context.Context, c *clients, s *config.Stack) (string, error) {
	if s.LB == config.LBCLB {
		lb, err := c.CLB.GetLoadBalancer(ctx, s.LBID())
		if err != nil {
			return "", fmt.Errorf("read CLB %s for the dns check: %w", s.LBID(), err)
		}
		return lb.Address, nil
	}
	lb, err := c.ALB.GetLoadBalancer(ctx, s.LBID())
	if err != nil {
		return "", fmt.Errorf("read ALB %s for the dns check: %w", s.LBID(), err)
	}
	return lb.DNSName, nil
}

// dnsExpectation reads, through the cloud's API, where the stack's record
// must lead on DNS (see lbDestination). When that cannot be known it says
// why instead, and the dns check is skipped with that reason: verify does
// not need credentials for its other checks, so it does not fail for lack
// of them.
func (g *globals) dnsExpectation(ctx context.Context, s *config.Stack, targets []verify.Target) (expect, unknown string) {
	switch {
	case s == nil:
		return "", "no stack file names the load balancer"
	case s.DNS == nil:
		return "", "the stack has no dns: section naming the record"
	}
	fqdn := s.DNS.FQDN()
	for _, t := range targets {
		if host, _, _ := net.SplitHostPort(t.Addr); !strings.EqualFold(host, fqdn) {
			return "", fmt.Sprintf("%s is not the stack's record (%s)", host, fqdn)
		}
	}
	c, err := g.connect(ctx, s)
	if err != nil {
		var ce *cloud.CredentialError
		if errors.As(err, &ce) {
			return "", "no Alibaba Cloud credentials to read the load balancer with (`wsdeploy status` says where they are looked for)"
		}
		first, _, _ := strings.Cut(err.Error(), "\n")
		return "", "cannot read the load balancer through the API: " + first
	}
	defer c.Close()
	if expect, err = lbDestination(ctx, c, s); err != nil {
		first, _, _ := strings.Cut(err.Error(), "\n")
		return "", first
	}
	return expect, ""
}

func readCA(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--ca %s: no PEM certificate in it", path)
	}
	return pool, nil
}
