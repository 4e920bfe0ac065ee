// Package fakecloud implements `wsdeploy fakecloud`: it serves pkg/fakecloud
// on an address until interrupted.
package fakecloud

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// FakecloudOptions are the inputs of `wsdeploy fakecloud`.
type FakecloudOptions struct {
	IO      iostreams.IOStreams
	Factory *cmdutil.Factory

	Addr         string
	Seed         string
	State        string
	RequestLog   string
	Async        time.Duration
	Faults       string
	FaultSeed    int64
	FaultSeedSet bool // --fault-seed was given: it overrides the faults file's seed
	Latency      time.Duration
	Jitter       time.Duration
	Profile      string
	TimeScale    float64
	DataPlane    bool
}

// NewCmdFakecloud is `wsdeploy fakecloud`. runF, when set, is called with
// the options instead of running the command (tests).
func NewCmdFakecloud(f *cmdutil.Factory, runF func(*FakecloudOptions) error) *cobra.Command {
	opts := &FakecloudOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "fakecloud [--addr host:port] [--seed seed.yaml] [--state state.json] [--request-log calls.jsonl] [--faults faults.yaml] [--latency duration]",
		Short: "Serve a faithful local Alibaba Cloud API (ALB, CLB, Alidns, ECS) for tests and rehearsals",
		Long: `fakecloud serves the ALB (2020-06-16), CLB (Slb 2014-05-15), Alidns (2015-01-09)
and ECS DescribeInstances (2014-05-26) APIs on one HTTP address, to the real
Alibaba Cloud SDKs: signed requests are verified against the seed's access
keys, ALB writes are asynchronous, errors carry the real codes. Point wsdeploy
at it with --endpoint http://ADDR (or WSDEPLOY_ENDPOINT) and the seed's access key.

Without --seed it serves the built-in demo world (access key fake-ak / fake-secret).

--faults loads fault-injection rules (throttling, 5xx, busy states, delays,
lost responses); --fault-seed makes their random choices reproducible (it
overrides the file's seed). --latency adds a round trip to every call and
--async-duration sets how long asynchronous work takes (fast profile only);
benchmarks set both.
--profile realistic makes it as slow and flaky as the real cloud (async work
taking seconds to tens of seconds, a share of ALB jobs failing, health checks
that take interval x healthy threshold, a read-after-write window, throttling
at the documented API rate limits), seeded by --fault-seed; --time-scale 0.05
runs that timing 20 times faster.
While it runs, the unsigned control endpoints under /_fake/ replace the rules
(PUT /_fake/faults), show them with counters (GET /_fake/faults), return the
request log (GET /_fake/calls), the world (GET /_fake/state) and set a
backend's health (PUT /_fake/instances/ID/health). They answer only requests
addressed to localhost, 127.0.0.1 or [::1] and refuse web pages of other
origins, so a web site cannot reach them through the browser.

The load balancers carry real traffic: every running ALB or CLB listener
listens on a loopback port and proxies HTTP and WebSocket to the instances'
mapped ports (a seed instance's "ports: {5000: 127.0.0.1:5101}", or PUT
/_fake/instances/ID/ports), with the listener's idle and request timeouts,
weights, health checks, sticky sessions and, for HTTPS, a certificate from
the world's CA (GET /_fake/ca.pem). GET /_fake/dataplane lists where each
listener listens. --data-plane=false turns this off.`,
		Example: `  wsdeploy fakecloud --addr 127.0.0.1:18080 --seed seed.yaml --request-log calls.jsonl
  export WSDEPLOY_ENDPOINT=http://127.0.0.1:18080 ALIBABA_CLOUD_ACCESS_KEY_ID=fake-ak ALIBABA_CLOUD_ACCESS_KEY_SECRET=fake-secret
  wsdeploy fakecloud --faults faults.yaml --fault-seed 7
  wsdeploy fakecloud --latency 50ms --latency-jitter 20ms --async-duration 2s
  wsdeploy fakecloud --profile realistic --time-scale 0.1 --fault-seed 7
  curl -X PUT --data-binary @faults.yaml http://127.0.0.1:18080/_fake/faults`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.FaultSeedSet = cmd.Flags().Changed("fault-seed")
			if opts.Latency < 0 || opts.Jitter < 0 {
				return cmdutil.FlagError(fmt.Errorf("--latency %s and --latency-jitter %s must not be negative", opts.Latency, opts.Jitter))
			}
			if opts.TimeScale <= 0 {
				return cmdutil.FlagError(fmt.Errorf("--time-scale %v must be more than 0", opts.TimeScale))
			}
			if err := fakecloud.ValidateProfile(opts.Profile, opts.TimeScale); err != nil {
				return cmdutil.FlagError(fmt.Errorf("--profile %s: %w", opts.Profile, err))
			}
			if opts.Profile == fakecloud.ProfileRealistic && cmd.Flags().Changed("async-duration") {
				return cmdutil.FlagError(cmdutil.WithHint(
					fmt.Errorf("--async-duration %s does not apply to --profile realistic, which draws each operation's duration from its own range", opts.Async),
					fmt.Sprintf("drop --async-duration; to make the realistic profile faster or slower use --time-scale (e.g. --time-scale 0.1 runs it 10 times faster), "+
						"or keep --async-duration %s with --profile fast", opts.Async)))
			}
			if opts.Profile == fakecloud.ProfileRealistic {
				opts.Async = 0 // the realistic profile draws its own (fakecloud.New refuses both)
			}
			if runF != nil {
				return runF(opts)
			}
			return fakecloudRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:18080", "address to listen on")
	fl.StringVar(&opts.Seed, "seed", "", "seed file describing the starting world (default: the built-in demo world)")
	fl.StringVar(&opts.State, "state", "", "JSON file the world is loaded from and saved to, so it survives restarts")
	fl.StringVar(&opts.RequestLog, "request-log", "", "append one JSON line per request to this file")
	fl.DurationVar(&opts.Async, "async-duration", time.Second, "how long ALB objects and jobs stay transitional after a write")
	fl.StringVar(&opts.Faults, "faults", "", "YAML file of fault-injection rules (see pkg/fakecloud Fault)")
	fl.Int64Var(&opts.FaultSeed, "fault-seed", 0, "seed of the random choices of fault rules and latency jitter (default: the faults file's seed, else 0)")
	fl.DurationVar(&opts.Latency, "latency", 0, "delay added to every call, e.g. 50ms (off by default)")
	fl.DurationVar(&opts.Jitter, "latency-jitter", 0, "random extra delay per call, up to this much (seeded by --fault-seed)")
	fl.StringVar(&opts.Profile, "profile", fakecloud.ProfileFast, "how slow and flaky the fake is (not a credentials profile): fast (ideal, for tests) or realistic (like the real cloud; seeded by --fault-seed)")
	fl.Float64Var(&opts.TimeScale, "time-scale", 1, "multiply the realistic profile's durations by this, e.g. 0.05 to run it 20 times faster")
	fl.BoolVar(&opts.DataPlane, "data-plane", true, "serve running listeners on loopback ports, proxying to the instances' mapped ports (GET /_fake/dataplane)")
	return cmd
}

