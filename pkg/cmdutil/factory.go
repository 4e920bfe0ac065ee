// Package cmdutil is what wsdeploy's commands share: the Factory that builds
// their dependencies lazily (the stack, credentials, API clients, the local
// fake cloud, the apply engine), the shared flags, exit codes and errors with
// hints, confirmation, timeouts and the command lines hints tell users to run.
//
// Nothing here reads process-global state: the environment, the working
// directory and the clock all come through the Factory, so commands can be
// run in parallel in one test binary.
package cmdutil

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/aliyun/credentials-go/credentials"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/health"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/render"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Factory builds what a command needs, when it needs it: a command that
// fails on its flags or its stack file never builds an API client. One
// Factory serves one run of the program.
type Factory struct {
	IOStreams iostreams.IOStreams
	Build     Build
	// Getenv reads the environment (WSDEPLOY_ENDPOINT, credentials, HOME).
	Getenv func(string) string
	// WorkDir is the directory relative paths are taken from (the stack
	// file, --local's state, saved plans); "" is the process's working
	// directory. Messages name paths as the user wrote them.
	WorkDir string
	// Args is the command line, without the program name: hints repeat it.
	Args []string
	// Now is the clock (saved plans record when they were made).
	Now func() time.Time
	// RetryGiveUp bounds how long one call retries an endpoint that cannot
	// be reached (0: cloud.DefaultGiveUp).
	RetryGiveUp time.Duration
	// HealthPace is how `up --wait-healthy` polls for a health check (nil:
	// health.PaceFor).
	HealthPace func(resource.HealthCheck) health.Pace

	// Credential finds the credentials for profile ("" = the default chain),
	// for calls to endpoint ("" = Alibaba Cloud; an OIDC role is assumed at
	// the endpoint's STS).
	Credential func(profile, endpoint string) (credentials.Credential, error)
	// StartLocal serves the fake cloud in-process for --local.
	StartLocal func(ctx context.Context) (*LocalCloud, error)
	// Engine is an apply engine for the stack, on either kind of load
	// balancer; interrupt (Ctrl-C) stops it from starting new steps.
	Engine func(c *Clients, s *config.Stack, events func(apply.Event), interrupt <-chan struct{}) *apply.Engine

	mu        sync.Mutex
	log       *render.Log
	deadlines []deadline
	retries   map[string]int // reason -> highest attempt reported
}

// New is the Factory of one run with ios, build and the environment getenv.
func New(ios iostreams.IOStreams, build Build, getenv func(string) string) *Factory {
	if getenv == nil {
		getenv = os.Getenv
	}
	f := &Factory{IOStreams: ios, Build: build, Getenv: getenv, Now: time.Now}
	f.Credential = func(profile, endpoint string) (credentials.Credential, error) {
		return cloud.DefaultCredentialAt(f.Getenv, profile, endpoint)
	}
	f.StartLocal = func(ctx context.Context) (*LocalCloud, error) { return startLocal(ctx, f.Path(LocalStatePath)) }
	f.Engine = func(c *Clients, s *config.Stack, events func(apply.Event), interrupt <-chan struct{}) *apply.Engine {
		e := engine(c, s, events, interrupt)
		e.Health, e.HealthPace = c.Reader(), f.HealthPace
		return e
	}
	return f
}

// Path is where path is on disk: relative paths are taken from WorkDir.
func (f *Factory) Path(path string) string {
	if f.WorkDir == "" || path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(f.WorkDir, path)
}

// Log is the run's stderr log: text, or JSON lines when output is "json".
// The first call decides the format (text when output is not a valid -o).
func (f *Factory) Log(output string) *render.Log {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.log == nil {
		format, err := render.ParseFormat(output)
		if err != nil {
			format = render.Text
		}
		f.log = render.NewLog(f.IOStreams.Err, format, f.IOStreams.ColorErr())
	}
	return f.log
}

// engine wires the apply engine to the clients' adapters.
func engine(c *Clients, s *config.Stack, events func(apply.Event), interrupt <-chan struct{}) *apply.Engine {
	return &apply.Engine{ALB: c.ALB.Executor(), CLB: c.CLB.Executor(), DNS: c.DNS, Commands: c.ECS, Secrets: c.OOS, Network: c.ECS, Stack: s.Stack, Events: events, Interrupt: interrupt}
}
