package cli_test

// status in the odd states a stopped run or the cloud leaves the stack's
// load balancer in: an interrupted replacement (two carry the stack's tag),
// two that carry it where neither matches the file, the only one being
// deleted, one still being created. Each is put in that state by the real
// flows (a run killed at a held call) where they reach it; each status is
// checked against the fake's own state (Snapshot) and makes no write.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	albsdk "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// statusLB is the lb object of `status -o json`, as a user's script reads it.
type statusLB struct {
	ID          string   `json:"id"`
	Status      string   `json:"status"`
	State       string   `json:"state"`
	Deleting    []string `json:"deleting"`
	Replacement *struct {
		New, Old struct {
			ID          string `json:"id"`
			MatchesFile bool   `json:"matchesFile"`
			Listeners   *int   `json:"listeners"`
		}
	} `json:"replacement"`
	Tagged []struct {
		ID          string `json:"id"`
		MatchesFile bool   `json:"matchesFile"`
	} `json:"tagged"`
}

// readStatus runs status (text, then -o json), checks that neither
// writes, compares both with the goldens status/<name>.{txt,json} and
// returns the text and the JSON's lb.
func readStatus(t *testing.T, e *env, name string) (string, statusLB) {
	t.Helper()
	r := e.run("status")
	if len(r.writes()) != 0 || r.stderr != "" {
		t.Fatalf("status: exit %d, writes %v\n%s%s", r.code, r.writes(), r.stdout, r.stderr)
	}
	text := r.stdout
	goldenAt(t, "status/"+name+".txt", text)
	r = e.run("status", "-o", "json")
	if len(r.writes()) != 0 || r.stderr != "" {
		t.Fatalf("status -o json: exit %d, writes %v\n%s%s", r.code, r.writes(), r.stdout, r.stderr)
	}
	goldenAt(t, "status/"+name+".json", r.stdout)
	var rep struct{ LB statusLB }
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("status -o json: %v\n%s", err, r.stdout)
	}
	return text, rep.LB
}

// killWhileAllHeld runs `wsdeploy <command> --yes` with each of calls
// ("product Action") held by a fault, SIGKILLs it once exactly those calls
// are in flight (the run can go no further), and returns once the fake has
// logged each as cancelled (it never ran) and the faults are cleared. What
// the run did is then the same on every run, whatever the order of its
// parallel steps.
func killWhileAllHeld(t *testing.T, e *env, command string, calls ...string) {
	t.Helper()
	var faults []fakecloud.Fault
	for _, c := range calls {
		product, action, _ := strings.Cut(c, " ")
		faults = append(faults, fakecloud.Fault{Name: "hold " + c, Product: product, Action: action, Times: 1, Delay: time.Hour})
	}
	if err := e.fc.SetFaults(faults); err != nil {
		t.Fatal(err)
	}
	p := e.startCLI(t, command, "--yes", "-f", e.cfg, "--endpoint", e.fc.URL())
	want := slices.Sorted(slices.Values(calls))
	var held []fakecloud.Call
	poll(t, p, true, strings.Join(want, " and ")+" held", func() (bool, string) {
		in := e.fc.InFlight()
		var got []string
		for _, c := range in {
			got = append(got, c.Product+" "+c.Action)
		}
		slices.Sort(got)
		held = in
		return slices.Equal(got, want), fmt.Sprintf("in flight %v, done %v", got, okWriteSet(e.fc.Calls()))
	})
	_ = p.cmd.Process.Kill() // SIGKILL: no chance to clean up
	p.wait(t)
	poll(t, p, false, "the held calls are answered", func() (bool, string) {
		calls := e.fc.Calls()
		for _, h := range held {
			i := slices.IndexFunc(calls, func(c fakecloud.Call) bool { return c.RequestID == h.RequestID })
			if i < 0 || !calls[i].Canceled || calls[i].Status != 0 {
				return false, fmt.Sprintf("%d calls logged", len(calls))
			}
		}
		return true, ""
	})
	if err := e.fc.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
}

// wantLines fails unless text holds every line of want.
func wantLines(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("status lacks %q:\n%s", w, text)
		}
	}
}

