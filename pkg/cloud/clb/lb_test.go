package clb_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// createSeed is the demo world with a named vSwitch to create CLBs in.
func createSeed() *fakecloud.Seed {
	s := fakecloud.DemoSeed()
	s.VSwitches = []fakecloud.SeedVSwitch{
		{ID: "vsw-fake01h", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-h", CIDR: "192.168.0.0/24"},
		{ID: "vsw-fake01i", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-i", CIDR: "192.168.1.0/24"},
	}
	return s
}

// clbSpec is a pay-by-CLCU CLB: pay-by-spec ones are no longer sold
// (TestCreateLBPayBySpecRefused).
func clbSpec(stack string) resource.LBSpec {
	return resource.LBSpec{
		Type: resource.CLB, Name: "chat-clb", AddressType: config.CLBInternet, VSwitchID: "vsw-fake01h",
		PayType: config.PayByCLCU, DeletionProtection: true,
		Tags: map[string]string{resource.OwnerTagKey: stack},
	}
}

// created are the CLB instances of the fake's world that carry stack's tag.
func created(fc *fakecloud.TestServer, stack string) []*fakecloud.CLBInstance {
	var out []*fakecloud.CLBInstance
	for _, lb := range fc.Snapshot().CLB.LoadBalancers {
		for _, t := range lb.Tags {
			if t.Key == resource.OwnerTagKey && t.Value == stack {
				out = append(out, lb)
			}
		}
	}
	return out
}

// TestCreateLBTagsInTheCall: the instance carries the stack's tag from the
// create call itself (no separate tag call a crash could separate from it),
// with the spec, pay type and deletion protection asked for, and is active.
func TestCreateLBTagsInTheCall(t *testing.T) {
	fc, cfg := cloudtest.Fake(t, fakecloud.Options{Seed: createSeed()})
	c, err := clb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	lb, err := c.Executor().CreateLB(context.Background(), clbSpec("chat"), "tok-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := created(fc, "chat")
	if len(got) != 1 || got[0].ID != lb.ID {
		t.Fatalf("stack's CLBs in the world: %+v, want exactly the one created (%s)", got, lb.ID)
	}
	w := got[0]
	if w.Name != "chat-clb" || w.VSwitchID != "vsw-fake01h" || w.Spec != "" || w.ChargeType != "PayByCLCU" ||
		w.DeleteProtection != "on" || w.Status != "active" || w.Address == "" || lb.Address != w.Address {
		t.Fatalf("created %+v (client saw %+v)", w, lb)
	}
	if n := cloudtest.Count(fc, "CreateLoadBalancer"); n != 1 {
		t.Fatalf("%d CreateLoadBalancer calls, want 1", n)
	}
	if n := cloudtest.Count(fc, "TagResources"); n != 0 {
		t.Fatalf("%d TagResources calls: the tags belong in the create call", n)
	}
	for _, call := range fc.Calls() {
		if call.Action == "CreateLoadBalancer" && (call.Params["Tag.1.Key"] != resource.OwnerTagKey || call.Params["Tag.1.Value"] != "chat") {
			t.Fatalf("create call params %v: no owner tag", call.Params)
		}
		if _, ok := call.Params["ClientToken"]; call.Action == "CreateLoadBalancer" && ok {
			t.Fatalf("create call params %v: a stable ClientToken could hand a re-create a deleted CLB", call.Params)
		}
	}
}

// TestCreateLBByCLCU: payType PayByCLCU sends InstanceChargeType PayByCLCU,
// no spec, and traffic billing for the internet address; reading the stack's
// CLBs back gives the same settings.
func TestCreateLBByCLCU(t *testing.T) {
	fc, cfg := cloudtest.Fake(t, fakecloud.Options{Seed: createSeed()})
	c, err := clb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	spec := clbSpec("chat")
	spec.DeletionProtection = false
	if _, err := c.Executor().CreateLB(context.Background(), spec, "", nil); err != nil {
		t.Fatal(err)
	}
	got := created(fc, "chat")
	if len(got) != 1 || got[0].ChargeType != "PayByCLCU" || got[0].Spec != "" || got[0].DeleteProtection != "off" {
		t.Fatalf("created %+v", got)
	}
	for _, call := range fc.Calls() {
		if call.Action == "CreateLoadBalancer" && call.Params["InternetChargeType"] != "paybytraffic" {
			t.Fatalf("create params %v: a pay-by-CLCU internet CLB needs InternetChargeType paybytraffic", call.Params)
		}
	}
	lbs, err := c.ListLoadBalancersByTag(context.Background(), resource.OwnerTagKey, "chat")
	if err != nil {
		t.Fatal(err)
	}
	if len(lbs) != 1 || lbs[0].Spec == nil {
		t.Fatalf("listed %+v", lbs)
	}
	if d := resource.DiffLBSpec(*lbs[0].Spec, spec); len(d) != 0 {
		t.Fatalf("read back differs from what was created: %+v", d)
	}
}

// TestCreateLBLostAnswer: the create's answer is lost after the fake made
// the instance (CommitThenFail, then a dropped connection); the executor
// finds it by tag instead of creating a second one. An instance the stack
// already had (the one a replacement replaces) is not taken for it.
func TestCreateLBLostAnswer(t *testing.T) {
	for _, drop := range []bool{false, true} {
		fc, cfg := cloudtest.Fake(t, fakecloud.Options{Seed: createSeed()})
		c, err := clb.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		oldSpec := clbSpec("chat")
		oldSpec.DeletionProtection = false
		oldSpec.AddressType = config.CLBIntranet // what a replacement replaces differs in a setting that cannot change in place
		old, err := c.Executor().CreateLB(ctx, oldSpec, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		rule := fakecloud.Fault{Product: "slb", Action: "CreateLoadBalancer", CommitThenFail: true, Times: 1}
		if drop {
			rule.Drop = true
		} else {
			rule.Code = "ServiceUnavailable"
			rule.HTTPStatus = 503
		}
		if err := fc.AddFaults(rule); err != nil {
			t.Fatal(err)
		}
		lb, err := c.Executor().CreateLB(ctx, clbSpec("chat"), "", nil)
		if err != nil {
			t.Fatalf("drop=%v: %v", drop, err)
		}
		got := created(fc, "chat")
		if len(got) != 2 || lb.ID == old.ID || (got[0].ID != lb.ID && got[1].ID != lb.ID) {
			t.Fatalf("drop=%v: world %+v, client got %s (old %s): want the old one and exactly one new", drop, got, lb.ID, old.ID)
		}
		if n := cloudtest.Count(fc, "CreateLoadBalancer"); n != 2 {
			t.Fatalf("drop=%v: %d CreateLoadBalancer calls, want 2 (the old one's, the lost one, no resend)", drop, n)
		}
	}
}

// TestDeleteLBProtected: with deletion protection on, the delete is refused
// with a ProtectedError that says how to release it, and the instance stays;
// once the protection is off it is deleted, and deleting it again succeeds.
func TestDeleteLBProtected(t *testing.T) {
	fc, cfg := cloudtest.Fake(t, fakecloud.Options{Seed: createSeed()})
	c, err := clb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	x := c.Executor()
	lb, err := x.CreateLB(ctx, clbSpec("chat"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	err = x.DeleteLB(ctx, lb.ID, "", nil)
	var pe *clb.ProtectedError
	if !errors.As(err, &pe) || pe.Hint() == "" {
		t.Fatalf("delete of a protected CLB: %v, want a ProtectedError", err)
	}
	if len(created(fc, "chat")) != 1 {
		t.Fatal("the protected CLB was deleted")
	}
	if err := x.SetDeletionProtection(ctx, lb.ID, false, "", nil); err != nil {
		t.Fatal(err)
	}
	if err := x.DeleteLB(ctx, lb.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	if n := len(created(fc, "chat")); n != 0 {
		t.Fatalf("%d CLBs left after the delete", n)
	}
	if err := x.DeleteLB(ctx, lb.ID, "", nil); err != nil {
		t.Fatalf("deleting a deleted CLB: %v", err)
	}
}

// The CLB client is what the inventory and the engine need to create, find
// and delete the stack's load balancer.
var (
	_ apply.LBMaker      = clb.Executor{}
	_ inventory.LBFinder = (*clb.Client)(nil)
)

// TestCreateLBPayBySpecRefused: payType PayOnDemand with a spec sends the
// pay-by-spec create (InstanceChargeType PayBySpec, LoadBalancerSpec),
// which the cloud no longer sells since 2025-06-01: the create is refused
// with the cloud's code and nothing is made.
func TestCreateLBPayBySpecRefused(t *testing.T) {
	fc, cfg := cloudtest.Fake(t, fakecloud.Options{Seed: createSeed()})
	c, err := clb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	spec := clbSpec("chat")
	spec.InstanceSpec, spec.PayType = "slb.s1.small", config.PayOnDemand
	_, err = c.Executor().CreateLB(context.Background(), spec, "", nil)
	if err == nil || !strings.Contains(err.Error(), "PayBySpecSlbHaltSales") {
		t.Fatalf("pay-by-spec create: %v, want the cloud's PayBySpecSlbHaltSales", err)
	}
	if got := created(fc, "chat"); len(got) != 0 {
		t.Fatalf("%d CLBs made by a refused create", len(got))
	}
	for _, call := range fc.Calls() {
		if call.Action == "CreateLoadBalancer" && (call.Params["InstanceChargeType"] != "PayBySpec" || call.Params["LoadBalancerSpec"] != "slb.s1.small") {
			t.Fatalf("create sent %v, want InstanceChargeType PayBySpec with LoadBalancerSpec slb.s1.small", call.Params)
		}
	}
}
