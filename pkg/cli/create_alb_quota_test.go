package cli_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	albsdk "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// resumeAfterQuotaRefusal resumes clk, in the background, once the fake
// has refused a CreateLoadBalancer for the quota and then seen a call that
// after says is the one to wait for (since the calls were last reset).
func resumeAfterQuotaRefusal(t *testing.T, e *env, clk *stopClock, after func(c fakecloud.Call, inFlight bool) bool) {
	t.Helper()
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		for {
			calls := e.fc.Calls()
			i := slices.IndexFunc(calls, func(c fakecloud.Call) bool {
				return c.Action == "CreateLoadBalancer" && strings.HasPrefix(c.Code, "QuotaExceeded")
			})
			if i >= 0 && (slices.ContainsFunc(calls[i+1:], func(c fakecloud.Call) bool { return after(c, false) }) ||
				slices.ContainsFunc(e.fc.InFlight(), func(c fakecloud.Call) bool { return after(c, true) })) {
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

// quotaEnv is a stack whose ALB `up` created and `down --keep-lb` left,
// with the account at its ALB quota, and the delete of that ALB sent while
// the fake's clock is stopped (it stays being deleted until the clock
// resumes). The file then renames the ALB, so the next create's ClientToken
// is new and no token hands back the old instance. It returns the old ALB's
// ID and how many ALBs the world had besides it.
func quotaEnv(t *testing.T) (e *env, clk *stopClock, old string, others int) {
	e, clk = newClockEnv(t)
	e.write(createConfig("false"))
	e.mustRun("up", "--yes")
	lbs := stackALBs(e.fc.Snapshot(), "chat")
	if len(lbs) != 1 {
		t.Fatalf("%d ALBs of the stack after up, want 1", len(lbs))
	}
	old = lbs[0].ID
	e.mustRun("down", "--yes", "--keep-lb")
	e.arrange(func(st *fakecloud.State) error {
		st.Quotas.ALBInstances = len(st.ALB.LoadBalancers) // the account is at its quota
		return nil
	})
	others = len(e.fc.Snapshot().ALB.LoadBalancers) - 1
	clk.stop()
	if _, err := albSDK(t, e).DeleteLoadBalancer(&albsdk.DeleteLoadBalancerRequest{LoadBalancerId: tea.String(old)}); err != nil {
		t.Fatal(err)
	}
	e.write(strings.Replace(createConfig("false"), "name: chat-alb", "name: chat-alb-2", 1))
	return e, clk, old, others
}

// checkQuotaUp checks an up of quotaEnv: it succeeded, its creates were
// the quota refusal and then one that worked, it wrote nothing to the old
// ALB, it said notice, and the stack is on one new ALB; a plan then finds
// nothing to do.
func checkQuotaUp(t *testing.T, e *env, r result, old string, others int, notice string) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("up at the quota while %s is being deleted: exit %d, want 0\n%s%s", old, r.code, r.stdout, r.stderr)
	}
	var creates []string
	for _, c := range r.calls {
		if c.Action == "CreateLoadBalancer" {
			creates = append(creates, fmt.Sprintf("%d %s", c.Status, c.Code))
		}
		if c.Write && c.Params["LoadBalancerId"] == old {
			t.Errorf("up wrote to the instance being deleted: %s %v", c.Action, c.Params)
		}
	}
	if !slices.Equal(creates, []string{"400 QuotaExceeded.LoadBalancersNum", "200 "}) {
		t.Fatalf("CreateLoadBalancer answers %q, want the quota refusal, then the create once more", creates)
	}
	if !strings.Contains(r.stderr, notice) {
		t.Errorf("up does not say why it creates again (%q):\n%s", notice, r.stderr)
	}
	lb := assertOneLiveALB(t, e, others)
	if lb.ID == old || lb.Name != "chat-alb-2" {
		t.Fatalf("the stack's ALB is %s (%s), want a new one named chat-alb-2", lb.ID, lb.Name)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after up:\n%s", r.stdout)
	}
}

// TestUpWhileTheStacksALBIsBeingDeletedAtTheQuota: the account is at its
// ALB instance quota, one of its instances being the stack's old ALB, which
// is being deleted and still counts until it is gone (quotaEnv). `up` is
// refused for the quota: it must see that the stack's ALB is being deleted,
// say so, wait until it is gone (the clock moves on once the run has read
// the old ALB's delete job after the refusal), send the create once more
// and finish the stack on the new ALB.
func TestUpWhileTheStacksALBIsBeingDeletedAtTheQuota(t *testing.T) {
	t.Parallel()
	e, clk, old, others := quotaEnv(t)
	e.fc.ResetCalls()
	resumeAfterQuotaRefusal(t, e, clk, func(c fakecloud.Call, inFlight bool) bool {
		return !inFlight && c.Action == "ListAsynJobs" && c.Status == 200
	})
	r := e.run("up", "--yes")
	checkQuotaUp(t, e, r, old, others,
		"the account's ALB quota is full, and "+old+" of the stack, being deleted, still counts against it: waiting until it is gone, then creating again")
}

// TestUpAfterTheStacksALBWentAtTheQuota: the same, but the old ALB's
// deletion ends between the quota refusal and the run's look at the
// stack's ALBs (the fake holds that look while the clock moves on): the
// look finds nothing being deleted, but the ALB the plan saw being deleted
// has gone since, so the quota may have room: `up` says so and sends the
// create once more at once.
func TestUpAfterTheStacksALBWentAtTheQuota(t *testing.T) {
	t.Parallel()
	e, clk, old, others := quotaEnv(t)
	e.fc.ResetCalls()
	if r := e.run("plan"); len(r.writes()) != 0 {
		t.Fatalf("plan wrote %v", r.writes())
	}
	inventoryLists := 0
	for _, c := range e.fc.Calls() {
		if c.Action == "ListLoadBalancers" {
			inventoryLists++
		}
	}
	if err := e.fc.SetFaults([]fakecloud.Fault{{Name: "hold the look after the refusal", Product: "alb", Action: "ListLoadBalancers",
		After: inventoryLists, Times: 1, Delay: 3 * time.Second}}); err != nil {
		t.Fatal(err)
	}
	e.fc.ResetCalls()
	resumeAfterQuotaRefusal(t, e, clk, func(c fakecloud.Call, inFlight bool) bool {
		return c.Action == "ListLoadBalancers"
	})
	r := e.run("up", "--yes")
	checkQuotaUp(t, e, r, old, others,
		"the account's ALB quota was full while "+old+" of the stack was being deleted; it is gone now: creating again")
}

// TestUpAtTheALBQuotaWithNothingOfTheStackGoing: at the quota with no
// instance of the stack being deleted, the quota refusal stands as it is:
// one create, no wait, QuotaExceeded with its To fix:, and nothing created.
func TestUpAtTheALBQuotaWithNothingOfTheStackGoing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	e.arrange(func(st *fakecloud.State) error {
		st.Quotas.ALBInstances = len(st.ALB.LoadBalancers)
		return nil
	})
	r := e.run("up", "--yes")
	if r.code == 0 {
		t.Fatalf("up over the quota succeeded:\n%s", r.stderr)
	}
	if n := countCalls(r, "CreateLoadBalancer"); n != 1 {
		t.Errorf("%d CreateLoadBalancer calls, want 1", n)
	}
	for _, w := range []string{"QuotaExceeded.LoadBalancersNum", "To fix: the account has reached a quota for alb: delete load balancers or resources it no longer needs, or raise the quota in the Quota Center console"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("output lacks %q:\n%s", w, r.stderr)
		}
	}
	// The hint names the command to run again once: the engine's line.
	if fix := toFixLine(r.stderr); strings.Count(fix, " again") != 1 || !strings.Contains(fix, "then run `wsdeploy up") {
		t.Errorf("To fix: should say once to run `wsdeploy up` again: %q", fix)
	}
	if strings.Contains(r.stderr, "waiting until it is gone") {
		t.Errorf("up waited with nothing of the stack being deleted:\n%s", r.stderr)
	}
	if lbs := stackALBs(e.fc.Snapshot(), "chat"); len(lbs) != 0 {
		t.Fatalf("%d ALBs of the stack, want none", len(lbs))
	}
}

// toFixLine is the line of out that starts with "To fix:" ("" if none).
func toFixLine(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "To fix:") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
