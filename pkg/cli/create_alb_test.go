package cli_test

// alb.create: the stack creates its ALB, finds it again by its tag, and
// deletes it only when it made it. Every assertion reads the fake's state
// (Snapshot) or its request log (Calls).

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// createYAML is the README's example stack, with an ALB to create in the
// demo world's VPC (its default vSwitches: one in each of zones h and i).
const createYAML = `stack: chat
region: cn-hangzhou
lb: alb
alb:
  create:
    name: chat-alb
    addressType: Internet
    edition: Standard
    vpcId: vpc-fake01
    zones:
      - {zoneId: cn-hangzhou-h, vSwitchId: vsw-fake01-h}
      - {zoneId: cn-hangzhou-i, vSwitchId: vsw-fake01-i}
    deletionProtection: %s
backends:
  port: 5000
  servers:
    - ECS01
    - {instance: i-fake02, weight: 100}
    - ECS03
listeners:
  - {protocol: HTTP, port: 5000, idleTimeout: 60, requestTimeout: 60}
dns:
  domain: example.com
  rr: chat
  ttl: 600
`

func createConfig(protect string) string { return strings.Replace(createYAML, "%s", protect, 1) }

// stackALBs are the ALB instances in the fake carrying stack's owner tag.
func stackALBs(st fakecloud.State, stack string) []*fakecloud.ALBLoadBalancer {
	var out []*fakecloud.ALBLoadBalancer
	for _, lb := range st.ALB.LoadBalancers {
		for _, t := range lb.Tags {
			if t.Key == resource.OwnerTagKey && t.Value == stack {
				out = append(out, lb)
			}
		}
	}
	return out
}

// countCalls counts the calls of an action in a run.
func countCalls(r result, action string) int {
	n := 0
	for _, c := range r.calls {
		if c.Action == action {
			n++
		}
	}
	return n
}

func TestCreateALBLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	seeded := len(e.fc.Snapshot().ALB.LoadBalancers)

	// plan: a billable ALB to create, and no write.
	r := e.mustRun("plan")
	if w := r.writes(); len(w) != 0 {
		t.Fatalf("plan made write calls: %v", w)
	}
	golden(t, "create-alb/plan.txt", r.stdout)
	r = e.mustRun("plan", "-o", "json")
	if w := r.writes(); len(w) != 0 {
		t.Fatalf("plan -o json made write calls: %v", w)
	}
	if !strings.Contains(r.stdout, `"billing": "billable: ALB Standard edition, pay-as-you-go`) || !strings.Contains(r.stdout, `"lbFrom": "create:load-balancer/alb"`) {
		t.Fatalf("plan -o json lacks the billing text or the known-after-apply reference:\n%s", r.stdout)
	}
	golden(t, "create-alb/plan.json", r.stdout)
	r = e.run("status")
	if !strings.Contains(r.stdout, `Stack "chat" on ALB chat-alb in cn-hangzhou: not created yet`) || len(r.writes()) != 0 {
		t.Fatalf("status before up: writes %v\n%s%s", r.writes(), r.stdout, r.stderr)
	}

	// up creates it, with its tag and a ClientToken in the one create call.
	r = e.mustRun("up", "--yes")
	st := e.fc.Snapshot()
	lbs := stackALBs(st, "chat")
	if len(lbs) != 1 || len(st.ALB.LoadBalancers) != seeded+1 {
		t.Fatalf("after up: %d ALBs tagged chat, %d in all (seeded %d); want 1 new", len(lbs), len(st.ALB.LoadBalancers), seeded)
	}
	lb := lbs[0]
	if lb.Name != "chat-alb" || lb.Edition != "Standard" || lb.AddressType != "Internet" || lb.VpcID != "vpc-fake01" ||
		!slices.Equal(lb.Zones, []string{"cn-hangzhou-h", "cn-hangzhou-i"}) || lb.DeletionProtection {
		t.Fatalf("created ALB: %+v", lb)
	}
	var creates []fakecloud.Call
	for _, c := range r.calls {
		if c.Action == "CreateLoadBalancer" {
			creates = append(creates, c)
		}
	}
	if len(creates) != 1 || creates[0].Params["ClientToken"] == "" || creates[0].Params["Tag.1.Key"] != resource.OwnerTagKey || creates[0].Params["Tag.1.Value"] != "chat" {
		t.Fatalf("CreateLoadBalancer calls: %+v", creates)
	}
	// Everything is on the new ALB, and the name points at its DNS name.
	var onNew int
	for _, l := range st.ALB.Listeners {
		if l.LoadBalancerID == lb.ID && !l.Deleted {
			onNew++
		}
		if l.LoadBalancerID == "alb-fake01" && slices.ContainsFunc(l.Tags, func(t fakecloud.Tag) bool { return t.Key == resource.OwnerTagKey }) {
			t.Fatalf("a stack listener went on the seeded ALB: %+v", l)
		}
	}
	if onNew != 1 {
		t.Fatalf("%d listeners on the new ALB %s, want 1", onNew, lb.ID)
	}
	if g, _, _ := owned(st, "chat"); g != 1 {
		t.Fatalf("%d server groups owned, want 1", g)
	}
	if rec := ownedRecord(t, st, "chat"); rec.Type != "CNAME" || rec.Value != lb.DNSName || lb.DNSName == "" {
		t.Fatalf("record %+v, want a CNAME to %q", rec, lb.DNSName)
	}
	if out := r.stdout + r.stderr; !strings.Contains(out, "is up on ALB "+lb.ID+" ("+lb.DNSName+")") || !strings.Contains(out, "CNAME → "+lb.DNSName+" ") ||
		!strings.Contains(out, "create load-balancer chat-alb → "+lb.ID) {
		t.Fatalf("up's report lacks the new ALB, its DNS name or its creation:\n%s", out)
	}

	// A converged re-run finds it by its tag: no write, no second ALB.
	r = e.mustRun("up", "--yes")
	if w := r.writes(); len(w) != 0 {
		t.Fatalf("converged up wrote: %v\n%s", w, r.stdout)
	}
	if n := len(stackALBs(e.fc.Snapshot(), "chat")); n != 1 {
		t.Fatalf("%d ALBs after the re-run, want 1", n)
	}

	// down removes everything, the ALB last.
	r = e.mustRun("down", "--yes")
	st = e.fc.Snapshot()
	if n := len(stackALBs(st, "chat")); n != 0 {
		t.Fatalf("after down: %d ALBs of the stack remain", n)
	}
	if g, l, rec := owned(st, "chat"); g != 0 || l != 0 || rec != 0 {
		t.Fatalf("after down: %d groups, %d listeners, %d records owned", g, l, rec)
	}
	if !strings.Contains(r.stdout+r.stderr, "The load balancer ALB "+lb.ID+", which the stack created, was deleted.") {
		t.Fatalf("down's report:\n%s%s", r.stdout, r.stderr)
	}
	ok := r.okWrites()
	if len(ok) == 0 || ok[len(ok)-1] != "alb DeleteLoadBalancer" {
		t.Fatalf("down's writes %v: want DeleteLoadBalancer last", ok)
	}
	if !slices.ContainsFunc(st.ALB.LoadBalancers, func(x *fakecloud.ALBLoadBalancer) bool { return x.ID == "alb-fake01" }) {
		t.Fatal("the seeded ALB alb-fake01 was deleted")
	}
}

