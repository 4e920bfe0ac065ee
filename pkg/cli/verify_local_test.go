package cli_test

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
	"github.com/wsdeploy/wsdeploy/pkg/internal/redistest"
)

// localDataPlane serves, in dir, the world `--local` commands use
// (.wsdeploy/local-cloud.json) with its data plane, as `wsdeploy demo` does,
// and two wschat backends sharing a Redis whose ports 5000 the demo world's
// ECS01 and ECS02 map. It returns the server and the backends.
func localDataPlane(t *testing.T, dir string, ping time.Duration) (*fakecloud.Server, []*chattest.Backend) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, ".wsdeploy"), 0o755); err != nil {
		t.Fatal(err)
	}
	srv, err := fakecloud.New(fakecloud.Options{Seed: fakecloud.DemoSeed(), StatePath: filepath.Join(dir, ".wsdeploy", "local-cloud.json"),
		AsyncDuration: 30 * time.Millisecond, DataPlane: true})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = fakecloud.Serve(ctx, ln, srv)
	}()
	t.Cleanup(func() { cancel(); <-done })

	return srv, chatBackends(t, srv, ping)
}

// chatBackends starts web-1 and web-2, sharing a Redis, as the apps of the
// demo world's ECS01 and ECS02 on port 5000.
func chatBackends(t *testing.T, srv *fakecloud.Server, ping time.Duration) []*chattest.Backend {
	t.Helper()
	rs := redistest.Start(t)
	var backends []*chattest.Backend
	for i, id := range []string{"i-fake01", "i-fake02"} {
		b := chattest.Start(t, chat.Options{Name: []string{"web-1", "web-2"}[i], Bus: chattest.SteadyRedisBus(t, rs.URL()), PingInterval: ping})
		chattest.WaitHealthy(t, b, 10*time.Second)
		if err := srv.SetInstancePorts(id, map[int]string{5000: b.Addr}); err != nil {
			t.Fatal(err)
		}
		backends = append(backends, b)
	}
	return backends
}

