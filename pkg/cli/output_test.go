package cli_test

// Output a script can trust: -o json stderr, counts, exit codes, help and
// completion, aliases (issue 8, section 3).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// jsonLines parses every line of stderr as a JSON object with a level and an
// event, failing the test on the first line that is not.
func jsonLines(t *testing.T, stderr string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for i, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if line == "" && stderr == "" {
			break
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("stderr line %d is not JSON (%v): %q\nstderr:\n%s", i+1, err, line, stderr)
		}
		if m["level"] == nil || m["event"] == nil {
			t.Fatalf("stderr line %d has no level or event: %q", i+1, line)
		}
		out = append(out, m)
	}
	return out
}

func eventsNamed(lines []map[string]any, name string) []map[string]any {
	var out []map[string]any
	for _, m := range lines {
		if m["event"] == name {
			out = append(out, m)
		}
	}
	return out
}

func TestJSONStderrIsOnlyJSONLines(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	steps := []struct {
		name   string
		args   []string
		code   int
		events []string // events that must appear
		err    string   // for an error line: its error, exactly
		hint   string   // for an error line: a substring of its hint
	}{
		{name: "plan with --debug", args: []string{"plan", "-o", "json", "--debug"}, events: []string{"api.call"}},
		{name: "up", args: []string{"up", "-o", "json", "--debug"}, events: []string{"apply.started", "action.started", "action.succeeded", "apply.completed", "api.call"}},
		{name: "status", args: []string{"status", "-o", "json", "--debug"}, events: []string{"api.call"}},
		{name: "verify with a bad flag value", args: []string{"verify", "-o", "json", "--dial", "nohostport"}, code: 1, events: []string{"error"}, err: `--dial "nohostport": want host:port`},
		{name: "down without --yes", args: []string{"down", "-o", "json"}, code: 1, events: []string{"error"}, err: `This destroys stack "chat": 0 to create, 1 to update, 4 to delete. Refusing without confirmation: no terminal to ask on`, hint: "--yes"},
		{name: "down", args: []string{"down", "-o", "json", "--yes", "--debug"}, events: []string{"apply.started", "action.succeeded", "apply.completed", "api.call"}},
		{name: "unknown flag after -o", args: []string{"plan", "-o", "json", "--colour"}, code: 1, events: []string{"error"}, err: "unknown flag: --colour\nRun 'wsdeploy plan --help' for usage"},
		{name: "unknown flag before -o", args: []string{"plan", "--colour", "-o", "json"}, code: 1, events: []string{"error"}, err: "unknown flag: --colour\nRun 'wsdeploy plan --help' for usage"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			r := e.run(st.args...)
			if r.code != st.code {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, st.code, r.stderr)
			}
			lines := jsonLines(t, r.stderr)
			for _, ev := range st.events {
				if len(eventsNamed(lines, ev)) == 0 {
					t.Errorf("no %q event on stderr:\n%s", ev, r.stderr)
				}
			}
			if st.code != 0 {
				errs := eventsNamed(lines, "error")
				if len(errs) != 1 || errs[0]["level"] != "error" || errs[0]["error"] != st.err || errs[0]["exitCode"] != float64(st.code) {
					t.Fatalf("want one error line with the exit code and the error %q, got %v", st.err, errs)
				}
				if h, _ := errs[0]["hint"].(string); !strings.Contains(h, st.hint) {
					t.Errorf("hint %q lacks %q", h, st.hint)
				}
			}
		})
	}

	// An invalid stack file: the error line carries every problem.
	e.write(strings.Replace(stackYAML, "ttl: 600", "ttl: 0", 1))
	r := e.run("plan", "-o", "json")
	errs := eventsNamed(jsonLines(t, r.stderr), "error")
	if r.code != 1 || len(errs) != 1 || !strings.Contains(errs[0]["error"].(string), "dns.ttl: 0") || len(r.calls) != 0 {
		t.Fatalf("invalid file: exit %d, %d calls, stderr:\n%s", r.code, len(r.calls), r.stderr)
	}

	// Text mode is unchanged: the same error as plain lines.
	want := "Error: " + errs[0]["error"].(string) + "\n"
	if h, ok := errs[0]["hint"].(string); ok {
		want += "To fix: " + h + "\n"
	}
	if r := e.run("plan"); r.code != 1 || r.stderr != want {
		t.Fatalf("text-mode error: exit %d\n%s\nwant\n%s", r.code, r.stderr, want)
	}
}