// TestKilledDuringALBCreateWaitIsAdopted SIGKILLs `up` while it waits for
// the ALB it has just created to become Active: the next `up` finds that ALB
// by its tag and builds on it, with no second ALB; down then removes all.
func TestKilledDuringALBCreateWaitIsAdopted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	// The create's wait is the run's first GetLoadBalancerAttribute (the
	// inventory lists the stack's ALBs by tag, and there is none yet).
	kp := killPoint{name: "wait for the new ALB", product: "alb", action: "GetLoadBalancerAttribute", done: []string{"alb CreateLoadBalancer"}}
	if err := e.fc.SetFaults([]fakecloud.Fault{kp.holdRule(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	p := e.startCLI(t, "up", "--yes", "-f", e.cfg, "--endpoint", e.fc.URL())
	held := waitHeld(t, e.fc, p, kp)
	_ = p.cmd.Process.Kill()
	p.wait(t)
	// Planned: the ALB, the server group, its servers, the listener, the record and its mark.
	assertLandedMidApply(t, e.fc, p, kp, held, 6)
	if n := len(stackALBs(e.fc.Snapshot(), "chat")); n != 1 {
		t.Fatalf("after the kill: %d ALBs tagged chat, want the 1 created", n)
	}
	if err := e.fc.SetFaults(nil); err != nil {
		t.Fatal(err)
	}

	r := e.mustRun("up", "--yes")
	st := e.fc.Snapshot()
	lbs := stackALBs(st, "chat")
	if len(lbs) != 1 || countCalls(r, "CreateLoadBalancer") != 0 {
		t.Fatalf("after the re-run: %d ALBs tagged chat, %d CreateLoadBalancer calls; want the one adopted", len(lbs), countCalls(r, "CreateLoadBalancer"))
	}
	if n := countOwned(st, "chat"); n["group"] != 1 || n["listener"] != 1 || n["record"] != 1 {
		t.Fatalf("after the re-run: %v", n)
	}
	if rec := ownedRecord(t, st, "chat"); rec.Value != lbs[0].DNSName {
		t.Fatalf("record points at %q, want the adopted ALB's %q", rec.Value, lbs[0].DNSName)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after the re-run:\n%s", r.stdout)
	}
	e.mustRun("down", "--yes")
	if n := len(stackALBs(e.fc.Snapshot(), "chat")); n != 0 {
		t.Fatalf("after down: %d ALBs tagged chat", n)
	}
}

// TestCreatedALBDeletionProtection: with deletion protection on (the
// default), down refuses before any write and says how to release it;
// --keep-lb removes everything else; turning it off in the file is an
// in-place update, and down then deletes the ALB.
func TestCreatedALBDeletionProtection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(createConfig("true"), "    deletionProtection: true\n", "", 1)) // the default
	e.mustRun("up", "--yes")
	lbs := stackALBs(e.fc.Snapshot(), "chat")
	if len(lbs) != 1 || !lbs[0].DeletionProtection {
		t.Fatalf("created ALBs %+v: want one, deletion protection on", lbs)
	}
	id := lbs[0].ID

	r := e.run("down", "--yes")
	if r.code == 0 || len(r.writes()) != 0 || !strings.Contains(r.stderr, id) || !strings.Contains(r.stderr, "deletion protection on") ||
		!strings.Contains(r.stderr, "To fix:") || !strings.Contains(r.stderr, "deletionProtection: false") || !strings.Contains(r.stderr, "--keep-lb") {
		t.Fatalf("down with deletion protection: exit %d, writes %v\n%s", r.code, r.writes(), r.stderr)
	}
	if n := countOwned(e.fc.Snapshot(), "chat"); n["listener"] != 1 || n["group"] != 1 || n["record"] != 1 {
		t.Fatalf("the refused down changed something: %v", n)
	}

	// --keep-lb: everything else goes, the ALB stays.
	r = e.mustRun("down", "--keep-lb", "--yes")
	st := e.fc.Snapshot()
	if n := countOwned(st, "chat"); n["listener"]+n["group"]+n["record"] != 0 || len(stackALBs(st, "chat")) != 1 || countCalls(r, "DeleteLoadBalancer") != 0 {
		t.Fatalf("down --keep-lb: %v, %d ALBs, writes %v", n, len(stackALBs(st, "chat")), r.writes())
	}

	// Release: deletionProtection: false, up (an in-place update), down.
	e.write(createConfig("false"))
	r = e.mustRun("plan")
	if !strings.Contains(r.stdout, "~ load-balancer chat-alb ("+id+")") || !strings.Contains(r.stdout, "deletionProtection  true → false") {
		t.Fatalf("plan after releasing the protection:\n%s", r.stdout)
	}
	r = e.mustRun("up", "--yes")
	if countCalls(r, "DisableDeletionProtection") != 1 || countCalls(r, "CreateLoadBalancer") != 0 {
		t.Fatalf("up after releasing: writes %v", r.writes())
	}
	if lbs := stackALBs(e.fc.Snapshot(), "chat"); len(lbs) != 1 || lbs[0].ID != id || lbs[0].DeletionProtection {
		t.Fatalf("after up: %+v", lbs)
	}
	e.mustRun("down", "--yes")
	if n := len(stackALBs(e.fc.Snapshot(), "chat")); n != 0 {
		t.Fatalf("after down: %d ALBs tagged chat", n)
	}
}

