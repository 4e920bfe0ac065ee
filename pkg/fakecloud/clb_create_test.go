package fakecloud

// CLB CreateLoadBalancer / SetLoadBalancerDeleteProtection /
// DeleteLoadBalancer through the real SDK over HTTP.

import (
	"strings"
	"testing"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

func TestCLBCreateLoadBalancerLifecycle(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c, err := slb.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	region := tea.String("cn-hangzhou")
	out, err := c.CreateLoadBalancer(&slb.CreateLoadBalancerRequest{
		RegionId: region, AddressType: tea.String("internet"), VSwitchId: tea.String("vsw-fake01-i"),
		InstanceChargeType: tea.String("PayByCLCU"), LoadBalancerName: tea.String("chat-clb"),
		DeleteProtection: tea.String("on"), PayType: tea.String("PayOnDemand"),
		Tag: []*slb.CreateLoadBalancerRequestTag{{Key: tea.String("wsdeploy-stack"), Value: tea.String("chat")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := tea.StringValue(out.Body.LoadBalancerId)
	snap := ts.Snapshot()
	lb := snap.CLB.loadBalancer(id)
	if lb == nil || lb.Address != tea.StringValue(out.Body.Address) || lb.VpcID != "vpc-fake01" || lb.ZoneID != "cn-hangzhou-i" ||
		lb.DeleteProtection != "on" || len(lb.Tags) != 1 || clbAddressType(lb.Address) != "internet" {
		t.Fatalf("created %q: %+v (answer %v)", id, lb, out.Body)
	}
	attr, err := c.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: region, LoadBalancerId: tea.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(attr.Body.VSwitchId) != "vsw-fake01-i" || tea.StringValue(attr.Body.DeleteProtection) != "on" || tea.StringValue(attr.Body.LoadBalancerStatus) != "active" {
		t.Fatalf("attribute: %v", attr.Body)
	}
	_, err = c.DeleteLoadBalancer(&slb.DeleteLoadBalancerRequest{RegionId: region, LoadBalancerId: tea.String(id)})
	wantSDKError(t, err, 400, "OperationDenied.DeleteProtection")
	if _, err := c.SetLoadBalancerDeleteProtection(&slb.SetLoadBalancerDeleteProtectionRequest{RegionId: region, LoadBalancerId: tea.String(id), DeleteProtection: tea.String("off")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteLoadBalancer(&slb.DeleteLoadBalancerRequest{RegionId: region, LoadBalancerId: tea.String(id)}); err != nil {
		t.Fatal(err)
	}
	if snap := ts.Snapshot(); snap.CLB.loadBalancer(id) != nil {
		t.Fatal("still there after DeleteLoadBalancer")
	}
	// Intranet: an address in the vSwitch's block; PayByCLCU takes no spec.
	_, err = c.CreateLoadBalancer(&slb.CreateLoadBalancerRequest{
		RegionId: region, AddressType: tea.String("intranet"), VSwitchId: tea.String("vsw-fake01-h"),
		InstanceChargeType: tea.String("PayByCLCU"), LoadBalancerSpec: tea.String("slb.s1.small"),
	})
	wantSDKError(t, err, 400, "InvalidParameter")
	in, err := c.CreateLoadBalancer(&slb.CreateLoadBalancerRequest{
		RegionId: region, AddressType: tea.String("intranet"), VSwitchId: tea.String("vsw-fake01-h"),
		InstanceChargeType: tea.String("PayByCLCU"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if a := tea.StringValue(in.Body.Address); len(a) < 10 || a[:10] != "192.168.0." {
		t.Fatalf("intranet address %q", a)
	}
}

// TestCLBCreateLoadBalancerClientToken: CreateLoadBalancer takes ClientToken
// and Tag (both in the SDK's request); a repeat with the same token and
// parameters answers the first instance and creates nothing, other
// parameters with the same token are refused.
func TestCLBCreateLoadBalancerClientToken(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c, err := slb.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	req := &slb.CreateLoadBalancerRequest{
		RegionId: tea.String("cn-hangzhou"), VSwitchId: tea.String("vsw-fake01-h"), ClientToken: tea.String("tok-clb-1"),
		LoadBalancerName: tea.String("chat-clb"), InstanceChargeType: tea.String("PayByCLCU"),
		Tag: []*slb.CreateLoadBalancerRequestTag{{Key: tea.String("wsdeploy-stack"), Value: tea.String("chat")}},
	}
	before := len(ts.Snapshot().CLB.LoadBalancers)
	first, err := c.CreateLoadBalancer(req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CreateLoadBalancer(req)
	if err != nil || tea.StringValue(again.Body.LoadBalancerId) != tea.StringValue(first.Body.LoadBalancerId) ||
		tea.StringValue(again.Body.Address) != tea.StringValue(first.Body.Address) {
		t.Fatalf("repeat: %v %v (first %v)", again, err, first.Body)
	}
	snap := ts.Snapshot()
	if n := len(snap.CLB.LoadBalancers); n != before+1 {
		t.Fatalf("%d CLBs after a repeated create, want %d", n, before+1)
	}
	if lb := snap.CLB.loadBalancer(tea.StringValue(first.Body.LoadBalancerId)); lb == nil || len(lb.Tags) != 1 || lb.Tags[0].Key != "wsdeploy-stack" {
		t.Fatalf("created: %+v", lb)
	}
	req.LoadBalancerName = tea.String("other")
	_, err = c.CreateLoadBalancer(req)
	wantSDKError(t, err, 400, "IdempotentParameterMismatch")
	req.ClientToken = tea.String(strings.Repeat("x", 65))
	_, err = c.CreateLoadBalancer(req)
	wantSDKError(t, err, 400, "InvalidParameter")
	if n := len(ts.Snapshot().CLB.LoadBalancers); n != before+1 {
		t.Fatalf("%d CLBs after refused creates, want %d", n, before+1)
	}
}

// TestCLBRenameAndRespec: SetLoadBalancerName and
// ModifyLoadBalancerInstanceSpec change the instance in place (the spec of
// a pay-by-spec instance, which only a seed makes now); a PayByCLCU
// instance has no spec to change.
func TestCLBRenameAndRespec(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c, err := slb.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	region := tea.String("cn-hangzhou")
	id := tea.String("lb-fake01")
	if _, err := c.SetLoadBalancerName(&slb.SetLoadBalancerNameRequest{RegionId: region, LoadBalancerId: id, LoadBalancerName: tea.String("chat-clb-2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ModifyLoadBalancerInstanceSpec(&slb.ModifyLoadBalancerInstanceSpecRequest{RegionId: region, LoadBalancerId: id, LoadBalancerSpec: tea.String("slb.s2.small")}); err != nil {
		t.Fatal(err)
	}
	snap := ts.Snapshot()
	if lb := snap.CLB.loadBalancer(tea.StringValue(id)); lb == nil || lb.Name != "chat-clb-2" || lb.Spec != "slb.s2.small" {
		t.Fatalf("after rename and respec: %+v", lb)
	}
	attr, err := c.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: region, LoadBalancerId: id})
	if err != nil || tea.StringValue(attr.Body.LoadBalancerName) != "chat-clb-2" || tea.StringValue(attr.Body.LoadBalancerSpec) != "slb.s2.small" {
		t.Fatalf("attribute: %v %v", attr, err)
	}
	_, err = c.SetLoadBalancerName(&slb.SetLoadBalancerNameRequest{RegionId: region, LoadBalancerId: tea.String("lb-nope"), LoadBalancerName: tea.String("x")})
	wantSDKError(t, err, 404, "InvalidLoadBalancerId.NotFound")
	_, err = c.ModifyLoadBalancerInstanceSpec(&slb.ModifyLoadBalancerInstanceSpecRequest{RegionId: region, LoadBalancerId: id, LoadBalancerSpec: tea.String("slb.huge")})
	wantSDKError(t, err, 400, "InvalidParameter")
	clcu, err := c.CreateLoadBalancer(&slb.CreateLoadBalancerRequest{RegionId: region, VSwitchId: tea.String("vsw-fake01-h"), InstanceChargeType: tea.String("PayByCLCU")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ModifyLoadBalancerInstanceSpec(&slb.ModifyLoadBalancerInstanceSpecRequest{RegionId: region, LoadBalancerId: clcu.Body.LoadBalancerId, LoadBalancerSpec: tea.String("slb.s2.small")})
	wantSDKError(t, err, 400, "OperationDenied.PayByCLCU")
}