func fakecloudRun(ctx context.Context, opts *FakecloudOptions) error {
	f := opts.Factory
	seed := fakecloud.DemoSeed()
	if opts.Seed != "" {
		var err error
		if seed, err = fakecloud.LoadSeed(f.Path(opts.Seed)); err != nil {
			return err
		}
	}
	fo := fakecloud.Options{Seed: seed, StatePath: f.Path(opts.State), AsyncDuration: opts.Async, FaultSeed: opts.FaultSeed,
		Profile: opts.Profile, TimeScale: opts.TimeScale, DataPlane: opts.DataPlane}
	if opts.Faults != "" {
		fs, err := fakecloud.LoadFaults(f.Path(opts.Faults))
		if err != nil {
			return err
		}
		fo.Faults = fs.Faults
		if fs.Seed != nil && !opts.FaultSeedSet {
			fo.FaultSeed = *fs.Seed
		}
	}
	fo.Latency = fakecloud.Latency{Base: opts.Latency, Jitter: opts.Jitter, Seed: fo.FaultSeed}
	if opts.RequestLog != "" {
		lf, err := os.OpenFile(f.Path(opts.RequestLog), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return fmt.Errorf("open request log: %w", err)
		}
		defer lf.Close()
		fo.RequestLog = lf
	}
	srv, err := fakecloud.New(fo)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return listenError(opts.Addr, err)
	}
	out, errOut := opts.IO.Out, opts.IO.Err
	render.FakecloudListening(out, ln.Addr().String())
	if s, ok := out.(interface{ Sync() error }); ok {
		_ = s.Sync()
	}
	if k, secret, ok := envHint(srv.Snapshot().Keys, seed, opts); ok {
		render.FakecloudEnv(errOut, ln.Addr().String(), k.ID, secret)
	}
	if !fakecloud.IsLoopbackHost(ln.Addr().String()) {
		render.FakecloudExposed(errOut, ln.Addr().String())
	}
	if len(fo.Faults) > 0 {
		render.FakecloudFaults(errOut, len(fo.Faults), opts.Faults, fo.FaultSeed, ln.Addr().String())
	}
	if opts.Latency > 0 || opts.Jitter > 0 {
		render.FakecloudLatency(errOut, opts.Latency, opts.Jitter, opts.Async)
	}
	if opts.Profile == fakecloud.ProfileRealistic {
		render.FakecloudProfile(errOut, opts.Profile, opts.TimeScale, fo.FaultSeed)
	}
	return fakecloud.Serve(ctx, ln, srv)
}

