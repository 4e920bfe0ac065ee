package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// savedPlan is where tests save plans.
func (e *env) savedPlan() string { return filepath.Join(e.dir, "plan.json") }

// runSaved runs wsdeploy against the fake cloud without -f: a saved plan names its own stack file.
func (e *env) runSaved(args ...string) result {
	e.t.Helper()
	if args[0] == "show" { // show reads no cloud: it takes no --endpoint
		return e.runRaw(args...)
	}
	return e.runRaw(append(append([]string{}, args...), "--endpoint", e.fc.URL())...)
}

func sortedWrites(r result) string {
	w := r.okWrites()
	sort.Strings(w)
	return strings.Join(w, ", ")
}

// A saved plan is applied exactly: the writes of `up FILE` are those of the
// plan, and the cloud ends up as the plan said.
func TestSavedPlanAppliesExactlyIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustRun("plan", "--out", e.savedPlan())
	if len(r.writes()) != 0 {
		t.Fatalf("plan --out made writes: %v", r.writes())
	}
	applyCmd := "wsdeploy up " + e.savedPlan() + " --endpoint " + e.fc.URL()
	if !strings.Contains(r.stderr, "Saved this plan to "+e.savedPlan()) || !strings.Contains(r.stderr, applyCmd) {
		t.Fatalf("plan --out does not say where the plan is and how to apply it:\n%s", r.stderr)
	}
	fi, err := os.Stat(e.savedPlan())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("saved plan mode %v, want 0644", fi.Mode().Perm())
	}
	if left, _ := filepath.Glob(filepath.Join(e.dir, ".plan.json.*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	if g, l, rec := owned(e.fc.Snapshot(), "chat"); g+l+rec != 0 {
		t.Fatalf("plan --out changed the cloud: %d %d %d owned", g, l, rec)
	}

	// Someone else's listener on a port the stack does not use, and their DNS
	// record at another name: the plan is the same, so it still applies.
	theirs := e.addForeign(8080, "chat-old")
	foreignBefore := e.fc.Snapshot()

	// up FILE, without -f: the saved plan names its stack file.
	r = e.runSaved("up", e.savedPlan())
	if r.code != 0 {
		t.Fatalf("up FILE: exit %d\n%s", r.code, r.stderr)
	}
	want := "alb AddServersToServerGroup, alb CreateListener, alb CreateListener, alb CreateServerGroup, alidns AddDomainRecord, alidns UpdateDomainRecordRemark"
	if got := sortedWrites(r); got != want {
		t.Fatalf("up FILE writes:\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(r.stdout, "Plan: 5 to create, 0 to update, 0 to delete.") || !strings.Contains(r.stdout, `Stack "chat" is up`) {
		t.Errorf("up FILE output:\n%s", r.stdout)
	}
	if g, l, rec := owned(e.fc.Snapshot(), "chat"); g != 1 || l != 2 || rec != 1 {
		t.Fatalf("after up FILE: %d groups, %d listeners, %d records owned; want 1, 2, 1", g, l, rec)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after up FILE:\n%s", r.stdout)
	}
	assertForeignUntouched(t, foreignBefore, e.fc.Snapshot(), theirs)

	// A change saved for review: exactly its writes, with -f naming the same file allowed.
	e.write(strings.Replace(stackYAML, "{instance: i-fake02, weight: 100}", "{instance: i-fake02, weight: 50}", 1))
	e.mustRun("plan", "--out", e.savedPlan())
	r = e.run("up", e.savedPlan(), "-o", "json")
	if r.code != 0 {
		t.Fatalf("up FILE -f same file: exit %d\n%s", r.code, r.stderr)
	}
	if got := sortedWrites(r); got != "alb UpdateServerGroupServersAttribute" {
		t.Fatalf("up FILE (reweight) writes = %s", got)
	}
	var d struct {
		Changes struct{ Update int }
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || d.Changes.Update != 1 {
		t.Fatalf("up FILE -o json: %v\n%s", err, r.stdout)
	}
	if weight(t, e.fc.Snapshot(), "i-fake02") != 50 {
		t.Fatalf("i-fake02 weight after up FILE = %d, want 50", weight(t, e.fc.Snapshot(), "i-fake02"))
	}
}

// weight is the weight of instance id in the stack's server group, as the fake holds it.
func weight(t *testing.T, st fakecloud.State, id string) int {
	t.Helper()
	for _, g := range st.ALB.ServerGroups {
		for _, s := range g.Servers {
			if s.ServerID == id {
				return s.Weight
			}
		}
	}
	t.Fatalf("instance %s is in no server group", id)
	return 0
}

// ownedGroupID is the ID of the server group of stack "chat".
func ownedGroupID(t *testing.T, st fakecloud.State) string {
	t.Helper()
	for _, g := range st.ALB.ServerGroups {
		for _, tag := range g.Tags {
			if tag.Key == resource.OwnerTagKey && tag.Value == "chat" {
				return g.ID
			}
		}
	}
	t.Fatal("no server group owned by chat")
	return ""
}

// When the cloud changed since the plan was made, up FILE refuses, names what
// changed and writes nothing.
func TestSavedPlanRefusedWhenCloudChanged(t *testing.T) {
	t.Parallel()
	reweighted := strings.Replace(stackYAML, "{instance: i-fake02, weight: 100}", "{instance: i-fake02, weight: 50}", 1)
	tests := []struct {
		name    string
		before  func(e *env) // the cloud the plan is made on
		between func(e *env) // what happens between plan --out and up FILE
		want    []string
	}{
		{
			name:    "another up ran",
			between: func(e *env) { e.mustRun("up") },
			want: []string{
				"the resources the stack owns changed (fingerprint ",
				"+ server-group wsdeploy-chat: in the saved plan, no longer needed",
				"+ listener HTTP:5000: in the saved plan, no longer needed",
			},
		},
		{
			name:    "someone else took a port the plan creates a listener on",
			between: func(e *env) { e.addForeign(5000, "chat-old") },
			want:    []string{"planning now fails: 1 conflict(s)", "listeners[0]: port 5000 on ALB alb-fake01 already has a HTTP listener"},
		},
		{
			name: "an owned backend was reweighted by hand",
			before: func(e *env) {
				e.mustRun("up")
				e.write(reweighted)
			},
			between: func(e *env) { e.setWeight(e.t.(*testing.T), "i-fake02", 5000, 10) },
			want: []string{
				"the resources the stack owns changed",
				"~ servers: reweight 1 in wsdeploy-chat: in the saved plan, but would now be different (i-fake02:5000 weight: planned 100 → 50, now 10 → 50)",
			},
		},
		{
			name: "the stack was taken down",
			before: func(e *env) {
				e.mustRun("up")
				e.write(reweighted)
			},
			between: func(e *env) { e.mustRun("down", "--yes") },
			want:    []string{"the stack's epoch changed", "needed now, not in the saved plan"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			if tt.before != nil {
				tt.before(e)
			}
			e.mustRun("plan", "--out", e.savedPlan())
			tt.between(e)
			before := e.fc.Snapshot()
			before.Nonces = nil // signed reads record their nonces; resources are what counts
			r := e.runSaved("up", e.savedPlan(), "--yes")
			if r.code != 1 {
				t.Fatalf("up FILE after the cloud changed: exit %d, want 1\n%s", r.code, r.stderr)
			}
			if w := r.writes(); len(w) != 0 {
				t.Fatalf("refused up FILE made writes: %v", w)
			}
			after := e.fc.Snapshot()
			after.Nonces = nil
			b1, _ := json.Marshal(before)
			b2, _ := json.Marshal(after)
			if string(b1) != string(b2) {
				t.Fatal("refused up FILE changed the fake's state")
			}
			want := append([]string{
				"Error: saved plan " + e.savedPlan() + " is out of date: the cloud changed since it was made",
				"nothing was changed",
				"To fix: make the plan again with `wsdeploy plan -f " + e.cfg + " --endpoint " + e.fc.URL() + " --out " + e.savedPlan() + "`, review it, then run `wsdeploy up " + e.savedPlan() + " --endpoint " + e.fc.URL() + "`",
			}, tt.want...)
			for _, w := range want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q\n%s", w, r.stderr)
				}
			}
			if strings.Contains(r.stdout, "Plan:") {
				t.Errorf("a refused saved plan was printed as if applied:\n%s", r.stdout)
			}
		})
	}
}

