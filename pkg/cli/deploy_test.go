package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// deployYAML is the tutorial's layout: ECS01 and ECS02 serve wschat, ECS03 runs Redis.
const deployYAML = `stack: chat
region: cn-hangzhou
lb: alb
alb: {id: alb-fake01}
backends:
  port: 5000
  servers: [ECS01, ECS02]
listeners:
  - {protocol: HTTP, port: 5000, idleTimeout: 60, requestTimeout: 60}
dns: {domain: example.com, rr: chat, ttl: 600}
app:
  pingInterval: 10s
  deploy:
    wschat: {version: %s}
    redis: {instance: ECS03}
`

const appTag = "wsdeploy-app-chat"

func deployEnv(t *testing.T, version string) *env {
	t.Helper()
	e := newEnv(t)
	e.write(fmt.Sprintf(deployYAML, version))
	return e
}

// runCommands lists, in request-log order, the instance each RunCommand ran on.
func runCommands(calls []fakecloud.Call) []string {
	var out []string
	for _, c := range calls {
		if c.Product == "ecs" && c.Action == "RunCommand" && c.Status == 200 {
			out = append(out, c.Params["InstanceId.1"])
		}
	}
	return out
}

func indexOf(calls []fakecloud.Call, match func(fakecloud.Call) bool) int {
	for i, c := range calls {
		if match(c) {
			return i
		}
	}
	return -1
}

func instanceTag(st fakecloud.State, id string) string {
	for _, in := range st.ECS.Instances {
		if in.ID == id {
			for _, tg := range in.Tags {
				if tg.Key == appTag {
					return tg.Value
				}
			}
		}
	}
	return ""
}

func redisPassword(t *testing.T, st fakecloud.State) string {
	t.Helper()
	for _, p := range st.OOS.SecretParameters {
		if p.Name == "wsdeploy-chat-redis-password" {
			return p.Value().Reveal()
		}
	}
	t.Fatal("no OOS secret parameter wsdeploy-chat-redis-password in the fake")
	return ""
}

func TestDeployFresh(t *testing.T) {
	t.Parallel()
	e := deployEnv(t, "v0.4.0")
	e.mustRun("up", "--yes")
	calls := e.fc.Calls()
	// A first install: Redis, then both backends at once (in either order;
	// TestDeployFirstInstallParallel proves they overlap).
	if got := strings.Join(runCommands(calls), " "); got != "i-fake03 i-fake01 i-fake02" && got != "i-fake03 i-fake02 i-fake01" {
		t.Fatalf("RunCommand on %q, want Redis (i-fake03) then the backends", got)
	}
	lastRun := -1
	for i, c := range calls {
		if c.Action == "RunCommand" {
			lastRun = i
		}
	}
	for _, action := range []string{"CreateServerGroup", "CreateListener", "AddDomainRecord"} {
		if i := indexOf(calls, func(c fakecloud.Call) bool { return c.Action == action }); i < lastRun {
			t.Errorf("%s (call %d) before the last RunCommand (call %d): traffic before the app is installed", action, i, lastRun)
		}
	}
	st := e.fc.Snapshot()
	if tag := instanceTag(st, "i-fake03"); !strings.HasPrefix(tag, "redis/") {
		t.Errorf("ECS03 tag %q", tag)
	}
	for _, id := range []string{"i-fake01", "i-fake02"} {
		if tag := instanceTag(st, id); !strings.HasPrefix(tag, "wschat/v0.4.0/") {
			t.Errorf("%s tag %q", id, tag)
		}
	}
	if len(st.ECS.Invocations) != 3 {
		t.Fatalf("%d invocations, want 3", len(st.ECS.Invocations))
	}
	for _, inv := range st.ECS.Invocations {
		if !inv.EnableParameter || !strings.Contains(inv.DecodedContent(), "{{oos-secret:wsdeploy-chat-redis-password}}") {
			t.Errorf("invocation %s (%s) does not take the password from the OOS parameter", inv.ID, inv.Name)
		}
	}
	if !strings.Contains(inv0(st).DecodedContent(), "192.168.0.13") {
		t.Error("Redis's command does not bind its private address")
	}
	// The password: 48 hex characters, in OOS only.
	if pw := redisPassword(t, st); len(pw) != 48 {
		t.Errorf("password of %d characters", len(pw))
	}

	// Converged: plan reads, up runs no command.
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes") {
		t.Fatalf("plan after up:\n%s", r.stdout)
	}
	e.mustRun("up", "--yes")
	for _, c := range e.fc.Calls() {
		if c.Write {
			t.Errorf("a converged up wrote: %s %s", c.Product, c.Action)
		}
	}
}

