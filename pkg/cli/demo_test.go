package cli_test

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/redistest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// demoReady is what `wsdeploy demo --ready-file` writes.
type demoReady struct {
	URL, WS, Endpoint, Redis, RedisKind, LB, LBID, Stack string
	Backends                                             []struct {
		Name, InstanceID, Address string
		PID                       int
	}
}

// startDemo runs `wsdeploy demo args…` in dir as a real process (this test
// binary as the CLI; its backends are processes of it too), and waits until
// it has written its ready file.
func startDemo(t *testing.T, dir string, env []string, args ...string) (*process, demoReady) {
	t.Helper()
	ready := filepath.Join(dir, "ready.json")
	p := &process{cmd: exec.Command(os.Args[0], append([]string{"demo", "--ready-file", "ready.json"}, args...)...), out: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Dir = dir
	p.cmd.Env = append(env, "WSDEPLOY_AS_CLI=1")
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.exited:
		case <-time.After(time.Minute):
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	var r demoReady
	poll(t, p, true, "the demo's ready file", func() (bool, string) {
		data, err := os.ReadFile(ready)
		if err != nil {
			return false, err.Error()
		}
		return json.Unmarshal(data, &r) == nil, string(data)
	})
	if r.RedisKind == "embedded" {
		t.Logf("the demo runs on the embedded Redis stand-in (miniredis): redis-server is not on PATH")
	}
	return p, r
}

// localWorld reads the world of dir's --local commands, as the fake keeps it.
func localWorld(t *testing.T, dir string) fakecloud.State {
	t.Helper()
	srv, err := fakecloud.New(fakecloud.Options{Seed: fakecloud.DemoSeed(), StatePath: filepath.Join(dir, ".wsdeploy", "local-cloud.json")})
	if err != nil {
		t.Fatal(err)
	}
	return srv.Snapshot()
}

// ownedAnywhere counts what carries stack's marker on ALB, CLB and DNS.
func ownedAnywhere(st fakecloud.State, stack string) int {
	g, l, r := owned(st, stack)
	n := g + l + r
	for _, tags := range append(mapTags(st.CLB.VServerGroups, func(v *fakecloud.CLBVServerGroup) []fakecloud.Tag { return v.Tags }),
		mapTags(st.CLB.Listeners, func(v *fakecloud.CLBListener) []fakecloud.Tag { return v.Tags })...) {
		for _, t := range tags {
			if t.Key == resource.OwnerTagKey && t.Value == stack {
				n++
			}
		}
	}
	return n
}

func mapTags[T any](xs []T, f func(T) []fakecloud.Tag) [][]fakecloud.Tag {
	var out [][]fakecloud.Tag
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

// TestDemo: `wsdeploy demo` (ALB, the defaults; CLB with three backends)
// runs the tutorial: its ready file names the page through the load
// balancer, which serves the chat page; the world --local commands share
// holds the stack, its instances mapped to the backends, which the load
// balancer reports healthy to `wsdeploy status --local` run from "another
// terminal"; Ctrl-C runs down, stops every process it started, unmaps the
// ports, removes the ready file and exits 0, leaving nothing the stack owns.
func TestDemo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		args     []string
		backends int
		lbType   string
	}{
		{name: "alb", backends: 2, lbType: "alb"},
		{name: "clb, 3 backends", args: []string{"--lb", "clb", "--backends", "3"}, backends: 3, lbType: "clb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if redistest.Binary() == "" && redistest.InCI() {
				t.Fatal("redis-server is not installed and CI is set: the demo must be tested with the real Redis")
			}
			dir := t.TempDir()
			sb := &sandbox{workDir: dir}
			p, r := startDemo(t, dir, sb.environ(), tc.args...)
			if r.LB != tc.lbType || len(r.Backends) != tc.backends || r.Stack != "demo" || !strings.HasPrefix(r.URL, "http://127.0.0.1:") ||
				r.WS != strings.Replace(r.URL, "http://", "ws://", 1)+"ws" || !strings.HasPrefix(r.Endpoint, "http://127.0.0.1:") {
				t.Fatalf("ready file: %+v\n%s", r, p.out.String())
			}
			if want := map[bool]string{true: "redis-server", false: "embedded"}[redistest.Binary() != ""]; r.RedisKind != want {
				t.Errorf("redis %q, want %q", r.RedisKind, want)
			}
			// The page, through the load balancer.
			res, err := http.Get(r.URL)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !strings.Contains(string(page), "<title>wschat</title>") {
				t.Fatalf("GET %s: %s\n%.200s", r.URL, res.Status, page)
			}
			// The world: instances mapped to the backends, listeners served where the file says.
			st := localWorld(t, dir)
			var pids []int
			for _, b := range r.Backends {
				pids = append(pids, b.PID)
				in, ok := st.Instance(b.InstanceID)
				if !ok || in.Ports[5000] != b.Address {
					t.Errorf("backend %+v: instance %+v", b, in)
				}
			}
			var served []string
			for _, l := range st.DataPlane.Listeners {
				if l.LBType == tc.lbType {
					served = append(served, "http://"+l.Address+"/")
				}
			}
			if !slices.Contains(served, r.URL) {
				t.Errorf("the data plane serves %v, not %s", served, r.URL)
			}
			if ownedAnywhere(st, "demo") == 0 {
				t.Error("the world holds nothing of the stack while the demo runs")
			}
			demoDeployedByCloudAssistant(t, st, r)
			// Another terminal in the same directory: status finds the backends
			// healthy, plan has nothing to do, verify passes through the LB.
			var flags []string
			if tc.backends != 2 {
				flags = append(flags, "-f", ".wsdeploy/demo-stack.yaml")
			}
			if tc.lbType == "clb" {
				flags = append(flags, "--lb", "clb")
			}
			for _, args := range [][]string{{"status", "--local", "--detailed-exitcode"}, {"plan", "--local", "--detailed-exitcode"}, {"verify", "--local", "--messages", "3"}} {
				args = append(args, flags...)
				if out, errs, code := runWsdeploy(t, sb, args...); code != 0 {
					t.Errorf("%v: exit %d\n%s%s", args, code, out, errs)
				}
			}

			// Ctrl-C.
			if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			p.wait(t)
			if p.err != nil || !strings.Contains(p.out.String(), "Destroy complete") {
				t.Fatalf("demo after Ctrl-C: %v\n%s", p.err, p.out.String())
			}
			// up, the wait for healthy backends and verify ran, in view. (Read
			// once it has exited: its output reaches the test through a pipe.)
			for _, want := range []string{"Apply complete", "backend(s) healthy", "0 failed", "Open " + r.URL + " in two browsers"} {
				if !strings.Contains(p.out.String(), want) {
					t.Errorf("demo output lacks %q:\n%s", want, p.out.String())
				}
			}
			st = localWorld(t, dir)
			if n := ownedAnywhere(st, "demo"); n != 0 {
				t.Errorf("%d resource(s) of the stack left after Ctrl-C", n)
			}
			// down --app: each backend's wschat removed by a command, its tag gone.
			for _, b := range r.Backends {
				if n := successfulRuns(st, "wsdeploy-uninstall-wschat", b.InstanceID); n != 1 {
					t.Errorf("%d successful wsdeploy-uninstall-wschat runs on %s, want 1", n, b.InstanceID)
				}
				in, _ := st.Instance(b.InstanceID)
				for _, tg := range in.Tags {
					if tg.Key == resource.AppTagKey("demo") {
						t.Errorf("%s still tagged %s=%s", b.InstanceID, tg.Key, tg.Value)
					}
				}
			}
			for _, in := range st.ECS.Instances {
				if len(in.Ports) != 0 {
					t.Errorf("instance %s still maps %v", in.ID, in.Ports)
				}
			}
			if len(st.DataPlane.Listeners) != 0 {
				t.Errorf("the data plane still publishes %v", st.DataPlane.Listeners)
			}
			for _, pid := range pids {
				if alive(pid) {
					t.Errorf("backend pid %d still runs", pid)
				}
			}
			if r.RedisKind != "given" {
				if c, err := net.DialTimeout("tcp", strings.TrimSuffix(strings.TrimPrefix(r.Redis, "redis://"), "/0"), time.Second); err == nil {
					c.Close()
					t.Errorf("Redis %s still answers", r.Redis)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "ready.json")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("ready file left: %v", err)
			}
		})
	}
}