// When the stack file changed (even by a comment) or is gone, up FILE refuses
// before any API call.
func TestSavedPlanRefusedWhenFileChanged(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(e *env)
		want   string
	}{
		{"a comment added", func(e *env) { e.write(stackYAML + "# reviewed\n") }, "wsdeploy.yaml: sha256 "},
		{"a value changed", func(e *env) { e.write(strings.Replace(stackYAML, "ttl: 600", "ttl: 300", 1)) }, "wsdeploy.yaml: sha256 "},
		{"the file is gone", func(e *env) {
			if err := os.Remove(e.cfg); err != nil {
				e.t.Fatal(err)
			}
		}, e2eCfgGone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.mustRun("plan", "--out", e.savedPlan())
			tt.change(e)
			r := e.runSaved("up", e.savedPlan(), "--yes")
			if r.code != 1 || len(r.calls) != 0 {
				t.Fatalf("up FILE after the stack file changed: exit %d, %d API calls (want 1, 0)\n%s", r.code, len(r.calls), r.stderr)
			}
			for _, w := range []string{
				"saved plan " + e.savedPlan() + " is out of date: the stack file " + e.cfg + " changed since it was made",
				strings.Replace(tt.want, "wsdeploy.yaml", e.cfg, 1),
				"To fix: make the plan again with `wsdeploy plan -f " + e.cfg,
			} {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q\n%s", w, r.stderr)
				}
			}
		})
	}
}

