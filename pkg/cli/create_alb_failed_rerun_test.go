package cli_test

// alb.create, the cases a re-run meets after a run that died while the
// stack's ALB was in flight: status of a failed ALB; an ALB whose creation
// fails while the re-run waits for it; a failed ALB still being deleted.
// Every assertion reads the fake's state (Snapshot) or request log (Calls).

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	albsdk "github.com/alibabacloud-go/alb-20200616/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// stopClock is the fake's clock: the wall clock, or a moment it is stopped
// at. Stopped, it holds the world before a transition ends (an instance
// still Provisioning or being deleted); resumed, every transition that was
// due has ended. The test moves it on events it reads from the fake's
// request log, never on sleeps.
type stopClock struct{ at atomic.Pointer[time.Time] }

func (c *stopClock) now() time.Time {
	if t := c.at.Load(); t != nil {
		return *t
	}
	return time.Now()
}

// stop stops the clock at the wall clock's now; resume restarts it.
func (c *stopClock) stop() {
	t := time.Now()
	c.at.Store(&t)
}
func (c *stopClock) resume() { c.at.Store(nil) }

// newClockEnv is an env whose fake runs on a stopClock.
func newClockEnv(t *testing.T) (*env, *stopClock) {
	t.Helper()
	clk := &stopClock{}
	return newEnvOptions(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 30 * time.Millisecond, Now: clk.now}), clk
}

// resumeOnNthRead resumes clk, in the background, once the fake has
// answered the n-th GetLoadBalancerAttribute of id since the calls were
// last reset (n counts the run's own reads: its inventory reads once).
func resumeOnNthRead(t *testing.T, e *env, clk *stopClock, id string, n int) {
	t.Helper()
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		for {
			seen := 0
			for _, c := range e.fc.Calls() {
				if c.Action == "GetLoadBalancerAttribute" && c.Params["LoadBalancerId"] == id {
					seen++
				}
			}
			if seen >= n {
				clk.resume()
				return
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond): // the polling interval
			}
		}
	}()
}