func inv0(st fakecloud.State) *fakecloud.ECSInvocation { return &st.ECS.Invocations[0] }

// weightCalls lists the ALB weight changes as "instance=weight", in order.
func weightCall(c fakecloud.Call) string {
	if c.Action != "UpdateServerGroupServersAttribute" {
		return ""
	}
	return c.Params["Servers.1.ServerId"] + "=" + c.Params["Servers.1.Weight"]
}

func TestDeployVersionChangeRolls(t *testing.T) {
	t.Parallel()
	e := deployEnv(t, "v0.4.0")
	e.mustRun("up", "--yes")
	e.write(fmt.Sprintf(deployYAML, "v0.5.0"))
	e.mustRun("up", "--yes")
	var seq []string
	for _, c := range e.fc.Calls() {
		if c.Status != 200 {
			continue
		}
		if w := weightCall(c); w != "" {
			seq = append(seq, "weight "+w)
		}
		if c.Action == "RunCommand" {
			seq = append(seq, "run "+c.Params["InstanceId.1"])
		}
	}
	want := "weight i-fake01=0, run i-fake01, weight i-fake01=100, weight i-fake02=0, run i-fake02, weight i-fake02=100"
	if got := strings.Join(seq, ", "); got != want {
		t.Fatalf("rolling update:\n got %s\nwant %s", got, want)
	}
	st := e.fc.Snapshot()
	for _, id := range []string{"i-fake01", "i-fake02"} {
		if tag := instanceTag(st, id); !strings.HasPrefix(tag, "wschat/v0.5.0/") {
			t.Errorf("%s tag %q after the roll", id, tag)
		}
	}
}