const e2eCfgGone = "wsdeploy.yaml is gone"

// A plan is applied only to the cloud it was made against: a plan made on one
// fake is refused on another, and on Alibaba Cloud, before any call; a plan
// made with --local is refused against an endpoint.
func TestSavedPlanRefusedOnAnotherCloud(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun("plan", "--out", e.savedPlan())
	other := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed()})

	r := e.runRaw("up", e.savedPlan(), "--yes", "--endpoint", other.URL())
	if r.code != 1 || len(r.calls) != 0 || len(other.Calls()) != 0 {
		t.Fatalf("plan of one endpoint applied on another: exit %d, %d + %d calls\n%s", r.code, len(r.calls), len(other.Calls()), r.stderr)
	}
	want := "was made against endpoint " + e.fc.URL() + " (NOT Alibaba Cloud), and this run would apply it to endpoint " + other.URL() + " (NOT Alibaba Cloud); nothing was changed"
	if !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "To fix: apply it where it was made (`wsdeploy up "+e.savedPlan()+" --endpoint "+e.fc.URL()+"`)") {
		t.Fatalf("stderr lacks %q and the hint\n%s", want, r.stderr)
	}

	// No endpoint: Alibaba Cloud. Refused before credentials or network are touched.
	e.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
	e.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
	r = e.runRaw("up", e.savedPlan(), "--yes")
	if r.code != 1 || len(r.calls) != 0 || !strings.Contains(r.stderr, "and this run would apply it to Alibaba Cloud") {
		t.Fatalf("fake plan applied to Alibaba Cloud: exit %d, %d calls\n%s", r.code, len(r.calls), r.stderr)
	}

	// A --local plan, applied against an endpoint.
	e.workDir = t.TempDir()
	if r := e.runRaw("plan", "--local", "--out", "local.json"); r.code != 0 {
		t.Fatalf("plan --local --out: exit %d\n%s", r.code, r.stderr)
	}
	r = e.runRaw("up", "local.json", "--yes", "--endpoint", e.fc.URL())
	if r.code != 1 || len(r.calls) != 0 || !strings.Contains(r.stderr, "was made against the local fake cloud (--local), and this run would apply it to endpoint "+e.fc.URL()) {
		t.Fatalf("--local plan applied to an endpoint: exit %d, %d calls\n%s", r.code, len(r.calls), r.stderr)
	}
	// ... and where it was made, it applies.
	if r := e.runRaw("up", "local.json", "--local"); r.code != 0 || !strings.Contains(r.stderr, "Apply complete: 5 created") {
		t.Fatalf("--local plan applied with --local: exit %d\n%s", r.code, r.stderr)
	}
}

