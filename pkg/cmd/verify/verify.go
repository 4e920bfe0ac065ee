// Package verify implements `wsdeploy verify`: the WebSocket path checks of
// pkg/verify against the stack's listeners or a --target.
package verify

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
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/render"
	"github.com/wsdeploy/wsdeploy/pkg/verify"
)

// VerifyOptions are the inputs of `wsdeploy verify`.
type VerifyOptions struct {
	IO      iostreams.IOStreams
	Factory *cmdutil.Factory
	cmdutil.CloudOptions

	Target    string
	Dial      []string
	CA        string
	Insecure  bool
	IdleCheck bool
	IdleFor   time.Duration
	Clients   int
	Messages  int
	Path      string
	Origin    string
	DNSServer string
}

// NewCmdVerify is `wsdeploy verify`. runF, when set, is called with the
// options instead of running the command (tests).
func NewCmdVerify(f *cmdutil.Factory, runF func(*VerifyOptions) error) *cobra.Command {
	opts := &VerifyOptions{IO: f.IOStreams, Factory: f}
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
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Stack.Complete(cmd)
			if runF != nil {
				return runF(opts)
			}
			return verifyRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Target, "target", "", "verify host:port (or ws://host:port, wss://host:port) instead of the stack's listeners")
	fl.StringSliceVar(&opts.Dial, "dial", nil, "connect to these addresses (host:port, comma-separated) instead of resolving the target's name")
	fl.StringVar(&opts.CA, "ca", "", "PEM file of a CA to trust for wss:// (instead of the system's)")
	fl.BoolVar(&opts.Insecure, "insecure", false, "report an untrusted or misnamed certificate as a warning, not a failure")
	fl.BoolVar(&opts.IdleCheck, "idle-check", false, "keep a connection idle past the listener's idle timeout and check it survives (takes that long)")
	fl.DurationVar(&opts.IdleFor, "idle-for", 0, "how long --idle-check stays idle (default: the listener's idle timeout + 5s)")
	fl.IntVar(&opts.Clients, "clients", 2, "test clients that exchange messages (2-100)")
	fl.IntVar(&opts.Messages, "messages", 20, "messages timed by the latency check")
	fl.StringVar(&opts.Path, "path", "/ws", "the app's WebSocket path")
	fl.StringVar(&opts.Origin, "origin", "", "send this Origin header (an app with an origin allow-list may require one)")
	fl.StringVar(&opts.DNSServer, "dns-server", "", "resolve the record through this DNS server (IP or host:port, e.g. 223.5.5.5) instead of the system's resolver")
	cmdutil.AddCloudCommandFlags(cmd, &opts.CloudOptions)
	return cmd
}

func verifyRun(ctx context.Context, opts *VerifyOptions) error {
	ctx, cancel := opts.Factory.WithTimeout(ctx, opts.Cloud.Timeout)
	defer cancel()
	format, err := cmdutil.ParseFormat(opts.Output)
	if err != nil {
		return err
	}
	s, err := verifyStack(opts)
	if err != nil {
		return err
	}
	rep, err := Report(ctx, opts, s)
	if err != nil {
		return err
	}
	if format == render.JSON {
		if err := render.WriteJSON(opts.IO.Out, rep); err != nil {
			return err
		}
	} else if err := rep.WriteText(opts.IO.Out); err != nil {
		return err
	}
	if !rep.OK {
		return cmdutil.Exit(cmdutil.ExitError)
	}
	return nil
}

// Report runs the checks against --target, or against the listeners of s
// (which may be nil with --target). `up --verify` calls it with the stack it
// just applied and options at the defaults of verify's flags.
func Report(ctx context.Context, opts *VerifyOptions, s *config.Stack) (*verify.Report, error) {
	vo := verify.Options{
		Path: opts.Path, Origin: opts.Origin, Insecure: opts.Insecure, Clients: opts.Clients, Messages: opts.Messages,
		IdleCheck: opts.IdleCheck, IdleFor: opts.IdleFor,
	}
	var err error
	if opts.CA != "" {
		if vo.RootCAs, err = readCA(opts.CA, opts.Factory.Path(opts.CA)); err != nil {
			return nil, cmdutil.FlagError(err)
		}
	}
	lbHost := ""
	if opts.Target == "" && s != nil && s.DNS == nil {
		// No record to go through: the load balancer's own address (nodns.go).
		if lbHost, err = lbAddress(ctx, opts, s); err != nil {
			return nil, err
		}
		vo.NoDNS = "the stack has no dns: section: verify connects to the load balancer's own address, " + lbHost + ", directly"
	}
	if vo.Targets, err = verifyTargets(s, opts, lbHost); err != nil {
		return nil, err
	}
	if opts.DNSServer != "" {
		if vo.Resolve, err = verify.ServerResolver(opts.DNSServer); err != nil {
			return nil, cmdutil.FlagError(fmt.Errorf("--dns-server: %w", err))
		}
	}
	fake := s != nil && (opts.Cloud.Local || opts.Factory.Endpoint(opts.Cloud) != "")
	if fake {
		if err := onFakeCloud(ctx, opts, s, &vo); err != nil {
			return nil, err
		}
	}
	if !fake || opts.DNSServer != "" {
		vo.ExpectDNS, vo.ExpectDNSUnknown = dnsExpectation(ctx, opts, s, vo.Targets)
	}
	rep, err := verify.Run(ctx, vo)
	if err != nil {
		return nil, cmdutil.FlagError(err)
	}
	return rep, nil
}

