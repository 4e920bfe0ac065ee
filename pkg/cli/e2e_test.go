package cli_test

// End-to-end tests: the wsdeploy CLI, in-process, against the fake cloud over
// real HTTP through the real Alibaba Cloud SDKs, with signed requests checked.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

var update = flag.Bool("update", false, "rewrite golden files")

// stackYAML is the README's example stack on the demo world: three backends at first.
const stackYAML = `stack: chat
region: cn-hangzhou
lb: alb
alb: {id: alb-fake01}
backends:
  port: 5000
  servers:
    - ECS01
    - {instance: i-fake02, weight: 100}
    - ECS03
listeners:
  - {protocol: HTTP, port: 5000, idleTimeout: 60, requestTimeout: 60}
  - {protocol: HTTPS, port: 443, certificateId: "12315790212_166f8204689_1714763408_70998", idleTimeout: 60, requestTimeout: 60}
dns:
  domain: example.com
  rr: chat
  ttl: 600
`

type env struct {
	sandbox
	t   testing.TB
	fc  *fakecloud.TestServer
	dir string
	cfg string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvSeed(t, fakecloud.DemoSeed())
}

func newEnvSeed(t *testing.T, seed *fakecloud.Seed) *env {
	t.Helper()
	return newEnvOptions(t, fakecloud.Options{Seed: seed, AsyncDuration: 30 * time.Millisecond})
}

// newEnvOptions is an env on a fake cloud started with opts, with the demo
// world's key and the README's example stack.
func newEnvOptions(t *testing.T, opts fakecloud.Options) *env {
	t.Helper()
	fc := fakecloud.NewTestServer(t, opts)
	e := &env{t: t, fc: fc, dir: t.TempDir()}
	e.fakeCredentials()
	e.cfg = filepath.Join(e.dir, "wsdeploy.yaml")
	e.write(stackYAML)
	return e
}

// fakeCredentials gives the runs the demo world's access key (and no WSDEPLOY_ENDPOINT).
func (s *sandbox) fakeCredentials() {
	s.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "fake-ak")
	s.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "fake-secret")
	s.setenv("WSDEPLOY_ENDPOINT", "")
}

