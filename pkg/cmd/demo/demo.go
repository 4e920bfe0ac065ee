// Package demo implements `wsdeploy demo`: the tutorial, running on this
// machine (pkg/demo does the work; this wires the flags and the real up,
// verify and down commands to it).
package demo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cmd/down"
	"github.com/wsdeploy/wsdeploy/pkg/cmd/up"
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/demo"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
)

// DemoOptions are the inputs of `wsdeploy demo`.
type DemoOptions struct {
	IO      iostreams.IOStreams
	Factory *cmdutil.Factory
	Stack   cmdutil.StackFlags

	Backends  int
	Redis     string
	ReadyFile string
}

// demoStackPath is where the demo writes the built-in stack with another
// number of servers than two.
var demoStackPath = filepath.Join(filepath.Dir(cmdutil.LocalStatePath), "demo-stack.yaml")

// NewCmdDemo is `wsdeploy demo`. runF, when set, is called with the options
// instead of running the command (tests).
func NewCmdDemo(f *cmdutil.Factory, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "demo [--backends <n>] [--lb alb|clb] [--redis <url>] [--ready-file <file>]",
		Short: "Run the whole tutorial on this machine: Redis, chat backends, a load balancer, a browser page",
		Long: `demo runs the tutorial locally and leaves it running until Ctrl-C:

  - a Redis: --redis URL, else the redis-server on PATH, else an embedded
    Redis-compatible server (it says so);
  - the local fake cloud (the world of every --local command, in
    ` + cmdutil.LocalStatePath + `) serving its load balancers on this machine;
  - then 'wsdeploy up --local --yes --verify' with the stack plus app.deploy:
    up's Cloud Assistant commands install wschat on each server, and the
    fake's instance runtime starts --backends wschat backends (default 2),
    each a process of its own, on the instances' ports; the load balancer's
    health checks find them healthy, and verify's checks pass through it.

It prints the page's address through the load balancer: open it in two
browsers, chat, stop a backend (kill -TERM PID) and watch the page move to
another one. From another terminal in the same directory, 'wsdeploy status
--local', 'verify --local', 'plan --local', 'up --local' and 'down --local'
work against the running demo. Ctrl-C runs 'wsdeploy down --local --app', stops
everything the demo started and exits 0.

The stack is the one --local uses: -f FILE, else wsdeploy.yaml, else the
built-in demo stack (with --backends other than 2, the demo writes it with
that many servers to ` + demoStackPath + `).`,
		Example: `  wsdeploy demo
  wsdeploy demo --lb clb --backends 3
  wsdeploy demo --redis redis://127.0.0.1:6379/0 --ready-file demo.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Stack.Complete(cmd)
			if opts.Backends < 1 || opts.Backends > demo.MaxBackends {
				return cmdutil.FlagError(fmt.Errorf("--backends %d: use 1-%d", opts.Backends, demo.MaxBackends))
			}
			if runF != nil {
				return runF(opts)
			}
			return demoRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&opts.Backends, "backends", 2, "how many wschat backends to run, one per server of the stack")
	fl.StringVar(&opts.Redis, "redis", "", "use the Redis at this `url` instead of starting one")
	fl.StringVar(&opts.ReadyFile, "ready-file", "", "once the demo is ready, write its addresses to this `file` as JSON (removed when it stops)")
	cmdutil.AddConfigFlag(cmd, &opts.Stack.ConfigPath)
	cmdutil.AddOverrideFlags(cmd, &opts.Stack)
	cmd.AddCommand(newCmdBackend(f))
	return cmd
}

func demoRun(ctx context.Context, opts *DemoOptions) error {
	f := opts.Factory
	state := f.Path(cmdutil.LocalStatePath)
	if err := cmdutil.PrepareLocalDir(state); err != nil {
		return err
	}
	sf := opts.Stack
	builtin := false
	if !sf.ConfigSet {
		_, err := os.Stat(f.Path(sf.ConfigPath))
		builtin = errors.Is(err, fs.ErrNotExist)
	}
	addInstances := false
	if builtin && opts.Backends != 2 {
		if err := os.WriteFile(f.Path(demoStackPath), demo.DemoStackYAML(opts.Backends), 0o644); err != nil {
			return fmt.Errorf("write the demo stack: %w", err)
		}
		sf.ConfigPath, sf.ConfigSet, addInstances = demoStackPath, true, true
	}
	co := &cmdutil.CloudOptions{Stack: sf, Cloud: cmdutil.CloudFlags{Local: true, Timeout: 15 * time.Minute}, Output: "text"}
	s, err := f.Stack(co)
	if err != nil {
		return err
	}
	var flags []string
	if sf.ConfigSet {
		flags = append(flags, "-f", sf.ConfigPath)
	}
	if sf.LBSet {
		flags = append(flags, "--lb", sf.LB)
	}
	if sf.RegionSet {
		flags = append(flags, "--region", sf.Region)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the wsdeploy binary to run the backends with: %w", err)
	}
	var source []byte
	if builtin && !sf.ConfigSet {
		source = demo.DemoStackYAML(opts.Backends)
	} else if source, err = os.ReadFile(f.Path(sf.ConfigPath)); err != nil {
		return fmt.Errorf("read the stack: %w", err)
	}
	// up and down run on the demo's own fake cloud (its instance runtime
	// starts wschat for their Cloud Assistant commands), with the demo's
	// stack file (the stack plus app.deploy).
	var lbFlags []string
	if sf.LBSet {
		lbFlags = append(lbFlags, "--lb", sf.LB)
	}
	if sf.RegionSet {
		lbFlags = append(lbFlags, "--region", sf.Region)
	}
	sub := func(newCmd func() *cobra.Command, args ...string) func(context.Context, demo.Local) error {
		return func(ctx context.Context, l demo.Local) error {
			full := append(append([]string{"--local", "-f", l.StackPath}, lbFlags...), args...)
			saved, savedStart := f.Args, f.StartLocal
			f.Args = append([]string{newCmd().Name()}, full...)
			f.StartLocal = func(context.Context) (*cmdutil.LocalCloud, error) {
				return &cmdutil.LocalCloud{URL: l.Endpoint, KeyID: l.KeyID, Secret: l.Secret, Stop: func() {}}, nil
			}
			defer func() { f.Args, f.StartLocal = saved, savedStart }()
			c := newCmd()
			c.SetArgs(full)
			c.SetIn(opts.IO.In)
			c.SetOut(opts.IO.Out)
			c.SetErr(opts.IO.Err)
			c.SilenceErrors, c.SilenceUsage = true, true
			return c.ExecuteContext(ctx)
		}
	}
	err = demo.Run(ctx, demo.Options{
		StatePath: state, Stack: s, Flags: flags, Backends: opts.Backends, AddInstances: addInstances,
		RedisURL: opts.Redis, RedisBin: lookPath("redis-server", f.Getenv("PATH")), ReadyFile: f.Path(opts.ReadyFile),
		Exe: exe, Env: os.Environ(), StackSource: source,
		Up:   sub(func() *cobra.Command { return up.NewCmdUp(f, nil) }, "--yes", "--verify"),
		Down: sub(func() *cobra.Command { return down.NewCmdDown(f, nil) }, "--yes", "--app"),
		Out:  opts.IO.Out, Log: f.Log("text"),
	})
	switch {
	case errors.Is(err, demo.ErrBusy):
		return cmdutil.WithHint(err, "stop it (Ctrl-C in its terminal), or run this demo in another directory")
	case err != nil:
		return err
	}
	return nil
}

// lookPath finds an executable named name in the directories of path.
func lookPath(name, path string) string {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// newCmdBackend is `wsdeploy demo backend`, hidden: one wschat backend of
// the demo, run as a process of its own so that it can be stopped alone.
func newCmdBackend(f *cmdutil.Factory) *cobra.Command {
	var o demo.BackendOptions
	cmd := &cobra.Command{
		Use:    "backend --name <name> [--addr <host:port>] [--ping-interval <d>]",
		Short:  "One chat backend of the demo (run by wsdeploy demo)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.RedisURL = f.Getenv(demo.RedisEnv)
			return demo.ServeBackend(cmd.Context(), o, f.IOStreams.Out, f.IOStreams.Err)
		},
	}
	cmd.Flags().StringVar(&o.Name, "name", "web-1", "the backend's name, shown on the page")
	cmd.Flags().StringVar(&o.Addr, "addr", "127.0.0.1:0", "listen `address`")
	cmd.Flags().DurationVar(&o.PingInterval, "ping-interval", 10*time.Second, "ping every connection this often")
	cmd.Flags().StringSliceVar(&o.AllowedOrigins, "allowed-origins", nil, "host patterns of other pages allowed to connect")
	return cmd
}
