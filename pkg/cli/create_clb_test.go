package cli_test

// clb.create: the stack creates its CLB (tags in the create call), finds it
// again by its tag, and deletes it only when it made it. Every assertion
// reads the fake's state (Snapshot) or its request log (Calls).

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// createCLBYAML is the README's example stack with a CLB to create in the
// demo world's VPC (its default vSwitch vsw-fake01-h).
const createCLBYAML = `stack: chat
region: cn-hangzhou
lb: clb
clb:
  create: {name: chat-clb, addressType: internet, vSwitchId: vsw-fake01-h, %s}
` + createStackTail

// createCLBConfig is the stack with extra create settings (e.g.
// "payType: PayByCLCU, deletionProtection: false").
func createCLBConfig(extra string) string { return strings.Replace(createCLBYAML, "%s", extra, 1) }

// stackCLBs are the CLB instances in the fake carrying stack's owner tag.
func stackCLBs(st fakecloud.State, stack string) []*fakecloud.CLBInstance {
	var out []*fakecloud.CLBInstance
	for _, lb := range st.CLB.LoadBalancers {
		if tagged(lb.Tags, stack) {
			out = append(out, lb)
		}
	}
	return out
}

// clbCounts counts the stack's vServer groups, listeners and records.
func clbCounts(st fakecloud.State, stack string) (groups, listeners, records int) {
	groups, listeners = clbOwned(st, stack)
	for _, d := range st.DNS.Domains {
		for _, r := range d.Records {
			if r.Remark == resource.RecordRemark(stack) {
				records++
			}
		}
	}
	return groups, listeners, records
}

// TestCreateCLBPayBySpecRefused: a spec (payType PayOnDemand) asks for a
// pay-by-spec CLB, which Alibaba Cloud no longer sells (since 2025-06-01):
// the plan shows it with its warning, and up's create is refused by the
// cloud with its code; nothing is made and nothing else is tried.
func TestCreateCLBPayBySpecRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createCLBConfig("spec: slb.s1.small, deletionProtection: false"))
	seeded := len(e.fc.Snapshot().CLB.LoadBalancers)

	// plan: a billable CLB to create, with its spec, pay type, address
	// billing and the end-of-sale warning, and no write.
	r := e.mustRun("plan")
	if w := r.writes(); len(w) != 0 {
		t.Fatalf("plan made write calls: %v", w)
	}
	golden(t, "create-clb/plan.txt", r.stdout)

	r = e.run("up", "--yes")
	st := e.fc.Snapshot()
	if r.code == 0 || !strings.Contains(r.stderr, "PayBySpecSlbHaltSales") || !strings.Contains(r.stderr, "To fix: Alibaba Cloud no longer sells pay-by-spec") || len(r.okWrites()) != 0 ||
		!slices.Equal(r.writes(), []string{"slb CreateLoadBalancer"}) {
		t.Fatalf("up of a pay-by-spec CLB: exit %d, writes %v (ok %v)\n%s", r.code, r.writes(), r.okWrites(), r.stderr)
	}
	if len(st.CLB.LoadBalancers) != seeded || len(stackCLBs(st, "chat")) != 0 {
		t.Fatalf("after the refused create: %d CLBs (seeded %d), %d of the stack", len(st.CLB.LoadBalancers), seeded, len(stackCLBs(st, "chat")))
	}
	if g, l, rec := clbCounts(st, "chat"); g != 0 || l != 0 || rec != 0 {
		t.Fatalf("after the refused create: %d groups, %d listeners, %d records", g, l, rec)
	}
}

func TestCreateCLBLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createCLBConfig("deletionProtection: false"))
	seeded := len(e.fc.Snapshot().CLB.LoadBalancers)

	// plan: a billable CLB to create (pay by CLCU, the default without a
	// spec), and no write.
	r := e.mustRun("plan")
	if w := r.writes(); len(w) != 0 || !strings.Contains(r.stdout, "billable: CLB pay-as-you-go by capacity units") {
		t.Fatalf("plan made write calls %v, or lacks the billing:\n%s", w, r.stdout)
	}

	// up creates it, its tag in the one create call.
	r = e.mustRun("up", "--yes")
	st := e.fc.Snapshot()
	lbs := stackCLBs(st, "chat")
	if len(lbs) != 1 || len(st.CLB.LoadBalancers) != seeded+1 {
		t.Fatalf("after up: %d CLBs tagged chat, %d in all (seeded %d); want 1 new", len(lbs), len(st.CLB.LoadBalancers), seeded)
	}
	lb := lbs[0]
	if lb.Name != "chat-clb" || lb.VSwitchID != "vsw-fake01-h" || lb.VpcID != "vpc-fake01" || lb.Spec != "" ||
		lb.ChargeType != "PayByCLCU" || lb.DeleteProtection != "off" || lb.Status != "active" {
		t.Fatalf("created CLB: %+v", lb)
	}
	checkCreateCall(t, r, map[string]string{"LoadBalancerSpec": "", "InstanceChargeType": "PayByCLCU"})
	if n := countCalls(r, "TagResources"); n != 0 {
		t.Fatalf("%d TagResources calls: the tag belongs in the create call", n)
	}
	// Everything is on the new CLB, and the name points at its address.
	for _, g := range st.CLB.VServerGroups {
		if tagged(g.Tags, "chat") && g.LoadBalancerID != lb.ID {
			t.Fatalf("a stack vServer group went on %s, not the new CLB %s", g.LoadBalancerID, lb.ID)
		}
	}
	var onNew int
	for _, l := range st.CLB.Listeners {
		if tagged(l.Tags, "chat") {
			if l.LoadBalancerID != lb.ID {
				t.Fatalf("a stack listener went on %s, not the new CLB %s", l.LoadBalancerID, lb.ID)
			}
			onNew++
		}
	}
	if onNew != 1 {
		t.Fatalf("%d listeners on the new CLB %s, want 1", onNew, lb.ID)
	}
	if g, _ := clbOwned(st, "chat"); g != 1 {
		t.Fatalf("%d vServer groups owned, want 1", g)
	}
	if rec := ownedRecord(t, st, "chat"); rec.Type != "A" || rec.Value != lb.Address || lb.Address == "" {
		t.Fatalf("record %+v, want an A record to %q", rec, lb.Address)
	}
	created := createdLB{ID: lb.ID, Name: lb.Name, Target: lb.Address, CLB: lb}
	checkUpReport(t, r, clbKind, created)
	if out := r.stdout + r.stderr; !strings.Contains(out, "waiting: create load-balancer chat-clb (created "+lb.ID) {
		t.Fatalf("up's report lacks the progress of the CLB's creation:\n%s", out)
	}

	if r := e.mustRun("status"); !strings.Contains(r.stdout, lb.ID) || len(r.writes()) != 0 {
		t.Fatalf("status of the stack on its created CLB:\n%s", r.stdout)
	}
	convergedThenDown(t, e, clbKind, created)
}

// TestCreateCLBLostAnswerAndKill: the create's answer is lost after the CLB
// was made (the connection drops); up finds it by its tag rather than
// creating another. Then a run killed while it waits for the new CLB to be
// active leaves one CLB, which the next up adopts.
func TestCreateCLBLostAnswerAndKill(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createCLBConfig("deletionProtection: false"))
	if err := e.fc.SetFaults([]fakecloud.Fault{{Product: "slb", Action: "CreateLoadBalancer", CommitThenFail: true, Drop: true, Times: 1}}); err != nil {
		t.Fatal(err)
	}
	r := e.mustRun("up", "--yes")
	st := e.fc.Snapshot()
	if lbs := stackCLBs(st, "chat"); len(lbs) != 1 || countCalls(r, "CreateLoadBalancer") != 1 {
		t.Fatalf("after a lost create answer: %d CLBs tagged chat, %d CreateLoadBalancer calls; want 1 and 1 (found by tag, not sent again)",
			len(lbs), countCalls(r, "CreateLoadBalancer"))
	}
	if g, l, rec := clbCounts(st, "chat"); g != 1 || l != 1 || rec != 1 {
		t.Fatalf("after up: %d groups, %d listeners, %d records", g, l, rec)
	}
	e.mustRun("down", "--yes")
	if n := len(stackCLBs(e.fc.Snapshot(), "chat")); n != 0 {
		t.Fatalf("after down: %d CLBs tagged chat", n)
	}

	killedInCreateWaitIsAdopted(t, e, clbKind)
}

