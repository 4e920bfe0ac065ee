package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
)

func TestPingIntervalWarning(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(stackYAML, "{protocol: HTTP, port: 5000, idleTimeout: 60", "{protocol: HTTP, port: 5000, idleTimeout: 8", 1) + "app: {pingInterval: 10s}\n")
	r := e.mustRun("plan")
	if !strings.Contains(r.stdout, "Warning: app.pingInterval 10s is not below listeners[0].idleTimeout 8s (HTTP:5000)") {
		t.Fatalf("no ping warning:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "listeners[1]") {
		t.Fatalf("warned about a listener whose idle timeout (60s) is above the ping interval:\n%s", r.stdout)
	}
	r = e.mustRun("plan", "-o", "json")
	var p struct{ Warnings []string }
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil || len(p.Warnings) != 1 || p.Warnings[0] != "app.pingInterval 10s is not below listeners[0].idleTimeout 8s (HTTP:5000): the load balancer will close quiet WebSocket connections before the app pings them; set app.pingInterval below 8s (and wschat --ping-interval to match) or raise idleTimeout (at most 60)" {
		t.Fatalf("JSON warnings = %v (%v)", p.Warnings, err)
	}
	e.write(stackYAML + "app: {pingInterval: 5s}\n")
	if r := e.mustRun("plan"); strings.Contains(r.stdout, "Warning:") {
		t.Fatalf("warning with a 5s ping below 60s idle timeouts:\n%s", r.stdout)
	}
}

func TestInitApp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sb := &sandbox{workDir: dir}
	run := func(args ...string) (string, int) {
		var out, errb strings.Builder
		code := sb.runCLI(t.Context(), args, cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{})
		return out.String() + errb.String(), code
	}
	if out, code := run("init", "--app"); code != 0 {
		t.Fatalf("init --app: %d\n%s", code, out)
	}
	for name, mode := range map[string]os.FileMode{"wsdeploy.yaml": 0o644, "index.html": 0o644, "setup-app.sh": 0o700, "setup-redis.sh": 0o700, "wschat.env": 0o600, "redis.conf": 0o600, "wschat.service": 0o644, "redis-server.service": 0o644} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", name, fi.Mode().Perm(), mode)
		}
	}
	if out, code := run("init", "--app"); code != 1 || !strings.Contains(out, "--force") {
		t.Fatalf("init --app twice: exit %d\n%s", code, out)
	}
	if out, code := run("init", "--app", "--force"); code != 0 {
		t.Fatalf("init --app --force: %d\n%s", code, out)
	}
	// The stack file's health check matches what wschat serves.
	data, _ := os.ReadFile(filepath.Join(dir, "wsdeploy.yaml"))
	if !strings.Contains(string(data), "path: /healthz") || !strings.Contains(string(data), "pingInterval: 10s") {
		t.Fatalf("wsdeploy.yaml does not match wschat's /healthz and 10s ping:\n%s", data)
	}
	// Nothing serves the local fake cloud's load balancers (no `wsdeploy demo`):
	// verify says so and what to run.
	if out, code := run("up", "--local", "--verify", "--yes"); code != 1 || !strings.Contains(out, "no process serves its data plane") || !strings.Contains(out, "wsdeploy demo") {
		t.Fatalf("up --local --verify: exit %d\n%s", code, out)
	}
}