// TestDemoFlags: --backends out of range is refused before anything starts.
func TestDemoFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, errs, code := runWsdeploy(t, &sandbox{workDir: dir}, "demo", "--backends", "0")
	if code != 1 || !strings.Contains(errs, "--backends 0: use 1-10") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, ".wsdeploy")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".wsdeploy created: %v", err)
	}
	// A stack file with two servers and three backends asked for: refused,
	// with what to do, before anything runs.
	if err := os.WriteFile(filepath.Join(dir, "wsdeploy.yaml"), config.Example(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code = runWsdeploy(t, &sandbox{workDir: dir}, "demo", "--backends", "3")
	if code != 1 || !strings.Contains(errs, "3 backend(s) asked for, but the stack lists 2 server(s)") || !strings.Contains(errs, "To fix: pass --backends 2") ||
		strings.Contains(errs+out, "Backend web-1") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
}

// demoDeployedByCloudAssistant: the demo's backends were started by up's
// Cloud Assistant commands, acted out by the demo's instance runtime: one
// successful wsdeploy-install-wschat run per backend's instance, recorded
// with the password placeholder-free settings of app.deploy, each instance
// tagged with what it runs, and each backend named as the command says (the
// instance's name, not the demo's own web-N).
func demoDeployedByCloudAssistant(t *testing.T, st fakecloud.State, r demoReady) {
	t.Helper()
	for _, b := range r.Backends {
		in, ok := st.Instance(b.InstanceID)
		if !ok {
			t.Fatalf("no instance %s", b.InstanceID)
		}
		if n := successfulRuns(st, "wsdeploy-install-wschat", b.InstanceID); n != 1 {
			t.Errorf("%d successful wsdeploy-install-wschat runs on %s, want 1 (the demo deploys through Cloud Assistant)", n, b.InstanceID)
		}
		if b.Name != in.Name {
			t.Errorf("backend on %s is named %q, want %q (BACKEND_NAME of its install command)", b.InstanceID, b.Name, in.Name)
		}
		tagged := false
		for _, tg := range in.Tags {
			tagged = tagged || (tg.Key == resource.AppTagKey("demo") && strings.HasPrefix(tg.Value, "wschat/v0.0.0-demo/"))
		}
		if !tagged {
			t.Errorf("%s carries no wschat deployment tag: %v", b.InstanceID, in.Tags)
		}
	}
	for _, inv := range st.ECS.Invocations {
		if inv.Name == "wsdeploy-install-redis" {
			t.Errorf("the demo installed Redis on an instance (%s): its Redis is the demo's own", inv.ID)
		}
	}
}

// successfulRuns counts the runs of command name on instance id that ended Success.
func successfulRuns(st fakecloud.State, name, id string) int {
	n := 0
	for _, inv := range st.ECS.Invocations {
		if inv.Name != name {
			continue
		}
		for _, rec := range inv.Instances {
			if rec.InstanceID == id && rec.Status == "Success" && !rec.RuntimePending {
				n++
			}
		}
	}
	return n
}
