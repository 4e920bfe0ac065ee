// Package demo runs the tutorial on one machine (`wsdeploy demo`): a Redis,
// the local fake cloud (the world `--local` commands share,
// .wsdeploy/local-cloud.json) serving its load balancers' data plane, then
// `up` with app.deploy, its wait for healthy backends and `verify`
// (supplied by the caller, which runs the real commands): up's Cloud
// Assistant commands reach the fake's instance runtime (runtime.go), which
// starts the N wschat backends as child processes on the instances' ports. It leaves the
// demo running until its context ends (Ctrl-C), then runs `down` and stops
// everything it started.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// Options configure a demo run.
type Options struct {
	// StatePath is the local world's file (the one --local commands use).
	StatePath string
	// Stack is the stack the demo deploys; Flags are the -f/--lb flags that
	// name it, for the commands the demo prints.
	Stack *config.Stack
	Flags []string
	// Backends is how many wschat backends run (one per server of Stack).
	Backends int
	// AddInstances adds the instances of DemoStack(Backends) to the world
	// where missing.
	AddInstances bool
	// RedisURL is --redis; RedisBin is the redis-server found on PATH ("":
	// none). Without either, an embedded Redis-compatible server is used.
	RedisURL, RedisBin string
	// ReadyFile, when set, receives Ready as JSON once the demo is ready.
	ReadyFile string
	// Exe is the wsdeploy binary the backends run (`demo backend`), with Env.
	Exe string
	Env []string

	// StackSource is the stack file's content (the built-in stack's when
	// there is no file): the demo adds app.deploy to it (DeployStackYAML).
	StackSource []byte

	// Up applies the demo's stack (Local.StackPath) on the demo's fake cloud
	// (Local), waits for healthy backends and verifies (`wsdeploy up --local
	// --yes --verify`); Down removes it and the app (`down --app`).
	Up, Down func(ctx context.Context, l Local) error

	Out io.Writer   // the summary
	Log *render.Log // progress
}

// Local is the demo's fake cloud and stack, for Up and Down.
type Local struct {
	Endpoint, KeyID, Secret string
	// StackPath is the stack file with app.deploy that the demo deploys.
	StackPath string
}

// Ready is what --ready-file receives.
type Ready struct {
	URL      string         `json:"url"`      // the page, through the load balancer
	WS       string         `json:"ws"`       // the WebSocket endpoint, through the load balancer
	Endpoint string         `json:"endpoint"` // the fake cloud's API
	Backends []ReadyBackend `json:"backends"`
	Redis    string         `json:"redis"` // its URL (a password redacted)
	// RedisKind says which Redis: given, redis-server or embedded.
	RedisKind string `json:"redisKind"`
	// HTTPS is the page through the HTTPS listener, when there is one; its
	// certificate is signed by the CA at CA.
	HTTPS string `json:"https,omitempty"`
	CA    string `json:"ca,omitempty"`
	LB    string `json:"lb"` // alb or clb
	LBID  string `json:"lbId"`
	Stack string `json:"stack"`
}

// ReadyBackend is one backend of the demo.
type ReadyBackend struct {
	Name       string `json:"name"`
	InstanceID string `json:"instanceId"`
	Address    string `json:"address"`
	PID        int    `json:"pid"`
}

// MaxBackends bounds --backends.
const MaxBackends = 10

// ErrBusy is returned when another demo runs in the same directory.
var ErrBusy = errors.New("another wsdeploy demo is running in this directory")

// Run runs the demo until ctx ends, then takes it down. The error is nil
// when the demo ran and was taken down cleanly.
func Run(ctx context.Context, o Options) (err error) {
	dir := filepath.Dir(o.StatePath)
	release, ok, lerr := lockFile(filepath.Join(dir, "demo.lock"))
	if lerr != nil {
		return fmt.Errorf("lock %s: %w", filepath.Join(dir, "demo.lock"), lerr)
	}
	if !ok {
		return ErrBusy
	}
	defer release()
	r := &run{o: o, dir: dir}
	defer func() {
		if cerr := r.cleanup(); err == nil {
			err = cerr
		}
	}()
	if err := r.start(ctx); err != nil {
		return err
	}
	r.wait(ctx)
	return nil
}

