package fakecloud

// Load balancer quotas and failed ALB creates, through the real SDKs.

import (
	"slices"
	"strings"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

func TestSeedQuotasDefaults(t *testing.T) {
	ts := NewTestServer(t, Options{})
	q := ts.Snapshot().Quotas
	// The documented per-region defaults: alb_quota_loadbalancers_num 60
	// (150 at most), slb_quota_instances_num 60.
	if q.ALBInstances != 60 || q.CLBInstances != 60 {
		t.Fatalf("default quotas: %+v, want 60 ALB and 60 CLB instances", q)
	}
	seed := DemoSeed()
	seed.Quotas = &SeedQuotas{ALBInstances: -1}
	if _, err := New(Options{Seed: seed}); err == nil || !strings.Contains(err.Error(), "albInstances") {
		t.Fatalf("negative quota: %v", err)
	}
}

// TestALBCreateLoadBalancerQuota: with the quota reached, CreateLoadBalancer
// answers QuotaExceeded and creates nothing; deleting one makes room.
func TestALBCreateLoadBalancerQuota(t *testing.T) {
	clock := &testClock{now: time.Now()}
	seed := DemoSeed()
	seeded := len(seed.ALBs)
	seed.Quotas = &SeedQuotas{ALBInstances: seeded + 1}
	ts, c := newALBClient(t, Options{Seed: seed, AsyncDuration: albTestAsync, Now: clock.Now})
	req := albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-i")
	req.DeletionProtectionEnabled = nil
	out, err := c.CreateLoadBalancer(req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateLoadBalancer(req)
	wantSDKError(t, err, 400, "QuotaExceeded.LoadBalancersNum")
	if n := len(ts.Snapshot().ALB.LoadBalancers); n != seeded+1 {
		t.Fatalf("%d ALBs, want %d", n, seeded+1)
	}
	clock.Add(albTestAsync)
	if _, err := c.DeleteLoadBalancer(&alb.DeleteLoadBalancerRequest{LoadBalancerId: out.Body.LoadBalancerId}); err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)
	if _, err := c.CreateLoadBalancer(req); err != nil {
		t.Fatalf("after a delete: %v", err)
	}
}

func TestCLBCreateLoadBalancerQuota(t *testing.T) {
	seed := DemoSeed()
	seeded := len(seed.CLBs)
	seed.Quotas = &SeedQuotas{CLBInstances: seeded + 1}
	ts := NewTestServer(t, Options{Seed: seed})
	c, err := slb.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	req := &slb.CreateLoadBalancerRequest{RegionId: tea.String("cn-hangzhou"), VSwitchId: tea.String("vsw-fake01-h"), InstanceChargeType: tea.String("PayByCLCU")}
	if _, err := c.CreateLoadBalancer(req); err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateLoadBalancer(req)
	wantSDKError(t, err, 400, "QuotaExceeded.LoadBalancersNum")
	if n := len(ts.Snapshot().CLB.LoadBalancers); n != seeded+1 {
		t.Fatalf("%d CLBs, want %d", n, seeded+1)
	}
}

// TestALBCreateLoadBalancerJobFails: a create whose job fails leaves the
// instance in CreateFailed (as the SDK documents): GetLoadBalancerAttribute
// and ListLoadBalancers say so, ListAsynJobs shows the job Failed, nothing
// but DeleteLoadBalancer is allowed on it, and it still counts against the
// quota until deleted.
func TestALBCreateLoadBalancerJobFails(t *testing.T) {
	clock := &testClock{now: time.Now()}
	seed := DemoSeed()
	seed.Quotas = &SeedQuotas{ALBInstances: len(seed.ALBs) + 1}
	ts, c := newALBClient(t, Options{Seed: seed, AsyncDuration: albTestAsync, Now: clock.Now,
		Faults: []Fault{{Product: "alb", Action: "CreateLoadBalancer", JobFails: true, Code: "SystemBusy", Times: 1}}})
	req := albCreateReq("tok-f", "cn-hangzhou-h", "cn-hangzhou-i")
	out, err := c.CreateLoadBalancer(req)
	if err != nil {
		t.Fatal(err)
	}
	id := out.Body.LoadBalancerId
	clock.Add(albTestAsync)
	a, err := c.GetLoadBalancerAttribute(&alb.GetLoadBalancerAttributeRequest{LoadBalancerId: id})
	if err != nil {
		t.Fatal(err)
	}
	if s := tea.StringValue(a.Body.LoadBalancerStatus); s != "CreateFailed" {
		t.Fatalf("status after the failed job: %s", s)
	}
	jobs, err := c.ListAsynJobs(&alb.ListAsynJobsRequest{ResourceIds: []*string{id}})
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs.Body.Jobs) != 1 || tea.StringValue(jobs.Body.Jobs[0].Status) != "Failed" || tea.StringValue(jobs.Body.Jobs[0].ErrorCode) != "SystemBusy" {
		t.Fatalf("jobs: %v", jobs.Body)
	}
	list, err := c.ListLoadBalancers(&alb.ListLoadBalancersRequest{LoadBalancerStatus: tea.String("CreateFailed")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Body.LoadBalancers) != 1 || tea.StringValue(list.Body.LoadBalancers[0].LoadBalancerId) != tea.StringValue(id) {
		t.Fatalf("ListLoadBalancers CreateFailed: %v", list.Body)
	}
	// Only deletion is allowed on it.
	_, err = c.UpdateLoadBalancerAttribute(&alb.UpdateLoadBalancerAttributeRequest{LoadBalancerId: id, LoadBalancerName: tea.String("x-renamed")})
	wantSDKError(t, err, 400, "IncorrectStatus.LoadBalancer")
	_, err = c.CreateListener(&alb.CreateListenerRequest{LoadBalancerId: id, ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(80),
		DefaultActions: []*alb.CreateListenerRequestDefaultActions{{Type: tea.String("ForwardGroup"), ForwardGroupConfig: &alb.CreateListenerRequestDefaultActionsForwardGroupConfig{
			ServerGroupTuples: []*alb.CreateListenerRequestDefaultActionsForwardGroupConfigServerGroupTuples{{ServerGroupId: tea.String("sgp-nope")}}}}}})
	wantSDKError(t, err, 404, "ResourceNotFound.ServerGroup")
	// It still counts: a new create (new token) hits the quota.
	_, err = c.CreateLoadBalancer(albCreateReq("tok-g", "cn-hangzhou-h", "cn-hangzhou-i"))
	wantSDKError(t, err, 400, "QuotaExceeded.LoadBalancersNum")
	// The same token answers the failed instance again.
	again, err := c.CreateLoadBalancer(req)
	if err != nil || tea.StringValue(again.Body.LoadBalancerId) != tea.StringValue(id) {
		t.Fatalf("retry with the failed token: %v %v", again, err)
	}
	// Deletion protection still holds (stricter): release it, then delete.
	_, err = c.DeleteLoadBalancer(&alb.DeleteLoadBalancerRequest{LoadBalancerId: id})
	wantSDKError(t, err, 400, "OperationDenied.DeletionProtectionEnabled")
	if _, err := c.DisableDeletionProtection(&alb.DisableDeletionProtectionRequest{ResourceId: id}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteLoadBalancer(&alb.DeleteLoadBalancerRequest{LoadBalancerId: id}); err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)
	_, err = c.GetLoadBalancerAttribute(&alb.GetLoadBalancerAttributeRequest{LoadBalancerId: id})
	wantSDKError(t, err, 404, "ResourceNotFound.LoadBalancer")
	if snap := ts.Snapshot(); snap.ALB.loadBalancer(tea.StringValue(id)) != nil {
		t.Fatal("CreateFailed instance still there after its deletion")
	}
	if _, err := c.CreateLoadBalancer(albCreateReq("tok-g", "cn-hangzhou-h", "cn-hangzhou-i")); err != nil {
		t.Fatalf("create after the delete: %v", err)
	}
}

// TestRealisticALBCreateFails: in the realistic profile a create job drawn
// to fail leaves the instance in CreateFailed too (the same path as a
// JobFails rule), and ListAsynJobs reports the job Failed.
func TestRealisticALBCreateFails(t *testing.T) {
	seed := int64(0)
	for ; ; seed++ {
		if m, _ := newRealism(ProfileRealistic, 1, seed); m.failJob() != nil {
			break
		}
	}
	clock := &testClock{now: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}
	_, c := newALBClient(t, Options{Profile: ProfileRealistic, FaultSeed: seed, Now: clock.Now})
	out, err := c.CreateLoadBalancer(albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-i"))
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(5 * time.Minute) // past any create's duration
	a, err := c.GetLoadBalancerAttribute(&alb.GetLoadBalancerAttributeRequest{LoadBalancerId: out.Body.LoadBalancerId})
	if err != nil {
		t.Fatal(err)
	}
	if s := tea.StringValue(a.Body.LoadBalancerStatus); s != "CreateFailed" {
		t.Fatalf("status: %s, want CreateFailed", s)
	}
	jobs, err := c.ListAsynJobs(&alb.ListAsynJobsRequest{ResourceIds: []*string{out.Body.LoadBalancerId}, ResourceType: tea.String("loadbalancer")})
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs.Body.Jobs) != 1 || tea.StringValue(jobs.Body.Jobs[0].Status) != "Failed" || !slices.Contains(jobFailCodes, tea.StringValue(jobs.Body.Jobs[0].ErrorCode)) {
		t.Fatalf("jobs: %v", jobs.Body)
	}
}
