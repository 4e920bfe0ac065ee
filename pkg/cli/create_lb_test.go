package cli_test

// What alb.create and clb.create share: the tests that run the same story
// on both kinds (one subtest per kind), and the helpers the per-kind tests
// in create_alb_test.go and create_clb_test.go use. Every assertion reads
// the fake's state (Snapshot) or its request log (Calls).

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

// createStackTail is what the stacks that create a load balancer say after
// it: the README's example backends, one HTTP listener and the record.
const createStackTail = `backends:
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

// createdLB is a load balancer of either kind in the fake.
type createdLB struct {
	ID, Name string
	// Target is what the stack's record points at: the ALB's DNS name, the
	// CLB's address.
	Target string
	ALB    *fakecloud.ALBLoadBalancer
	CLB    *fakecloud.CLBInstance
}

// lbCounts is what the fake holds of a stack on one kind of load balancer.
type lbCounts struct{ groups, listeners, servers, records int }

// lbKind is what the create tests need to know of one kind of load balancer.
type lbKind struct {
	name       string // ALB, CLB
	product    string // the fake's product name in the request log
	seeded     string // the demo world's load balancer of this kind
	recordType string // the record that points at it
	// config is the stack that creates one, deletion protection off.
	config string
	// protected is the stack that creates one with deletion protection on.
	protected string
	// named is the stack that names the load balancer id instead.
	named func(id string) string
	// created lists the load balancers of this kind carrying stack's tag.
	created func(st fakecloud.State, stack string) []createdLB
	// exists reports whether a load balancer of this kind with this ID is in the fake.
	exists func(st fakecloud.State, id string) bool
	// counts counts the stack's resources on this kind.
	counts func(st fakecloud.State, stack string) lbCounts
	// listenersOn lists the load balancers the stack's listeners are on.
	listenersOn func(st fakecloud.State, stack string) []string
	// waitAction is the read the create's wait for the new one makes.
	waitAction string
	// createsAfterDown is how many CreateLoadBalancer calls an up after down
	// sends (ALB: the first, with the same ClientToken as the deleted
	// one's, is answered with the deleted instance; the fake remembers
	// ClientTokens for ever, the stricter reading).
	createsAfterDown int
	// example turns config.Example() (which names the demo's load balancers
	// by id) into a stack that creates one of this kind; exampleHas is what
	// the result must hold, so the test notices when the example changes.
	example    *strings.Replacer
	exampleHas []string
}

var albKind = lbKind{
	name: "ALB", product: "alb", seeded: "alb-fake01", recordType: "CNAME",
	config:    createConfig("false"),
	protected: strings.Replace(createConfig("true"), "    deletionProtection: true\n", "", 1), // the default
	named: func(id string) string {
		return strings.Replace(stackYAML, "alb: {id: alb-fake01}", "alb: {id: "+id+"}", 1)
	},
	created: func(st fakecloud.State, stack string) []createdLB {
		var out []createdLB
		for _, lb := range stackALBs(st, stack) {
			out = append(out, createdLB{ID: lb.ID, Name: lb.Name, Target: lb.DNSName, ALB: lb})
		}
		return out
	},
	exists: func(st fakecloud.State, id string) bool {
		return slices.ContainsFunc(st.ALB.LoadBalancers, func(x *fakecloud.ALBLoadBalancer) bool { return x.ID == id })
	},
	counts: func(st fakecloud.State, stack string) lbCounts {
		n := countOwned(st, stack)
		return lbCounts{groups: n["group"], listeners: n["listener"], servers: n["servers"], records: n["record"]}
	},
	listenersOn: func(st fakecloud.State, stack string) []string {
		var on []string
		for _, l := range st.ALB.Listeners {
			if tagged(l.Tags, stack) {
				on = append(on, l.LoadBalancerID)
			}
		}
		return on
	},
	waitAction:       "GetLoadBalancerAttribute",
	createsAfterDown: 2,
	example: strings.NewReplacer("# interval: 2 ", "interval: 1   ", "# healthyThreshold: 3", "healthyThreshold: 2  ",
		"  id: alb-fake01            # ALB console: Instances\n",
		"  create: {vpcId: vpc-fake01, deletionProtection: false, zones: [{zoneId: cn-hangzhou-h, vSwitchId: vsw-fake01-h}, {zoneId: cn-hangzhou-i, vSwitchId: vsw-fake01-i}]}\n",
	),
	exampleHas: []string{"create: {vpcId"},
}

var clbKind = lbKind{
	name: "CLB", product: "slb", seeded: "lb-fake01", recordType: "A",
	config:    createCLBConfig("deletionProtection: false"),
	protected: createCLBConfig("payType: PayByCLCU"),
	named: func(id string) string {
		return strings.Replace(createCLBYAML, "  create: {name: chat-clb, addressType: internet, vSwitchId: vsw-fake01-h, %s}", "  id: "+id, 1)
	},
	created: func(st fakecloud.State, stack string) []createdLB {
		var out []createdLB
		for _, lb := range stackCLBs(st, stack) {
			out = append(out, createdLB{ID: lb.ID, Name: lb.Name, Target: lb.Address, CLB: lb})
		}
		return out
	},
	exists: func(st fakecloud.State, id string) bool {
		return slices.ContainsFunc(st.CLB.LoadBalancers, func(x *fakecloud.CLBInstance) bool { return x.ID == id })
	},
	counts: func(st fakecloud.State, stack string) lbCounts {
		g, l, rec := clbCounts(st, stack)
		return lbCounts{groups: g, listeners: l, servers: countOwned(st, stack)["servers"], records: rec}
	},
	listenersOn: func(st fakecloud.State, stack string) []string {
		var on []string
		for _, l := range st.CLB.Listeners {
			if tagged(l.Tags, stack) {
				on = append(on, l.LoadBalancerID)
			}
		}
		return on
	},
	waitAction:       "DescribeLoadBalancerAttribute",
	createsAfterDown: 1,
	example: strings.NewReplacer("# interval: 2 ", "interval: 1   ", "# healthyThreshold: 3", "healthyThreshold: 2  ",
		"lb: alb\n", "lb: clb\n",
		"  id: lb-fake01             # CLB console: Instances\n",
		"  create: {vSwitchId: vsw-fake01-h, deletionProtection: false}\n",
	),
	exampleHas: []string{"create: {vSwitchId", "lb: clb\n"},
}

var lbKinds = []lbKind{albKind, clbKind}

// oneCreated is the one load balancer of kind k tagged with stack.
func oneCreated(t *testing.T, st fakecloud.State, k lbKind, stack string) createdLB {
	t.Helper()
	lbs := k.created(st, stack)
	if len(lbs) != 1 {
		t.Fatalf("%d %ss tagged %s, want 1: %+v", len(lbs), k.name, stack, lbs)
	}
	return lbs[0]
}

// TestCreatedLBNamedByIDIsNeverDeleted: a load balancer the file names by
// id stays, even when it carries the stack's tag (the stack created it and
// the file now names it); so does the demo's own, named by id, through a
// full up and down.
func TestCreatedLBNamedByIDIsNeverDeleted(t *testing.T) {
	t.Parallel()
	for _, k := range lbKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(k.config)
			e.mustRun("up", "--yes")
			id := k.created(e.fc.Snapshot(), "chat")[0].ID
			e.write(k.named(id))
			r := e.mustRun("down", "--yes")
			st := e.fc.Snapshot()
			if countCalls(r, "DeleteLoadBalancer") != 0 || len(k.created(st, "chat")) != 1 {
				t.Fatalf("down with %s.id: %s deleted? writes %v", strings.ToLower(k.name), id, r.writes())
			}
			if n := k.counts(st, "chat"); n.listeners+n.groups+n.records != 0 {
				t.Fatalf("down left %+v", n)
			}
			// And the demo's own, named by id, through a full up/down.
			e.write(k.named(k.seeded))
			e.mustRun("up", "--yes")
			r = e.mustRun("down", "--yes")
			if countCalls(r, "DeleteLoadBalancer") != 0 || !k.exists(e.fc.Snapshot(), k.seeded) {
				t.Fatalf("down deleted %s: writes %v", k.seeded, r.writes())
			}
		})
	}
}

// TestCreatedLBAgainAfterDown: after down deleted the created load
// balancer, the next up creates a new one and everything goes on the new
// one: nothing is answered from the old run.
func TestCreatedLBAgainAfterDown(t *testing.T) {
	t.Parallel()
	for _, k := range lbKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(k.config)
			e.mustRun("up", "--yes")
			first := k.created(e.fc.Snapshot(), "chat")[0].ID
			e.mustRun("down", "--yes")
			r := e.mustRun("up", "--yes")
			if n := countCalls(r, "CreateLoadBalancer"); n != k.createsAfterDown {
				t.Errorf("%d CreateLoadBalancer calls, want %d", n, k.createsAfterDown)
			}
			st := e.fc.Snapshot()
			lbs := k.created(st, "chat")
			if len(lbs) != 1 || lbs[0].ID == first {
				t.Fatalf("after down and up: %ss %+v, want one new (not %s)", k.name, lbs, first)
			}
			if n := k.counts(st, "chat"); n != (lbCounts{groups: 1, listeners: 1, servers: 3, records: 1}) {
				t.Fatalf("after down and up: %+v", n)
			}
			for _, on := range k.listenersOn(st, "chat") {
				if on != lbs[0].ID {
					t.Fatalf("a listener on %s, want on the new %s %s", on, k.name, lbs[0].ID)
				}
			}
			if rec := ownedRecord(t, st, "chat"); rec.Value != lbs[0].Target {
				t.Fatalf("record → %q, want the new %s's %q", rec.Value, k.name, lbs[0].Target)
			}
			if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
				t.Fatalf("plan:\n%s", r.stdout)
			}
		})
	}
}

// TestVerifyCreatedLBThroughDataPlane: verify finds the load balancer the
// stack created (by its tag), connects through the fake's data plane to its
// listeners, and talks to the chat there.
func TestVerifyCreatedLBThroughDataPlane(t *testing.T) {
	t.Parallel()
	for _, k := range lbKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 30 * time.Millisecond, DataPlane: true})
			chatBackends(t, fc.Server, 10*time.Second)
			dir := t.TempDir()
			sb := &sandbox{workDir: dir}
			sb.fakeCredentials()
			stack := k.example.Replace(string(config.Example()))
			for _, s := range k.exampleHas {
				if !strings.Contains(stack, s) {
					t.Fatalf("the example stack no longer has the lines this test replaces (%q)", s)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, "wsdeploy.yaml"), []byte(stack), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, errs, code := runWsdeploy(t, sb, "up", "--endpoint", fc.URL(), "--yes", "--wait-healthy"); code != 0 {
				t.Fatalf("up: exit %d\n%s%s", code, out, errs)
			}
			lb := oneCreated(t, fc.Snapshot(), k, "demo")
			if lb.CLB != nil && lb.CLB.ChargeType != "PayByCLCU" {
				t.Fatalf("CLB tagged demo: %+v, want it by CLCU (the default without a spec)", lb.CLB)
			}
			out, errs, code := runWsdeploy(t, sb, "verify", "--endpoint", fc.URL(), "--messages", "3")
			if code != 0 || strings.Count(out, "✔ fan-out") != 2 || !strings.Contains(out, "0 failed") {
				t.Fatalf("verify --endpoint: exit %d\n%s%s", code, out, errs)
			}
			if lb.ALB != nil && !strings.Contains(out, lb.Target) {
				t.Fatalf("verify does not check the record against the ALB's DNS name %s:\n%s", lb.Target, out)
			}
			var served int
			for _, l := range fc.DataPlane().Listeners {
				if l.LBID == lb.ID {
					served++
					if !strings.Contains(out, "(connecting to "+l.Address+")") {
						t.Errorf("verify did not connect to %s %d at %s:\n%s", l.Protocol, l.Port, l.Address, out)
					}
				}
			}
			if served != 2 {
				t.Fatalf("the data plane serves %d listeners of %s, want 2", served, lb.ID)
			}
		})
	}
}

// downRefusedWhileProtected creates the stack's load balancer with
// deletion protection on (the default): down refuses before any write and
// says how to release it; --keep-lb removes everything else and keeps it.
// It returns the load balancer.
func downRefusedWhileProtected(t *testing.T, e *env, k lbKind) createdLB {
	t.Helper()
	e.write(k.protected)
	e.mustRun("up", "--yes")
	lb := oneCreated(t, e.fc.Snapshot(), k, "chat")
	r := e.run("down", "--yes")
	if r.code == 0 || len(r.writes()) != 0 || !strings.Contains(r.stderr, lb.ID) || !strings.Contains(r.stderr, "deletion protection on") ||
		!strings.Contains(r.stderr, "To fix:") || !strings.Contains(r.stderr, "deletionProtection: false") || !strings.Contains(r.stderr, "--keep-lb") {
		t.Fatalf("down with deletion protection: exit %d, writes %v\n%s", r.code, r.writes(), r.stderr)
	}
	if n := k.counts(e.fc.Snapshot(), "chat"); n.groups != 1 || n.listeners != 1 || n.records != 1 {
		t.Fatalf("the refused down changed something: %+v", n)
	}
	// --keep-lb: everything else goes, the load balancer stays.
	r = e.mustRun("down", "--keep-lb", "--yes")
	st := e.fc.Snapshot()
	if n := k.counts(st, "chat"); n.groups+n.listeners+n.records != 0 || len(k.created(st, "chat")) != 1 || countCalls(r, "DeleteLoadBalancer") != 0 {
		t.Fatalf("down --keep-lb: %+v left, %d %ss, writes %v", n, len(k.created(st, "chat")), k.name, r.writes())
	}
	return lb
}

// checkCreateCall checks the run's one CreateLoadBalancer call: the owner
// tag in it, and the params (a value "*" is any but empty).
func checkCreateCall(t *testing.T, r result, params map[string]string) {
	t.Helper()
	var creates []fakecloud.Call
	for _, c := range r.calls {
		if c.Action == "CreateLoadBalancer" {
			creates = append(creates, c)
		}
	}
	bad := len(creates) != 1
	if !bad {
		want := map[string]string{"Tag.1.Key": resource.OwnerTagKey, "Tag.1.Value": "chat"}
		for k, v := range params {
			want[k] = v
		}
		for k, v := range want {
			if got := creates[0].Params[k]; got != v && (v != "*" || got == "") {
				bad = true
			}
		}
	}
	if bad {
		t.Fatalf("CreateLoadBalancer calls: %+v", creates)
	}
}

// checkUpReport checks that up's report names the created load balancer,
// where the record points and the create.
func checkUpReport(t *testing.T, r result, k lbKind, lb createdLB) {
	t.Helper()
	if out := r.stdout + r.stderr; !strings.Contains(out, "is up on "+k.name+" "+lb.ID+" ("+lb.Target+")") || !strings.Contains(out, k.recordType+" → "+lb.Target+" ") ||
		!strings.Contains(out, "create load-balancer "+lb.Name+" → "+lb.ID) {
		t.Fatalf("up's report lacks the new %s, where the record points or its creation:\n%s", k.name, out)
	}
}

// convergedThenDown: a converged re-run finds the created load balancer
// by its tag (no write, no second one); down then removes everything, the
// load balancer last, and leaves the demo's own.
func convergedThenDown(t *testing.T, e *env, k lbKind, lb createdLB) {
	t.Helper()
	r := e.mustRun("up", "--yes")
	if w := r.writes(); len(w) != 0 {
		t.Fatalf("converged up wrote: %v\n%s", w, r.stdout)
	}
	if n := len(k.created(e.fc.Snapshot(), "chat")); n != 1 {
		t.Fatalf("%d %ss after the re-run, want 1", n, k.name)
	}

	r = e.mustRun("down", "--yes")
	st := e.fc.Snapshot()
	if n := len(k.created(st, "chat")); n != 0 {
		t.Fatalf("after down: %d %ss of the stack remain", n, k.name)
	}
	if n := k.counts(st, "chat"); n.groups != 0 || n.listeners != 0 || n.records != 0 {
		t.Fatalf("after down: %+v owned", n)
	}
	if !strings.Contains(r.stdout+r.stderr, "The load balancer "+k.name+" "+lb.ID+", which the stack created, was deleted.") {
		t.Fatalf("down's report:\n%s%s", r.stdout, r.stderr)
	}
	ok := r.okWrites()
	if len(ok) == 0 || ok[len(ok)-1] != k.product+" DeleteLoadBalancer" {
		t.Fatalf("down's writes %v: want DeleteLoadBalancer last", ok)
	}
	if !k.exists(st, k.seeded) {
		t.Fatalf("the seeded %s %s was deleted", k.name, k.seeded)
	}
}

// killedInCreateWaitIsAdopted SIGKILLs `up` while it waits for the load
// balancer it has just created to become active: the next `up` finds that
// one by its tag and builds on it, with no second one; down then removes
// all.
func killedInCreateWaitIsAdopted(t *testing.T, e *env, k lbKind) {
	t.Helper()
	// The wait is the run's first read of the load balancer after the
	// create (the inventory lists the stack's by tag, and there is none yet).
	kp := killPoint{name: "wait for the new " + k.name, product: k.product, action: k.waitAction, done: []string{k.product + " CreateLoadBalancer"}}
	e.fc.ResetCalls() // the kill point's "done" is counted from here
	if err := e.fc.SetFaults([]fakecloud.Fault{kp.holdRule(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	p := e.startCLI(t, "up", "--yes", "-f", e.cfg, "--endpoint", e.fc.URL())
	held := waitHeld(t, e.fc, p, kp)
	_ = p.cmd.Process.Kill()
	p.wait(t)
	// Planned: the load balancer, the server group, its servers, the
	// listener, the record and its mark.
	assertLandedMidApply(t, e.fc, p, kp, held, 6)
	if n := len(k.created(e.fc.Snapshot(), "chat")); n != 1 {
		t.Fatalf("after the kill: %d %ss tagged chat, want the 1 created", n, k.name)
	}
	if err := e.fc.SetFaults(nil); err != nil {
		t.Fatal(err)
	}

	r := e.mustRun("up", "--yes")
	st := e.fc.Snapshot()
	lbs := k.created(st, "chat")
	if len(lbs) != 1 || countCalls(r, "CreateLoadBalancer") != 0 {
		t.Fatalf("after the re-run: %d %ss tagged chat, %d CreateLoadBalancer calls; want the one adopted", len(lbs), k.name, countCalls(r, "CreateLoadBalancer"))
	}
	if n := k.counts(st, "chat"); n.groups != 1 || n.listeners != 1 || n.records != 1 {
		t.Fatalf("after the re-run: %+v", n)
	}
	if rec := ownedRecord(t, st, "chat"); rec.Value != lbs[0].Target {
		t.Fatalf("record points at %q, want the adopted %s's %q", rec.Value, k.name, lbs[0].Target)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after the re-run:\n%s", r.stdout)
	}
	e.mustRun("down", "--yes")
	if n := len(k.created(e.fc.Snapshot(), "chat")); n != 0 {
		t.Fatalf("after down: %d %ss tagged chat", n, k.name)
	}
}