// verifyStack loads the stack file: always without --target, and with
// --target only when there is one (it then supplies the listener's protocol
// and idle timeout).
func verifyStack(opts *VerifyOptions) (*config.Stack, error) {
	if opts.Target != "" {
		if _, err := os.Stat(opts.Factory.Path(opts.Stack.ConfigPath)); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	return opts.Factory.Stack(&opts.CloudOptions)
}

// verifyTargets turns --target, or the stack's DNS name (else lbHost, the
// load balancer's own address) and listeners, into targets.
func verifyTargets(s *config.Stack, opts *VerifyOptions, lbHost string) ([]verify.Target, error) {
	for _, d := range opts.Dial {
		if _, _, err := net.SplitHostPort(d); err != nil {
			return nil, cmdutil.FlagError(fmt.Errorf("--dial %q: want host:port", d))
		}
	}
	if opts.Target != "" {
		t, err := parseVerifyTarget(opts.Target, s)
		if err != nil {
			return nil, cmdutil.FlagError(err)
		}
		t.DialAddrs = opts.Dial
		return []verify.Target{t}, nil
	}
	host := lbHost
	if s.DNS != nil {
		host = s.DNS.FQDN()
	}
	if host == "" {
		return nil, cmdutil.WithHint(
			errors.New("the stack has no dns: section, so there is no name to verify"),
			"pass --target host:port, e.g. the load balancer's DNS name that `wsdeploy up` printed",
		)
	}
	var out []verify.Target
	for _, l := range s.Listeners {
		scheme := "ws"
		if strings.EqualFold(l.Protocol, "HTTPS") {
			scheme = "wss"
		}
		out = append(out, verify.Target{
			Addr: net.JoinHostPort(host, strconv.Itoa(l.Port)), Scheme: scheme, DialAddrs: opts.Dial,
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

// onFakeCloud completes vo for a fake cloud (--local, --endpoint): unless
// --target or --dial say where to connect, each listener's target dials the
// local address where the fake's data plane serves it, trusting the fake's
// CA (unless --ca names one); and unless --dns-server is given, the dns
// check reads the record through the API.
func onFakeCloud(ctx context.Context, opts *VerifyOptions, s *config.Stack, vo *verify.Options) error {
	throughLB := opts.Target == "" && len(opts.Dial) == 0
	if !throughLB && opts.DNSServer != "" {
		return nil // nothing to ask the fake
	}
	c, err := opts.Factory.Connect(ctx, s, &opts.CloudOptions)
	if err != nil {
		return err
	}
	defer c.Close()
	if throughLB {
		dp, ca, err := readDataPlane(ctx, c.Endpoint)
		switch {
		case errors.Is(err, errNoDataPlane):
			// Not a fake with a data plane: the names are resolved as usual.
		case err != nil:
			return fmt.Errorf("read where the fake cloud's load balancers listen: %w", err)
		default:
			ds := s
			if s.CreatesLB() { // the listeners are on the load balancer the stack created
				lb, err := c.Reader().StackLB(ctx, s)
				if err != nil {
					return err
				}
				cp := *s
				if s.LB == config.LBCLB {
					cp.CLB = &config.LBRef{ID: lb.ID}
				} else {
					cp.ALB = &config.LBRef{ID: lb.ID}
				}
				ds = &cp
			}
			if err := throughDataPlane(dp, ds, vo.Targets, opts); err != nil {
				return err
			}
			if vo.RootCAs == nil {
				vo.RootCAs = ca
			}
		}
	}
	if opts.DNSServer == "" {
		vo.Resolve, vo.ExpectDNS, err = recordResolver(ctx, c, s)
	}
	return err
}

// recordResolver answers the dns check from the cloud's API instead of
// public DNS: the fake cloud's records resolve nowhere else. It also returns
// what the record must point at: the ALB's DNS name or the CLB's address.
func recordResolver(ctx context.Context, c *cmdutil.Clients, s *config.Stack) (verify.Resolver, string, error) {
	if s.DNS == nil {
		return nil, "", nil
	}
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
func lbDestination(ctx context.Context, c *cmdutil.Clients, s *config.Stack) (string, error) {
	lb, err := c.Reader().StackLB(ctx, s) // named by id, or created by the stack (found by its tag)
	if err != nil {
		what := strings.ToUpper(s.LB) + " " + s.LBID()
		if s.CreatesLB() {
			what = "the " + strings.ToUpper(s.LB) + " the stack created"
		}
		return "", fmt.Errorf("read %s for the dns check: %w", what, err)
	}
	if s.LB == config.LBCLB {
		return lb.Address, nil
	}
	return lb.DNSName, nil
}

// dnsExpectation reads, through the cloud's API, where the stack's record
// must lead on DNS (see lbDestination). When that cannot be known it says
// why instead, and the dns check is skipped with that reason: verify does
// not need credentials for its other checks, so it does not fail for lack
// of them.
func dnsExpectation(ctx context.Context, opts *VerifyOptions, s *config.Stack, targets []verify.Target) (expect, unknown string) {
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
	c, err := opts.Factory.Connect(ctx, s, &opts.CloudOptions)
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

// readCA reads the PEM file name (at path on disk).
func readCA(name, path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path == path {
			pe.Path = name
		}
		return nil, fmt.Errorf("--ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--ca %s: no PEM certificate in it", name)
	}
	return pool, nil
}
