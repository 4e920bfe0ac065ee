package cli_test

// A replacement (-/+) of the stack's created load balancer killed half way
// leaves two load balancers carrying the stack's tag: the new one (it
// matches the stack file) and the old one. The next `up` finishes the
// replacement instead of refusing. Every assertion reads the fake's state
// (Snapshot) or its request log (Calls).

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// replaceCase is a stack that creates its load balancer, and the edit of
// its file that replaces it.
type replaceCase struct {
	lb            string
	before, after string
	// lbs are the IDs of the stack's load balancers in the fake.
	lbs func(st fakecloud.State) []string
	// matchesAfter reports whether load balancer id has the edited file's settings.
	matchesAfter func(st fakecloud.State, id string) bool
	// target is what the record must point at when on load balancer id.
	target func(st fakecloud.State, id string) string
	// on lists the load balancers the stack's listeners and vServer groups are on.
	on func(st fakecloud.State) []string
}

func albReplaceCase() replaceCase {
	return replaceCase{
		lb:     "alb",
		before: createConfig("false"),
		after:  strings.Replace(createConfig("false"), "addressType: Internet", "addressType: Intranet", 1),
		lbs: func(st fakecloud.State) []string {
			var ids []string
			for _, lb := range stackALBs(st, "chat") {
				ids = append(ids, lb.ID)
			}
			return ids
		},
		matchesAfter: func(st fakecloud.State, id string) bool {
			for _, lb := range stackALBs(st, "chat") {
				if lb.ID == id {
					return lb.AddressType == "Intranet"
				}
			}
			return false
		},
		target: func(st fakecloud.State, id string) string {
			for _, lb := range stackALBs(st, "chat") {
				if lb.ID == id {
					return lb.DNSName
				}
			}
			return ""
		},
		on: func(st fakecloud.State) []string {
			var on []string
			for _, l := range st.ALB.Listeners {
				if tagged(l.Tags, "chat") && !l.Deleted {
					on = append(on, l.LoadBalancerID)
				}
			}
			return on
		},
	}
}

func clbReplaceCase() replaceCase {
	before := createCLBConfig("payType: PayByCLCU, deletionProtection: false")
	return replaceCase{
		lb:     "clb",
		before: before,
		after:  strings.Replace(before, "vSwitchId: vsw-fake01-h", "vSwitchId: vsw-fake01-i", 1),
		lbs: func(st fakecloud.State) []string {
			var ids []string
			for _, lb := range stackCLBs(st, "chat") {
				ids = append(ids, lb.ID)
			}
			return ids
		},
		matchesAfter: func(st fakecloud.State, id string) bool {
			for _, lb := range stackCLBs(st, "chat") {
				if lb.ID == id {
					return lb.VSwitchID == "vsw-fake01-i"
				}
			}
			return false
		},
		target: func(st fakecloud.State, id string) string {
			for _, lb := range stackCLBs(st, "chat") {
				if lb.ID == id {
					return lb.Address
				}
			}
			return ""
		},
		on: func(st fakecloud.State) []string {
			var on []string
			for _, l := range st.CLB.Listeners {
				if tagged(l.Tags, "chat") {
					on = append(on, l.LoadBalancerID)
				}
			}
			for _, g := range st.CLB.VServerGroups {
				if tagged(g.Tags, "chat") {
					on = append(on, g.LoadBalancerID)
				}
			}
			return on
		},
	}
}

// TestKilledReplacementIsFinishedByTheNextUp SIGKILLs `up` in the middle of
// a replacement, at three points: right after the new load balancer's
// create was answered (the next call on it held), after the listeners moved
// onto it (the old listener's deletion held), and just before the old one's
// deletion (held). The next `up` asks for confirmation (it deletes), then
// finishes: one load balancer, the new one, with everything on it and the
// record pointing at it; the old one and what the stack had on it are gone,
// and a further `up` makes no write.
func TestKilledReplacementIsFinishedByTheNextUp(t *testing.T) {
	t.Parallel()
	type point struct{ name, product, action string }
	points := map[string][]point{
		"alb": {
			{"after the create answered", "alb", "CreateListener"},
			{"after the listeners moved", "alb", "DeleteListener"},
			{"before the old delete", "alb", "DeleteLoadBalancer"},
		},
		"clb": {
			{"after the create answered", "slb", "CreateVServerGroup"},
			{"after the listeners moved", "slb", "DeleteLoadBalancerListener"},
			{"before the old delete", "slb", "DeleteLoadBalancer"},
		},
	}
	for _, rc := range []replaceCase{albReplaceCase(), clbReplaceCase()} {
		for _, kp := range points[rc.lb] {
			t.Run(rc.lb+"/"+strings.ReplaceAll(kp.name, " ", "-"), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				e.write(rc.before)
				e.mustRun("up", "--yes")
				olds := rc.lbs(e.fc.Snapshot())
				if len(olds) != 1 {
					t.Fatalf("after the first up: load balancers %v, want one", olds)
				}
				old := olds[0]

				e.write(rc.after)
				hold := fakecloud.Fault{Name: "hold " + kp.name, Product: kp.product, Action: kp.action, Times: 1, Delay: time.Hour}
				if err := e.fc.SetFaults([]fakecloud.Fault{hold}); err != nil {
					t.Fatal(err)
				}
				killWhileHeld(t, e, kp.name, kp.product, kp.action)
				st := e.fc.Snapshot()
				ids := rc.lbs(st)
				if len(ids) != 2 || !slices.Contains(ids, old) {
					t.Fatalf("killed %s: the stack's load balancers %v, want the old %s and a new one", kp.name, ids, old)
				}
				newID := ids[0]
				if newID == old {
					newID = ids[1]
				}
				if !rc.matchesAfter(st, newID) || rc.matchesAfter(st, old) {
					t.Fatalf("killed %s: %s should have the new settings, %s the old", kp.name, newID, old)
				}
				if err := e.fc.SetFaults(nil); err != nil {
					t.Fatal(err)
				}

				// The rest of the replacement deletes: it is confirmed like one.
				if r := e.run("up"); r.code == 0 || len(r.writes()) != 0 || !strings.Contains(r.stderr, "--yes") {
					t.Fatalf("re-run without confirmation: exit %d, writes %v\n%s%s", r.code, r.writes(), r.stdout, r.stderr)
				}
				r := e.mustRun("up", "--yes")
				if n := countCalls(r, "CreateLoadBalancer"); n != 0 {
					t.Fatalf("the re-run created %d load balancers: %v", n, r.okWrites())
				}
				st = e.fc.Snapshot()
				if ids := rc.lbs(st); !slices.Equal(ids, []string{newID}) {
					t.Fatalf("after the re-run: load balancers %v, want only the new %s\n%s", ids, newID, r.stdout)
				}
				if n := countOwned(st, "chat"); n["group"] != 1 || n["listener"] != 1 || n["record"] != 1 || n["servers"] != 3 {
					t.Fatalf("after the re-run: %v", n)
				}
				for _, id := range rc.on(st) {
					if id != "" && id != newID {
						t.Fatalf("after the re-run something of the stack is still on %s, want all on %s", id, newID)
					}
				}
				if rec := ownedRecord(t, st, "chat"); rec.Value != rc.target(st, newID) {
					t.Fatalf("record → %q, want the new %s's %q", rec.Value, newID, rc.target(st, newID))
				}
				if r := e.mustRun("up", "--yes"); len(r.writes()) != 0 {
					t.Fatalf("a further up wrote %v\n%s", r.writes(), r.stdout)
				}
			})
		}
	}
}