// With --local and no file, the demo-stack notice is a JSON line too.
func TestJSONStderrDemoStack(t *testing.T) {
	t.Parallel()
	sb := &sandbox{workDir: t.TempDir()}
	sb.setenv("WSDEPLOY_ENDPOINT", "")
	var out, errb bytes.Buffer
	code := sb.runCLI(t.Context(), []string{"plan", "--local", "-o", "json"}, cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	demo := eventsNamed(jsonLines(t, errb.String()), "stack.demo")
	if len(demo) != 1 || demo[0]["stack"] != "demo" || demo[0]["file"] != "wsdeploy.yaml" {
		t.Fatalf("stack.demo events = %v", demo)
	}
}

// cancelOn is a stderr that cancels a context when a line containing marker is written.
type cancelOn struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	cancel context.CancelFunc
}

func (c *cancelOn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if bytes.Contains(p, []byte(c.marker)) {
		c.cancel()
	}
	return c.buf.Write(p)
}

// Ctrl-C during an -o json apply: the interrupt notice and the final error are JSON lines.
func TestJSONStderrInterrupt(t *testing.T) {
	t.Parallel()
	fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 300 * time.Millisecond})
	sb := &sandbox{}
	sb.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "fake-ak")
	sb.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "fake-secret")
	cfg := filepath.Join(t.TempDir(), "wsdeploy.yaml")
	if err := os.WriteFile(cfg, []byte(stackYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	errw := &cancelOn{marker: `"event":"action.started"`, cancel: cancel}
	var out bytes.Buffer
	code := sb.runCLI(ctx, []string{"up", "-o", "json", "-f", cfg, "--endpoint", fc.URL()}, cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: errw}, cli.Build{})
	if code != 130 {
		t.Fatalf("interrupted up exited %d, want 130\n%s", code, errw.buf.String())
	}
	lines := jsonLines(t, errw.buf.String())
	if len(eventsNamed(lines, "interrupt")) != 1 || len(eventsNamed(lines, "error")) != 1 {
		t.Fatalf("want one interrupt and one error line:\n%s", errw.buf.String())
	}
}

var (
	planLineRE   = regexp.MustCompile(`Plan: (\d+) to create, (\d+) to update, (\d+) to delete\.`)
	promptRE     = regexp.MustCompile(`This destroys stack "chat": (\d+) to create, (\d+) to update, (\d+) to delete\. Type 'yes' to continue:`)
	destroyingRE = regexp.MustCompile(`Destroying stack "chat": (\d+) to create, (\d+) to update, (\d+) to delete…`)
	completeRE   = regexp.MustCompile(`Destroy complete: (\d+) created, (\d+) updated, (\d+) deleted\.`)
)

func counts(t *testing.T, re *regexp.Regexp, s, what string) string {
	t.Helper()
	m := re.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s line in:\n%s", what, s)
	}
	return strings.Join(m[1:], "/")
}

// callCounts counts the successful writes in the fake's own request log as
// created/updated/deleted.
func callCounts(r result) string {
	var c, u, d int
	for _, call := range r.calls {
		if !call.Write || call.Status != 200 {
			continue
		}
		switch {
		case strings.HasPrefix(call.Action, "Create"):
			c++
		case strings.HasPrefix(call.Action, "Delete"):
			d++
		default:
			u++
		}
	}
	return fmt.Sprintf("%d/%d/%d", c, u, d)
}

// The plan summary, the confirmation prompt, the progress header and the
// completion line of down give the same numbers, and they are the numbers of
// what the fake cloud saw happen.
func TestDownCountsAgree(t *testing.T) {
	t.Parallel()
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(clbStack(lb))
			e.mustRun("up", "--lb", lb)

			e.fc.ResetCalls()
			var out, errb bytes.Buffer
			// A terminal that answers "yes".
			code := e.runCLI(t.Context(), []string{"down", "--lb", lb, "-f", e.cfg, "--endpoint", e.fc.URL()},
				cli.IOStreams{In: strings.NewReader("yes\n"), Out: &out, Err: &errb, InTTY: true}, cli.Build{})
			if code != 0 {
				t.Fatalf("down: exit %d\n%s", code, errb.String())
			}
			r := result{calls: e.fc.Calls()}
			want := counts(t, planLineRE, out.String(), "plan summary")
			for _, c := range []struct {
				re   *regexp.Regexp
				what string
			}{{promptRE, "prompt"}, {destroyingRE, "Destroying"}, {completeRE, "Destroy complete"}} {
				if got := counts(t, c.re, errb.String(), c.what); got != want {
					t.Errorf("%s says %s, the plan %s\nstderr:\n%s", c.what, got, want, errb.String())
				}
			}
			if got := callCounts(r); got != want {
				t.Errorf("the fake saw %s created/updated/deleted, the messages say %s", got, want)
			}
		})
	}
}