// listenError explains why fakecloud cannot listen on addr.
func listenError(addr string, err error) error {
	err = fmt.Errorf("listen on %s: %w", addr, err)
	host, port, serr := net.SplitHostPort(addr)
	if serr != nil {
		return cmdutil.WithHint(err, "pass --addr as host:port, e.g. --addr 127.0.0.1:18080")
	}
	if host == "" {
		host = "127.0.0.1"
	}
	other := net.JoinHostPort(host, "18081")
	if p, perr := strconv.Atoi(port); perr == nil && p > 0 && p < 65535 {
		other = net.JoinHostPort(host, strconv.Itoa(p+1))
	}
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return cmdutil.WithHint(err, fmt.Sprintf("another process already listens on %s (a fakecloud started earlier?): stop it, "+
			"or pick another address with --addr, e.g. --addr %s (--addr %s takes any free port and prints it)", addr, other, net.JoinHostPort(host, "0")))
	case errors.Is(err, syscall.EACCES):
		return cmdutil.WithHint(err, fmt.Sprintf("ports below 1024 need privileges: pick another with --addr, e.g. --addr %s", net.JoinHostPort(host, "18080")))
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return cmdutil.WithHint(err, fmt.Sprintf("%s is not an address of this machine: use --addr 127.0.0.1:%s", host, port))
	}
	return cmdutil.WithHint(err, "check --addr: a host:port of this machine, e.g. --addr 127.0.0.1:18080")
}

// envHint is the access key the line that points wsdeploy at the fake
// names: the first of the world it serves. The built-in demo world's key is
// public (README, --help), so its secret is printed whole, ready to paste;
// the secret of a key from a seed or state file never is: the line names the
// file it is in instead. ok is false when the world has no key.
func envHint(served []fakecloud.Key, seed *fakecloud.Seed, opts *FakecloudOptions) (k fakecloud.Key, secret string, ok bool) {
	if len(served) == 0 {
		return k, "", false
	}
	k = served[0]
	secret = fmt.Sprintf("<the secret of %s in %s>", k.ID, keySource(k, seed, opts))
	if opts.Seed == "" && isDemoKey(k) {
		secret = k.Secret
	}
	return k, secret, true
}

// isDemoKey reports whether k is the built-in demo world's public key.
func isDemoKey(k fakecloud.Key) bool {
	for _, d := range fakecloud.DemoSeed().AccessKeys {
		if d == k {
			return true
		}
	}
	return false
}

// keySource names the file the served key k came from: the seed file, or
// the state file when the world was loaded from an earlier run.
func keySource(k fakecloud.Key, seed *fakecloud.Seed, opts *FakecloudOptions) string {
	if opts.Seed != "" {
		for _, sk := range seed.AccessKeys {
			if sk == k {
				return opts.Seed
			}
		}
	}
	if opts.State != "" {
		return opts.State
	}
	return "the seed"
}
