package fakecloud

// ALB UpdateLoadBalancerEdition through the real SDK over HTTP.

import (
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// newEditionALB creates an instance of edition, without deletion
// protection, and waits until it is Active.
func newEditionALB(t *testing.T, c *alb.Client, clock *testClock, edition string) string {
	t.Helper()
	req := albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-i")
	req.LoadBalancerEdition, req.DeletionProtectionEnabled = tea.String(edition), nil
	out, err := c.CreateLoadBalancer(req)
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)
	return tea.StringValue(out.Body.LoadBalancerId)
}

func editionReq(id, edition, token string) *alb.UpdateLoadBalancerEditionRequest {
	req := &alb.UpdateLoadBalancerEditionRequest{LoadBalancerId: tea.String(id), LoadBalancerEdition: tea.String(edition)}
	if token != "" {
		req.ClientToken = tea.String(token)
	}
	return req
}

// TestALBUpdateLoadBalancerEdition: Basic → Standard is asynchronous (the
// instance Configuring, still answering Basic, until the change is done);
// DryRun checks without changing; a ClientToken replays; downgrades and
// Standard → StandardWithWaf are refused; StandardWithWaf → Standard works.
func TestALBUpdateLoadBalancerEdition(t *testing.T) {
	clock := &testClock{now: time.Now()}
	ts, c := newALBClient(t, Options{AsyncDuration: albTestAsync, Now: clock.Now})
	attr := func(id string) *alb.GetLoadBalancerAttributeResponseBody {
		t.Helper()
		a, err := c.GetLoadBalancerAttribute(&alb.GetLoadBalancerAttributeRequest{LoadBalancerId: tea.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		return a.Body
	}
	want := func(id, status, edition string) {
		t.Helper()
		b := attr(id)
		if s, e := tea.StringValue(b.LoadBalancerStatus), tea.StringValue(b.LoadBalancerEdition); s != status || e != edition {
			t.Fatalf("%s: %s %s, want %s %s", id, s, e, status, edition)
		}
	}
	id := newEditionALB(t, c, clock, "Basic")

	dry := editionReq(id, "Standard", "")
	dry.DryRun = tea.Bool(true)
	_, err := c.UpdateLoadBalancerEdition(dry)
	wantSDKError(t, err, 400, "DryRunOperation")
	want(id, "Active", "Basic")
	_, err = c.UpdateLoadBalancerEdition(&alb.UpdateLoadBalancerEditionRequest{LoadBalancerId: tea.String(id)})
	wantSDKError(t, err, 400, "MissingParameter")

	jobs := len(ts.Snapshot().ALB.Jobs)
	out, err := c.UpdateLoadBalancerEdition(editionReq(id, "Standard", "up-1"))
	if err != nil || tea.StringValue(out.Body.RequestId) == "" {
		t.Fatalf("upgrade: %v %v", out, err)
	}
	want(id, "Configuring", "Basic")
	_, err = c.UpdateLoadBalancerEdition(editionReq(id, "Standard", "up-1"))
	wantSDKError(t, err, 400, "IdempotenceProcessing")
	_, err = c.UpdateLoadBalancerEdition(editionReq(id, "StandardWithWaf", "up-2"))
	wantSDKError(t, err, 400, "IncorrectStatus.LoadBalancer")
	clock.Add(albTestAsync)
	want(id, "Active", "Standard")
	if snap := ts.Snapshot(); snap.ALB.loadBalancer(id).Edition != "Standard" || snap.ALB.loadBalancer(id).EditionTo != "" {
		t.Fatalf("state after the upgrade: %+v", snap.ALB.loadBalancer(id))
	}
	// The same token once done: the same answer, no second change.
	if _, err := c.UpdateLoadBalancerEdition(editionReq(id, "Standard", "up-1")); err != nil {
		t.Fatalf("replay: %v", err)
	}
	if n := len(ts.Snapshot().ALB.Jobs); n != jobs+1 {
		t.Fatalf("%d jobs after upgrade and replay, want %d", n, jobs+1)
	}
	want(id, "Active", "Standard")

	for _, to := range []string{"Basic", "StandardWithWaf", "Standard"} {
		_, err = c.UpdateLoadBalancerEdition(editionReq(id, to, ""))
		wantSDKError(t, err, 400, "OperationDenied.LoadBalancerEdition")
	}
	_, err = c.UpdateLoadBalancerEdition(editionReq("alb-nope", "Standard", ""))
	wantSDKError(t, err, 404, "ResourceNotFound.LoadBalancer")

	waf := newEditionALB(t, c, clock, "StandardWithWaf")
	_, err = c.UpdateLoadBalancerEdition(editionReq(waf, "Basic", ""))
	wantSDKError(t, err, 400, "OperationDenied.LoadBalancerEdition")
	if _, err := c.UpdateLoadBalancerEdition(editionReq(waf, "Standard", "")); err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)
	want(waf, "Active", "Standard")

	basic := newEditionALB(t, c, clock, "Basic")
	if _, err := c.UpdateLoadBalancerEdition(editionReq(basic, "StandardWithWaf", "")); err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)
	want(basic, "Active", "StandardWithWaf")
}

// TestALBUpdateLoadBalancerEditionJobFails: when the change fails in the
// background, the instance is back Active with its old edition.
func TestALBUpdateLoadBalancerEditionJobFails(t *testing.T) {
	clock := &testClock{now: time.Now()}
	ts, c := newALBClient(t, Options{AsyncDuration: albTestAsync, Now: clock.Now,
		Faults: []Fault{{Product: "alb", Action: "UpdateLoadBalancerEdition", JobFails: true, Code: "InternalError"}}})
	id := newEditionALB(t, c, clock, "Basic")
	if _, err := c.UpdateLoadBalancerEdition(editionReq(id, "Standard", "")); err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)
	a, err := c.GetLoadBalancerAttribute(&alb.GetLoadBalancerAttributeRequest{LoadBalancerId: tea.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if s, e := tea.StringValue(a.Body.LoadBalancerStatus), tea.StringValue(a.Body.LoadBalancerEdition); s != "Active" || e != "Basic" {
		t.Fatalf("after a failed change: %s %s, want Active Basic", s, e)
	}
	if snap := ts.Snapshot(); snap.ALB.loadBalancer(id).Edition != "Basic" || snap.ALB.loadBalancer(id).EditionTo != "" {
		t.Fatalf("state after a failed change: %+v", snap.ALB.loadBalancer(id))
	}
}