// TestCreatedCLBDeletionProtection: with deletion protection on (the
// default), down refuses before any write and says how to release it;
// --keep-lb removes everything else; a new name and turning the protection
// off are in-place updates (SetLoadBalancerName,
// SetLoadBalancerDeleteProtection), and down then deletes the CLB.
func TestCreatedCLBDeletionProtection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lb := downRefusedWhileProtected(t, e, clbKind)
	if lb.CLB.DeleteProtection != "on" || lb.CLB.ChargeType != "PayByCLCU" {
		t.Fatalf("created CLB %+v: want it by CLCU, deletion protection on", lb.CLB)
	}
	id := lb.ID

	// Release and rename: both in place on the same CLB.
	e.write(strings.Replace(createCLBConfig("payType: PayByCLCU, deletionProtection: false"), "name: chat-clb", "name: chat-clb-2", 1))
	r := e.mustRun("plan")
	if !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "deletionProtection  true → false") || strings.Contains(r.stdout, "-/+") {
		t.Fatalf("plan after releasing the protection and renaming:\n%s", r.stdout)
	}
	r = e.mustRun("up", "--yes")
	if countCalls(r, "SetLoadBalancerDeleteProtection") != 1 || countCalls(r, "SetLoadBalancerName") != 1 || countCalls(r, "CreateLoadBalancer") != 0 {
		t.Fatalf("up after releasing: writes %v", r.writes())
	}
	if lbs := stackCLBs(e.fc.Snapshot(), "chat"); len(lbs) != 1 || lbs[0].ID != id || lbs[0].DeleteProtection != "off" || lbs[0].Name != "chat-clb-2" {
		t.Fatalf("after up: %+v", lbs)
	}
	e.mustRun("down", "--yes")
	if n := len(stackCLBs(e.fc.Snapshot(), "chat")); n != 0 {
		t.Fatalf("after down: %d CLBs tagged chat", n)
	}
}