// Flags that would change a saved plan are refused before any call.
func TestSavedPlanFlagsThatChangeItRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun("plan", "--out", e.savedPlan())
	other := filepath.Join(e.dir, "other.yaml")
	if err := os.WriteFile(other, []byte(stackYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--lb", "clb"}, "a saved plan is applied exactly as it was made, and --lb clb (the plan is for alb) would change it"},
		{[]string{"--region", "cn-shanghai"}, "--region cn-shanghai (the plan is for cn-hangzhou) would change it"},
		{[]string{"-f", other}, "-f " + other + " (the plan was made from " + e.cfg + ") would change it"},
		{[]string{"--dry-run"}, "--dry-run with a saved plan: run `wsdeploy show " + e.savedPlan() + "` to see it"},
	}
	for _, tt := range tests {
		r := e.runSaved(append([]string{"up", e.savedPlan(), "--yes"}, tt.args...)...)
		if r.code != 1 || len(r.calls) != 0 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("up FILE %v: exit %d, %d calls; want exit 1, no call, %q\n%s", tt.args, r.code, len(r.calls), tt.want, r.stderr)
		}
	}
	// The same values as the plan's are not a change.
	if r := e.runSaved("up", e.savedPlan(), "--lb", "alb", "--region", "cn-hangzhou", "-f", e.cfg); r.code != 0 {
		t.Fatalf("up FILE with the plan's own values: exit %d\n%s", r.code, r.stderr)
	}
}

// No credential reaches a saved plan, with --debug and a distinctive secret.
func TestSavedPlanHasNoSecret(t *testing.T) {
	t.Parallel()
	const secret = "S3cr3t-In-No-Plan-File-41c9"
	seed := fakecloud.DemoSeed()
	seed.AccessKeys = []fakecloud.Key{{ID: "plan-leak-ak", Secret: secret}}
	e := newEnvSeed(t, seed)
	e.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "plan-leak-ak")
	e.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	r := e.mustRun("plan", "--debug", "--out", e.savedPlan())
	data, err := os.ReadFile(e.savedPlan())
	if err != nil {
		t.Fatal(err)
	}
	show := e.runSaved("show", e.savedPlan(), "-o", "json")
	for _, s := range []string{secret, "plan-leak-ak", "Signature"} {
		for name, text := range map[string]string{"saved plan": string(data), "plan output": r.stdout + r.stderr, "show": show.stdout + show.stderr} {
			if strings.Contains(text, s) {
				t.Errorf("%s contains %q", name, s)
			}
		}
	}
}

// plan --out -o json prints the plan on stdout as without --out, and only JSON lines on stderr.
func TestSavedPlanJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	plain := e.mustRun("plan", "-o", "json")
	r := e.mustRun("plan", "-o", "json", "--out", e.savedPlan())
	if r.stdout != plain.stdout {
		t.Errorf("plan --out -o json stdout differs from plan -o json")
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		var ev map[string]string
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Errorf("stderr line is not JSON: %q", line)
		} else if ev["event"] == "saved" && (ev["path"] != e.savedPlan() || !strings.HasPrefix(ev["apply"], "wsdeploy up "+e.savedPlan())) {
			t.Errorf("saved event = %v", ev)
		}
	}
	var doc struct {
		Kind          string
		FormatVersion int
		Plan          json.RawMessage
	}
	show := e.runSaved("show", e.savedPlan(), "-o", "json")
	if err := json.Unmarshal([]byte(show.stdout), &doc); err != nil || doc.Kind != "wsdeploy-saved-plan" || doc.FormatVersion != 1 {
		t.Fatalf("show -o json: %v\n%s", err, show.stdout)
	}
	// The saved plan is the plan `plan -o json` prints.
	var a, b any
	if err := json.Unmarshal(doc.Plan, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(plain.stdout), &b); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("show -o json .plan differs from plan -o json:\n%s\n%s", ja, jb)
	}
}

var createdRE = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)