// TestALBNamedByIDIsNeverDeleted: a load balancer the file names by id
// stays, even when it carries the stack's tag (it was created by the stack
// and the file now names it).
func TestALBNamedByIDIsNeverDeleted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	e.mustRun("up", "--yes")
	id := stackALBs(e.fc.Snapshot(), "chat")[0].ID
	e.write(strings.Replace(stackYAML, "alb: {id: alb-fake01}", "alb: {id: "+id+"}", 1))
	r := e.mustRun("down", "--yes")
	st := e.fc.Snapshot()
	if countCalls(r, "DeleteLoadBalancer") != 0 || len(stackALBs(st, "chat")) != 1 {
		t.Fatalf("down with alb.id: %s deleted? writes %v", id, r.writes())
	}
	if n := countOwned(st, "chat"); n["listener"]+n["group"]+n["record"] != 0 {
		t.Fatalf("down left %v", n)
	}
	// And the demo's own ALB, named by id, through a full up/down.
	e.write(stackYAML)
	e.mustRun("up", "--yes")
	r = e.mustRun("down", "--yes")
	if countCalls(r, "DeleteLoadBalancer") != 0 || !slices.ContainsFunc(e.fc.Snapshot().ALB.LoadBalancers, func(x *fakecloud.ALBLoadBalancer) bool { return x.ID == "alb-fake01" }) {
		t.Fatalf("down deleted alb-fake01: writes %v", r.writes())
	}
}

// TestALBCreatedAgainAfterDown: after down deleted the created ALB, the
// next up creates a new one (its create's ClientToken, the same as the
// first's, hands back the deleted instance, and the run walks past it), and
// everything goes on the new one: nothing is answered from the old run.
func TestALBCreatedAgainAfterDown(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	e.mustRun("up", "--yes")
	first := stackALBs(e.fc.Snapshot(), "chat")[0].ID
	e.mustRun("down", "--yes")
	r := e.mustRun("up", "--yes")
	// The first CreateLoadBalancer is answered with the deleted ALB (the
	// fake remembers ClientTokens for ever, the stricter reading).
	if n := countCalls(r, "CreateLoadBalancer"); n != 2 {
		t.Errorf("%d CreateLoadBalancer calls, want 2 (the replayed token, then the next one)", n)
	}
	st := e.fc.Snapshot()
	lbs := stackALBs(st, "chat")
	if len(lbs) != 1 || lbs[0].ID == first {
		t.Fatalf("after down and up: ALBs %+v, want one new (not %s)", lbs, first)
	}
	if n := countOwned(st, "chat"); n["group"] != 1 || n["listener"] != 1 || n["servers"] != 3 || n["record"] != 1 {
		t.Fatalf("after down and up: %v", n)
	}
	for _, l := range st.ALB.Listeners {
		if slices.ContainsFunc(l.Tags, func(t fakecloud.Tag) bool { return t.Key == resource.OwnerTagKey && t.Value == "chat" }) && l.LoadBalancerID != lbs[0].ID {
			t.Fatalf("listener %s on %s, want on the new ALB %s", l.ID, l.LoadBalancerID, lbs[0].ID)
		}
	}
	if rec := ownedRecord(t, st, "chat"); rec.Value != lbs[0].DNSName {
		t.Fatalf("record → %q, want %q", rec.Value, lbs[0].DNSName)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan:\n%s", r.stdout)
	}
}