func TestDeployFailedCommandStopsTheRoll(t *testing.T) {
	t.Parallel()
	e := deployEnv(t, "v0.4.0")
	e.mustRun("up", "--yes")
	if err := e.fc.AddFaults(fakecloud.Fault{Product: "ecs", Action: "RunCommand", Command: &fakecloud.CommandFault{
		Instance: "i-fake01", CommandOutcome: fakecloud.CommandOutcome{ExitCode: 7, Output: "setup-app: wschat's /healthz still fails after 30 s\n"}}}); err != nil {
		t.Fatal(err)
	}
	e.write(fmt.Sprintf(deployYAML, "v0.5.0"))
	r := e.run("up", "--yes")
	if r.code == 0 {
		t.Fatal("up succeeded with a failing command")
	}
	if got := strings.Join(runCommands(e.fc.Calls()), " "); got != "i-fake01" {
		t.Errorf("RunCommand on %q after the failure, want only i-fake01", got)
	}
	for _, want := range []string{"exit code 7", "healthz still fails", "weight 0"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	st := e.fc.Snapshot()
	for _, g := range st.ALB.ServerGroups {
		for _, s := range g.Servers {
			if s.ServerID == "i-fake01" && s.Weight != 0 {
				t.Errorf("i-fake01's weight is %d after its command failed, want 0", s.Weight)
			}
			if s.ServerID == "i-fake02" && s.Weight != 100 {
				t.Errorf("i-fake02's weight is %d, want 100 (untouched)", s.Weight)
			}
		}
	}
	if tag := instanceTag(st, "i-fake02"); !strings.HasPrefix(tag, "wschat/v0.4.0/") {
		t.Errorf("i-fake02 was updated (tag %q) after the roll stopped", tag)
	}
}

// TestDeployPasswordNeverShown searches every request parameter, command,
// invocation output, log line, output and file for the Redis password.
func TestDeployPasswordNeverShown(t *testing.T) {
	t.Parallel()
	e := deployEnv(t, "v0.4.0")
	var all []string
	var calls []fakecloud.Call
	run := func(args ...string) {
		r := e.run(args...)
		if r.code != 0 {
			t.Fatalf("wsdeploy %v: exit %d\n%s", args, r.code, r.stderr)
		}
		all = append(all, r.stdout, r.stderr)
		calls = append(calls, e.fc.Calls()...)
	}
	run("plan")
	run("up", "--yes", "--debug")
	pw := redisPassword(t, e.fc.Snapshot())
	run("plan", "-o", "json", "--debug")
	run("status")
	e.write(fmt.Sprintf(deployYAML, "v0.5.0"))
	run("up", "--yes", "--debug", "-o", "json")
	// A failing command whose output holds the password: the tail shown is redacted.
	if err := e.fc.AddFaults(fakecloud.Fault{Product: "ecs", Action: "RunCommand", Command: &fakecloud.CommandFault{
		Instance: "i-fake01", CommandOutcome: fakecloud.CommandOutcome{ExitCode: 1, Output: "WSCHAT_REDIS_URL=redis://wschat:" + pw + "@192.168.0.13:6379/0\nAUTH failed: " + pw + "\n"}}}); err != nil {
		t.Fatal(err)
	}
	e.write(fmt.Sprintf(deployYAML, "v0.6.0"))
	r := e.run("up", "--yes", "--debug")
	if r.code == 0 || !strings.Contains(r.stderr, "AUTH failed") {
		t.Fatalf("the failing command's output tail is not shown (exit %d):\n%s", r.code, r.stderr)
	}
	all = append(all, r.stdout, r.stderr)
	calls = append(calls, e.fc.Calls()...)
	if err := e.fc.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	run("down", "--app", "--yes", "--debug")
	for _, c := range calls {
		b, _ := json.Marshal(c.Params)
		all = append(all, string(b))
	}
	st := e.fc.Snapshot()
	for _, inv := range st.ECS.Invocations {
		all = append(all, inv.DecodedContent(), inv.Parameters)
	}
	files, _ := os.ReadDir(e.dir)
	for _, f := range files {
		if b, err := os.ReadFile(e.dir + "/" + f.Name()); err == nil {
			all = append(all, string(b))
		}
	}
	for i, s := range all {
		if strings.Contains(s, pw) {
			t.Errorf("the Redis password appears in record %d:\n%s", i, s)
		}
	}
}

func TestDeployManagedRedisInstallsNoRedis(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(fmt.Sprintf(deployYAML, "v0.4.0"), "redis: {instance: ECS03}", `redis: {url: "rediss://wschat@r-bp1.redis.rds.aliyuncs.com:6380"}`, 1))
	e.mustRun("up", "--yes")
	// A first install: both backends at once, in either order.
	runs := runCommands(e.fc.Calls())
	sort.Strings(runs)
	if got := strings.Join(runs, " "); got != "i-fake01 i-fake02" {
		t.Fatalf("RunCommand on %q, want the two backends only", got)
	}
	st := e.fc.Snapshot()
	for _, inv := range st.ECS.Invocations {
		if inv.Name != "wsdeploy-install-wschat" {
			t.Errorf("a managed Redis still ran %s", inv.Name)
		}
		if !strings.Contains(inv.DecodedContent(), "rediss://r-bp1.redis.rds.aliyuncs.com:6380/0") {
			t.Errorf("%s does not point wschat at the managed Redis", inv.Name)
		}
	}
	if tag := instanceTag(st, "i-fake03"); tag != "" {
		t.Errorf("ECS03 is tagged %q", tag)
	}
	if len(st.OOS.SecretParameters) != 0 {
		t.Errorf("a managed Redis without passwordSecret made %d secret parameters", len(st.OOS.SecretParameters))
	}
}

func TestDeployPlanAndDryRunMakeNoWrites(t *testing.T) {
	t.Parallel()
	e := deployEnv(t, "v0.4.0")
	for _, args := range [][]string{{"plan"}, {"up", "--dry-run"}} {
		r := e.mustRun(args...)
		for _, want := range []string{"wschat ECS01 (i-fake01)", "redis ECS03 (i-fake03)", "app-secret wsdeploy-chat-redis-password"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%v does not show %q:\n%s", args, want, r.stdout)
			}
		}
		for _, c := range e.fc.Calls() {
			if c.Write {
				t.Errorf("%v wrote: %s %s", args, c.Product, c.Action)
			}
		}
	}
}