func (e *env) write(content string) {
	e.t.Helper()
	if err := os.WriteFile(e.cfg, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

type result struct {
	stdout, stderr string
	code           int
	calls          []fakecloud.Call
}

func (r result) writes() []string {
	var out []string
	for _, c := range r.calls {
		if c.Write {
			out = append(out, c.Product+" "+c.Action)
		}
	}
	return out
}

// okWrites lists the write calls that succeeded (retried busy answers left out).
func (r result) okWrites() []string {
	var out []string
	for _, c := range r.calls {
		if c.Write && c.Status == 200 {
			out = append(out, c.Product+" "+c.Action)
		}
	}
	return out
}

func (r result) reads() int {
	n := 0
	for _, c := range r.calls {
		if !c.Write {
			n++
		}
	}
	return n
}

// run runs wsdeploy with args against the fake cloud and returns what it printed and called.
func (e *env) run(args ...string) result {
	e.t.Helper()
	return e.runRaw(append(append([]string{}, args...), "--endpoint", e.fc.URL(), "-f", e.cfg)...)
}

// runRaw runs wsdeploy with exactly args.
func (e *env) runRaw(full ...string) result {
	e.t.Helper()
	e.fc.ResetCalls()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := e.runCLI(ctx, full, cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{Version: "test"})
	return result{stdout: out.String(), stderr: errb.String(), code: code, calls: e.fc.Calls()}
}

func (e *env) mustRun(args ...string) result {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 0 {
		e.t.Fatalf("wsdeploy %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// owned counts what the fake cloud holds for stack "chat".
func owned(st fakecloud.State, stack string) (groups, listeners, records int) {
	for _, g := range st.ALB.ServerGroups {
		if tagged(g.Tags, stack) {
			groups++
		}
	}
	for _, l := range st.ALB.Listeners {
		if tagged(l.Tags, stack) {
			listeners++
		}
	}
	for _, d := range st.DNS.Domains {
		for _, r := range d.Records {
			if r.Remark == resource.RecordRemark(stack) {
				records++
			}
		}
	}
	return
}

var endpointRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

// golden compares got with testdata/plans/<name>, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenAt(t, filepath.Join("plans", name), got)
}

// goldenAt compares got with testdata/<rel>, rewriting it with -update.
func goldenAt(t *testing.T, rel, got string) {
	t.Helper()
	name := rel
	got = endpointRE.ReplaceAllString(got, "http://FAKECLOUD")
	path := filepath.Join("..", "..", "testdata", rel)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/cli -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./pkg/cli -update rewrites it)\n--- got:\n%s\n--- want:\n%s", name, got, want)
	}
}

func TestLifecycleALB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := e.addForeign(8080, "chat-old")
	foreignBefore := e.fc.Snapshot()

	// The first plan creates everything, and writes nothing.
	r := e.mustRun("plan", "--lb", "alb")
	if w := r.writes(); len(w) != 0 {
		t.Fatalf("plan made write calls: %v", w)
	}
	golden(t, "create/plan.txt", r.stdout)
	r = e.mustRun("plan", "-o", "json")
	golden(t, "create/plan.json", r.stdout)

	// up creates it; -o json prints the deployment.
	r = e.mustRun("up", "--lb", "alb", "-o", "json")
	var d struct {
		Stack       string `json:"stack"`
		LB          struct{ Type, ID string }
		ServerGroup struct {
			ID string `json:"id"`
		} `json:"serverGroup"`
		Listeners []struct {
			Protocol                    string
			Port                        int
			ID                          string
			IdleTimeout, RequestTimeout int
		}
		DNS struct {
			Type, FQDN, Value string
			RecordID          string `json:"recordId"`
		}
		Endpoints []string
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("up -o json: %v\n%s", err, r.stdout)
	}
	// What up printed is what the fake holds.
	st := e.fc.Snapshot()
	if g, l, rec := owned(st, "chat"); g != 1 || l != 2 || rec != 1 {
		t.Fatalf("after up: %d groups, %d listeners, %d records owned; want 1, 2, 1", g, l, rec)
	}
	if d.Stack != "chat" || d.LB.Type != "alb" || d.LB.ID != "alb-fake01" || d.ServerGroup.ID != ownedGroupID(t, st) ||
		len(d.Listeners) != 2 || d.DNS.Type != "CNAME" || d.DNS.FQDN != "chat.example.com" ||
		d.DNS.Value != "alb-fake01.cn-hangzhou.alb.aliyuncs.com" || d.DNS.RecordID != ownedRecord(t, st, "chat").ID {
		t.Fatalf("unexpected up result: %+v", d)
	}
	if rec := ownedRecord(t, st, "chat"); rec.RR != "chat" || rec.Type != "CNAME" || rec.Value != d.DNS.Value {
		t.Fatalf("record after up: %+v", rec)
	}
	for i, want := range []struct {
		proto string
		port  int
	}{{"HTTP", 5000}, {"HTTPS", 443}} {
		l, got := albListener(st, want.port), d.Listeners[i]
		if l == nil || got.Protocol != want.proto || got.Port != want.port || l.Protocol != want.proto || got.ID != l.ID ||
			l.IdleTimeout != 60 || l.RequestTimeout != 60 || got.IdleTimeout != 60 || got.RequestTimeout != 60 ||
			len(l.DefaultServerGroups) != 1 || l.DefaultServerGroups[0] != d.ServerGroup.ID {
			t.Fatalf("listener %s:%d: up printed %+v, the fake holds %s", want.proto, want.port, got, mustJSON(t, l))
		}
	}
	if got := groupBackends(t, st, "chat"); got != "i-fake01:5000:100 i-fake02:5000:100 i-fake03:5000:100" {
		t.Fatalf("backends after up: %s", got)
	}
	if strings.Join(d.Endpoints, " ") != "ws://chat.example.com:5000 wss://chat.example.com" {
		t.Errorf("endpoints = %v", d.Endpoints)
	}
	jsonLines(t, r.stderr) // with -o json, stderr is JSON lines only

	// A converged stack: plan and up make no writes, up reads at most 8 times.
	r = e.mustRun("plan")
	if !strings.Contains(r.stdout, "No changes.") || len(r.writes()) != 0 {
		t.Fatalf("plan after up: writes %v\n%s", r.writes(), r.stdout)
	}
	r = e.mustRun("up")
	if len(r.writes()) != 0 || r.reads() > 8 {
		t.Fatalf("converged up: %d reads (max 8), writes %v", r.reads(), r.writes())
	}
	t.Logf("converged up: %d reads, 0 writes", r.reads())
	if r := e.run("plan", "--detailed-exitcode"); r.code != 0 {
		t.Fatalf("plan --detailed-exitcode on a converged stack: exit %d", r.code)
	}

	// A change: a timeout, a removed backend, a new weight. The plan shows exactly those.
	e.write(strings.NewReplacer(
		"    - ECS03\n", "",
		"{instance: i-fake02, weight: 100}", "{instance: i-fake02, weight: 50}",
		"{protocol: HTTP, port: 5000, idleTimeout: 60", "{protocol: HTTP, port: 5000, idleTimeout: 30",
	).Replace(stackYAML))
	r = e.run("plan", "--detailed-exitcode")
	if r.code != cli.ExitChanges {
		t.Fatalf("plan --detailed-exitcode with changes: exit %d, want 2\n%s", r.code, r.stderr)
	}
	golden(t, "change/plan.txt", r.stdout)
	r = e.mustRun("plan", "-o", "json")
	golden(t, "change/plan.json", r.stdout)
	var p struct {
		Actions []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range p.Actions {
		ids = append(ids, a.ID)
	}
	want := "delete:servers/wsdeploy-chat update:servers/wsdeploy-chat update:listener/HTTP:5000"
	if got := strings.Join(ids, " "); got != want {
		t.Fatalf("change plan actions = %s\nwant %s", got, want)
	}
	r = e.mustRun("up")
	if got := strings.Join(r.okWrites(), ","); got != "alb RemoveServersFromServerGroup,alb UpdateServerGroupServersAttribute,alb UpdateListenerAttribute" {
		t.Fatalf("change up writes = %s", got)
	}
	// The fake holds the change: ECS03 gone, the new weight, the new idle timeout; the HTTPS listener as it was.
	changed := e.fc.Snapshot()
	if got := groupBackends(t, changed, "chat"); got != "i-fake01:5000:100 i-fake02:5000:50" {
		t.Fatalf("backends after the change: %s, want i-fake01:5000:100 i-fake02:5000:50", got)
	}
	if l := albListener(changed, 5000); l == nil || l.IdleTimeout != 30 || l.RequestTimeout != 60 {
		t.Fatalf("listener 5000 after the change: %s, want idle timeout 30, request timeout 60", mustJSON(t, l))
	}
	if a, b := mustJSON(t, albListener(st, 443)), mustJSON(t, albListener(changed, 443)); a != b {
		t.Fatalf("listener 443 changed:\n%s\n-> %s", a, b)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after change:\n%s", r.stdout)
	}

	// down removes what the stack owns, and nothing else.
	if r := e.run("down"); r.code != 1 || len(r.writes()) != 0 || r.stderr != "Error: This destroys stack \"chat\": 0 to create, 1 to update, 4 to delete. Refusing without confirmation: no terminal to ask on\nTo fix: re-run with --yes to confirm\n" {
		t.Fatalf("down without a terminal or --yes: exit %d, writes %v\n%s", r.code, r.writes(), r.stderr)
	}
	e.mustRun("down", "--yes")
	st = e.fc.Snapshot()
	if g, l, rec := owned(st, "chat"); g != 0 || l != 0 || rec != 0 {
		t.Fatalf("after down: %d groups, %d listeners, %d records still owned", g, l, rec)
	}
	assertForeignUntouched(t, foreignBefore, st, before)
	r = e.mustRun("down", "--yes")
	if len(r.writes()) != 0 || !strings.Contains(r.stdout, "No changes") {
		t.Fatalf("second down: writes %v\n%s", r.writes(), r.stdout)
	}
}

// albListener returns the listener on port of alb-fake01 in the fake's state, or nil.
func albListener(st fakecloud.State, port int) *fakecloud.ALBListener {
	for _, l := range st.ALB.Listeners {
		if l.LoadBalancerID == "alb-fake01" && l.Port == port && !l.Deleted {
			return l
		}
	}
	return nil
}

func assertForeignUntouched(t *testing.T, before, after fakecloud.State, f foreign) {
	t.Helper()
	find := func(st fakecloud.State) (g, l, r string) {
		for _, x := range st.ALB.ServerGroups {
			if x.ID == f.groupID {
				b, _ := json.Marshal(x)
				g = string(b)
			}
		}
		for _, x := range st.ALB.Listeners {
			if x.ID == f.listenerID {
				b, _ := json.Marshal(x)
				l = string(b)
			}
		}
		for _, d := range st.DNS.Domains {
			for _, x := range d.Records {
				if x.ID == f.recordID {
					b, _ := json.Marshal(x)
					r = string(b)
				}
			}
		}
		return
	}
	g0, l0, r0 := find(before)
	g1, l1, r1 := find(after)
	if g0 == "" || l0 == "" || r0 == "" {
		t.Fatalf("foreign resources missing before the test: %q %q %q", g0, l0, r0)
	}
	if g0 != g1 || l0 != l1 || r0 != r1 {
		t.Fatalf("foreign resources changed:\nserver group %s\n          -> %s\nlistener %s\n       -> %s\nrecord %s\n     -> %s", g0, g1, l0, l1, r0, r1)
	}
}

// writeB and runB are write and mustRun for benchmarks.
func (e *env) writeB(tb testing.TB, content string) {
	tb.Helper()
	if err := os.WriteFile(e.cfg, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func (e *env) runB(tb testing.TB, args ...string) result {
	tb.Helper()
	e.t = tb
	return e.mustRun(args...)
}
