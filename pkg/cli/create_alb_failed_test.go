package cli_test

// alb.create when the ALB's create job fails: the instance stays in status
// CreateFailed (not billed, only deletable). up deletes it and creates the
// ALB again; a re-run that finds one replaces it without asking; down
// deletes it; an ALB named by id that is CreateFailed is refused before any
// write. The failure is the fake's JobFails fault rule on CreateLoadBalancer;
// every assertion reads the fake's state (Snapshot) or request log (Calls).

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// createFails is the fault rule that makes the create job of the next times
// CreateLoadBalancer calls end Failed (0: every one).
func createFails(times int) fakecloud.Fault {
	return fakecloud.Fault{Name: "create fails", Product: "alb", Action: "CreateLoadBalancer", JobFails: true, Code: "InternalError", Times: times}
}

// liveALB reports whether the fake's instance is usable: not CreateFailed,
// not being deleted.
func liveALB(lb *fakecloud.ALBLoadBalancer) bool { return !lb.CreateFailed && lb.DeletedAt.IsZero() }

// callsOf lists a run's calls of an action that succeeded.
func callsOf(calls []fakecloud.Call, action string) []fakecloud.Call {
	var out []fakecloud.Call
	for _, c := range calls {
		if c.Action == action && c.Status == 200 {
			out = append(out, c)
		}
	}
	return out
}

// assertOneLiveALB checks that the stack has exactly one ALB, usable, that
// the fake holds no other instance than the seeded ones and it, and that
// the stack's listener and record are on it.
func assertOneLiveALB(t *testing.T, e *env, seeded int) *fakecloud.ALBLoadBalancer {
	t.Helper()
	st := e.fc.Snapshot()
	lbs := stackALBs(st, "chat")
	if len(lbs) != 1 || !liveALB(lbs[0]) || len(st.ALB.LoadBalancers) != seeded+1 {
		for _, lb := range st.ALB.LoadBalancers {
			t.Logf("ALB %s tags %v createFailed %v deletedAt %v", lb.ID, lb.Tags, lb.CreateFailed, lb.DeletedAt)
		}
		t.Fatalf("%d ALBs tagged chat, %d in all (seeded %d); want one usable ALB of the stack and nothing else", len(lbs), len(st.ALB.LoadBalancers), seeded)
	}
	lb := lbs[0]
	if n := countOwned(st, "chat"); n["group"] != 1 || n["listener"] != 1 || n["record"] != 1 {
		t.Fatalf("owned: %v", n)
	}
	for _, l := range st.ALB.Listeners {
		if l.LoadBalancerID != lb.ID && l.LoadBalancerID != "alb-fake01" && !l.Deleted {
			t.Fatalf("listener %s on %s, want on %s", l.ID, l.LoadBalancerID, lb.ID)
		}
	}
	if rec := ownedRecord(t, st, "chat"); rec.Value != lb.DNSName {
		t.Fatalf("record → %q, want the ALB's %q", rec.Value, lb.DNSName)
	}
	return lb
}