// TestVerifyLocalThroughDataPlane: after `up --local`, `verify --local` (no
// --target) finds where the local fake cloud's data plane serves each
// listener, and the fake's CA, and every check passes for real through the
// load balancer, on ALB and on CLB: the record read through the API, TCP,
// TLS for the record's name, the upgrade, clients on both backends, the
// message across them, latency, and a connection idle past the listener's
// idle timeout kept by wschat's pings. `up --verify --local` then passes
// too. (On main, verify --local failed with "no such host" and up --verify
// --local was refused.)
func TestVerifyLocalThroughDataPlane(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sb := &sandbox{workDir: dir}
	srv, backends := localDataPlane(t, dir, 500*time.Millisecond)
	stack := strings.NewReplacer("idleTimeout: 60", "idleTimeout: 2", "pingInterval: 10s", "pingInterval: 500ms",
		"# interval: 2 ", "interval: 1   ", "# healthyThreshold: 3", "healthyThreshold: 2  ").Replace(string(config.Example()))
	if err := os.WriteFile(filepath.Join(dir, "wsdeploy.yaml"), []byte(stack), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, lb := range []string{"alb", "clb"} {
		if out, errs, code := runWsdeploy(t, sb, "up", "--local", "--lb", lb, "--yes", "--wait-healthy"); code != 0 {
			t.Fatalf("up --lb %s: exit %d\n%s%s", lb, code, out, errs)
		}
		out, errs, code := runWsdeploy(t, sb, "verify", "--local", "--lb", lb, "--idle-check", "--messages", "5", "-o", "json")
		var rep struct {
			OK      bool
			Targets []struct {
				URL     string
				Dialed  []string
				Clients []struct{ Backend string }
				Checks  []struct{ Check, Status, Summary string }
			}
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || !rep.OK || len(rep.Targets) != 2 {
			t.Fatalf("verify --local --lb %s: exit %d (%v)\n%s%s", lb, code, err, out, errs)
		}
		// Where it connected is where the fake's data plane serves the listeners.
		var served []string
		for _, l := range srv.DataPlane().Listeners {
			if l.LBType == lb {
				served = append(served, l.Address)
			}
		}
		for _, tr := range rep.Targets {
			if len(tr.Dialed) != 1 || !slices.Contains(served, tr.Dialed[0]) {
				t.Errorf("%s %s dialled %v, the data plane serves %v", lb, tr.URL, tr.Dialed, served)
			}
			var checks []string
			for _, c := range tr.Checks {
				checks = append(checks, c.Check)
				if c.Status != "pass" {
					t.Errorf("%s %s: %s %s: %s", lb, tr.URL, c.Check, c.Status, c.Summary)
				}
			}
			want := []string{"dns", "tcp", "upgrade", "clients", "broadcast", "fan-out", "latency", "idle"}
			if strings.HasPrefix(tr.URL, "wss://") {
				want = slices.Insert(want, 2, "tls")
			}
			if !slices.Equal(checks, want) {
				t.Errorf("%s %s: checks %v, want %v", lb, tr.URL, checks, want)
			}
			reached := map[string]bool{}
			for _, c := range tr.Clients {
				reached[c.Backend] = true
			}
			if !reached["web-1"] || !reached["web-2"] {
				t.Errorf("%s %s: clients reached %v, want both backends", lb, tr.URL, tr.Clients)
			}
		}
		if out, errs, code := runWsdeploy(t, sb, "up", "--local", "--lb", lb, "--yes", "--verify"); code != 0 || !strings.Contains(out, "0 failed") {
			t.Fatalf("up --verify --local --lb %s: exit %d\n%s%s", lb, code, out, errs)
		}
		if out, errs, code := runWsdeploy(t, sb, "down", "--local", "--yes"); code != 0 {
			t.Fatalf("down: exit %d\n%s%s", code, out, errs)
		}
	}
	// The backends themselves saw the traffic (their own counters).
	for _, b := range backends {
		if b.Server.Stats().Delivered == 0 {
			t.Errorf("%s delivered nothing", b.Name)
		}
	}
}

// TestVerifyLocalWithoutDataPlane: with nothing serving the local fake
// cloud's load balancers, verify --local says so and names `wsdeploy demo`,
// instead of failing every check on a name that resolves nowhere.
func TestVerifyLocalWithoutDataPlane(t *testing.T) {
	t.Parallel()
	sb := &sandbox{workDir: t.TempDir()}
	if out, errs, code := runWsdeploy(t, sb, "up", "--local", "--yes"); code != 0 {
		t.Fatalf("up: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code := runWsdeploy(t, sb, "verify", "--local")
	if code != 1 || !strings.Contains(errs, "no process serves its data plane") || !strings.Contains(errs, "To fix: run `wsdeploy demo` in this directory") {
		t.Fatalf("verify --local without a data plane: exit %d\n%s%s", code, out, errs)
	}
}

// TestVerifyEndpointThroughDataPlane: verify --endpoint against a fake
// cloud that serves its data plane (as `wsdeploy fakecloud` does) connects
// through it too, with no --target.
func TestVerifyEndpointThroughDataPlane(t *testing.T) {
	t.Parallel()
	fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 30 * time.Millisecond, DataPlane: true})
	chatBackends(t, fc.Server, 10*time.Second)
	dir := t.TempDir()
	sb := &sandbox{workDir: dir}
	sb.fakeCredentials()
	stack := strings.NewReplacer("# interval: 2 ", "interval: 1   ", "# healthyThreshold: 3", "healthyThreshold: 2  ").Replace(string(config.Example()))
	if err := os.WriteFile(filepath.Join(dir, "wsdeploy.yaml"), []byte(stack), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := runWsdeploy(t, sb, "up", "--endpoint", fc.URL(), "--yes", "--wait-healthy"); code != 0 {
		t.Fatalf("up: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code := runWsdeploy(t, sb, "verify", "--endpoint", fc.URL(), "--messages", "3")
	if code != 0 || strings.Count(out, "✔ fan-out") != 2 || !strings.Contains(out, "✔ tls") || !strings.Contains(out, "0 failed") {
		t.Fatalf("verify --endpoint: exit %d\n%s%s", code, out, errs)
	}
	if n := len(fc.DataPlane().Listeners); n != 2 {
		t.Fatalf("the data plane serves %d listeners, want 2", n)
	}
	for _, l := range fc.DataPlane().Listeners {
		if !strings.Contains(out, "(connecting to "+l.Address+")") {
			t.Errorf("verify did not connect to %s %d at %s:\n%s", l.Protocol, l.Port, l.Address, out)
		}
	}
}
