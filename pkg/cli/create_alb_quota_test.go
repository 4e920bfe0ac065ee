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

// resumeOnQuotaRefusal resumes clk, in the background, once the fake has
// refused a CreateLoadBalancer for the quota (since the calls were last
// reset).
func resumeOnQuotaRefusal(t *testing.T, e *env, clk *stopClock) {
	t.Helper()
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		for {
			if slices.ContainsFunc(e.fc.Calls(), func(c fakecloud.Call) bool {
				return c.Action == "CreateLoadBalancer" && strings.HasPrefix(c.Code, "QuotaExceeded")
			}) {
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

// TestUpWhileTheStacksALBIsBeingDeletedAtTheQuota: the account is at its
// ALB instance quota, one of its instances being the stack's old ALB, which
// a `down` deleted a moment ago and which still counts until it is gone
// (the fake's clock holds the deletion until the test moves it on). `up`
// (the file renamed the ALB, so the create's ClientToken is new and no
// token hands back the old instance) is refused for the quota: it must
// wait, with progress, until the old ALB is gone (the clock moves on once
// the fake has refused the create), send the create once more, and finish
// the stack on the new ALB, writing nothing to the old one.
func TestUpWhileTheStacksALBIsBeingDeletedAtTheQuota(t *testing.T) {
	t.Parallel()
	e, clk := newClockEnv(t)
	e.write(createConfig("false"))
	e.mustRun("up", "--yes")
	lbs := stackALBs(e.fc.Snapshot(), "chat")
	if len(lbs) != 1 {
		t.Fatalf("%d ALBs of the stack after up, want 1", len(lbs))
	}
	old := lbs[0].ID
	e.mustRun("down", "--yes", "--keep-lb")
	e.arrange(func(st *fakecloud.State) error {
		st.Quotas.ALBInstances = len(st.ALB.LoadBalancers) // the account is at its quota
		return nil
	})
	seeded := len(e.fc.Snapshot().ALB.LoadBalancers) - 1
	// The delete `down` sent, the world held before it ends.
	clk.stop()
	if _, err := albSDK(t, e).DeleteLoadBalancer(&albsdk.DeleteLoadBalancerRequest{LoadBalancerId: tea.String(old)}); err != nil {
		t.Fatal(err)
	}
	e.write(strings.Replace(createConfig("false"), "name: chat-alb", "name: chat-alb-2", 1))
	e.fc.ResetCalls()
	resumeOnQuotaRefusal(t, e, clk)
	r := e.run("up", "--yes")
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
		t.Fatalf("CreateLoadBalancer answers %q, want the quota refusal, then the create after the wait", creates)
	}
	want := "the account's ALB quota is full, and " + old + " of the stack, being deleted, still counts against it: waiting until it is gone, then creating again"
	if !strings.Contains(r.stderr, want) {
		t.Errorf("up does not say why it waits (%q):\n%s", want, r.stderr)
	}
	lb := assertOneLiveALB(t, e, seeded)
	if lb.ID == old || lb.Name != "chat-alb-2" {
		t.Fatalf("the stack's ALB is %s (%s), want a new one named chat-alb-2", lb.ID, lb.Name)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after up:\n%s", r.stdout)
	}
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
	if strings.Contains(r.stderr, "waiting until it is gone") {
		t.Errorf("up waited with nothing of the stack being deleted:\n%s", r.stderr)
	}
	if lbs := stackALBs(e.fc.Snapshot(), "chat"); len(lbs) != 0 {
		t.Fatalf("%d ALBs of the stack, want none", len(lbs))
	}
}