// TestALBCreateChecksBeforeAnyWrite: a file that is wrong in shape fails
// before any call; one the cloud would refuse (no such VPC, a vSwitch of
// another VPC or zone, a zone without ALB) fails plan and up before any
// write, each problem named with its fix.
func TestALBCreateChecksBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	seed := fakecloud.DemoSeed()
	seed.VSwitches = []fakecloud.SeedVSwitch{
		{ID: "vsw-fake01-h", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-h"},
		{ID: "vsw-fake01-i", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-i"},
		{ID: "vsw-fake01-k", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-k"},
		{ID: "vsw-other01-i", VpcID: "vpc-other01", ZoneID: "cn-hangzhou-i"},
	}
	zones := func(z1, v1, z2, v2 string) string {
		return strings.Replace(createConfig("false"),
			"      - {zoneId: cn-hangzhou-h, vSwitchId: vsw-fake01-h}\n      - {zoneId: cn-hangzhou-i, vSwitchId: vsw-fake01-i}\n",
			"      - {zoneId: "+z1+", vSwitchId: "+v1+"}\n      - {zoneId: "+z2+", vSwitchId: "+v2+"}\n", 1)
	}
	for _, tc := range []struct {
		name, config string
		calls        bool // the file is valid: plan reads the cloud
		want         []string
	}{
		{"one zone", strings.Replace(createConfig("false"), "      - {zoneId: cn-hangzhou-i, vSwitchId: vsw-fake01-i}\n", "", 1), false,
			[]string{"alb.create.zones: has 1 zone(s); an ALB needs at least two distinct zones", "list two or more {zoneId, vSwitchId} pairs"}},
		{"id and create", strings.Replace(createConfig("false"), "  create:\n", "  id: alb-fake01\n  create:\n", 1), false,
			[]string{"alb: sets both id and create", "not both"}},
		{"no such VPC", strings.Replace(createConfig("false"), "vpcId: vpc-fake01", "vpcId: vpc-nowhere", 1), true,
			[]string{"alb.create.vpcId: VPC vpc-nowhere does not exist in region cn-hangzhou", "belongs to VPC vpc-fake01, not to vpc-nowhere", "nothing was changed", "To fix: fix alb.create"}},
		{"vSwitch of another VPC", zones("cn-hangzhou-h", "vsw-fake01-h", "cn-hangzhou-i", "vsw-other01-i"), true,
			[]string{"alb.create.zones[1].vSwitchId: vSwitch vsw-other01-i belongs to VPC vpc-other01, not to vpc-fake01"}},
		{"vSwitch in another zone", zones("cn-hangzhou-i", "vsw-fake01-h", "cn-hangzhou-h", "vsw-fake01-i"), true,
			[]string{"alb.create.zones[0]: vSwitch vsw-fake01-h is in zone cn-hangzhou-h, not in cn-hangzhou-i"}},
		{"zone without ALB", zones("cn-hangzhou-h", "vsw-fake01-h", "cn-hangzhou-k", "vsw-fake01-k"), true,
			[]string{"alb.create.zones[1].zoneId: zone cn-hangzhou-k does not support ALB in region cn-hangzhou; zones that do: cn-hangzhou-h, cn-hangzhou-i, cn-hangzhou-j"}},
		{"no such vSwitch", zones("cn-hangzhou-h", "vsw-fake01-h", "cn-hangzhou-i", "vsw-nowhere"), true,
			[]string{"alb.create.zones[1].vSwitchId: vSwitch vsw-nowhere does not exist in region cn-hangzhou"}},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "-"), func(t *testing.T) {
			t.Parallel()
			e := newEnvSeed(t, seed)
			e.write(tc.config)
			for _, cmd := range [][]string{{"plan"}, {"up", "--yes"}} {
				r := e.run(cmd...)
				if r.code == 0 || len(r.writes()) != 0 || (len(r.calls) > 0) != tc.calls {
					t.Fatalf("%s: exit %d, %d calls, writes %v; want a failure with no write (calls: %v)\n%s", cmd[0], r.code, len(r.calls), r.writes(), tc.calls, r.stderr)
				}
				for _, w := range tc.want {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], w, r.stderr)
					}
				}
			}
			if n := len(stackALBs(e.fc.Snapshot(), "chat")); n != 0 {
				t.Fatalf("%d ALBs created", n)
			}
		})
	}
}