// TestDownAfterKilledReplacement: `down` right after a replacement was
// killed half way (two load balancers carry the stack's tag) would leave one
// of them behind with what the stack has on it (it did, and said "Destroy
// complete"): it refuses, with zero writes, and its To fix (up, then down)
// ends with nothing the stack owns left.
func TestDownAfterKilledReplacement(t *testing.T) {
	t.Parallel()
	for _, rc := range []replaceCase{albReplaceCase(), clbReplaceCase()} {
		t.Run(rc.lb, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(rc.before)
			e.mustRun("up", "--yes")
			e.write(rc.after)
			product, action := "alb", "CreateListener"
			if rc.lb == "clb" {
				product, action = "slb", "CreateVServerGroup"
			}
			hold := fakecloud.Fault{Name: "hold after the create", Product: product, Action: action, Times: 1, Delay: time.Hour}
			if err := e.fc.SetFaults([]fakecloud.Fault{hold}); err != nil {
				t.Fatal(err)
			}
			killWhileHeld(t, e, "the call after the create", product, action)
			if ids := rc.lbs(e.fc.Snapshot()); len(ids) != 2 {
				t.Fatalf("after the kill: the stack's load balancers %v, want two", ids)
			}
			if err := e.fc.SetFaults(nil); err != nil {
				t.Fatal(err)
			}
			// Taking down one of them would leave the other: down refuses,
			// before any write, and says how to get back to one.
			r := e.run("down", "--yes")
			if r.code == 0 || len(r.writes()) != 0 || !strings.Contains(r.stderr, "a replacement was interrupted") ||
				!strings.Contains(r.stderr, "To fix: run `wsdeploy up`") {
				t.Fatalf("down with two tagged load balancers: exit %d, writes %v\n%s%s", r.code, r.writes(), r.stdout, r.stderr)
			}
			// Its fix works: up finishes the replacement, then down leaves
			// nothing the stack owns.
			e.mustRun("up", "--yes")
			r = e.mustRun("down", "--yes")
			st := e.fc.Snapshot()
			if ids := rc.lbs(st); len(ids) != 0 {
				t.Fatalf("down left the stack's load balancers %v\n%s", ids, r.stdout)
			}
			if n := countOwned(st, "chat"); n["group"] != 0 || n["listener"] != 0 || n["record"] != 0 {
				t.Fatalf("down left %v\n%s", n, r.stdout)
			}
		})
	}
}

// killWhileHeld runs `up --yes` and SIGKILLs it once the call product/action
// (held by a fault) is the only one in flight: the run can go no further,
// everything else waits for it. It returns once the fake has logged the held
// call as cancelled (it never ran), so no late entry reaches the next run's
// share of the request log.
func killWhileHeld(t *testing.T, e *env, what, product, action string) {
	t.Helper()
	p := e.startCLI(t, "up", "--yes", "-f", e.cfg, "--endpoint", e.fc.URL())
	var held fakecloud.Call
	poll(t, p, true, what+" is held alone", func() (bool, string) {
		in := e.fc.InFlight()
		if len(in) == 1 && in[0].Product == product && in[0].Action == action {
			held = in[0]
			return true, ""
		}
		return false, fmt.Sprintf("in flight %v, done %v", names(in), okWriteSet(e.fc.Calls()))
	})
	_ = p.cmd.Process.Kill() // SIGKILL: no chance to clean up
	p.wait(t)
	poll(t, p, false, "the held call is answered", func() (bool, string) {
		calls := e.fc.Calls()
		i := slices.IndexFunc(calls, func(c fakecloud.Call) bool { return c.RequestID == held.RequestID })
		return i >= 0 && calls[i].Canceled && calls[i].Status == 0, fmt.Sprintf("%d calls logged", len(calls))
	})
}
