package cli

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

type fakecloudOptions struct {
	addr       string
	seed       string
	state      string
	requestLog string
	async      time.Duration
	faults     string
	faultSeed  int64
	latency    time.Duration
	jitter     time.Duration
}

func newCmdFakecloud(g *globals) *cobra.Command {
	opts := &fakecloudOptions{}
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
--async-duration sets how long asynchronous work takes; benchmarks set both.
While it runs, the unsigned control endpoints under /_fake/ replace the rules
(PUT /_fake/faults), show them with counters (GET /_fake/faults), return the
request log (GET /_fake/calls), the world (GET /_fake/state) and set a
backend's health (PUT /_fake/instances/ID/health). They answer only requests
addressed to localhost, 127.0.0.1 or [::1] and refuse web pages of other
origins, so a web site cannot reach them through the browser.`,
		Example: `  wsdeploy fakecloud --addr 127.0.0.1:18080 --seed seed.yaml --request-log calls.jsonl
  export WSDEPLOY_ENDPOINT=http://127.0.0.1:18080 ALIBABA_CLOUD_ACCESS_KEY_ID=fake-ak ALIBABA_CLOUD_ACCESS_KEY_SECRET=fake-secret
  wsdeploy fakecloud --faults faults.yaml --fault-seed 7
  wsdeploy fakecloud --latency 50ms --latency-jitter 20ms --async-duration 2s
  curl -X PUT --data-binary @faults.yaml http://127.0.0.1:18080/_fake/faults`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.latency < 0 || opts.jitter < 0 {
				return usageError(fmt.Errorf("--latency %s and --latency-jitter %s must not be negative", opts.latency, opts.jitter))
			}
			seed := fakecloud.DemoSeed()
			if opts.seed != "" {
				var err error
				if seed, err = fakecloud.LoadSeed(opts.seed); err != nil {
					return err
				}
			}
			fo := fakecloud.Options{Seed: seed, StatePath: opts.state, AsyncDuration: opts.async, FaultSeed: opts.faultSeed}
			if opts.faults != "" {
				fs, err := fakecloud.LoadFaults(opts.faults)
				if err != nil {
					return err
				}
				fo.Faults = fs.Faults
				if fs.Seed != nil && !cmd.Flags().Changed("fault-seed") {
					fo.FaultSeed = *fs.Seed
				}
			}
			fo.Latency = fakecloud.Latency{Base: opts.latency, Jitter: opts.jitter, Seed: fo.FaultSeed}
			if opts.requestLog != "" {
				f, err := os.OpenFile(opts.requestLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
				if err != nil {
					return fmt.Errorf("open request log: %w", err)
				}
				defer f.Close()
				fo.RequestLog = f
			}
			srv, err := fakecloud.New(fo)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", opts.addr)
			if err != nil {
				return listenError(opts.addr, err)
			}
			fmt.Fprintf(g.ios.Out, "fakecloud listening on http://%s\n", ln.Addr())
			if f, ok := g.ios.Out.(interface{ Sync() error }); ok {
				_ = f.Sync()
			}
			printEnvHint(g.ios.Err, ln.Addr().String(), srv.Snapshot().Keys, seed, opts)
			if !fakecloud.IsLoopbackHost(ln.Addr().String()) {
				fmt.Fprintf(g.ios.Err, "Warning: listening on %s, not loopback only: anyone who can reach this port can call the API with the seed's access keys "+
					"(the built-in world's are public). The control endpoints under /_fake/ answer only requests addressed to localhost. "+
					"Use --addr 127.0.0.1:PORT unless other machines must reach the fake.\n", ln.Addr())
			}
			if len(fo.Faults) > 0 {
				fmt.Fprintf(g.ios.Err, "Fault injection: %d rule(s) from %s, seed %d (see GET http://%s/_fake/faults)\n", len(fo.Faults), opts.faults, fo.FaultSeed, ln.Addr())
			}
			if opts.latency > 0 || opts.jitter > 0 {
				fmt.Fprintf(g.ios.Err, "Latency: %s + up to %s per call, async work %s\n", opts.latency, opts.jitter, opts.async)
			}
			return fakecloud.Serve(cmd.Context(), ln, srv)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.addr, "addr", "127.0.0.1:18080", "address to listen on")
	f.StringVar(&opts.seed, "seed", "", "seed file describing the starting world (default: the built-in demo world)")
	f.StringVar(&opts.state, "state", "", "JSON file the world is loaded from and saved to, so it survives restarts")
	f.StringVar(&opts.requestLog, "request-log", "", "append one JSON line per request to this file")
	f.DurationVar(&opts.async, "async-duration", time.Second, "how long ALB objects and jobs stay transitional after a write")
	f.StringVar(&opts.faults, "faults", "", "YAML file of fault-injection rules (see pkg/fakecloud Fault)")
	f.Int64Var(&opts.faultSeed, "fault-seed", 0, "seed of the random choices of fault rules and latency jitter (default: the faults file's seed, else 0)")
	f.DurationVar(&opts.latency, "latency", 0, "delay added to every call, e.g. 50ms (off by default)")
	f.DurationVar(&opts.jitter, "latency-jitter", 0, "random extra delay per call, up to this much (seeded by --fault-seed)")
	return cmd
}

// listenError explains why fakecloud cannot listen on addr.
func listenError(addr string, err error) error {
	err = fmt.Errorf("listen on %s: %w", addr, err)
	host, port, serr := net.SplitHostPort(addr)
	if serr != nil {
		return &hintError{err: err, hint: "pass --addr as host:port, e.g. --addr 127.0.0.1:18080"}
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
		return &hintError{err: err, hint: fmt.Sprintf("another process already listens on %s (a fakecloud started earlier?): stop it, "+
			"or pick another address with --addr, e.g. --addr %s (--addr %s takes any free port and prints it)", addr, other, net.JoinHostPort(host, "0"))}
	case errors.Is(err, syscall.EACCES):
		return &hintError{err: err, hint: fmt.Sprintf("ports below 1024 need privileges: pick another with --addr, e.g. --addr %s", net.JoinHostPort(host, "18080"))}
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return &hintError{err: err, hint: fmt.Sprintf("%s is not an address of this machine: use --addr 127.0.0.1:%s", host, port)}
	}
	return &hintError{err: err, hint: "check --addr: a host:port of this machine, e.g. --addr 127.0.0.1:18080"}
}

// printEnvHint prints the environment that points wsdeploy at the fake,
// with the first access key of the world it serves. The built-in demo
// world's key is public (README, --help), so it is printed whole, ready to
// paste; the secret of a key from a seed or state file never is: the line
// names the file it is in instead.
func printEnvHint(w io.Writer, addr string, served []fakecloud.Key, seed *fakecloud.Seed, opts *fakecloudOptions) {
	if len(served) == 0 {
		return
	}
	k := served[0]
	secret := fmt.Sprintf("<the secret of %s in %s>", k.ID, keySource(k, seed, opts))
	if opts.seed == "" && isDemoKey(k) {
		secret = k.Secret
	}
	fmt.Fprintf(w, "Point wsdeploy at it with:\n  export WSDEPLOY_ENDPOINT=http://%s ALIBABA_CLOUD_ACCESS_KEY_ID=%s ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n", addr, k.ID, secret)
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
func keySource(k fakecloud.Key, seed *fakecloud.Seed, opts *fakecloudOptions) string {
	if opts.seed != "" {
		for _, sk := range seed.AccessKeys {
			if sk == k {
				return opts.seed
			}
		}
	}
	if opts.state != "" {
		return opts.state
	}
	return "the seed"
}