// TestALBCreateFailedIsDeletedAndCreatedAgain: the first create job fails;
// up releases the failed instance's deletion protection (on by default),
// deletes it, creates the ALB again with the next ClientToken, and puts
// everything on the new one.
func TestALBCreateFailedIsDeletedAndCreatedAgain(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(createConfig("true"), "    deletionProtection: true\n", "", 1)) // the default: on
	seeded := len(e.fc.Snapshot().ALB.LoadBalancers)
	if err := e.fc.SetFaults([]fakecloud.Fault{createFails(1)}); err != nil {
		t.Fatal(err)
	}
	r := e.run("up", "--yes")
	if r.code != 0 {
		t.Fatalf("up: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	creates := callsOf(r.calls, "CreateLoadBalancer")
	if len(creates) != 2 || !creates[0].Injected || creates[1].Injected ||
		creates[0].Params["ClientToken"] == "" || creates[1].Params["ClientToken"] == "" || creates[0].Params["ClientToken"] == creates[1].Params["ClientToken"] {
		t.Fatalf("CreateLoadBalancer calls %+v: want the failed one, then one with another ClientToken", creates)
	}
	failedID := ""
	for _, c := range r.calls { // the failed create's instance: the first the run read
		if c.Action == "GetLoadBalancerAttribute" {
			failedID = c.Params["LoadBalancerId"]
			break
		}
	}
	del, unprotect := callsOf(r.calls, "DeleteLoadBalancer"), callsOf(r.calls, "DisableDeletionProtection")
	if failedID == "" || len(del) != 1 || del[0].Params["LoadBalancerId"] != failedID || len(unprotect) != 1 || unprotect[0].Params["ResourceId"] != failedID {
		t.Fatalf("failed instance %q: deletes %+v, unprotects %+v; want its protection released and it deleted", failedID, del, unprotect)
	}
	// The order: released, deleted, then created again.
	idx := func(c fakecloud.Call) int {
		return slices.IndexFunc(r.calls, func(x fakecloud.Call) bool { return x.RequestID == c.RequestID })
	}
	if !(idx(creates[0]) < idx(unprotect[0]) && idx(unprotect[0]) < idx(del[0]) && idx(del[0]) < idx(creates[1])) {
		t.Fatalf("calls out of order: %v", r.writes())
	}
	lb := assertOneLiveALB(t, e, seeded)
	if lb.ID == failedID || !lb.DeletionProtection {
		t.Fatalf("the stack's ALB %+v: want a new one (not %s), its deletion protection on", lb, failedID)
	}
	if out := r.stdout + r.stderr; !strings.Contains(out, "ALB creation failed (CreateFailed, not billed); deleted it, creating again (attempt 2 of 3)") {
		t.Fatalf("up's output lacks the recovery line:\n%s", out)
	}
	if r := e.mustRun("up", "--yes"); len(r.writes()) != 0 {
		t.Fatalf("converged re-run wrote %v", r.writes())
	}
}

// TestALBCreateFailedAttemptsRunOut: every create job fails; up stops
// after 3 attempts with an error that says so, that nothing is billed and
// how to go on, having deleted every failed instance; once the cause is
// gone, the next up creates the ALB.
func TestALBCreateFailedAttemptsRunOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	seeded := len(e.fc.Snapshot().ALB.LoadBalancers)
	if err := e.fc.SetFaults([]fakecloud.Fault{createFails(0)}); err != nil {
		t.Fatal(err)
	}
	r := e.run("up", "--yes")
	if r.code == 0 {
		t.Fatalf("up with every create failing: exit 0\n%s", r.stdout)
	}
	if n := len(callsOf(r.calls, "CreateLoadBalancer")); n != 3 {
		t.Fatalf("%d CreateLoadBalancer calls, want 3 attempts", n)
	}
	if n := len(callsOf(r.calls, "DeleteLoadBalancer")); n != 3 {
		t.Fatalf("%d DeleteLoadBalancer calls, want each failed instance deleted", n)
	}
	if n := countCalls(r, "CreateListener") + countCalls(r, "AddDomainRecord"); n != 0 {
		t.Fatalf("up went on after the ALB failed: %v", r.writes())
	}
	for _, w := range []string{"CreateFailed", "3 attempts", "not billed", "To fix:", "another zone", "quota"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("the error lacks %q:\n%s", w, r.stderr)
		}
	}
	st := e.fc.Snapshot()
	if n := len(stackALBs(st, "chat")); n != 0 || len(st.ALB.LoadBalancers) != seeded {
		t.Fatalf("after the failed up: %d ALBs of the stack, %d in all (seeded %d); want none left", n, len(st.ALB.LoadBalancers), seeded)
	}
	if err := e.fc.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	e.mustRun("up", "--yes")
	assertOneLiveALB(t, e, seeded)
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan:\n%s", r.stdout)
	}
}