// With -o json, apply.started and apply.completed carry the plan's summary.
func TestJSONSummariesAgree(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustRun("up", "-o", "json")
	var d struct {
		Changes map[string]int `json:"changes"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatal(err)
	}
	lines := jsonLines(t, r.stderr)
	for _, ev := range []string{"apply.started", "apply.completed"} {
		got := eventsNamed(lines, ev)
		if len(got) != 1 {
			t.Fatalf("%d %s events", len(got), ev)
		}
		b, _ := json.Marshal(got[0]["summary"])
		want, _ := json.Marshal(d.Changes)
		if string(b) != string(want) || got[0]["changes"] != float64(d.Changes["create"]+d.Changes["update"]+d.Changes["delete"]) {
			t.Errorf("%s: summary %s changes %v, the deployment says %s", ev, b, got[0]["changes"], want)
		}
	}

	r = e.mustRun("down", "-o", "json", "--yes")
	var dr struct {
		Plan struct {
			Summary map[string]int `json:"summary"`
		} `json:"plan"`
		Deleted int `json:"deleted"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &dr); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(dr.Plan.Summary)
	for _, ev := range []string{"apply.started", "apply.completed"} {
		got := eventsNamed(jsonLines(t, r.stderr), ev)
		if len(got) != 1 {
			t.Fatalf("%d %s events", len(got), ev)
		}
		if b, _ := json.Marshal(got[0]["summary"]); string(b) != string(want) {
			t.Errorf("down %s: summary %s, the plan says %s", ev, b, want)
		}
	}
	if dr.Deleted != dr.Plan.Summary["delete"] || callCounts(r) != fmt.Sprintf("%d/%d/%d", dr.Plan.Summary["create"], dr.Plan.Summary["update"], dr.Plan.Summary["delete"]) {
		t.Errorf("down JSON: deleted %d, summary %v, the fake saw %s", dr.Deleted, dr.Plan.Summary, callCounts(r))
	}
}

// up's confirmation names what the plan deletes, and its numbers are the plan's.
func TestUpConfirmationNamesDeletions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun("up")
	e.write(strings.Replace(stackYAML, "  - {protocol: HTTP, port: 5000, idleTimeout: 60, requestTimeout: 60}\n", "", 1))
	r := e.run("up")
	if r.code != 1 || len(r.writes()) != 0 {
		t.Fatalf("up deleting a listener without --yes: exit %d, writes %v", r.code, r.writes())
	}
	want := counts(t, planLineRE, r.stdout, "plan summary")
	id := albListener(e.fc.Snapshot(), 5000).ID // the listener to go, as the fake knows it
	m := regexp.MustCompile(`This plan deletes what can carry traffic or a name: listener HTTP:5000 \(` + id + `\) \((\d+) to create, (\d+) to update, (\d+) to delete\)\.`).FindStringSubmatch(r.stderr)
	if m == nil || strings.Join(m[1:], "/") != want {
		t.Fatalf("confirmation does not name the listener with the plan's counts %s:\n%s", want, r.stderr)
	}
	r = e.mustRun("up", "--yes")
	if l := albListener(e.fc.Snapshot(), 5000); l != nil {
		t.Errorf("listener %s is still in the fake after up --yes", l.ID)
	}
	if got := counts(t, regexp.MustCompile(`Applying \d+ change\(s\): (\d+) to create, (\d+) to update, (\d+) to delete…`), r.stderr, "Applying"); got != want {
		t.Errorf("Applying says %s, the plan %s", got, want)
	}
	if got := counts(t, regexp.MustCompile(`Apply complete: (\d+) created, (\d+) updated, (\d+) deleted\.`), r.stderr, "Apply complete"); got != want {
		t.Errorf("Apply complete says %s, the plan %s", got, want)
	}
}

