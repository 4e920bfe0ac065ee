package cli_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// leakSecret is the access_key_secret of the broken aliyun CLI config below:
// it must never appear in anything wsdeploy prints.
const leakSecret = "Br0kenCfg-Secret-DoNotPrint-5c2d"

// brokenCLIConfig has a trailing comma on line 3, column 123 (the '}'), after two profiles' secrets.
const brokenCLIConfig = `{"current": "default", "profiles": [
  {"name": "default", "mode": "AK", "access_key_id": "LTAI-one", "access_key_secret": "` + leakSecret + `", "region_id": "cn-hangzhou"},
  {"name": "ci", "mode": "AK", "access_key_id": "fake-ak", "access_key_secret": "fake-secret", "region_id": "cn-hangzhou",}
]}
`

// noCredentialsEnv leaves wsdeploy no way to find credentials: an empty
// HOME, no ALIBABA_* variables. The ECS RAM role source would ask the
// instance metadata address (100.100.100.200), which is no address of this
// machine: ALIBABA_CLOUD_ECS_METADATA_DISABLED turns that source off, as a
// user can, so the test never leaves the machine and never waits on it.
func noCredentialsEnv(t *testing.T, sb *sandbox) string {
	home := t.TempDir()
	sb.setenvT(t, "HOME", home)
	for _, k := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_CONFIG_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_ROLE_ARN",
		"ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CLI_PROFILE_DISABLED"} {
		sb.setenvT(t, k, "")
	}
	sb.setenvT(t, "ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	return home
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestErrorHints runs one error of each class through the CLI and checks the
// message and the `To fix:` hint that belongs to that class, and that no
// credential-provider text (which can quote a whole config file) and no
// secret is ever printed.
func TestErrorHints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, e *env) []string // returns the full command line
		want  []string                            // in stderr, in this order
		not   []string                            // nowhere in stdout or stderr
		calls bool                                // API calls are expected
	}{
		{
			name: "unreachable endpoint",
			setup: func(t *testing.T, e *env) []string {
				return []string{"plan", "-f", e.cfg, "--endpoint", "http://" + e.dir}
			},
			want: []string{
				"retrying ", ": cannot reach http://127.0.0.1:", " (attempt 2, next in ",
				"Error: ", "cannot reach http://127.0.0.1:", "connection refused", "gave up after",
				"To fix: nothing answers at http://127.0.0.1:", "wsdeploy fakecloud --addr 127.0.0.1:", "region in use is cn-hangzhou",
			},
			not: []string{"busy or throttling"},
		},
		{
			name: "no credentials",
			setup: func(t *testing.T, e *env) []string {
				home := noCredentialsEnv(t, &e.sandbox)
				return []string{"plan", "-f", e.cfg, "--endpoint", e.fc.URL(), "# home " + home}
			},
			want: []string{
				"Error: no Alibaba Cloud credentials found; looked at:",
				"- environment: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set",
				"/.aliyun/config.json: does not exist",
				"To fix: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET", "--profile", "--local",
			},
			not: []string{"providers in the chain", "enviroment variables", "100.100.100.200/latest", "could not be reached"},
		},
		{
			name: "broken aliyun CLI config",
			setup: func(t *testing.T, e *env) []string {
				home := noCredentialsEnv(t, &e.sandbox)
				writeFile(t, filepath.Join(home, ".aliyun", "config.json"), brokenCLIConfig)
				return []string{"plan", "--debug", "-f", e.cfg, "--endpoint", e.fc.URL()}
			},
			want: []string{
				"Error: the aliyun CLI config ", "/.aliyun/config.json is malformed at line 3, column 123: not valid JSON",
				"To fix: fix ", "/.aliyun/config.json at line 3, column 123", "ALIBABA_CLOUD_ACCESS_KEY_ID",
			},
			not: []string{leakSecret, "LTAI-one", "access_key_secret", "unmarshal"},
		},
		{
			name: "broken aliyun CLI config with --profile",
			setup: func(t *testing.T, e *env) []string {
				home := noCredentialsEnv(t, &e.sandbox)
				writeFile(t, filepath.Join(home, ".aliyun", "config.json"), brokenCLIConfig)
				return []string{"up", "--yes", "--profile", "ci", "-f", e.cfg, "--endpoint", e.fc.URL()}
			},
			want: []string{"/.aliyun/config.json is malformed at line 3, column 123", "To fix: fix "},
			not:  []string{leakSecret, "LTAI-one", "access_key_secret"},
		},
		{
			name: "timeout",
			setup: func(t *testing.T, e *env) []string {
				// Server groups stay "Creating" far longer than --timeout.
				e.fc = fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: time.Hour})
				return []string{"up", "--yes", "--timeout", "1s", "-f", e.cfg, "--endpoint", e.fc.URL()}
			},
			want: []string{
				"Error: --timeout 1s ran out while waiting for: create server-group wsdeploy-chat",
				"To fix: give it more time with a longer --timeout (it was 1s): run `wsdeploy up --yes --timeout 2s -f ",
				"; it continues from what exists",
			},
			calls: true,
		},
		{
			name: "YAML syntax",
			setup: func(t *testing.T, e *env) []string {
				e.write(strings.Replace(stackYAML, "    - ECS03\n", "    - [ECS03\n", 1))
				return []string{"plan", "-f", e.cfg, "--endpoint", e.fc.URL()}
			},
			// "    - [ECS03" is line 10: the [ at column 7 is never closed.
			want: []string{"wsdeploy.yaml:10:7: invalid YAML: ", "(the [ here is never closed)", "To fix: fix the YAML at ", "wsdeploy.yaml line 10, column 7: indent with spaces"},
		},
		{
			name: "ALB not found",
			setup: func(t *testing.T, e *env) []string {
				e.write(strings.Replace(stackYAML, "alb-fake01", "alb-nope0001", 1))
				return []string{"plan", "-f", e.cfg, "--endpoint", e.fc.URL()}
			},
			want:  []string{"ResourceNotFound.LoadBalancer", "To fix: there is no ALB with that ID in region cn-hangzhou: check alb.id in the stack file and the region"},
			calls: true,
		},
		{
			name: "CLB not found",
			setup: func(t *testing.T, e *env) []string {
				e.write(strings.Replace(clbStack("clb"), "{id: lb-fake01}", "{id: lb-nope0001}", 1))
				return []string{"plan", "--lb", "clb", "-f", e.cfg, "--endpoint", e.fc.URL()}
			},
			want:  []string{"InvalidLoadBalancerId.NotFound", "To fix: there is no CLB with that ID in region cn-hangzhou: check clb.id"},
			calls: true,
		},
		{
			name: "DNS zone not found",
			setup: func(t *testing.T, e *env) []string {
				e.write(strings.Replace(stackYAML, "domain: example.com", "domain: example.org", 1))
				return []string{"plan", "-f", e.cfg, "--endpoint", e.fc.URL()}
			},
			want:  []string{"InvalidDomainName.NoExist", "To fix: the DNS zone is not in the account of this access key: check dns.domain"},
			calls: true,
		},
		{
			name: "fakecloud port in use",
			setup: func(t *testing.T, e *env) []string {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { ln.Close() })
				return []string{"fakecloud", "--addr", ln.Addr().String()}
			},
			want: []string{"address already in use", "To fix: another process already listens on 127.0.0.1:", "--addr"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.giveUp = 500 * time.Millisecond
			args := tt.setup(t, e)
			if tt.name == "unreachable endpoint" {
				args[len(args)-1] = "http://" + closedPort(t)
			}
			if n := len(args); strings.HasPrefix(args[n-1], "# ") {
				args = args[:n-1]
			}
			r := e.runRaw(args...)
			if strings.Contains(r.stdout+r.stderr, leakSecret) {
				t.Error("a secret of the aliyun CLI config was printed")
			}
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
			}
			if !tt.calls && len(r.calls) != 0 {
				t.Errorf("%d API calls, want none", len(r.calls))
			}
			rest := r.stderr
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("stderr lacks %q (in order)\nstderr:\n%s", w, r.stderr)
				}
				rest = rest[i+len(w):]
			}
			if n := strings.Count(r.stderr, "To fix:"); n != 1 {
				t.Errorf("%d To fix: lines, want 1\n%s", n, r.stderr)
			}
			for _, s := range tt.not {
				if strings.Contains(r.stdout+r.stderr, s) {
					t.Errorf("output contains %q\nstdout:\n%s\nstderr:\n%s", s, r.stdout, r.stderr)
				}
			}
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// interruptOn is stderr for a run: when a line matching re is written, it
// cancels the run's context as Ctrl-C does (from inside the write, so the run
// is interrupted exactly there).
type interruptOn struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	re     *regexp.Regexp
	cancel context.CancelCauseFunc
	done   bool
}