// failedALBOf leaves a stack-owned ALB in CreateFailed as a run that died
// does: up is SIGKILLed while it waits for the ALB it created, and the
// create's job fails. It returns the instance's ID.
func failedALBOf(t *testing.T, e *env) string {
	t.Helper()
	kp := killPoint{name: "wait for the new ALB", product: "alb", action: "GetLoadBalancerAttribute", done: []string{"alb CreateLoadBalancer"}}
	if err := e.fc.SetFaults([]fakecloud.Fault{createFails(1), kp.holdRule(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	p := e.startCLI(t, "up", "--yes", "-f", e.cfg, "--endpoint", e.fc.URL())
	held := waitHeld(t, e.fc, p, kp)
	_ = p.cmd.Process.Kill()
	p.wait(t)
	if err := e.fc.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	id := held.Params["LoadBalancerId"]
	// The job ends Failed at its DoneAt: the next ALB call then sees the
	// instance in CreateFailed.
	var done time.Time
	for _, j := range e.fc.Snapshot().ALB.Jobs {
		if j.ResourceID == id && j.OperateType == "Create" && j.Failure != nil {
			done = j.DoneAt
		}
	}
	if done.IsZero() {
		t.Fatalf("no failing create job for %s", id)
	}
	waitFor(t, "the create job of "+id+" has ended", func() (bool, string) { return false, "" }, func() (bool, string) {
		return time.Now().After(done), "job ends at " + done.String()
	})
	if lbs := stackALBs(e.fc.Snapshot(), "chat"); len(lbs) != 1 || lbs[0].ID != id || id == "" {
		t.Fatalf("after the kill: ALBs %+v, want %q alone", lbs, id)
	}
	return id
}

// TestReRunReplacesCreateFailedALB: a re-run that finds the stack's ALB in
// CreateFailed does not build on it: plan shows it deleted and created
// again (text and JSON goldens, no write), and up does that without asking
// (nothing billed or serving is destroyed).
func TestReRunReplacesCreateFailedALB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(createConfig("true"), "    deletionProtection: true\n", "", 1))
	seeded := len(e.fc.Snapshot().ALB.LoadBalancers)
	failed := failedALBOf(t, e)

	r := e.mustRun("plan")
	if len(r.writes()) != 0 {
		t.Fatalf("plan wrote %v", r.writes())
	}
	golden(t, "create-alb/create-failed.txt", r.stdout)
	r = e.mustRun("plan", "-o", "json")
	if len(r.writes()) != 0 {
		t.Fatalf("plan -o json wrote %v", r.writes())
	}
	golden(t, "create-alb/create-failed.json", r.stdout)
	if st := e.fc.Snapshot(); len(stackALBs(st, "chat")) != 1 || !stackALBs(st, "chat")[0].CreateFailed {
		t.Fatalf("after plan: the stack's ALBs %+v, want the CreateFailed one untouched", stackALBs(st, "chat"))
	}

	// up without --yes: the plan needs no more consent than a create.
	r = e.run("up")
	if r.code != 0 {
		t.Fatalf("up (no --yes): exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	del := callsOf(r.calls, "DeleteLoadBalancer")
	if len(del) != 1 || del[0].Params["LoadBalancerId"] != failed {
		t.Fatalf("deletes %+v, want %s deleted", del, failed)
	}
	if c := callsOf(r.calls, "CreateListener"); len(c) != 1 || c[0].Params["LoadBalancerId"] == failed {
		t.Fatalf("listener creates %+v: want one, not on the failed ALB", c)
	}
	for _, c := range r.calls {
		if c.Status != 200 && c.Write {
			t.Errorf("refused write %s %s (%d %s)", c.Product, c.Action, c.Status, c.Code)
		}
	}
	if lb := assertOneLiveALB(t, e, seeded); lb.ID == failed {
		t.Fatalf("the stack's ALB is still %s", failed)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after up:\n%s", r.stdout)
	}
}

// TestKilledDuringCreateFailedRecoveryConverges: up is SIGKILLed during the
// recovery, after the failed instance was deleted, while the new create is
// in flight; the next up ends with one usable ALB and nothing left behind.
func TestKilledDuringCreateFailedRecoveryConverges(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	seeded := len(e.fc.Snapshot().ALB.LoadBalancers)
	kp := killPoint{name: "the second create", product: "alb", action: "CreateLoadBalancer",
		done: []string{"alb CreateLoadBalancer", "alb DeleteLoadBalancer"}}
	hold := kp.holdRule(time.Hour)
	hold.After = 1
	if err := e.fc.SetFaults([]fakecloud.Fault{createFails(1), hold}); err != nil {
		t.Fatal(err)
	}
	p := e.startCLI(t, "up", "--yes", "-f", e.cfg, "--endpoint", e.fc.URL())
	held := waitHeld(t, e.fc, p, kp)
	_ = p.cmd.Process.Kill()
	p.wait(t)
	// Planned: the ALB, the server group, its servers, the listener, the record and its mark.
	assertLandedMidApply(t, e.fc, p, kp, held, 6)
	if n := len(stackALBs(e.fc.Snapshot(), "chat")); n != 0 {
		t.Fatalf("after the kill: %d ALBs of the stack, want none (the failed one deleted, the next create not run)", n)
	}
	if err := e.fc.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	e.mustRun("up", "--yes")
	assertOneLiveALB(t, e, seeded)
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after the re-run:\n%s", r.stdout)
	}
	e.mustRun("down", "--yes")
	if st := e.fc.Snapshot(); len(stackALBs(st, "chat")) != 0 || len(st.ALB.LoadBalancers) != seeded {
		t.Fatalf("after down: %d ALBs of the stack, %d in all (seeded %d)", len(stackALBs(st, "chat")), len(st.ALB.LoadBalancers), seeded)
	}
}

// TestDownDeletesCreateFailedALB: down on a stack whose ALB is CreateFailed
// (its deletion protection on, the default) deletes it: it is the stack's,
// unusable and not billed.
func TestDownDeletesCreateFailedALB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(createConfig("true"), "    deletionProtection: true\n", "", 1))
	seeded := len(e.fc.Snapshot().ALB.LoadBalancers)
	failed := failedALBOf(t, e)
	r := e.mustRun("down", "--yes")
	if del := callsOf(r.calls, "DeleteLoadBalancer"); len(del) != 1 || del[0].Params["LoadBalancerId"] != failed {
		t.Fatalf("down's deletes %+v, want %s deleted", del, failed)
	}
	st := e.fc.Snapshot()
	if n := len(stackALBs(st, "chat")); n != 0 || len(st.ALB.LoadBalancers) != seeded {
		t.Fatalf("after down: %d ALBs of the stack, %d in all (seeded %d)", n, len(st.ALB.LoadBalancers), seeded)
	}
	if n := ownedAnywhere(st, "chat"); n != 0 {
		t.Fatalf("after down: %d owned resources left", n)
	}
	if r := e.mustRun("down", "--yes"); len(r.writes()) != 0 {
		t.Fatalf("second down wrote %v", r.writes())
	}
}

// TestALBNamedByIDInCreateFailedIsRefused: a file that names by id an ALB
// in CreateFailed fails plan and up before any write, saying why and what
// to do.
func TestALBNamedByIDInCreateFailedIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	failed := failedALBOf(t, e)
	e.write(strings.Replace(stackYAML, "alb: {id: alb-fake01}", "alb: {id: "+failed+"}", 1))
	for _, cmd := range [][]string{{"plan"}, {"up", "--yes"}} {
		r := e.run(cmd...)
		if r.code == 0 || len(r.writes()) != 0 {
			t.Fatalf("%s: exit %d, writes %v; want a refusal before any write\n%s%s", cmd[0], r.code, r.writes(), r.stdout, r.stderr)
		}
		for _, w := range []string{"alb.id", failed, "CreateFailed", "nothing was changed", "To fix:", "alb.create"} {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", cmd[0], w, r.stderr)
			}
		}
	}
}
