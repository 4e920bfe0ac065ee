package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// Stack loads and validates the stack file. With --local and no file at the
// default path, the built-in demo stack is used. No API call happens here.
func (f *Factory) Stack(o *CloudOptions) (*config.Stack, error) {
	if o.Cloud.Local && f.Endpoint(o.Cloud) != "" {
		return nil, FlagError(errors.New("--local and --endpoint (or WSDEPLOY_ENDPOINT) both name a cloud: use one of them"))
	}
	path := o.Stack.ConfigPath
	ov := config.Overrides{LB: o.Stack.LB, Region: o.Stack.Region}
	if o.Cloud.Local && !o.Stack.ConfigSet {
		if _, err := os.Stat(f.Path(path)); errors.Is(err, fs.ErrNotExist) {
			s := config.Demo()
			if err := config.Resolve(s, ov); err != nil {
				return nil, err
			}
			f.Log(o.Output).DemoStack(path, s.Stack)
			return s, nil
		}
	}
	if _, err := os.Stat(f.Path(path)); errors.Is(err, fs.ErrNotExist) {
		return nil, WithHint(fmt.Errorf("no stack file %s", path),
			"run `wsdeploy init` to write one, pass -f <file>, or add --local to try the built-in demo stack")
	}
	return config.LoadAndResolveFrom(path, f.Path(path), ov)
}

// Session is what a cloud command works with: its bounded context, output
// format, validated stack and API clients. Everything that can fail on bad
// input (flags, the stack file) is checked before any client is built.
type Session struct {
	Ctx     context.Context
	Format  render.Format
	Stack   *config.Stack
	Clients *Clients
	cancel  context.CancelFunc
	// Resume is the command that continues an interrupted apply ("" = the
	// command line that was run).
	Resume string
}

// NewSession is a session over clients already built; cancel ends ctx.
func NewSession(ctx context.Context, cancel context.CancelFunc, format render.Format, s *config.Stack, c *Clients) *Session {
	return &Session{Ctx: ctx, Format: format, Stack: s, Clients: c, cancel: cancel}
}

// Close stops the clients and ends the session's context.
func (s *Session) Close() {
	s.Clients.Close()
	s.cancel()
}

// Open checks -o, loads the stack and connects to the cloud, in that order,
// within --timeout.
func (f *Factory) Open(ctx context.Context, o *CloudOptions) (*Session, error) {
	format, err := ParseFormat(o.Output)
	if err != nil {
		return nil, err
	}
	s, err := f.Stack(o)
	if err != nil {
		return nil, err
	}
	ctx, cancel := f.WithTimeout(ctx, o.Cloud.Timeout)
	c, err := f.Connect(ctx, s, o)
	if err != nil {
		cancel()
		return nil, err
	}
	return NewSession(ctx, cancel, format, s, c), nil
}
