package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/alb"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/dns"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/ecs"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// defaultConfigPath is the stack file used without -f.
const defaultConfigPath = "wsdeploy.yaml"

// LocalStatePath is where --local keeps the fake cloud's world.
const LocalStatePath = ".wsdeploy/local-cloud.json"

// globals are the flags every command shares, and what they lead to.
type globals struct {
	ios    IOStreams
	getenv Getenv
	build  Build

	configPath string
	lb         string
	region     string
	endpoint   string
	output     string
	local      bool
	yes        bool
	timeout    time.Duration
	profile    string
	debug      bool

	stderr stderrLog

	// args is the command line (for hints that say what to run again).
	args []string
	// deadlines are the contexts --timeout ends (see withTimeout).
	mu        sync.Mutex
	deadlines []context.Context
	retries   map[string]int // reason -> highest attempt reported
}

// format checks -o.
func (g *globals) format() (render.Format, error) {
	f, err := render.ParseFormat(g.output)
	if err != nil {
		return "", usageError(err)
	}
	return f, nil
}

// usageError marks flag misuse.
func usageError(err error) error { return &exitError{code: ExitError, err: err} }

// stack loads and validates the stack file. With --local and no file at the
// default path, the built-in demo stack is used. No API call happens here.
func (g *globals) stack(cmd *cobra.Command) (*config.Stack, error) {
	if g.local && g.endpointValue() != "" {
		return nil, usageError(errors.New("--local and --endpoint (or WSDEPLOY_ENDPOINT) both name a cloud: use one of them"))
	}
	o := config.Overrides{LB: g.lb, Region: g.region}
	explicit := cmd.Flags().Changed("config")
	if g.local && !explicit {
		if _, err := os.Stat(g.configPath); errors.Is(err, fs.ErrNotExist) {
			s := config.Demo()
			if err := config.Resolve(s, o); err != nil {
				return nil, err
			}
			g.log().DemoStack(g.configPath, s.Stack)
			return s, nil
		}
	}
	if _, err := os.Stat(g.configPath); errors.Is(err, fs.ErrNotExist) {
		return nil, &hintError{
			err:  fmt.Errorf("no stack file %s", g.configPath),
			hint: "run `wsdeploy init` to write one, pass -f <file>, or add --local to try the built-in demo stack",
		}
	}
	s, err := config.LoadAndResolve(g.configPath, o)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (g *globals) endpointValue() string {
	if g.endpoint != "" {
		return g.endpoint
	}
	return g.getenv("WSDEPLOY_ENDPOINT")
}

// clients are the API clients of one command run.
type clients struct {
	ALB      *alb.Client
	CLB      *clb.Client
	DNS      *dns.Client
	ECS      *ecs.Client
	Endpoint string // "" = Alibaba Cloud
	close    func()
}

func (c *clients) Close() {
	if c.close != nil {
		c.close()
	}
}

// connect builds the API clients: for --local, against an in-process fake
// cloud; otherwise against --endpoint or Alibaba Cloud, with credentials from
// credentials-go's default chain.
func (g *globals) connect(ctx context.Context, s *config.Stack) (*clients, error) {
	cfg := cloud.Config{Region: s.Region, Retry: cloud.Retry{GiveUp: retryGiveUp, OnRetry: g.retrying}}
	if g.debug {
		log := g.log()
		cfg.Debug = cloud.NewDebugLogFunc(func(l cloud.DebugLine) {
			log.Debug(render.APICall{Product: l.Product, Action: l.Action, Status: l.Status, RequestID: l.RequestID, Millis: l.Millis, Params: l.Params, Error: l.Error})
		})
	}
	out := &clients{}
	switch {
	case g.local:
		srv, err := startLocal(ctx)
		if err != nil {
			return nil, err
		}
		cfg.Endpoint = srv.url
		cfg.Credential, err = cloud.StaticCredential(srv.keyID, srv.secret)
		if err != nil {
			srv.stop()
			return nil, err
		}
		out.close = srv.stop
	default:
		cfg.Endpoint = g.endpointValue()
		if cfg.Endpoint != "" {
			if _, _, err := cloud.ParseEndpoint(cfg.Endpoint); err != nil {
				return nil, usageError(fmt.Errorf("--endpoint: %w", err))
			}
		}
		// Credentials are found now, before any call, so that a missing or
		// broken source is reported as such (a *cloud.CredentialError, in
		// wsdeploy's words: the providers' own messages can quote secrets).
		cred, err := cloud.DefaultCredential(g.profile)
		if err != nil {
			return nil, err
		}
		if _, err := cred.GetCredential(); err != nil {
			return nil, err
		}
		cfg.Credential = cred
	}
	out.Endpoint = cfg.Endpoint
	var err error
	if out.ALB, err = alb.New(cfg); err != nil {
		out.Close()
		return nil, err
	}
	if out.CLB, err = clb.New(cfg); err != nil {
		out.Close()
		return nil, err
	}
	if out.DNS, err = dns.New(cfg); err != nil {
		out.Close()
		return nil, err
	}
	if out.ECS, err = ecs.New(cfg); err != nil {
		out.Close()
		return nil, err
	}
	return out, nil
}

type localCloud struct {
	url, keyID, secret string
	stop               func()
}

// startLocal serves the fake cloud in-process on a loopback port. Its world
// lives in LocalStatePath, so separate wsdeploy processes see one cloud.
func startLocal(ctx context.Context) (*localCloud, error) {
	dir := filepath.Dir(LocalStatePath)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	// The folder ignores itself, so the local world never lands in a commit.
	if ign := filepath.Join(dir, ".gitignore"); !fileExists(ign) {
		if err := os.WriteFile(ign, []byte("# written by wsdeploy --local: the local fake cloud's state\n*\n"), 0o644); err != nil {
			return nil, fmt.Errorf("write %s: %w", ign, err)
		}
	}
	seed := fakecloud.DemoSeed()
	srv, err := fakecloud.New(fakecloud.Options{Seed: seed, StatePath: LocalStatePath, AsyncDuration: 400 * time.Millisecond})
	if err != nil {
		return nil, fmt.Errorf("start the local fake cloud: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the local fake cloud: %w", err)
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = fakecloud.Serve(sctx, ln, srv)
	}()
	return &localCloud{
		url: "http://" + ln.Addr().String(), keyID: seed.AccessKeys[0].ID, secret: seed.AccessKeys[0].Secret,
		stop: func() { cancel(); <-done },
	}, nil
}

// hintError is an error with a next step.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }
func (e *hintError) Hint() string  { return e.hint }

// reader is the inventory reader over the command's clients.
func (c *clients) reader() inventory.Reader {
	return inventory.Reader{ALB: c.ALB, CLB: c.CLB, DNS: c.DNS, ECS: c.ECS}
}

// engine is an apply engine for the stack, on either kind of load balancer.
// interrupt (Ctrl-C) stops it from starting new steps; running ones finish.
func (c *clients) engine(s *config.Stack, events func(apply.Event), interrupt <-chan struct{}) *apply.Engine {
	return &apply.Engine{ALB: apply.ALBSteps{API: c.ALB}, CLB: apply.CLBSteps{API: c.CLB}, DNS: c.DNS, Stack: s.Stack, Events: events, Interrupt: interrupt}
}

// retryGiveUp bounds how long one call retries an endpoint that cannot be
// reached (tests shorten it).
var retryGiveUp = cloud.DefaultGiveUp

// retrying reports on stderr a call that is retried because the endpoint
// cannot be reached or did not answer, so a stalled run is never silent.
func (g *globals) retrying(err error, attempt int, delay time.Duration) {
	var e *cloud.Error
	if !errors.As(err, &e) || (e.Class != cloud.ClassUnreachable && e.Class != cloud.ClassNoAnswer) {
		return
	}
	// Calls run in parallel: one line per attempt and reason is enough.
	g.mu.Lock()
	if g.retries == nil {
		g.retries = map[string]int{}
	}
	seen := g.retries[e.Reason()] >= attempt+1
	if !seen {
		g.retries[e.Reason()] = attempt + 1
	}
	g.mu.Unlock()
	if seen {
		return
	}
	g.log().Retrying(e.Product, e.Action, e.Reason(), attempt+1, delay)
}

// applyContext is the context steps run in: not cancelled by Ctrl-C (the
// engine stops between steps instead, so nothing is left half-done), but
// bounded by --timeout. A second Ctrl-C ends the process (see main).
func (g *globals) applyContext(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return g.withTimeout(context.WithoutCancel(cmd.Context()))
}

// announceInterrupt tells the user, once, what Ctrl-C does during an apply.
func (g *globals) announceInterrupt(cmd *cobra.Command, done <-chan struct{}) {
	go func() {
		select {
		case <-cmd.Context().Done():
			g.log().Interrupt()
		case <-done:
		}
	}()
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// session is what a cloud command works with: its bounded context, output
// format, validated stack and API clients. Everything that can fail on bad
// input (flags, the stack file) is checked before any client is built.
type session struct {
	ctx     context.Context
	format  render.Format
	stack   *config.Stack
	clients *clients
	cancel  context.CancelFunc
	// resume is the command that continues an interrupted apply ("" = the
	// command line that was run).
	resume string
}

func (s *session) close() {
	s.clients.Close()
	s.cancel()
}

func (g *globals) open(cmd *cobra.Command) (*session, error) {
	format, err := g.format()
	if err != nil {
		return nil, err
	}
	s, err := g.stack(cmd)
	if err != nil {
		return nil, err
	}
	ctx, cancel := g.withTimeout(cmd.Context())
	c, err := g.connect(ctx, s)
	if err != nil {
		cancel()
		return nil, err
	}
	return &session{ctx: ctx, format: format, stack: s, clients: c, cancel: cancel}, nil
}