func TestDeployAgentMissing(t *testing.T) {
	t.Parallel()
	seed := fakecloud.DemoSeed()
	off := false
	for i := range seed.Instances {
		if seed.Instances[i].ID == "i-fake02" {
			seed.Instances[i].CloudAssistant = &off
		}
	}
	e := newEnvSeed(t, seed)
	e.write(fmt.Sprintf(deployYAML, "v0.4.0"))
	r := e.run("up", "--yes")
	if r.code != 1 || !strings.Contains(r.stderr, "ECS02 (i-fake02)") || !strings.Contains(r.stderr, "InstallCloudAssistant") {
		t.Fatalf("exit %d, want 1 naming ECS02 and how to install the agent:\n%s", r.code, r.stderr)
	}
	for _, c := range e.fc.Calls() {
		if c.Write {
			t.Errorf("wrote %s %s with an agent missing", c.Product, c.Action)
		}
	}
}

func TestDownApp(t *testing.T) {
	t.Parallel()
	e := deployEnv(t, "v0.4.0")
	e.mustRun("up", "--yes")
	e.mustRun("down", "--yes")
	st := e.fc.Snapshot()
	if instanceTag(st, "i-fake01") == "" || len(st.OOS.SecretParameters) != 1 {
		t.Fatal("down without --app touched the app")
	}
	if got := runCommands(e.fc.Calls()); len(got) != 0 {
		t.Fatalf("down without --app ran commands on %v", got)
	}
	e.mustRun("down", "--app", "--yes")
	if got := strings.Join(runCommands(e.fc.Calls()), " "); got != "i-fake01 i-fake02 i-fake03" {
		t.Errorf("down --app ran uninstall commands on %q, want the backends, then Redis", got)
	}
	st = e.fc.Snapshot()
	for _, id := range []string{"i-fake01", "i-fake02", "i-fake03"} {
		if tag := instanceTag(st, id); tag != "" {
			t.Errorf("%s still tagged %q", id, tag)
		}
	}
	if len(st.OOS.SecretParameters) != 0 {
		t.Errorf("the password parameter is still there")
	}
}

// TestDeployRollingOnCLB: on CLB the weight goes to 0 through SetVServerGroupAttribute.
func TestDeployRollingOnCLB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clbYAML := func(v string) string {
		return strings.Replace(fmt.Sprintf(deployYAML, v), "lb: alb\nalb: {id: alb-fake01}", "lb: clb\nclb: {id: lb-fake01}", 1)
	}
	e.write(clbYAML("v0.4.0"))
	e.mustRun("up", "--yes")
	e.write(clbYAML("v0.5.0"))
	e.mustRun("up", "--yes")
	var seq []string
	for _, c := range e.fc.Calls() {
		if c.Status != 200 {
			continue // refused (busy) and retried: the successful call counts
		}
		switch c.Action {
		case "SetVServerGroupAttribute":
			var bs []struct {
				ServerID string `json:"ServerId"`
				Weight   string
			}
			if err := json.Unmarshal([]byte(c.Params["BackendServers"]), &bs); err != nil || len(bs) != 1 {
				t.Fatalf("BackendServers %q: %v", c.Params["BackendServers"], err)
			}
			seq = append(seq, fmt.Sprintf("weight %s=%s", bs[0].ServerID, bs[0].Weight))
		case "RunCommand":
			seq = append(seq, "run "+c.Params["InstanceId.1"])
		}
	}
	want := "weight i-fake01=0, run i-fake01, weight i-fake01=100, weight i-fake02=0, run i-fake02, weight i-fake02=100"
	if got := strings.Join(seq, ", "); got != want {
		t.Fatalf("rolling update on CLB:\n got %s\nwant %s", got, want)
	}
}

func TestDeployRedisInstanceNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(fmt.Sprintf(deployYAML, "v0.4.0"), "redis: {instance: ECS03}", "redis: {instance: ECS09}", 1))
	r := e.run("plan")
	if r.code != 1 || !strings.Contains(r.stderr, `app.deploy.redis.instance: no ECS instance "ECS09"`) {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
}