// run is one demo's state: what it started, to stop.
type run struct {
	o        Options
	dir      string
	redis    *redisRun
	fake     *fakecloud.Server
	endpoint string
	stopFake func()
	backends []*backend
	rt       *runtime
	local    Local
	mapped   []string // instances whose ports the demo mapped
	upRan    bool
	ready    bool
}

func (r *run) notice(event, format string, args ...any) {
	r.o.Log.Notice(event, fmt.Sprintf(format, args...))
}

func (r *run) start(ctx context.Context) error {
	o := r.o
	runDir := filepath.Join(r.dir, "demo")
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return err
	}

	// The fake cloud first: the stack's servers must exist in its world. Its
	// instance runtime starts wschat for up's Cloud Assistant commands.
	r.rt = &runtime{r: r, ctx: ctx, byID: map[string]*backend{}, runDir: runDir}
	srv, err := fakecloud.New(fakecloud.Options{Seed: fakecloud.DemoSeed(), StatePath: o.StatePath, AsyncDuration: 400 * time.Millisecond, DataPlane: true,
		InstanceRuntime: r.rt})
	if err != nil {
		return fmt.Errorf("start the local fake cloud: %w", err)
	}
	if o.AddInstances {
		if err := ensureInstances(srv, o.Backends); err != nil {
			return fmt.Errorf("add the demo's instances to the local fake cloud's world: %w", err)
		}
	}
	instances, err := demoInstances(srv, o.Stack, o.Backends)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("start the local fake cloud: %w", err)
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = fakecloud.Serve(sctx, ln, srv)
	}()
	r.fake, r.endpoint, r.stopFake = srv, "http://"+ln.Addr().String(), func() { cancel(); <-done }
	r.notice("demo.cloud", "✔ Fake cloud %s (world %s) serving its load balancers on this machine", r.endpoint, o.StatePath)

	if r.redis, err = startRedis(ctx, o.RedisURL, o.RedisBin, runDir); err != nil {
		return err
	}
	switch r.redis.Kind {
	case RedisGiven:
		r.notice("demo.redis", "✔ Redis %s (--redis)", redact(r.redis.URL))
	case RedisServer:
		r.notice("demo.redis", "✔ Redis %s (%s, started for the demo)", r.redis.URL, r.redis.Bin)
	default:
		r.notice("demo.redis", "✔ Redis %s: no redis-server on PATH and no --redis, so an embedded Redis-compatible server (miniredis) "+
			"carries the messages between backends; install redis-server to use the real one", r.redis.URL)
	}

	r.rt.redisURL = r.redis.URL
	for _, in := range instances {
		r.mapped = append(r.mapped, in.ID)
	}
	// The stack, with app.deploy: up installs wschat on every server through
	// Cloud Assistant, and the runtime starts it here.
	stackYAML, err := DeployStackYAML(o.StackSource, r.redis.URL)
	if err != nil {
		return fmt.Errorf("write the demo's stack with app.deploy: %w", err)
	}
	stackPath := filepath.Join(r.dir, "demo-deploy.yaml")
	if err := writeAtomic(stackPath, stackYAML); err != nil {
		return fmt.Errorf("write the demo's stack with app.deploy: %w", err)
	}
	key := fakecloud.DemoSeed().AccessKeys[0]
	r.local = Local{Endpoint: r.endpoint, KeyID: key.ID, Secret: key.Secret, StackPath: stackPath}

	r.upRan = true
	if err := o.Up(ctx, r.local); err != nil {
		return err
	}
	r.backends = r.rt.backends()
	if len(r.backends) != len(instances) {
		return fmt.Errorf("up ran, but its Cloud Assistant commands started %d backend(s) for the stack's %d server(s)", len(r.backends), len(instances))
	}
	return r.announce()
}