// TestCreatedALBUpdateAndReplace: a new name is an in-place update (~);
// a new address type cannot change in place: the plan replaces the ALB
// (-/+), up asks first, and then everything moves to the new ALB and the
// old one goes.
func TestCreatedALBUpdateAndReplace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	e.mustRun("up", "--yes")
	old := stackALBs(e.fc.Snapshot(), "chat")[0].ID

	e.write(strings.Replace(createConfig("false"), "name: chat-alb", "name: chat-alb-2", 1))
	r := e.mustRun("plan")
	if !strings.Contains(r.stdout, "~ load-balancer chat-alb-2 ("+old+")") || !strings.Contains(r.stdout, "name  chat-alb → chat-alb-2") {
		t.Fatalf("plan of a rename:\n%s", r.stdout)
	}
	r = e.mustRun("up", "--yes")
	if w := r.okWrites(); !slices.Equal(w, []string{"alb UpdateLoadBalancerAttribute"}) {
		t.Fatalf("rename wrote %v", w)
	}
	if lbs := stackALBs(e.fc.Snapshot(), "chat"); len(lbs) != 1 || lbs[0].ID != old || lbs[0].Name != "chat-alb-2" {
		t.Fatalf("after the rename: %+v", lbs)
	}

	e.write(strings.Replace(strings.Replace(createConfig("false"), "name: chat-alb", "name: chat-alb-2", 1), "addressType: Internet", "addressType: Intranet", 1))
	r = e.mustRun("plan")
	golden(t, "create-alb/replace.txt", r.stdout)
	if !strings.Contains(r.stdout, "-/+ load-balancer chat-alb-2 (replaces ALB "+old) {
		t.Fatalf("plan of a replacement:\n%s", r.stdout)
	}
	if r := e.run("up"); r.code == 0 || len(r.writes()) != 0 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("up of a replacement without confirmation: exit %d, writes %v\n%s", r.code, r.writes(), r.stderr)
	}
	e.mustRun("up", "--yes")
	st := e.fc.Snapshot()
	lbs := stackALBs(st, "chat")
	if len(lbs) != 1 || lbs[0].ID == old || lbs[0].AddressType != "Intranet" {
		t.Fatalf("after the replacement: %+v, want one new Intranet ALB (not %s)", lbs, old)
	}
	if n := countOwned(st, "chat"); n["group"] != 1 || n["listener"] != 1 || n["record"] != 1 {
		t.Fatalf("after the replacement: %v", n)
	}
	if rec := ownedRecord(t, st, "chat"); rec.Value != lbs[0].DNSName {
		t.Fatalf("record → %q, want the new ALB's %q", rec.Value, lbs[0].DNSName)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after the replacement:\n%s", r.stdout)
	}
}