// TestCreatedCLBReplacement: a setting the API cannot change in place (the
// pay type) replaces the CLB: the plan marks it -/+, up needs confirmation,
// builds everything on the new CLB and deletes the old one. The old CLB is
// pay-by-spec, as the stack's CLB could be when it was created before
// 2025-06-01 (no longer possible: TestCreateCLBPayBySpecRefused): it is put
// in the world as such, with the stack's tag, and up adopts it.
func TestCreatedCLBReplacement(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createCLBConfig("spec: slb.s1.small, deletionProtection: false"))
	const old = "lb-bought2024"
	if err := e.fc.Update(func(st *fakecloud.State) error {
		st.CLB.LoadBalancers = append(st.CLB.LoadBalancers, &fakecloud.CLBInstance{
			ID: old, Name: "chat-clb", VpcID: "vpc-fake01", Address: "203.0.113.77", Status: "active",
			CreateTime: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), Tags: []fakecloud.Tag{{Key: resource.OwnerTagKey, Value: "chat"}},
			VSwitchID: "vsw-fake01-h", ZoneID: "cn-hangzhou-h", Spec: "slb.s1.small", ChargeType: "PayBySpec", DeleteProtection: "off",
		})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if r := e.mustRun("up", "--yes"); countCalls(r, "CreateLoadBalancer") != 0 {
		t.Fatalf("up on the stack's pay-by-spec CLB created another: %v", r.writes())
	}
	if lbs := stackCLBs(e.fc.Snapshot(), "chat"); len(lbs) != 1 || lbs[0].ID != old {
		t.Fatalf("the stack's CLBs: %+v, want %s adopted", lbs, old)
	}

	e.write(createCLBConfig("payType: PayByCLCU, deletionProtection: false"))
	r := e.mustRun("plan")
	if len(r.writes()) != 0 || !strings.Contains(r.stdout, "-/+ load-balancer chat-clb (replaces CLB "+old) ||
		!strings.Contains(r.stdout, "billable: CLB pay-as-you-go by capacity units") {
		t.Fatalf("plan of a pay type change:\n%s", r.stdout)
	}
	golden(t, "create-clb/replace.txt", r.stdout)
	if r := e.run("up"); r.code == 0 || len(r.writes()) != 0 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("up of a replacement without confirmation: exit %d, writes %v\n%s", r.code, r.writes(), r.stderr)
	}
	r = e.mustRun("up", "--yes")
	st := e.fc.Snapshot()
	lbs := stackCLBs(st, "chat")
	if len(lbs) != 1 || lbs[0].ID == old || lbs[0].ChargeType != "PayByCLCU" || countCalls(r, "CreateLoadBalancer") != 1 || countCalls(r, "DeleteLoadBalancer") != 1 {
		t.Fatalf("after the replacement: %+v, writes %v", lbs, r.writes())
	}
	if g, l, rec := clbCounts(st, "chat"); g != 1 || l != 1 || rec != 1 {
		t.Fatalf("after the replacement: %d groups, %d listeners, %d records", g, l, rec)
	}
	for _, l := range st.CLB.Listeners {
		if tagged(l.Tags, "chat") && l.LoadBalancerID != lbs[0].ID {
			t.Fatalf("listener on %s after the replacement, want the new %s", l.LoadBalancerID, lbs[0].ID)
		}
	}
	if rec := ownedRecord(t, st, "chat"); rec.Value != lbs[0].Address {
		t.Fatalf("record %q, want the new CLB's %q", rec.Value, lbs[0].Address)
	}
	e.mustRun("down", "--yes")
}

// TestCreateCLBChecksBeforeAnyWrite: a vSwitch that does not exist stops
// plan and up before any write, with a To fix: hint; so does a file that
// fails validation.
func TestCreateCLBChecksBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(createCLBConfig("deletionProtection: false"), "vsw-fake01-h", "vsw-nothere01", 1))
	for _, cmd := range []string{"plan", "up"} {
		args := []string{cmd}
		if cmd == "up" {
			args = append(args, "--yes")
		}
		r := e.run(args...)
		if r.code == 0 || len(r.writes()) != 0 || !strings.Contains(r.stderr, "vsw-nothere01") || !strings.Contains(r.stderr, "To fix:") {
			t.Fatalf("%s with a missing vSwitch: exit %d, writes %v\n%s", cmd, r.code, r.writes(), r.stderr)
		}
	}
	// A vSwitch of another VPC than the backends': the backends are named
	// as not in the CLB's VPC, before any write.
	e.write(strings.Replace(createCLBConfig("deletionProtection: false"), "vsw-fake01-h", "vsw-other01-h", 1))
	r := e.run("up", "--yes")
	if r.code == 0 || len(r.writes()) != 0 || !strings.Contains(r.stderr, "vpc-other01") || !strings.Contains(r.stderr, "To fix:") {
		t.Fatalf("up with a vSwitch of another VPC: exit %d, writes %v\n%s", r.code, r.writes(), r.stderr)
	}
	e.write(strings.Replace(createCLBConfig("payType: PayByCLCU, spec: slb.s1.small"), "vSwitchId: vsw-fake01-h, ", "", 1))
	r = e.run("up", "--yes")
	if r.code == 0 || len(r.calls) != 0 || !strings.Contains(r.stderr, "clb.create.vSwitchId") || !strings.Contains(r.stderr, "clb.create.spec") {
		t.Fatalf("up with an invalid create block: exit %d, calls %d\n%s", r.code, len(r.calls), r.stderr)
	}
	if n := len(stackCLBs(e.fc.Snapshot(), "chat")); n != 0 {
		t.Fatalf("%d CLBs created", n)
	}
}