// announce prints where the demo is and writes the ready file.
func (r *run) announce() error {
	o := r.o
	ready := Ready{Endpoint: r.endpoint, Redis: redact(r.redis.URL), RedisKind: r.redis.Kind, LB: o.Stack.LB, LBID: o.Stack.LBID(), Stack: o.Stack.Stack}
	for _, b := range r.backends {
		ready.Backends = append(ready.Backends, ReadyBackend{Name: b.Name, InstanceID: b.InstanceID, Address: b.Addr, PID: b.cmd.Process.Pid})
	}
	for _, l := range r.fake.DataPlane().Listeners {
		if l.LBType != o.Stack.LB || l.LBID != o.Stack.LBID() {
			continue
		}
		for _, sl := range o.Stack.Listeners {
			if sl.Port != l.Port || !strings.EqualFold(sl.Protocol, l.Protocol) {
				continue
			}
			if strings.EqualFold(l.Protocol, "HTTPS") {
				if ready.HTTPS == "" {
					ready.HTTPS, ready.CA = "https://"+l.Address+"/", r.endpoint+"/_fake/ca.pem"
				}
			} else if ready.URL == "" {
				ready.URL, ready.WS = "http://"+l.Address+"/", "ws://"+l.Address+"/ws"
			}
		}
	}
	if ready.URL == "" && ready.HTTPS != "" {
		ready.URL, ready.WS = ready.HTTPS, "wss://"+strings.TrimPrefix(strings.TrimSuffix(ready.HTTPS, "/"), "https://")+"/ws"
	}
	if ready.URL == "" {
		return withHint(errors.New("the stack's listeners are not served by the demo's load balancers after up"),
			"another process may serve this world's data plane (a `wsdeploy fakecloud --state "+o.StatePath+"`): stop it and run the demo again")
	}
	if err := WriteSummary(o.Out, ready, o.StatePath, o.Flags); err != nil {
		return err
	}
	if o.ReadyFile != "" {
		data, err := json.MarshalIndent(ready, "", "  ")
		if err != nil {
			return err
		}
		if err := writeAtomic(o.ReadyFile, append(data, '\n')); err != nil {
			return fmt.Errorf("write the ready file: %w", err)
		}
	}
	r.ready = true
	return nil
}