// show prints a saved plan (golden, text and JSON) without any API call, and
// refuses files it cannot read with a hint.
func TestShowSavedPlan(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(stackYAML, "{instance: i-fake02, weight: 100}", "{instance: i-fake02, weight: 50}", 1))
	e.mustRun("plan", "--out", e.savedPlan(), "--lb", "alb")
	norm := func(s string) string {
		s = strings.ReplaceAll(s, e.dir, "DIR")
		return createdRE.ReplaceAllString(s, "2026-01-02T03:04:05Z")
	}
	for _, f := range []string{"text", "json"} {
		r := e.runSaved("show", e.savedPlan(), "-o", f)
		if r.code != 0 || len(r.calls) != 0 {
			t.Fatalf("show -o %s: exit %d, %d calls\n%s", f, r.code, len(r.calls), r.stderr)
		}
		goldenAt(t, filepath.Join("saved", "show."+map[string]string{"text": "txt", "json": "json"}[f]), norm(r.stdout))
	}

	bad := filepath.Join(e.dir, "bad.json")
	for _, tt := range []struct{ content, want string }{
		{`{"kind": "wsdeploy-saved-plan", "formatVersion": 2, "wsdeployVersion": "9.0.0"}`,
			"saved-plan format 2 (written by wsdeploy 9.0.0) is newer than the saved-plan format 1 this wsdeploy reads\nTo fix: apply it with the wsdeploy that made it"},
		{`{"stack": "chat"}`, "not a wsdeploy saved plan"},
		{"stack: chat\n", "not a wsdeploy saved plan"},
	} {
		if err := os.WriteFile(bad, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range [][]string{{"show", bad}, {"up", bad, "--yes"}} {
			r := e.runSaved(cmd...)
			if r.code != 1 || len(r.calls) != 0 || !strings.Contains(r.stderr, "read saved plan "+bad+": ") || !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "To fix: ") {
				t.Errorf("%v on %s: exit %d, %d calls\n%s", cmd, tt.content, r.code, len(r.calls), r.stderr)
			}
		}
	}
	if r := e.runSaved("show", filepath.Join(e.dir, "missing.json")); r.code != 1 || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("show of a missing file: exit %d\n%s", r.code, r.stderr)
	}
}

// On CLB too, a saved plan applies exactly; and when its apply partly fails,
// the hint says the saved plan is out of date rather than to run it again.
func TestSavedPlanCLBAndPartialFailure(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(clbStack("clb"), "lb: alb\n", "lb: clb\n", 1)) // the file says clb: no --lb needed
	e.mustRun("plan", "--out", e.savedPlan())
	if err := e.fc.AddFaults(fakecloud.Fault{Product: "alidns", Action: "AddDomainRecord", Code: "Forbidden.RAM", HTTPStatus: 403}); err != nil {
		t.Fatal(err)
	}
	r := e.runSaved("up", e.savedPlan())
	if r.code != 1 || !strings.Contains(r.stderr, "Forbidden.RAM") ||
		!strings.Contains(r.stderr, "To fix: part of "+e.savedPlan()+" was applied, so it is out of date: make a new plan with `wsdeploy plan -f "+e.cfg+" --endpoint "+e.fc.URL()+" --out "+e.savedPlan()+"`") {
		t.Fatalf("partly failed up FILE: exit %d\n%s", r.code, r.stderr)
	}
	// Everything but the record was applied, on the CLB.
	if got := sortedWrites(r); got != "slb AddVServerGroupBackendServers, slb CreateLoadBalancerHTTPListener, slb CreateLoadBalancerHTTPSListener, slb CreateVServerGroup, slb StartLoadBalancerListener, slb StartLoadBalancerListener" {
		t.Fatalf("writes before the failure: %s", got)
	}
	if n := countOwned(e.fc.Snapshot(), "chat"); n["group"] != 1 || n["servers"] != 2 || n["listener"] != 2 || n["record"] != 0 || len(e.fc.Snapshot().ALB.ServerGroups) != 0 {
		t.Fatalf("after the partial apply the fake holds %v (%d ALB server groups), want the CLB part only", n, len(e.fc.Snapshot().ALB.ServerGroups))
	}
	// The saved plan is now refused; a new one applies what is left, on CLB.
	if r := e.runSaved("up", e.savedPlan()); r.code != 1 || len(r.writes()) != 0 || !strings.Contains(r.stderr, "out of date: the cloud changed") {
		t.Fatalf("up FILE after a partial apply: exit %d, writes %v\n%s", r.code, r.writes(), r.stderr)
	}
	if err := e.fc.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	e.mustRun("plan", "--out", e.savedPlan())
	r = e.runSaved("up", e.savedPlan())
	if r.code != 0 {
		t.Fatalf("up FILE of the new plan: exit %d\n%s", r.code, r.stderr)
	}
	if got := sortedWrites(r); got != "alidns AddDomainRecord, alidns UpdateDomainRecordRemark" {
		t.Fatalf("up FILE of the rest: writes %s", got)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after up FILE on CLB:\n%s", r.stdout)
	}
}