// TestStatusOfInterruptedReplacement: after `up` was killed between the new
// load balancer's create and the old one's deletion, status shows both:
// which is the new one (it matches the file) and which the old one, that
// both may be billing, and the next step (up finishes, down refuses until
// then), in text and as lb.state / lb.replacement in JSON. With a file that
// neither matches, it says so (state duplicates) with the planner's To fix.
func TestStatusOfInterruptedReplacement(t *testing.T) {
	t.Parallel()
	for _, rc := range []replaceCase{albReplaceCase(), clbReplaceCase()} {
		t.Run(rc.lb, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(rc.before)
			e.mustRun("up", "--yes")
			old := rc.lbs(e.fc.Snapshot())[0]
			e.write(rc.after)
			// Killed once the new one's first call is sent: the new one
			// has nothing on it, the record is still on the old one (it
			// moves once the new one serves).
			held := "alb CreateListener"
			if rc.lb == "clb" {
				held = "slb CreateVServerGroup"
			}
			killWhileAllHeld(t, e, "up", held)
			st := e.fc.Snapshot()
			ids := rc.lbs(st)
			if len(ids) != 2 {
				t.Fatalf("after the kill: the stack's load balancers %v, want two", ids)
			}
			newID := ids[0]
			if newID == old {
				newID = ids[1]
			}
			if !rc.matchesAfter(st, newID) || rc.matchesAfter(st, old) {
				t.Fatalf("%s should have the file's settings, %s the old ones", newID, old)
			}
			oldListeners := 0
			for _, id := range rc.on(st) {
				if id == old {
					oldListeners++
				}
			}
			if rc.lb == "clb" {
				oldListeners-- // rc.on lists the old CLB's vServer group too
			}

			text, lb := readStatus(t, e, rc.lb+"-replacement-interrupted")
			kind := strings.ToUpper(rc.lb)
			wantLines(t, text,
				"a replacement was interrupted: two "+kind+"s carry the stack's tag, and both may be billing",
				"new "+newID+" (",
				"): matches wsdeploy.yaml; it is the one shown below",
				"old "+old+" (",
				"): does not match wsdeploy.yaml; 1 listener(s) still on it",
				"Next: `wsdeploy up` finishes the replacement (everything onto "+newID+", the record too, then deletes "+old+"); `wsdeploy down` refuses until then",
				"): points at the OLD load balancer "+old+" (`wsdeploy up` moves it to "+newID+")")
			if rec := ownedRecord(t, st, "chat"); rec.Value != rc.target(st, old) {
				t.Fatalf("the record → %q, want still the old %s's %q", rec.Value, old, rc.target(st, old))
			}
			rp := lb.Replacement
			if lb.State != "replacement-interrupted" || lb.ID != newID || rp == nil || rp.New.ID != newID || !rp.New.MatchesFile ||
				rp.Old.ID != old || rp.Old.MatchesFile || rp.Old.Listeners == nil || *rp.Old.Listeners != oldListeners {
				t.Fatalf("status -o json lb %+v (replacement %+v), want state replacement-interrupted, new %s, old %s with %d listener(s)", lb, rp, newID, old, oldListeners)
			}

			// A file neither matches: which one is the stack's cannot be
			// told; status says so, and how to get back to one.
			third := strings.Replace(rc.after, "addressType: Intranet", "addressType: Internet", 1)
			third = strings.Replace(third, "edition: Standard", "edition: Basic", 1)
			third = strings.Replace(third, "addressType: internet", "addressType: intranet", 1)
			e.write(third)
			if st := e.fc.Snapshot(); rc.matchesAfter(st, newID) && third == rc.after {
				t.Fatal("the third file is the second")
			}
			text, lb = readStatus(t, e, rc.lb+"-duplicates")
			wantLines(t, text,
				"! 2 "+kind+"s carry the stack's tag, where it has one, and all may be billing: ",
				"`wsdeploy up` and `wsdeploy down` refuse until one is left (To fix under Drift)",
				"none matches "+rc.lb+".create",
				"  To fix: keep one: delete all but one of ")
			if lb.State != "duplicates" || len(lb.Tagged) != 2 || lb.Tagged[0].MatchesFile || lb.Tagged[1].MatchesFile ||
				!strings.Contains(old+" "+newID, lb.Tagged[0].ID) || !strings.Contains(old+" "+newID, lb.Tagged[1].ID) {
				t.Fatalf("status -o json lb %+v, want state duplicates, %s and %s tagged, neither matching", lb, old, newID)
			}
		})
	}
}