// WriteSummary prints where the running demo is (r) and what to run from
// another terminal with flags (the -f/--lb that name the demo's stack).
func WriteSummary(w io.Writer, r Ready, statePath string, flags []string) error {
	extra := ""
	if len(flags) > 0 {
		extra = " " + strings.Join(flags, " ")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nThe demo is running: stack %q on %s %s, on this machine.\n\n", r.Stack, strings.ToUpper(r.LB), r.LBID)
	fmt.Fprintf(&b, "  Open %s in two browsers: each page says which backend it reached.\n", r.URL)
	fmt.Fprintf(&b, "  WebSocket  %s\n", r.WS)
	if r.HTTPS != "" && r.HTTPS != r.URL {
		fmt.Fprintf(&b, "  HTTPS      %s (certificate for 127.0.0.1 and the stack's DNS name, from the fake cloud's CA %s)\n", r.HTTPS, r.CA)
	}
	for _, be := range r.Backends {
		fmt.Fprintf(&b, "  Backend    %s on %s (instance %s, pid %d)\n", be.Name, be.Address, be.InstanceID, be.PID)
	}
	fmt.Fprintf(&b, "  Redis      %s (%s)\n", r.Redis, r.RedisKind)
	fmt.Fprintf(&b, "  Fake cloud %s (world %s)\n\n", r.Endpoint, statePath)
	hints := [][2]string{
		{"wsdeploy status --local" + extra, "each backend's health as the load balancer sees it"},
		{"wsdeploy verify --local" + extra, "the checks again, through the load balancer"},
	}
	if len(r.Backends) > 0 {
		hints = append(hints, [2]string{fmt.Sprintf("kill -TERM %d", r.Backends[0].PID),
			"stop backend " + r.Backends[0].Name + ": its pages reconnect to another backend"})
	}
	width := 0
	for _, h := range hints {
		width = max(width, len(h[0]))
	}
	fmt.Fprintf(&b, "From another terminal in this directory:\n")
	for _, h := range hints {
		fmt.Fprintf(&b, "  %-*s  # %s\n", width, h[0], h[1])
	}
	fmt.Fprintf(&b, "\nCtrl-C stops the demo: it runs wsdeploy down --local --app (the stack and the app it installed) and stops everything it started.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// wait blocks until ctx ends, reporting backends that exit meanwhile.
func (r *run) wait(ctx context.Context) {
	exits := make(chan *backend, len(r.backends))
	for _, b := range r.backends {
		go func() {
			select {
			case <-b.exited:
				exits <- b
			case <-ctx.Done():
			}
		}()
	}
	for {
		select {
		case <-ctx.Done():
			return
		case b := <-exits:
			r.notice("demo.backend.exited", "! Backend %s (pid %d) %s: the load balancer marks it unhealthy and sends its clients to the others",
				b.Name, b.cmd.Process.Pid, b.exitReason())
		}
	}
}

// cleanup takes down what start set up, in reverse: the stack (down), the
// ports, the backends, the fake cloud, Redis, the ready file.
func (r *run) cleanup() error {
	var errs []error
	if r.upRan && r.o.Down != nil {
		r.notice("demo.stopping", "Stopping the demo: wsdeploy down --local --app, then the backends, the fake cloud and Redis…")
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		if err := r.o.Down(ctx, r.local); err != nil {
			errs = append(errs, fmt.Errorf("take the demo stack down: %w", err))
		}
		cancel()
	}
	for _, id := range r.mapped {
		if err := r.fake.SetInstancePorts(id, nil); err != nil {
			errs = append(errs, fmt.Errorf("unmap %s's ports: %w", id, err))
		}
	}
	if r.rt != nil {
		r.rt.stopAll() // what down --app did not stop (a failed run)
	}
	if r.stopFake != nil {
		r.stopFake()
	}
	if r.redis != nil {
		r.redis.stop()
	}
	if r.ready && r.o.ReadyFile != "" {
		if err := os.Remove(r.o.ReadyFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 && r.upRan {
		r.notice("demo.stopped", "✔ Demo stopped: the stack is down, and everything the demo started has stopped.")
	}
	return errors.Join(errs...)
}

// demoInstances are the instances of the stack's servers in the fake's
// world, one per backend: the stack must list exactly n servers.
func demoInstances(srv *fakecloud.Server, s *config.Stack, n int) ([]fakecloud.ECSInstance, error) {
	if len(s.Backends.Servers) != n {
		return nil, withHint(fmt.Errorf("%d backend(s) asked for, but the stack lists %d server(s): the demo runs one backend per server", n, len(s.Backends.Servers)),
			fmt.Sprintf("pass --backends %d, or list %d servers under backends.servers in the stack file", len(s.Backends.Servers), n))
	}
	st := srv.Snapshot()
	var out []fakecloud.ECSInstance
	for _, sv := range s.Backends.Servers {
		var found *fakecloud.ECSInstance
		for i := range st.ECS.Instances {
			if in := &st.ECS.Instances[i]; in.ID == sv.Instance || in.Name == sv.Instance {
				found = in
			}
		}
		if found == nil {
			return nil, withHint(fmt.Errorf("the stack's server %s is not an instance of the local fake cloud's world", sv.Instance),
				"the demo runs on the demo world: name its instances (ECS01, ECS02, …; `wsdeploy init` writes such a stack), or run the demo in a directory without wsdeploy.yaml")
		}
		out = append(out, *found)
	}
	return out, nil
}

// ensureInstances adds instances ECS01…ECSn (i-fake01…) to the world where
// missing, in ECS01's VPC, so that DemoStack(n) finds them. The built-in
// world has three.
func ensureInstances(srv *fakecloud.Server, n int) error {
	return srv.Update(func(st *fakecloud.State) error {
		first, ok := st.Instance("i-fake01")
		if !ok {
			return errors.New("it has no instance i-fake01 (ECS01)")
		}
		vpc := first.VpcID
		for i := 1; i <= n; i++ {
			id := fmt.Sprintf("i-fake%02d", i)
			if _, ok := st.Instance(id); ok {
				continue
			}
			st.ECS.Instances = append(st.ECS.Instances, fakecloud.ECSInstance{
				ID: id, Name: fmt.Sprintf("ECS%02d", i), VpcID: vpc, PrivateIP: fmt.Sprintf("192.168.0.%d", 10+i), Status: "Running", Health: "healthy",
				VSwitchID: first.VSwitchID, ZoneID: first.ZoneID, // ECS01's vSwitch holds 192.168.0.0/24
			})
		}
		return nil
	})
}

// redact hides a URL's password.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(a URL that does not parse)"
	}
	return u.Redacted()
}

// writeAtomic writes data to path through a temporary file and a rename, so
// a reader never sees half of it.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}