func (w *interruptOn) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.done && w.re.Match(w.buf.Bytes()) {
		w.done = true
		w.cancel(&cli.SignalError{Signal: os.Interrupt})
	}
	return len(p), nil
}

func (w *interruptOn) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// runInterrupted runs wsdeploy with args and presses Ctrl-C when stderr matches at.
func runInterrupted(t *testing.T, sb *sandbox, args []string, at string) (code int, stderr string) {
	t.Helper()
	ctx, cancel := context.WithCancelCause(t.Context())
	defer cancel(nil)
	w := &interruptOn{re: regexp.MustCompile(at), cancel: cancel}
	var out bytes.Buffer
	code = sb.runCLI(ctx, args, cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: w}, cli.Build{Version: "test"})
	return code, w.String()
}

// TestInterruptExitsAndResumesWithTheSameCommand presses Ctrl-C during up
// and down: the run exits 130, and the hint repeats the exact command line
// that was interrupted (shell-quoted, without --debug); running that command
// finishes the job.
func TestInterruptExitsAndResumesWithTheSameCommand(t *testing.T) {
	t.Parallel()
	e := newEnvSeed(t, fakecloud.DemoSeed())
	e.fc = fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 100 * time.Millisecond})
	cfg := filepath.Join(e.dir, "my stack.yaml") // a path that needs quoting
	writeFile(t, cfg, clbStack("alb"))
	for _, lb := range []string{"clb", "alb"} {
		args := []string{"up", "--yes", "--debug", "-f", cfg, "--lb", lb, "--endpoint", e.fc.URL()}
		resume := "wsdeploy up --yes -f '" + cfg + "' --lb " + lb + " --endpoint " + e.fc.URL()
		code, stderr := runInterrupted(t, &e.sandbox, args, `(?m)^  … `)
		if code != 130 {
			t.Fatalf("up --lb %s interrupted: exit %d, want 130\n%s", lb, code, stderr)
		}
		if !strings.Contains(stderr, "To fix: run `"+resume+"` again to finish") {
			t.Fatalf("up --lb %s: the hint does not repeat the command line %q:\n%s", lb, resume, stderr)
		}
		if n := countOwned(e.fc.Snapshot(), "chat"); n["listener"] != 0 {
			t.Fatalf("up --lb %s: listeners were started after the interrupt: %v\n%s", lb, n, stderr)
		}
		// The hint's command finishes the job.
		e.runRaw("down", "--yes", "-f", cfg, "--lb", lb, "--endpoint", e.fc.URL())
		if r := e.runRaw(args...); r.code != 0 {
			t.Fatalf("resume: exit %d\n%s", r.code, r.stderr)
		}
		if n := countOwned(e.fc.Snapshot(), "chat"); n["group"] != 1 || n["listener"] != 2 || n["record"] != 1 {
			t.Fatalf("after resuming: %v", n)
		}
		down := []string{"down", "-f", cfg, "--yes", "--lb", lb, "--endpoint", e.fc.URL(), "--debug"}
		code, stderr = runInterrupted(t, &e.sandbox, down, `(?m)^  … `)
		want := "wsdeploy down -f '" + cfg + "' --yes --lb " + lb + " --endpoint " + e.fc.URL()
		if code != 130 || !strings.Contains(stderr, "To fix: run `"+want+"` again to finish") {
			t.Fatalf("down --lb %s interrupted: exit %d, want 130 and the hint %q\n%s", lb, code, want, stderr)
		}
		if r := e.runRaw(down...); r.code != 0 {
			t.Fatalf("resumed down: exit %d\n%s", r.code, r.stderr)
		}
	}
	// Interrupted before any change (while reading): 130 too, and the same kind of hint.
	code, stderr := runInterrupted(t, &e.sandbox, []string{"plan", "--debug", "-f", cfg, "--endpoint", e.fc.URL()}, `debug: `)
	if code != 130 || !strings.Contains(stderr, "To fix: nothing was left half-done: run `wsdeploy plan -f '"+cfg+"' --endpoint "+e.fc.URL()+"` again") {
		t.Fatalf("plan interrupted: exit %d\n%s", code, stderr)
	}
}