// albSDK is the real ALB SDK on the fake, as a user (or another tool) uses it.
func albSDK(t *testing.T, e *env) *albsdk.Client {
	t.Helper()
	c, err := albsdk.NewClient(&openapiutil.Config{
		Endpoint: tea.String(e.fc.Endpoint()), Protocol: tea.String("HTTP"), RegionId: tea.String("cn-hangzhou"),
		AccessKeyId: tea.String("fake-ak"), AccessKeySecret: tea.String("fake-secret"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestReRunWhileFailedALBIsBeingDeleted: a run died after it sent the
// delete of the stack's failed ALB; the re-run lands while that delete is
// still in progress (the instance shows Configuring, its DeleteLoadBalancer
// job Processing). plan does not take it for the stack's ALB: it plans the
// create, saying the instance is being deleted, and writes nothing; up
// creates a new ALB (its create waits until the deleted one is gone when
// its ClientToken answers it) and puts everything on it.
func TestReRunWhileFailedALBIsBeingDeleted(t *testing.T) {
	t.Parallel()
	e, clk := newClockEnv(t)
	e.write(createConfig("false"))
	seeded := len(e.fc.Snapshot().ALB.LoadBalancers)
	failed := failedALBOf(t, e)
	// The delete the dead run had sent, the world held before it ends.
	clk.stop()
	if _, err := albSDK(t, e).DeleteLoadBalancer(&albsdk.DeleteLoadBalancerRequest{LoadBalancerId: tea.String(failed)}); err != nil {
		t.Fatal(err)
	}
	if lbs := stackALBs(e.fc.Snapshot(), "chat"); len(lbs) != 1 || lbs[0].DeletedAt.IsZero() {
		t.Fatalf("the stack's ALBs %+v: want %s alone, being deleted", lbs, failed)
	}

	r := e.mustRun("plan")
	if len(r.writes()) != 0 {
		t.Fatalf("plan wrote %v", r.writes())
	}
	for _, w := range []string{"+ load-balancer chat-alb (new, from alb.create; ALB " + failed + " of the stack is being deleted", "+ listener HTTP:5000"} {
		if !strings.Contains(r.stdout, w) {
			t.Fatalf("plan lacks %q:\n%s", w, r.stdout)
		}
	}

	e.fc.ResetCalls()
	resumeOnNthRead(t, e, clk, failed, 2) // the inventory's read, then one more: the world moves on
	r = e.run("up", "--yes")
	if r.code != 0 {
		t.Fatalf("up while %s is being deleted: exit %d\n%s%s", failed, r.code, r.stdout, r.stderr)
	}
	for _, c := range r.calls {
		if c.Write && c.Status != 200 {
			t.Errorf("refused write %s %s (%d %s)", c.Product, c.Action, c.Status, c.Code)
		}
		if c.Write && c.Params["LoadBalancerId"] == failed {
			t.Errorf("up wrote to the instance being deleted: %s %v", c.Action, c.Params)
		}
	}
	lb := assertOneLiveALB(t, e, seeded)
	if lb.ID == failed {
		t.Fatalf("the stack's ALB is still %s", failed)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after up:\n%s", r.stdout)
	}
}

// TestStatusOfCreateFailedALB: status on a stack whose ALB ended
// CreateFailed says so, that it is not billed and that up deletes it and
// creates it again (text and JSON goldens), and writes nothing.
func TestStatusOfCreateFailedALB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	failed := failedALBOf(t, e)
	r := e.run("status")
	if len(r.writes()) != 0 {
		t.Fatalf("status wrote %v", r.writes())
	}
	want := "creation failed (CreateFailed, not billed): `wsdeploy up` deletes it and creates it again"
	if !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, failed) {
		t.Fatalf("status lacks %q and %s:\n%s%s", want, failed, r.stdout, r.stderr)
	}
	goldenAt(t, "status/alb-create-failed.txt", r.stdout)
	r = e.run("status", "-o", "json")
	if len(r.writes()) != 0 {
		t.Fatalf("status -o json wrote %v", r.writes())
	}
	if !strings.Contains(r.stdout, `"status": "CreateFailed"`) || !strings.Contains(r.stdout, `"failed": [`) {
		t.Fatalf("status -o json lacks the failed ALB:\n%s", r.stdout)
	}
	goldenAt(t, "status/alb-create-failed.json", r.stdout)
}

// TestReRunRecoversALBThatFailsWhileItWaits: a run was killed while it
// waited for the ALB it created; the re-run finds that ALB still
// Provisioning, and while the re-run waits for it, its create job fails
// (CreateFailed). The re-run recovers in the run as a create does: it
// deletes the failed instance, creates the ALB again with the next
// ClientToken of the create's chain (saying so), and puts everything on
// the new ALB. plan shows the wait, the record's value known after apply.
func TestReRunRecoversALBThatFailsWhileItWaits(t *testing.T) {
	t.Parallel()
	e, clk := newClockEnv(t)
	e.write(createConfig("false"))
	seeded := len(e.fc.Snapshot().ALB.LoadBalancers)
	// The world is held before the create job ends: the killed run's ALB
	// stays Provisioning, its job (to fail) Processing.
	clk.stop()
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
	first := held.Params["LoadBalancerId"]
	killedCreate := callsOf(e.fc.Calls(), "CreateLoadBalancer")
	if len(killedCreate) != 1 || killedCreate[0].Params["ClientToken"] == "" {
		t.Fatalf("the killed run's creates %+v, want one with a ClientToken", killedCreate)
	}
	if lbs := stackALBs(e.fc.Snapshot(), "chat"); len(lbs) != 1 || lbs[0].ID != first || lbs[0].CreateFailed {
		t.Fatalf("after the kill: the stack's ALBs %+v, want %q alone, not yet failed", lbs, first)
	}

	r := e.mustRun("plan")
	if len(r.writes()) != 0 {
		t.Fatalf("plan wrote %v", r.writes())
	}
	for _, w := range []string{"~ load-balancer chat-alb (" + first + ") (created by an interrupted run: wait until it is Active (if its creation fails: deleted and created again))",
		"value  (known after apply)"} {
		if !strings.Contains(r.stdout, w) {
			t.Fatalf("plan lacks %q:\n%s", w, r.stdout)
		}
	}

	e.fc.ResetCalls()
	resumeOnNthRead(t, e, clk, first, 2) // the inventory's read, then the wait's: the job then ends Failed
	r = e.run("up", "--yes")
	if r.code != 0 {
		t.Fatalf("up on an ALB whose creation fails while it waits: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	del := callsOf(r.calls, "DeleteLoadBalancer")
	creates := callsOf(r.calls, "CreateLoadBalancer")
	if len(del) != 1 || del[0].Params["LoadBalancerId"] != first {
		t.Fatalf("deletes %+v, want %s deleted", del, first)
	}
	if len(creates) == 0 || creates[len(creates)-1].Params["ClientToken"] == "" || creates[len(creates)-1].Params["ClientToken"] == killedCreate[0].Params["ClientToken"] {
		t.Fatalf("CreateLoadBalancer calls %+v: want the ALB created again with another ClientToken", creates)
	}
	for _, c := range r.calls {
		if c.Write && c.Status != 200 {
			t.Errorf("refused write %s %s (%d %s)", c.Product, c.Action, c.Status, c.Code)
		}
	}
	if out := r.stdout + r.stderr; !strings.Contains(out, "ALB creation failed (CreateFailed, not billed); deleted it, creating again (attempt 2 of 3)") {
		t.Fatalf("up's output lacks the recovery line:\n%s", out)
	}
	if lb := assertOneLiveALB(t, e, seeded); lb.ID == first {
		t.Fatalf("the stack's ALB is still %s", first)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after up:\n%s", r.stdout)
	}
}