// TestStatusWhileALBIsBeingDeleted: `down` was stopped once it had sent the
// delete of the stack's only ALB, which shows Configuring while its
// DeleteLoadBalancer job runs. status says it is being deleted (not billed,
// it goes by itself) and that up now would create a new one; not "not
// created yet".
func TestStatusWhileALBIsBeingDeleted(t *testing.T) {
	t.Parallel()
	e, clk := newClockEnv(t)
	e.write(createConfig("false"))
	e.mustRun("up", "--yes")
	id := stackALBs(e.fc.Snapshot(), "chat")[0].ID
	killWhileAllHeld(t, e, "down", "alb DeleteLoadBalancer")
	// The delete the stopped run had sent, the world held before its job ends.
	clk.stop()
	if _, err := albSDK(t, e).DeleteLoadBalancer(&albsdk.DeleteLoadBalancerRequest{LoadBalancerId: tea.String(id)}); err != nil {
		t.Fatal(err)
	}
	if lbs := stackALBs(e.fc.Snapshot(), "chat"); len(lbs) != 1 || lbs[0].ID != id || lbs[0].DeletedAt.IsZero() {
		t.Fatalf("the stack's ALBs %+v: want %s alone, being deleted", lbs, id)
	}
	if n := countOwned(e.fc.Snapshot(), "chat"); n["listener"] != 0 || n["record"] != 0 {
		t.Fatalf("after the stopped down: %v", n)
	}

	text, lb := readStatus(t, e, "alb-deleting")
	wantLines(t, text,
		"being deleted (ALB "+id+": its delete is still running; not billed, it goes by itself)",
		"`wsdeploy up` now would create a new ALB")
	if strings.Contains(text, "not created yet") {
		t.Errorf("status says not created yet:\n%s", text)
	}
	if lb.State != "deleting" || lb.ID != "" || len(lb.Deleting) != 1 || lb.Deleting[0] != id {
		t.Fatalf("status -o json lb %+v, want state deleting, deleting [%s]", lb, id)
	}
}

// TestStatusOfALBBeingCreated: up was killed while it waited for the ALB
// it created (still Provisioning): status says it is still being created
// and that up waits until it is Active.
func TestStatusOfALBBeingCreated(t *testing.T) {
	t.Parallel()
	e, clk := newClockEnv(t)
	e.write(createConfig("false"))
	clk.stop() // the world held before the create job ends
	kp := killPoint{name: "wait for the new ALB", product: "alb", action: "GetLoadBalancerAttribute", done: []string{"alb CreateLoadBalancer"}}
	if err := e.fc.SetFaults([]fakecloud.Fault{kp.holdRule(time.Hour)}); err != nil {
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
	if lbs := stackALBs(e.fc.Snapshot(), "chat"); len(lbs) != 1 || lbs[0].ID != id || !liveALB(lbs[0]) {
		t.Fatalf("after the kill: the stack's ALBs %+v, want %s alone", lbs, id)
	}
	text, lb := readStatus(t, e, "alb-provisioning")
	wantLines(t, text, "in cn-hangzhou: Provisioning: still being created; `wsdeploy up` waits until it is Active, then puts the stack on it")
	if lb.State != "provisioning" || lb.ID != id || lb.Status != "Provisioning" {
		t.Fatalf("status -o json lb %+v, want %s in state provisioning", lb, id)
	}
}

// TestStatusOfCLBBeingCreated: up was killed right after its CLB's create
// was answered, and the new CLB is still inactive (as a new one is for a
// moment; the fake answers active at once, so the control API sets it):
// status says it does not serve yet and what to do.
func TestStatusOfCLBBeingCreated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createCLBConfig("payType: PayByCLCU, deletionProtection: false"))
	killWhileAllHeld(t, e, "up", "slb CreateVServerGroup")
	lbs := stackCLBs(e.fc.Snapshot(), "chat")
	if len(lbs) != 1 {
		t.Fatalf("after the kill: the stack's CLBs %+v, want one", lbs)
	}
	id := lbs[0].ID
	if err := e.fc.Update(func(st *fakecloud.State) error {
		for _, lb := range st.CLB.LoadBalancers {
			if lb.ID == id {
				lb.Status = "inactive"
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	text, lb := readStatus(t, e, "clb-inactive")
	wantLines(t, text,
		"in cn-hangzhou: inactive: it does not serve; a new CLB is inactive for a moment after its create (`wsdeploy up` waits for it)",
		"created by an interrupted run: wait until it is Active")
	if lb.State != "inactive" || lb.ID != id {
		t.Fatalf("status -o json lb %+v, want %s in state inactive", lb, id)
	}
}
