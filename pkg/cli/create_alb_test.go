package cli_test

// alb.create: the stack creates its ALB, finds it again by its tag, and
// deletes it only when it made it. Every assertion reads the fake's state
// (Snapshot) or its request log (Calls).

import (
	"slices"
	"strings"
	"testing"

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
` + createStackTail

func createConfig(protect string) string { return strings.Replace(createYAML, "%s", protect, 1) }

// stackALBs are the ALB instances in the fake carrying stack's owner tag.
func stackALBs(st fakecloud.State, stack string) []*fakecloud.ALBLoadBalancer {
	var out []*fakecloud.ALBLoadBalancer
	for _, lb := range st.ALB.LoadBalancers {
		if tagged(lb.Tags, stack) {
			out = append(out, lb)
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
	checkCreateCall(t, r, map[string]string{"ClientToken": "*"})
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
	created := createdLB{ID: lb.ID, Name: lb.Name, Target: lb.DNSName, ALB: lb}
	checkUpReport(t, r, albKind, created)
	convergedThenDown(t, e, albKind, created)
}

// TestKilledDuringALBCreateWaitIsAdopted SIGKILLs `up` while it waits for
// the ALB it has just created to become Active: the next `up` finds that ALB
// by its tag and builds on it, with no second ALB; down then removes all.
func TestKilledDuringALBCreateWaitIsAdopted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(albKind.config)
	killedInCreateWaitIsAdopted(t, e, albKind)
}

// TestCreatedALBDeletionProtection: with deletion protection on (the
// default), down refuses before any write and says how to release it;
// --keep-lb removes everything else; turning it off in the file is an
// in-place update, and down then deletes the ALB.
func TestCreatedALBDeletionProtection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lb := downRefusedWhileProtected(t, e, albKind)
	if !lb.ALB.DeletionProtection {
		t.Fatalf("created ALB %+v: want deletion protection on", lb.ALB)
	}
	id := lb.ID

	// Release: deletionProtection: false, up (an in-place update), down.
	e.write(createConfig("false"))
	r := e.mustRun("plan")
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
