package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
)

// Every refusal below must happen before any write, with a message naming the problem.
func TestRefusalsMakeNoWrites(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		arrange func(e *env)
		config  string // replaces the stack file when set
		args    []string
		want    []string // substrings of stderr
		calls   int      // -1: any number of reads allowed; 0: no call at all
	}{
		{
			name:    "foreign listener on a configured port",
			arrange: func(e *env) { e.addForeign(5000, "other") },
			args:    []string{"up"},
			want:    []string{"listeners[0]: port 5000 on ALB alb-fake01 already has a HTTP listener", "owned by another tool or person", "To fix:"},
			calls:   -1,
		},
		{
			name:    "foreign CLB listener on a configured port",
			arrange: func(e *env) { e.addForeignCLB(5000, "theirs", nil) },
			config:  clbStack("clb"),
			args:    []string{"up", "--lb", "clb"},
			want:    []string{"listeners[0]: port 5000 on CLB lb-fake01 already has a HTTP listener (lb-fake01_http_5000)", "To fix:"},
			calls:   -1,
		},
		{
			name:    "unowned DNS record at the stack's name",
			arrange: func(e *env) { e.addForeign(8080, "chat") },
			args:    []string{"up"},
			want:    []string{"dns: chat.example.com already has a A record → 198.51.100.7", "does not own"},
			calls:   -1,
		},
		{
			name:   "backend in another VPC",
			config: strings.Replace(stackYAML, "- ECS03", "- i-other01", 1),
			args:   []string{"up"},
			want:   []string{"backends.servers[2].instance: instance i-other01 is in vpc-other01, but the load balancer is in vpc-fake01"},
			calls:  -1,
		},
		{
			name:   "backend name that does not exist",
			config: strings.Replace(stackYAML, "- ECS03", "- ECS99", 1),
			args:   []string{"plan"},
			want:   []string{`backends.servers[2].instance: no ECS instance named "ECS99"`},
			calls:  -1,
		},
		{
			name:   "invalid config: every problem, zero calls",
			config: strings.NewReplacer("idleTimeout: 60, requestTimeout: 60}", "idleTimeout: 61, requestTimeout: 181}", "ttl: 600", "ttl: 0").Replace(stackYAML),
			args:   []string{"up"},
			want:   []string{"listeners[0].idleTimeout: 61", "listeners[0].requestTimeout: 181", "dns.ttl: 0"},
			calls:  0,
		},
		{
			name:   "unknown key, zero calls",
			config: stackYAML + "extra: 1\n",
			args:   []string{"plan"},
			want:   []string{`unknown field "extra"`},
			calls:  0,
		},
		{
			name:  "bad --output, zero calls",
			args:  []string{"plan", "-o", "yaml"},
			want:  []string{`-o/--output "yaml"`},
			calls: 0,
		},
		{
			name:  "bad --region, zero calls",
			args:  []string{"plan", "--region", "Hangzhou!"},
			want:  []string{`region: "Hangzhou!" is not a region ID (from --region)`},
			calls: 0,
		},
		{
			name:  "down without --yes and without a terminal",
			args:  []string{"down"},
			want:  []string{"Error: This destroys stack \"chat\": 0 to create, 1 to update, 4 to delete. Refusing without confirmation: no terminal to ask on\nTo fix: re-run with --yes to confirm\n"},
			calls: -1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			if tt.name == "down without --yes and without a terminal" {
				e.mustRun("up")
			}
			if tt.arrange != nil {
				tt.arrange(e)
			}
			if tt.config != "" {
				e.write(tt.config)
			}
			r := e.run(tt.args...)
			if r.code != cli.ExitError {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, cli.ExitError, r.stdout, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if w := r.writes(); len(w) != 0 {
				t.Errorf("write calls made: %v", w)
			}
			if tt.calls == 0 && len(r.calls) != 0 {
				t.Errorf("%d API calls made, want none", len(r.calls))
			}
		})
	}
}

// TestLocalQuickStart runs the README's quick start: up, plan, down against the
// built-in fake cloud, in separate runs that share .wsdeploy/local-cloud.json.
func TestLocalQuickStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sb := &sandbox{workDir: dir}
	sb.setenv("WSDEPLOY_ENDPOINT", "")
	run := func(args ...string) (string, string, int) {
		var out, errb strings.Builder
		code := sb.runCLI(t.Context(), args, cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{Version: "test"})
		return out.String(), errb.String(), code
	}
	out, errOut, code := run("up", "--lb", "alb", "--local")
	if code != 0 || !strings.Contains(out, "ws://chat.example.com:5000") || !strings.Contains(errOut, "Apply complete: 5 created") {
		t.Fatalf("up --local: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, ".wsdeploy", "local-cloud.json")); err != nil {
		t.Fatalf("local state file: %v", err)
	}
	out, _, code = run("plan", "--lb", "alb", "--local")
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Fatalf("plan --local after up: exit %d\n%s", code, out)
	}
	out, errOut, code = run("down", "--local", "--yes")
	if code != 0 || !strings.Contains(errOut, "Destroy complete: 0 created, 1 updated, 4 deleted") {
		t.Fatalf("down --local: exit %d\n%s\n%s", code, out, errOut)
	}
	out, _, code = run("plan", "--local", "--detailed-exitcode")
	if code != cli.ExitChanges || !strings.Contains(out, "Plan: 5 to create") {
		t.Fatalf("plan after down: exit %d\n%s", code, out)
	}
	// --local and --endpoint together are refused.
	if _, errOut, code := run("plan", "--local", "--endpoint", "http://127.0.0.1:1"); code != 1 || !strings.Contains(errOut, "--local and --endpoint") {
		t.Fatalf("--local with --endpoint: exit %d\n%s", code, errOut)
	}
	// init writes a starter file that plans cleanly against the demo world, and refuses to overwrite.
	if _, errOut, code := run("init"); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	if _, errOut, code := run("init"); code != 1 || !strings.Contains(errOut, "--force") {
		t.Fatalf("init twice: exit %d\n%s", code, errOut)
	}
	if out, errOut, code := run("plan", "--local"); code != 0 || !strings.Contains(out, "Plan: 5 to create") {
		t.Fatalf("plan of the init file: exit %d\n%s\n%s", code, out, errOut)
	}
}