// TestVerifyCreatedALBThroughDataPlane: verify finds the ALB the stack
// created (by its tag), connects through the fake's data plane to its
// listeners, and checks the record against its generated DNS name.
func TestVerifyCreatedALBThroughDataPlane(t *testing.T) {
	t.Parallel()
	fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 30 * time.Millisecond, DataPlane: true})
	chatBackends(t, fc.Server, 10*time.Second)
	dir := t.TempDir()
	sb := &sandbox{workDir: dir}
	sb.fakeCredentials()
	stack := strings.NewReplacer("# interval: 2 ", "interval: 1   ", "# healthyThreshold: 3", "healthyThreshold: 2  ",
		"  id: alb-fake01            # ALB console: Instances\n",
		"  create: {vpcId: vpc-fake01, deletionProtection: false, zones: [{zoneId: cn-hangzhou-h, vSwitchId: vsw-fake01-h}, {zoneId: cn-hangzhou-i, vSwitchId: vsw-fake01-i}]}\n",
	).Replace(string(config.Example()))
	if !strings.Contains(stack, "create: {vpcId") {
		t.Fatal("the example stack no longer has the alb.id line this test replaces")
	}
	if err := os.WriteFile(filepath.Join(dir, "wsdeploy.yaml"), []byte(stack), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := runWsdeploy(t, sb, "up", "--endpoint", fc.URL(), "--yes", "--wait-healthy"); code != 0 {
		t.Fatalf("up: exit %d\n%s%s", code, out, errs)
	}
	lbs := stackALBs(fc.Snapshot(), "demo")
	if len(lbs) != 1 {
		t.Fatalf("%d ALBs tagged demo, want 1", len(lbs))
	}
	out, errs, code := runWsdeploy(t, sb, "verify", "--endpoint", fc.URL(), "--messages", "3")
	if code != 0 || strings.Count(out, "✔ fan-out") != 2 || !strings.Contains(out, "0 failed") || !strings.Contains(out, lbs[0].DNSName) {
		t.Fatalf("verify --endpoint: exit %d\n%s%s", code, out, errs)
	}
	var served int
	for _, l := range fc.DataPlane().Listeners {
		if l.LBID == lbs[0].ID {
			served++
			if !strings.Contains(out, "(connecting to "+l.Address+")") {
				t.Errorf("verify did not connect to %s %d at %s:\n%s", l.Protocol, l.Port, l.Address, out)
			}
		}
	}
	if served != 2 {
		t.Fatalf("the data plane serves %d listeners of %s, want 2", served, lbs[0].ID)
	}
}

// TestSavedPlanCreatesTheALB: a saved plan that creates the ALB is applied
// exactly: one ALB, everything on it, and the record at its DNS name.
func TestSavedPlanCreatesTheALB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	if r := e.mustRun("plan", "--out", e.savedPlan()); len(r.writes()) != 0 {
		t.Fatalf("plan --out wrote %v", r.writes())
	}
	r := e.runRaw("up", e.savedPlan(), "--endpoint", e.fc.URL(), "--yes")
	if r.code != 0 {
		t.Fatalf("up FILE: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	st := e.fc.Snapshot()
	lbs := stackALBs(st, "chat")
	if len(lbs) != 1 || countCalls(r, "CreateLoadBalancer") != 1 {
		t.Fatalf("up FILE: %d ALBs, %d creates", len(lbs), countCalls(r, "CreateLoadBalancer"))
	}
	if n := countOwned(st, "chat"); n["group"] != 1 || n["listener"] != 1 || n["record"] != 1 {
		t.Fatalf("up FILE: %v", n)
	}
	if rec := ownedRecord(t, st, "chat"); rec.Value != lbs[0].DNSName {
		t.Fatalf("record → %q, want %q", rec.Value, lbs[0].DNSName)
	}
}