func TestStatusDetailedExitcode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(t *testing.T, e *env)
		code  int
		plain int // without --detailed-exitcode
	}{
		{name: "healthy and in sync", code: 0},
		{
			name: "unhealthy backend",
			edit: func(t *testing.T, e *env) {
				if err := e.fc.Update(func(st *fakecloud.State) error {
					for i := range st.ECS.Instances {
						if st.ECS.Instances[i].ID == "i-fake02" {
							st.ECS.Instances[i].Health = "unhealthy"
						}
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			},
			code: 2,
		},
		{
			name: "drift",
			edit: func(t *testing.T, e *env) {
				e.write(strings.Replace(stackYAML, "idleTimeout: 60, requestTimeout: 60}", "idleTimeout: 30, requestTimeout: 60}", 1))
			},
			code: 2,
		},
		{
			name: "dns not pointing at the load balancer",
			edit: func(t *testing.T, e *env) {
				if err := e.fc.Update(func(st *fakecloud.State) error {
					for i := range st.DNS.Domains {
						for j := range st.DNS.Domains[i].Records {
							if st.DNS.Domains[i].Records[j].RR == "chat" {
								st.DNS.Domains[i].Records[j].Value = "elsewhere.example.net"
							}
						}
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			},
			code: 2,
		},
		{
			name:  "error",
			edit:  func(t *testing.T, e *env) { e.write(strings.Replace(stackYAML, "ttl: 600", "ttl: 0", 1)) },
			code:  1,
			plain: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.mustRun("up")
			if tt.edit != nil {
				tt.edit(t, e)
			}
			r := e.run("status", "--detailed-exitcode")
			if r.code != tt.code {
				t.Fatalf("status --detailed-exitcode: exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			if len(r.writes()) != 0 {
				t.Fatalf("status wrote: %v", r.writes())
			}
			if tt.code == 2 && r.stderr != "" {
				t.Errorf("exit 2 is not an error, but stderr says:\n%s", r.stderr)
			}
			if r := e.run("status", "--detailed-exitcode", "-o", "json"); r.code != tt.code {
				t.Fatalf("status --detailed-exitcode -o json: exit %d, want %d", r.code, tt.code)
			}
			if r := e.run("status"); r.code != tt.plain {
				t.Fatalf("status: exit %d, want %d", r.code, tt.plain)
			}
		})
	}
}

func TestAliases(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun("apply", "--yes")
	if g, l, rec := owned(e.fc.Snapshot(), "chat"); g != 1 || l != 2 || rec != 1 {
		t.Fatalf("after apply: %d groups, %d listeners, %d records; want 1, 2, 1", g, l, rec)
	}
	e.mustRun("destroy", "--yes")
	if g, l, rec := owned(e.fc.Snapshot(), "chat"); g != 0 || l != 0 || rec != 0 {
		t.Fatalf("after destroy: %d groups, %d listeners, %d records still owned", g, l, rec)
	}
	out, _, _ := runWsdeploy(t, nil, "--help")
	if strings.Contains(out, "apply ") || strings.Contains(out, "destroy ") {
		t.Errorf("aliases listed as commands of their own:\n%s", out)
	}
	for cmd, alias := range map[string]string{"up": "apply", "down": "destroy"} {
		out, _, _ := runWsdeploy(t, nil, cmd, "--help")
		if !strings.Contains(out, "Aliases:\n  "+cmd+", "+alias) {
			t.Errorf("%s --help does not name its alias %s:\n%s", cmd, alias, out)
		}
	}
}

// cloudFlags mean something only for commands that call the cloud.
var cloudFlags = []string{"--lb", "--region", "--endpoint", "--local", "--timeout", "--profile", "--debug"}

func TestHelpShowsOnlyFlagsThatMeanSomething(t *testing.T) {
	t.Parallel()
	sb := &sandbox{workDir: t.TempDir()}
	// --verify is a boolean: no argument name after it.
	out, _, code := runWsdeploy(t, sb, "up", "--help")
	if code != 0 || !regexp.MustCompile(`(?m)^\s+--verify\s{2,}after applying`).MatchString(out) {
		t.Fatalf("up --help does not show --verify as a boolean:\n%s", out)
	}
	flagRE := func(f string) *regexp.Regexp {
		return regexp.MustCompile(`(?m)^\s+(-\w, )?` + regexp.QuoteMeta(f) + `\b`)
	}
	tests := []struct {
		args    []string
		absent  []string
		present []string
	}{
		{args: []string{"version", "--help"}, absent: append(append([]string{}, cloudFlags...), "--yes", "--config"), present: []string{"--output"}},
		{args: []string{"completion", "--help"}, absent: append(append([]string{}, cloudFlags...), "--yes", "--config", "--output")},
		{args: []string{"completion", "bash", "--help"}, absent: append(append([]string{}, cloudFlags...), "--yes", "--config", "--output")},
		{args: []string{"init", "--help"}, absent: append(append([]string{}, cloudFlags...), "--yes", "--output"), present: []string{"--config"}},
		// fakecloud's --profile is its own (how slow and flaky), not the credentials profile.
		{args: []string{"fakecloud", "--help"}, absent: append(slices.DeleteFunc(slices.Clone(cloudFlags), func(f string) bool { return f == "--profile" }), "--yes", "--config", "--output"),
			present: []string{"--profile"}},
		{args: []string{"validate", "--help"}, absent: []string{"--endpoint", "--local", "--timeout", "--profile", "--debug", "--yes"}, present: []string{"--config", "--lb", "--region", "--output"}},
		{args: []string{"plan", "--help"}, absent: []string{"--yes"}, present: append([]string{"--config", "--output"}, cloudFlags...)},
		{args: []string{"status", "--help"}, absent: []string{"--yes"}, present: append([]string{"--config", "--output", "--detailed-exitcode"}, cloudFlags...)},
		{args: []string{"verify", "--help"}, absent: []string{"--yes"}, present: append([]string{"--config", "--output"}, cloudFlags...)},
		{args: []string{"up", "--help"}, present: append([]string{"--config", "--output", "--yes"}, cloudFlags...)},
		{args: []string{"down", "--help"}, present: append([]string{"--config", "--output", "--yes"}, cloudFlags...)},
	}
	for _, tt := range tests {
		out, errOut, code := runWsdeploy(t, sb, tt.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", tt.args, code, errOut)
		}
		for _, f := range tt.absent {
			if flagRE(f).MatchString(out) {
				t.Errorf("%v shows %s, which means nothing there:\n%s", tt.args, f, out)
			}
		}
		for _, f := range tt.present {
			if !flagRE(f).MatchString(out) {
				t.Errorf("%v lacks %s:\n%s", tt.args, f, out)
			}
		}
	}
	// And they are refused there, not silently ignored.
	if _, errOut, code := runWsdeploy(t, sb, "version", "--endpoint", "http://127.0.0.1:1"); code != 1 || !strings.Contains(errOut, "unknown flag: --endpoint") {
		t.Errorf("version --endpoint: exit %d\n%s", code, errOut)
	}
}

func TestFlagCompletion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string // completions, then the directive line
	}{
		{[]string{"__complete", "up", "--lb", ""}, "alb\tApplication Load Balancer\nclb\tClassic Load Balancer\n:4\n"},
		{[]string{"__complete", "status", "--lb", ""}, "alb\tApplication Load Balancer\nclb\tClassic Load Balancer\n:4\n"},
		{[]string{"__complete", "plan", "-o", ""}, "text\tfor people\njson\tfor scripts: JSON on stdout, JSON lines on stderr\n:4\n"},
		{[]string{"__complete", "down", "--output", ""}, "text\tfor people\njson\tfor scripts: JSON on stdout, JSON lines on stderr\n:4\n"},
		{[]string{"__complete", "plan", "-f", ""}, "yaml\nyml\n:8\n"},
		{[]string{"__complete", "validate", "--config", ""}, "yaml\nyml\n:8\n"},
	}
	for _, tt := range tests {
		out, errOut, code := runWsdeploy(t, nil, tt.args...)
		if code != 0 || out != tt.want {
			t.Errorf("%v: exit %d\n%q\nwant %q\n%s", tt.args, code, out, tt.want, errOut)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	build := cli.Build{Version: "v1.2.3", Commit: "0123abc", Date: "2026-11-22T01:21:58Z"}
	if code := cli.Run(t.Context(), []string{"version", "-o", "json"}, cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &out}, build, os.Getenv); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	var got map[string]string
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || got["commit"] != "0123abc" || got["version"] != "v1.2.3" || got["date"] != build.Date {
		t.Fatalf("version -o json = %s (%v)", out.String(), err)
	}
}
